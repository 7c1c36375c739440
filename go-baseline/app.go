package main

import "time"

// minReadStateCapacity is the smallest read-state cache, so that a server started with a
// small or zero prefill still has room (docs/API.md: capacity = max(N, 10000)).
const minReadStateCapacity = 10_000

// app is the server's state; its methods are the HTTP handlers.
type app struct {
	started    time.Time
	now        func() time.Time // the clock for updated_at_ms; tests fix it
	users      *userStore
	readStates *readStateCache
}

// newApp returns the state of a freshly started server, with the read-state cache
// prefilled with readStates entries stamped with started.
func newApp(readStates int, started time.Time) *app {
	cache := newReadStateCache(max(readStates, minReadStateCapacity))
	cache.prefill(readStates, started.UnixMilli())
	return &app{
		started:    started,
		now:        time.Now,
		users:      &userStore{},
		readStates: cache,
	}
}
