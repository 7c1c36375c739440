package main

import "net/http"

// getReadState serves GET /read_states/{user_id}/{channel_id}.
func (a *app) getReadState(w http.ResponseWriter, r *http.Request) {
	key, apiErr := readStatePath(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s, ok := a.readStates.get(key.userID, key.channelID)
	if !ok {
		writeError(w, errReadStateNotFound)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// putReadState serves PUT /read_states/{user_id}/{channel_id}. The ids are checked before
// the body is read.
func (a *app) putReadState(w http.ResponseWriter, r *http.Request) {
	key, apiErr := readStatePath(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	body, apiErr := readBody(w, r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	obj, apiErr := decodeObject(body)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	messageID, mentions, apiErr := parseReadStateUpdate(obj)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s := ReadState{
		UserID:        key.userID,
		ChannelID:     key.channelID,
		LastMessageID: messageID,
		MentionCount:  mentions,
		UpdatedAtMS:   a.now().UnixMilli(),
	}
	a.readStates.put(s)
	writeJSON(w, http.StatusOK, s)
}

func readStatePath(r *http.Request) (readStateKey, *apiError) {
	userID, apiErr := pathID(r, "user_id")
	if apiErr != nil {
		return readStateKey{}, apiErr
	}
	channelID, apiErr := pathID(r, "channel_id")
	if apiErr != nil {
		return readStateKey{}, apiErr
	}
	return readStateKey{userID, channelID}, nil
}

// parseReadStateUpdate reads the PUT body's fields (docs/API.md, "Read states"):
// message_id a required u64, mentions an optional u32 that defaults to 0.
func parseReadStateUpdate(obj map[string]any) (messageID uint64, mentions uint32, _ *apiError) {
	v, ok := field(obj, "message_id")
	if !ok {
		return 0, 0, unprocessable("missing field: message_id")
	}
	messageID, ok = asUint(v, 64)
	if !ok {
		return 0, 0, unprocessable("message_id must be an unsigned 64-bit integer")
	}
	if v, ok := field(obj, "mentions"); ok {
		n, ok := asUint(v, 32)
		if !ok {
			return 0, 0, unprocessable("mentions must be an unsigned 32-bit integer")
		}
		mentions = uint32(n) // asUint checked that it fits
	}
	return messageID, mentions, nil
}
