package main

import "net/http"

// apiError is an error a client caused. It is sent as {"error":message} with its status;
// the messages are the contract's, word for word (docs/API.md).
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

var (
	errNotFound          = &apiError{http.StatusNotFound, "not found"}
	errMethodNotAllowed  = &apiError{http.StatusMethodNotAllowed, "method not allowed"}
	errInvalidID         = &apiError{http.StatusBadRequest, "invalid id"}
	errInvalidLimit      = &apiError{http.StatusBadRequest, "invalid limit"}
	errInvalidOffset     = &apiError{http.StatusBadRequest, "invalid offset"}
	errMalformedJSON     = &apiError{http.StatusBadRequest, "malformed json"}
	errBodyTooLarge      = &apiError{http.StatusRequestEntityTooLarge, "body too large"}
	errNotObject         = &apiError{http.StatusUnprocessableEntity, "body must be a JSON object"}
	errUserNotFound      = &apiError{http.StatusNotFound, "user not found"}
	errReadStateNotFound = &apiError{http.StatusNotFound, "read state not found"}
)

// unprocessable is a 422 about one field of a request body.
func unprocessable(message string) *apiError {
	return &apiError{http.StatusUnprocessableEntity, message}
}

type errorBody struct {
	Error string `json:"error"`
}

// writeError sends err as the contract's error body.
func writeError(w http.ResponseWriter, err *apiError) {
	writeJSON(w, err.status, errorBody{err.message})
}
