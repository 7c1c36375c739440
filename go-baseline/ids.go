package main

import (
	"net/http"
	"strconv"
)

// parseID parses an id as docs/API.md defines it: decimal ASCII digits matching
// 0|[1-9][0-9]* whose value fits in a uint64. Signs, leading zeros, spaces, letters,
// percent-escapes and the empty string are all invalid.
func parseID(s string) (uint64, bool) {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64) // only the range is left to check
	if err != nil {
		return 0, false
	}
	return n, true
}

// pathID parses the path wildcard name as an id. The value is the segment as the client
// sent it, percent-escapes included (see exactPaths in routes.go).
func pathID(r *http.Request, name string) (uint64, *apiError) {
	id, ok := parseID(r.PathValue(name))
	if !ok {
		return 0, errInvalidID
	}
	return id, nil
}
