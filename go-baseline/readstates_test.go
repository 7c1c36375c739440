package main

import (
	"reflect"
	"testing"
	"time"
)

// keysByRecency lists the cache's keys from most to least recently used.
func keysByRecency(c *readStateCache) []readStateKey {
	var keys []readStateKey
	for el := c.recency.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*ReadState).key())
	}
	return keys
}

func TestReadStateCacheLRU(t *testing.T) {
	k := func(user, channel uint64) readStateKey { return readStateKey{user, channel} }
	put := func(c *readStateCache, user, channel, msg uint64) {
		c.put(ReadState{UserID: user, ChannelID: channel, LastMessageID: msg})
	}
	c := newReadStateCache(3)
	put(c, 1, 1, 10)
	put(c, 1, 2, 20)
	put(c, 1, 3, 30)
	if got, want := keysByRecency(c), []readStateKey{k(1, 3), k(1, 2), k(1, 1)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after inserts: %v, want %v", got, want)
	}

	if s, ok := c.get(1, 1); !ok || s.LastMessageID != 10 {
		t.Fatalf("get(1,1) = %+v, %v", s, ok)
	}
	put(c, 2, 1, 40) // full: evicts (1,2), the least recently used now that (1,1) was read
	if got, want := keysByRecency(c), []readStateKey{k(2, 1), k(1, 1), k(1, 3)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after eviction: %v, want %v", got, want)
	}
	if _, ok := c.get(1, 2); ok {
		t.Error("(1,2) should have been evicted")
	}

	put(c, 1, 3, 31) // replace: no eviction, moves to the front, new value
	if got, want := keysByRecency(c), []readStateKey{k(1, 3), k(2, 1), k(1, 1)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after replace: %v, want %v", got, want)
	}
	if s, _ := c.get(1, 3); s.LastMessageID != 31 {
		t.Errorf("replaced value = %d, want 31", s.LastMessageID)
	}

	if _, ok := c.get(9, 9); ok {
		t.Error("get of a missing key succeeded")
	}
	put(c, 3, 3, 50)
	put(c, 3, 4, 60) // evicts (2,1), then (1,1)
	if got, want := keysByRecency(c), []readStateKey{k(3, 4), k(3, 3), k(1, 3)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after two evictions: %v, want %v", got, want)
	}
	if c.len() != 3 || len(c.entries) != 3 {
		t.Errorf("len %d, map %d, want 3", c.len(), len(c.entries))
	}
}

func TestPrefill(t *testing.T) {
	c := newReadStateCache(minReadStateCapacity)
	c.prefill(130, 77)
	if c.len() != 130 {
		t.Fatalf("len %d, want 130", c.len())
	}
	keys := keysByRecency(c)
	if first, last := keys[len(keys)-1], keys[0]; first != (readStateKey{0, 0}) || last != (readStateKey{2, 1}) {
		t.Errorf("least recent %v, most recent %v; want {0 0} and {2 1}", first, last)
	}
	want := ReadState{UserID: 1, ChannelID: 63, LastMessageID: 127, UpdatedAtMS: 77}
	if s, ok := c.get(1, 63); !ok || s != want {
		t.Errorf("entry 127 = %+v, want %+v", s, want)
	}
}

func TestCapacity(t *testing.T) {
	for _, c := range []struct{ prefill, capacity int }{{0, 10000}, {10, 10000}, {10000, 10000}, {20000, 20000}} {
		a := newApp(c.prefill, time.UnixMilli(testStartedMS))
		if a.readStates.capacity != c.capacity || a.readStates.len() != c.prefill {
			t.Errorf("--read-states %d: capacity %d holding %d, want %d holding %d",
				c.prefill, a.readStates.capacity, a.readStates.len(), c.capacity, c.prefill)
		}
	}
}
