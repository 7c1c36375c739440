package main

import (
	"fmt"
	"math"
	"sync"
)

// noEntry marks the end of the recency list (and an empty cache's head and tail).
const noEntry int32 = -1

// flatEntry is one slot of flatReadStateCache: the value and its recency links, as slice
// indexes rather than pointers.
type flatEntry struct {
	state      ReadState
	prev, next int32 // towards the more / the less recently used entry; noEntry at the ends
}

// flatReadStateCache is the tuned readStateStore (--read-states-lru pointer-free): the same
// LRU as readStateCache, laid out so that the garbage collector has nothing to scan.
//
// Why: the GC's mark work is tracing pointers, and values whose type holds no pointer are
// kept apart and never scanned; the Go GC guide (https://go.dev/doc/gc-guide,
// "Implementation-specific optimizations") suggests removing pointers from data structures
// that do not need them for this reason. The as-shipped cache makes pointerful objects per
// entry (a list element, a *ReadState, a map slot holding a pointer), so a million entries
// are millions of pointers to trace on every cycle. Here the index is a
// map[readStateKey]int32 (key and value pointer-free) and the entries one slice of
// flatEntry (pointer-free), so the whole cache is a handful of objects that the GC marks
// without scanning. It is the first change a Go team makes when a large cache makes GC
// expensive, and the situation of Discord's read states, the case claim C3 cites.
type flatReadStateCache struct {
	mu      sync.Mutex
	index   map[readStateKey]int32
	entries []flatEntry // len = entries in use; cap = capacity, allocated up front
	newest  int32       // most recently used slot, or noEntry
	oldest  int32       // least recently used slot, or noEntry
}

// newFlatReadStateCache returns an empty cache of capacity entries; slot indexes are int32,
// so capacity must fit one.
func newFlatReadStateCache(capacity int) (*flatReadStateCache, error) {
	if capacity < 1 || capacity > math.MaxInt32 {
		return nil, fmt.Errorf("pointer-free LRU capacity %d is outside 1..%d", capacity, math.MaxInt32)
	}
	return &flatReadStateCache{
		index:   make(map[readStateKey]int32, capacity),
		entries: make([]flatEntry, 0, capacity),
		newest:  noEntry,
		oldest:  noEntry,
	}, nil
}

func (c *flatReadStateCache) get(userID, channelID uint64) (ReadState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	slot, ok := c.index[readStateKey{userID, channelID}]
	if !ok {
		return ReadState{}, false
	}
	c.moveToFront(slot)
	return c.entries[slot].state, true
}

func (c *flatReadStateCache) put(s ReadState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := s.key()
	if slot, ok := c.index[key]; ok {
		c.entries[slot].state = s
		c.moveToFront(slot)
		return
	}
	var slot int32
	if len(c.entries) < cap(c.entries) {
		slot = int32(len(c.entries)) // below capacity, which newFlatReadStateCache bounded
		c.entries = append(c.entries, flatEntry{prev: noEntry, next: noEntry})
	} else {
		// Full: the least recently used slot is reused for the new entry.
		slot = c.oldest
		c.unlink(slot)
		delete(c.index, c.entries[slot].state.key())
	}
	c.entries[slot].state = s
	c.index[key] = slot
	c.pushFront(slot)
}

func (c *flatReadStateCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index)
}

func (c *flatReadStateCache) capacity() int { return cap(c.entries) }

func (c *flatReadStateCache) moveToFront(slot int32) {
	if c.newest == slot {
		return
	}
	c.unlink(slot)
	c.pushFront(slot)
}

// unlink takes slot out of the recency list.
func (c *flatReadStateCache) unlink(slot int32) {
	e := &c.entries[slot]
	if e.prev != noEntry {
		c.entries[e.prev].next = e.next
	} else {
		c.newest = e.next
	}
	if e.next != noEntry {
		c.entries[e.next].prev = e.prev
	} else {
		c.oldest = e.prev
	}
	e.prev, e.next = noEntry, noEntry
}

// pushFront makes an unlinked slot the most recently used.
func (c *flatReadStateCache) pushFront(slot int32) {
	e := &c.entries[slot]
	e.prev, e.next = noEntry, c.newest
	if c.newest != noEntry {
		c.entries[c.newest].prev = slot
	}
	c.newest = slot
	if c.oldest == noEntry {
		c.oldest = slot
	}
}
