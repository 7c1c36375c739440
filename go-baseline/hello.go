package main

import (
	"io"
	"net/http"
)

// The TechEmpower-style routes: /plaintext, /json, and the health check.

const helloWorld = "Hello, World!"

func plaintext(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, helloWorld)
}

type message struct {
	Message string `json:"message"`
}

// helloJSON serializes its body on every request, as TechEmpower's JSON test requires and
// as the Rust side does: no cached bytes.
func helloJSON(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, message{Message: helloWorld})
}

type healthStatus struct {
	Status string `json:"status"`
}

// healthz always succeeds: the listener opens only once the prefill is done.
func healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, healthStatus{Status: "ok"})
}
