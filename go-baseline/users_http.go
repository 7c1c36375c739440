package main

import (
	"net/http"
	"strings"
)

const (
	defaultListLimit = 100
	maxListLimit     = 1000
)

// createUser serves POST /users.
func (a *app) createUser(w http.ResponseWriter, r *http.Request) {
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
	name, email, apiErr := parseNewUser(obj)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusCreated, a.users.create(name, email))
}

// parseNewUser applies steps 3 and 4 of the contract (docs/API.md, "POST /users"), in
// that order: both fields must be present strings before either value is looked at.
func parseNewUser(obj map[string]any) (name, email string, _ *apiError) {
	name, apiErr := stringField(obj, "name")
	if apiErr != nil {
		return "", "", apiErr
	}
	email, apiErr = stringField(obj, "email")
	if apiErr != nil {
		return "", "", apiErr
	}
	if name == "" {
		return "", "", unprocessable("name must not be empty")
	}
	if !strings.Contains(email, "@") {
		return "", "", unprocessable("email must contain @")
	}
	return name, email, nil
}

// getUser serves GET /users/{id}.
func (a *app) getUser(w http.ResponseWriter, r *http.Request) {
	id, apiErr := pathID(r, "id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	u, ok := a.users.get(id)
	if !ok {
		writeError(w, errUserNotFound)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// listUsers serves GET /users?limit=&offset=.
func (a *app) listUsers(w http.ResponseWriter, r *http.Request) {
	limit, offset, apiErr := parseListParams(r.URL.RawQuery)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, a.users.page(offset, limit))
}

// parseListParams reads limit and offset (docs/API.md, "GET /users?limit=&offset="): the
// first occurrence of each wins, an empty value means the default, and a bad limit is
// reported before a bad offset.
func parseListParams(rawQuery string) (limit, offset uint64, _ *apiError) {
	limit = defaultListLimit
	if v := firstQueryValue(rawQuery, "limit"); v != "" {
		n, ok := parseID(v)
		if !ok || n > maxListLimit {
			return 0, 0, errInvalidLimit
		}
		limit = n
	}
	if v := firstQueryValue(rawQuery, "offset"); v != "" {
		n, ok := parseID(v)
		if !ok {
			return 0, 0, errInvalidOffset
		}
		offset = n
	}
	return limit, offset, nil
}
