package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestStatsEndpoint(t *testing.T) {
	addr, a := startServer(t, 300)
	a.users.create("Ada", "ada@example.com")
	runtime.GC() // so that there is at least one pause to report

	got, _ := send(t, addr, "GET", "GET /debug/stats HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
	if got.status != 200 || got.contentType != ctJSON {
		t.Fatalf("status %d, content type %q", got.status, got.contentType)
	}
	wantKeys := []string{
		"server", "version", "threads", "os_threads", "rss_bytes", "users", "read_states",
		"read_states_capacity", "uptime_ms", "gc_cycles", "heap_live_bytes", "gomaxprocs",
		"gc_pause_buckets", "gc_pause_p50_ns", "gc_pause_p99_ns", "gc_pause_max_ns",
		"read_states_lru", "gogc_percent", "gomemlimit_bytes", "goexperiment", "godebug",
		"godebug_default", "goamd64",
		"gc_cpu_seconds", "gc_mark_assist_cpu_seconds", "gc_mark_dedicated_cpu_seconds",
		"gc_mark_idle_cpu_seconds", "gc_pause_cpu_seconds", "runtime_idle_cpu_seconds",
		"runtime_total_cpu_seconds", "sched_latency_buckets", "sched_latency_p99_ns",
		"sched_latency_max_ns",
	}
	if keys := topLevelKeys(t, []byte(got.body)); !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("keys %v\nwant %v", keys, wantKeys)
	}

	var s stats
	if err := json.Unmarshal([]byte(got.body), &s); err != nil {
		t.Fatal(err)
	}
	procs := uint64(runtime.GOMAXPROCS(0))
	checks := []struct {
		name string
		ok   bool
	}{
		{"server", s.Server == "go-nethttp"},
		{"version", s.Version == runtime.Version()},
		{"threads", s.Threads == procs},
		{"gomaxprocs", s.GOMAXPROCS == procs},
		{"os_threads", s.OSThreads >= 1},
		{"rss_bytes", s.RSSBytes > 0},
		{"users", s.Users == 1},
		{"read_states", s.ReadStates == 300},
		{"read_states_capacity", s.ReadStatesCapacity == minReadStateCapacity},
		{"uptime_ms", s.UptimeMS == testNowMS-testStartedMS},
		{"gc_cycles", s.GCCycles >= 1},
		{"heap_live_bytes", s.HeapLiveBytes > 0},
		{"gc_pause_buckets", len(s.GCPauseBuckets) > 0},
		{"percentiles ordered", 0 < s.GCPauseP50NS && s.GCPauseP50NS <= s.GCPauseP99NS && s.GCPauseP99NS <= s.GCPauseMaxNS},
		{"read_states_lru", s.ReadStatesLRU == lruContainerList},
		{"gogc_percent", s.GOGCPercent == currentGOGC()},
		{"gomemlimit_bytes", s.GOMemLimitBytes == debug.SetMemoryLimit(-1)},
		{"godebug", s.GODEBUG == os.Getenv("GODEBUG")},
		{"gc cpu within total", 0 < s.GCCPUSeconds && s.GCCPUSeconds <= s.RuntimeTotalCPUSeconds},
		{"gc cpu parts", s.GCMarkAssistCPUSeconds+s.GCMarkDedicatedCPUSeconds+s.GCMarkIdleCPUSeconds+s.GCPauseCPUSeconds <= s.GCCPUSeconds*1.000001},
		{"idle within total", s.RuntimeIdleCPUSeconds <= s.RuntimeTotalCPUSeconds},
		{"sched latencies", len(s.SchedLatencyBuckets) > 0 && s.SchedLatencyP99NS <= s.SchedLatencyMaxNS},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s is wrong in %s", c.name, got.body)
		}
	}
	for _, b := range s.GCPauseBuckets {
		if b.Count == 0 {
			t.Errorf("empty bucket listed: %s", got.body)
		}
	}
}

// topLevelKeys returns the keys of a JSON object in the order they appear.
func topLevelKeys(t *testing.T, body []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", body)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestPauseHistogram(t *testing.T) {
	inf := math.Inf(1)
	u := func(n uint64) *uint64 { return &n }
	cases := []struct {
		name          string
		hist          metrics.Float64Histogram
		wantBuckets   []pauseBucket
		p50, p99, max uint64
	}{
		{
			name:        "no pauses",
			hist:        metrics.Float64Histogram{Counts: []uint64{0, 0}, Buckets: []float64{math.Inf(-1), 1e-6, inf}},
			wantBuckets: []pauseBucket{},
		},
		{
			name: "spread",
			// [0,1µs) 0, [1µs,2µs) 98, [2µs,4µs) 1, [4µs,8µs) 0, [8µs,16µs) 1
			hist: metrics.Float64Histogram{
				Counts:  []uint64{0, 98, 1, 0, 1},
				Buckets: []float64{0, 1e-6, 2e-6, 4e-6, 8e-6, 16e-6},
			},
			wantBuckets: []pauseBucket{{u(2000), 98}, {u(4000), 1}, {u(16000), 1}},
			p50:         2000, p99: 4000, max: 16000,
		},
		{
			name: "p99 lands in the +Inf bucket",
			hist: metrics.Float64Histogram{
				Counts:  []uint64{1, 1},
				Buckets: []float64{0, 1.024e-6, inf},
			},
			wantBuckets: []pauseBucket{{u(1024), 1}, {nil, 1}},
			p50:         1024, p99: 1024, max: 1024,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := nonEmptyBuckets(&c.hist); !reflect.DeepEqual(got, c.wantBuckets) {
				t.Errorf("buckets %+v, want %+v", got, c.wantBuckets)
			}
			for _, q := range []struct {
				q    float64
				want uint64
			}{{0.5, c.p50}, {0.99, c.p99}, {1, c.max}} {
				if got := pauseQuantileNS(&c.hist, q.q); got != q.want {
					t.Errorf("quantile %v = %d, want %d", q.q, got, q.want)
				}
			}
		})
	}
}

func TestNullBucketEncoding(t *testing.T) {
	le := uint64(1024)
	got, err := marshal([]pauseBucket{{&le, 3}, {nil, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"le_ns":1024,"count":3},{"le_ns":null,"count":1}]`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestParseProcStatus(t *testing.T) {
	data := []byte("Name:\tgo-server\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\nThreads:\t7\nSigQ:\t0/1\n")
	want := procStatus{threads: 7, rssBytes: 123456 * 1024}
	if got := parseProcStatus(data); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := parseProcStatus([]byte("garbage\n:\nThreads:\n")); got != (procStatus{}) {
		t.Errorf("garbage gives %+v", got)
	}
}

// currentGOGC reads the GC percentage the only way the runtime/debug API allows: set it,
// take the previous value, and put it back.
func currentGOGC() int64 {
	percent := debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return int64(percent)
}

func TestGOGCPercent(t *testing.T) {
	cases := []struct {
		metric uint64
		want   int64
	}{
		{100, 100},
		{0, 0},
		{400, 400},
		{math.MaxUint64, -1}, // GOGC=off: the runtime's -1 read as a uint64
		{math.MaxUint32, -1},
	}
	for _, c := range cases {
		if got := gogcPercent(c.metric); got != c.want {
			t.Errorf("gogcPercent(%d) = %d, want %d", c.metric, got, c.want)
		}
	}
}
