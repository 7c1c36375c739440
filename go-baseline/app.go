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
	readStates readStateStore
	lru        lruKind // which readStateStore, for /debug/stats
}

// newApp returns the state of a freshly started server, with a read-state cache of the
// given kind prefilled with readStates entries stamped with started. It fails only for a
// capacity the kind cannot hold (parseFlags checks that first).
func newApp(kind lruKind, readStates int, started time.Time) (*app, error) {
	cache, err := newReadStateStore(kind, max(readStates, minReadStateCapacity))
	if err != nil {
		return nil, err
	}
	prefill(cache, readStates, started.UnixMilli())
	return &app{
		started:    started,
		now:        time.Now,
		users:      &userStore{},
		readStates: cache,
		lru:        kind,
	}, nil
}
