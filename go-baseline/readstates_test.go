package main

import (
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"
)

// keysByRecency lists a cache's keys from most to least recently used, walking each
// implementation's own links (so that the links themselves are checked, not only lookups).
func keysByRecency(t *testing.T, store readStateStore) []readStateKey {
	t.Helper()
	var keys []readStateKey
	switch c := store.(type) {
	case *readStateCache:
		for el := c.recency.Front(); el != nil; el = el.Next() {
			keys = append(keys, el.Value.(*ReadState).key())
		}
	case *flatReadStateCache:
		previous := noEntry
		for slot := c.newest; slot != noEntry; slot = c.entries[slot].next {
			if c.entries[slot].prev != previous {
				t.Fatalf("slot %d links back to %d, want %d", slot, c.entries[slot].prev, previous)
			}
			keys = append(keys, c.entries[slot].state.key())
			previous = slot
		}
		if c.oldest != previous {
			t.Fatalf("oldest is slot %d, the list ends at %d", c.oldest, previous)
		}
	default:
		t.Fatalf("unknown store %T", store)
	}
	if len(keys) != store.len() {
		t.Fatalf("recency list has %d keys, len() says %d", len(keys), store.len())
	}
	return keys
}

func newStore(t testing.TB, kind lruKind, capacity int) readStateStore {
	t.Helper()
	store, err := newReadStateStore(kind, capacity)
	if err != nil {
		t.Fatal(err)
	}
	return store
}

func TestReadStateCacheLRU(t *testing.T) {
	for _, kind := range lruKinds {
		t.Run(string(kind), func(t *testing.T) { testLRU(t, kind) })
	}
}

func testLRU(t *testing.T, kind lruKind) {
	k := func(user, channel uint64) readStateKey { return readStateKey{user, channel} }
	c := newStore(t, kind, 3)
	put := func(user, channel, msg uint64) {
		c.put(ReadState{UserID: user, ChannelID: channel, LastMessageID: msg})
	}
	steps := []struct {
		name string
		do   func()
		want []readStateKey // most recent first
	}{
		{"inserts", func() { put(1, 1, 10); put(1, 2, 20); put(1, 3, 30) }, []readStateKey{k(1, 3), k(1, 2), k(1, 1)}},
		{"get moves to the front", func() {
			if s, ok := c.get(1, 1); !ok || s.LastMessageID != 10 {
				t.Fatalf("get(1,1) = %+v, %v", s, ok)
			}
		}, []readStateKey{k(1, 1), k(1, 3), k(1, 2)}},
		{"full: evicts the least recently used", func() { put(2, 1, 40) }, []readStateKey{k(2, 1), k(1, 1), k(1, 3)}},
		{"replace: no eviction, to the front", func() { put(1, 3, 31) }, []readStateKey{k(1, 3), k(2, 1), k(1, 1)}},
		{"get of the front changes nothing", func() { c.get(1, 3) }, []readStateKey{k(1, 3), k(2, 1), k(1, 1)}},
		{"missing key changes nothing", func() {
			if _, ok := c.get(9, 9); ok {
				t.Error("get of a missing key succeeded")
			}
		}, []readStateKey{k(1, 3), k(2, 1), k(1, 1)}},
		{"two evictions", func() { put(3, 3, 50); put(3, 4, 60) }, []readStateKey{k(3, 4), k(3, 3), k(1, 3)}},
	}
	for _, step := range steps {
		step.do()
		if got := keysByRecency(t, c); !reflect.DeepEqual(got, step.want) {
			t.Fatalf("after %s: %v, want %v", step.name, got, step.want)
		}
	}
	if _, ok := c.get(1, 2); ok {
		t.Error("(1,2) should have been evicted")
	}
	if s, _ := c.get(1, 3); s.LastMessageID != 31 {
		t.Errorf("replaced value = %d, want 31", s.LastMessageID)
	}
}

func TestPrefill(t *testing.T) {
	for _, kind := range lruKinds {
		c := newStore(t, kind, minReadStateCapacity)
		prefill(c, 130, 77)
		keys := keysByRecency(t, c)
		if len(keys) != 130 {
			t.Fatalf("%s: len %d, want 130", kind, len(keys))
		}
		if first, last := keys[len(keys)-1], keys[0]; first != (readStateKey{0, 0}) || last != (readStateKey{2, 1}) {
			t.Errorf("%s: least recent %v, most recent %v; want {0 0} and {2 1}", kind, first, last)
		}
		want := ReadState{UserID: 1, ChannelID: 63, LastMessageID: 127, UpdatedAtMS: 77}
		if s, ok := c.get(1, 63); !ok || s != want {
			t.Errorf("%s: entry 127 = %+v, want %+v", kind, s, want)
		}
	}
}

func TestCapacity(t *testing.T) {
	for _, kind := range lruKinds {
		for _, c := range []struct{ prefill, capacity int }{{0, 10000}, {10, 10000}, {10000, 10000}, {20000, 20000}} {
			a, err := newApp(kind, c.prefill, time.UnixMilli(testStartedMS))
			if err != nil {
				t.Fatal(err)
			}
			if a.readStates.capacity() != c.capacity || a.readStates.len() != c.prefill {
				t.Errorf("%s --read-states %d: capacity %d holding %d, want %d holding %d",
					kind, c.prefill, a.readStates.capacity(), a.readStates.len(), c.capacity, c.prefill)
			}
		}
	}
}

func TestPointerFreeCapacityBounds(t *testing.T) {
	for _, capacity := range []int{0, -1, math.MaxInt32 + 1} {
		if _, err := newReadStateStore(lruPointerFree, capacity); err == nil {
			t.Errorf("capacity %d accepted", capacity)
		}
	}
	if _, err := newReadStateStore("btree", 10); err == nil {
		t.Error("an unknown LRU kind was accepted")
	}
}

// BenchmarkGCWithFullCache measures what the tuned cache is for: the time of one full
// garbage collection while a cache of benchGCEntries entries is live. The container/list
// cache gives the GC millions of pointers to trace; the pointer-free one gives it nothing to
// scan. Run: go test -run '^$' -bench GCWithFullCache -benchtime 5x
func BenchmarkGCWithFullCache(b *testing.B) {
	const benchGCEntries = 1_000_000
	for _, kind := range lruKinds {
		b.Run(string(kind), func(b *testing.B) {
			store := newStore(b, kind, benchGCEntries)
			prefill(store, benchGCEntries, 1)
			runtime.GC()
			b.ResetTimer()
			for range b.N {
				runtime.GC()
			}
			b.StopTimer()
			if store.len() != benchGCEntries { // keeps the cache live through the loop
				b.Fatalf("cache holds %d entries", store.len())
			}
		})
	}
}
