package main

import (
	"container/list"
	"fmt"
	"sync"
)

// ReadState is one user's read position in one channel, as the API shows it; modelled on
// Discord's read-states service (docs/API.md, "Read states").
type ReadState struct {
	UserID        uint64 `json:"user_id"`
	ChannelID     uint64 `json:"channel_id"`
	LastMessageID uint64 `json:"last_message_id"`
	MentionCount  uint32 `json:"mention_count"`
	UpdatedAtMS   int64  `json:"updated_at_ms"`
}

type readStateKey struct {
	userID, channelID uint64
}

func (s *ReadState) key() readStateKey { return readStateKey{s.UserID, s.ChannelID} }

// readStateStore is a fixed-capacity LRU cache of read states. Two implementations exist,
// chosen with --read-states-lru: the as-shipped one below and the tuned pointer-free one
// (readstates_flat.go). Both are safe for concurrent use and behave identically.
type readStateStore interface {
	// get returns the read state for (userID, channelID) and makes it the most recently used.
	get(userID, channelID uint64) (ReadState, bool)
	// put creates or replaces s and makes it the most recently used, evicting the least
	// recently used entry if the cache is full.
	put(s ReadState)
	// len returns the number of entries.
	len() int
	// capacity returns the most entries it holds.
	capacity() int
}

// lruKind names a readStateStore implementation, as --read-states-lru spells it.
type lruKind string

const (
	// lruContainerList is the as-shipped cache: map + container/list (this file).
	lruContainerList lruKind = "container-list"
	// lruPointerFree is the tuned cache: map to int32 indexes into a slice (readstates_flat.go).
	lruPointerFree lruKind = "pointer-free"
)

// lruKinds lists the accepted --read-states-lru values, the default first.
var lruKinds = []lruKind{lruContainerList, lruPointerFree}

// newReadStateStore returns an empty cache of the given kind holding at most capacity entries.
func newReadStateStore(kind lruKind, capacity int) (readStateStore, error) {
	switch kind {
	case lruContainerList:
		return newReadStateCache(capacity), nil
	case lruPointerFree:
		return newFlatReadStateCache(capacity)
	}
	return nil, fmt.Errorf("unknown read-state LRU %q (want one of %v)", kind, lruKinds)
}

// prefill inserts entries i = 0..n-1 with user_id i/64, channel_id i%64 and
// last_message_id i, as the contract prescribes; entry n-1 ends up most recently used.
func prefill(store readStateStore, n int, updatedAtMS int64) {
	for i := range uint64(n) {
		store.put(ReadState{UserID: i / 64, ChannelID: i % 64, LastMessageID: i, UpdatedAtMS: updatedAtMS})
	}
}

// readStateCache is the as-shipped readStateStore.
//
// It is built the ordinary Go way, a map to list elements plus a container/list in
// recency order, all behind one mutex (a GET reorders the list, so reads write too). Every
// entry is a few heap objects full of pointers; with a million entries that is the large
// live heap whose garbage collection the benchmark sets out to observe (claim C3). It is
// deliberately not tuned to hide from the GC.
type readStateCache struct {
	mu      sync.Mutex
	limit   int
	entries map[readStateKey]*list.Element // each Value is a *ReadState
	recency *list.List                     // front: most recently used
}

func newReadStateCache(capacity int) *readStateCache {
	return &readStateCache{
		limit:   capacity,
		entries: make(map[readStateKey]*list.Element, capacity),
		recency: list.New(),
	}
}

func (c *readStateCache) get(userID, channelID uint64) (ReadState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[readStateKey{userID, channelID}]
	if !ok {
		return ReadState{}, false
	}
	c.recency.MoveToFront(el)
	return *el.Value.(*ReadState), true
}

func (c *readStateCache) put(s ReadState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[s.key()]; ok {
		*el.Value.(*ReadState) = s
		c.recency.MoveToFront(el)
		return
	}
	if c.recency.Len() >= c.limit {
		oldest := c.recency.Back()
		c.recency.Remove(oldest)
		delete(c.entries, oldest.Value.(*ReadState).key())
	}
	c.entries[s.key()] = c.recency.PushFront(&s)
}

func (c *readStateCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.recency.Len()
}

func (c *readStateCache) capacity() int { return c.limit }
