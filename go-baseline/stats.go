package main

import (
	"bufio"
	"bytes"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
)

// stats is the body of GET /debug/stats: the keys shared with the Rust server first, then
// the Go runtime's own (docs/API.md, "GET /debug/stats").
type stats struct {
	Server             string `json:"server"`
	Version            string `json:"version"`
	Threads            uint64 `json:"threads"`
	OSThreads          uint64 `json:"os_threads"`
	RSSBytes           uint64 `json:"rss_bytes"`
	Users              int    `json:"users"`
	ReadStates         int    `json:"read_states"`
	ReadStatesCapacity int    `json:"read_states_capacity"`
	UptimeMS           int64  `json:"uptime_ms"`

	GCCycles       uint64        `json:"gc_cycles"`
	HeapLiveBytes  uint64        `json:"heap_live_bytes"`
	GOMAXPROCS     uint64        `json:"gomaxprocs"`
	GCPauseBuckets []pauseBucket `json:"gc_pause_buckets"`
	GCPauseP50NS   uint64        `json:"gc_pause_p50_ns"`
	GCPauseP99NS   uint64        `json:"gc_pause_p99_ns"`
	GCPauseMaxNS   uint64        `json:"gc_pause_max_ns"`

	// What the runtime runs with (settings.go): the study records these for every run.
	ReadStatesLRU   lruKind `json:"read_states_lru"`
	GOGCPercent     int64   `json:"gogc_percent"`     // -1 when GOGC=off
	GOMemLimitBytes int64   `json:"gomemlimit_bytes"` // math.MaxInt64 when there is no limit
	GOEXPERIMENT    string  `json:"goexperiment"`     // "" for the toolchain's defaults
	GODEBUG         string  `json:"godebug"`          // the environment variable, "" if unset
	GODEBUGDefault  string  `json:"godebug_default"`  // defaults from go.mod's go line
	GOAMD64         string  `json:"goamd64"`          // "" on other architectures

	// The GC's cost, cumulative since start (runtime/metrics /cpu/classes: estimates of
	// GOMAXPROCS-seconds, comparable only with each other; the runtime brings them up to
	// date at the end of each GC cycle, so loadgen divides a window's GC CPU by the process's
	// CPU time from /proc rather than by these totals).
	GCCPUSeconds              float64 `json:"gc_cpu_seconds"`
	GCMarkAssistCPUSeconds    float64 `json:"gc_mark_assist_cpu_seconds"`
	GCMarkDedicatedCPUSeconds float64 `json:"gc_mark_dedicated_cpu_seconds"`
	GCMarkIdleCPUSeconds      float64 `json:"gc_mark_idle_cpu_seconds"`
	GCPauseCPUSeconds         float64 `json:"gc_pause_cpu_seconds"`
	RuntimeIdleCPUSeconds     float64 `json:"runtime_idle_cpu_seconds"`
	RuntimeTotalCPUSeconds    float64 `json:"runtime_total_cpu_seconds"`
	// How long runnable goroutines waited for a thread (/sched/latencies:seconds): the
	// queueing that concurrent mark work on a busy core causes.
	SchedLatencyBuckets []pauseBucket `json:"sched_latency_buckets"`
	SchedLatencyP99NS   uint64        `json:"sched_latency_p99_ns"`
	SchedLatencyMaxNS   uint64        `json:"sched_latency_max_ns"`
}

// pauseBucket is one non-empty bucket of the GC pause histogram. LeNS is the bucket's
// upper bound in nanoseconds, nil (JSON null) for +Inf.
type pauseBucket struct {
	LeNS  *uint64 `json:"le_ns"`
	Count uint64  `json:"count"`
}

// The runtime/metrics samples read for every stats request.
const (
	metricGCCycles       = "/gc/cycles/total:gc-cycles"
	metricHeapLive       = "/gc/heap/live:bytes"
	metricGOMAXPROCS     = "/sched/gomaxprocs:threads"
	metricGCPauses       = "/sched/pauses/total/gc:seconds" // stop-the-world pauses, since Go 1.22
	metricGOGC           = "/gc/gogc:percent"
	metricGOMemLimit     = "/gc/gomemlimit:bytes"
	metricGCCPU          = "/cpu/classes/gc/total:cpu-seconds"
	metricGCAssistCPU    = "/cpu/classes/gc/mark/assist:cpu-seconds"
	metricGCDedicatedCPU = "/cpu/classes/gc/mark/dedicated:cpu-seconds"
	metricGCIdleCPU      = "/cpu/classes/gc/mark/idle:cpu-seconds"
	metricGCPauseCPU     = "/cpu/classes/gc/pause:cpu-seconds"
	metricIdleCPU        = "/cpu/classes/idle:cpu-seconds"
	metricTotalCPU       = "/cpu/classes/total:cpu-seconds"
	metricSchedLatencies = "/sched/latencies:seconds"
)

// statsMetrics lists the samples in the order readMetrics returns them.
var statsMetrics = []string{
	metricGCCycles, metricHeapLive, metricGOMAXPROCS, metricGCPauses, metricGOGC, metricGOMemLimit,
	metricGCCPU, metricGCAssistCPU, metricGCDedicatedCPU, metricGCIdleCPU, metricGCPauseCPU,
	metricIdleCPU, metricTotalCPU, metricSchedLatencies,
}

// readMetrics reads statsMetrics and returns them by name.
func readMetrics() map[string]metrics.Value {
	samples := make([]metrics.Sample, len(statsMetrics))
	for i, name := range statsMetrics {
		samples[i].Name = name
	}
	metrics.Read(samples)
	values := make(map[string]metrics.Value, len(samples))
	for _, sample := range samples {
		values[sample.Name] = sample.Value
	}
	return values
}

// stats serves GET /debug/stats.
func (a *app) stats(w http.ResponseWriter, _ *http.Request) {
	m := readMetrics()
	pauses := m[metricGCPauses].Float64Histogram()
	latencies := m[metricSchedLatencies].Float64Histogram()
	proc := readProcStatus()
	build := buildSettings()

	writeJSON(w, http.StatusOK, stats{
		Server:             "go-nethttp",
		Version:            runtime.Version(),
		Threads:            m[metricGOMAXPROCS].Uint64(),
		OSThreads:          proc.threads,
		RSSBytes:           proc.rssBytes,
		Users:              a.users.count(),
		ReadStates:         a.readStates.len(),
		ReadStatesCapacity: a.readStates.capacity(),
		UptimeMS:           a.now().Sub(a.started).Milliseconds(),
		GCCycles:           m[metricGCCycles].Uint64(),
		HeapLiveBytes:      m[metricHeapLive].Uint64(),
		GOMAXPROCS:         m[metricGOMAXPROCS].Uint64(),
		GCPauseBuckets:     nonEmptyBuckets(pauses),
		GCPauseP50NS:       pauseQuantileNS(pauses, 0.50),
		GCPauseP99NS:       pauseQuantileNS(pauses, 0.99),
		GCPauseMaxNS:       pauseQuantileNS(pauses, 1),

		ReadStatesLRU:   a.lru,
		GOGCPercent:     gogcPercent(m[metricGOGC].Uint64()),
		GOMemLimitBytes: int64(min(m[metricGOMemLimit].Uint64(), math.MaxInt64)),
		GOEXPERIMENT:    build.goexperiment,
		GODEBUG:         os.Getenv("GODEBUG"),
		GODEBUGDefault:  build.defaultGODEBUG,
		GOAMD64:         build.goamd64,

		GCCPUSeconds:              m[metricGCCPU].Float64(),
		GCMarkAssistCPUSeconds:    m[metricGCAssistCPU].Float64(),
		GCMarkDedicatedCPUSeconds: m[metricGCDedicatedCPU].Float64(),
		GCMarkIdleCPUSeconds:      m[metricGCIdleCPU].Float64(),
		GCPauseCPUSeconds:         m[metricGCPauseCPU].Float64(),
		RuntimeIdleCPUSeconds:     m[metricIdleCPU].Float64(),
		RuntimeTotalCPUSeconds:    m[metricTotalCPU].Float64(),
		SchedLatencyBuckets:       nonEmptyBuckets(latencies),
		SchedLatencyP99NS:         pauseQuantileNS(latencies, 0.99),
		SchedLatencyMaxNS:         pauseQuantileNS(latencies, 1),
	})
}

// nonEmptyBuckets lists the histogram's buckets that have a count, never nil.
func nonEmptyBuckets(h *metrics.Float64Histogram) []pauseBucket {
	buckets := []pauseBucket{}
	for i, count := range h.Counts {
		if count == 0 {
			continue
		}
		var le *uint64
		if upper := h.Buckets[i+1]; !math.IsInf(upper, 1) {
			ns := secondsToNS(upper)
			le = &ns
		}
		buckets = append(buckets, pauseBucket{LeNS: le, Count: count})
	}
	return buckets
}

// pauseQuantileNS returns the q-quantile of the histogram in nanoseconds, as the upper
// bound of the bucket it falls in (so never an underestimate, like a Prometheus "le"),
// or that bucket's lower bound if the bucket is +Inf's. 0 when there were no pauses.
func pauseQuantileNS(h *metrics.Float64Histogram, q float64) uint64 {
	var total uint64
	for _, c := range h.Counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := max(uint64(math.Ceil(q*float64(total))), 1) // pauses at or below the quantile
	var seen uint64
	for i, c := range h.Counts {
		seen += c
		if seen < rank {
			continue
		}
		if upper := h.Buckets[i+1]; !math.IsInf(upper, 1) {
			return secondsToNS(upper)
		}
		return secondsToNS(h.Buckets[i])
	}
	return 0 // not reached: seen ends at total >= rank
}

// secondsToNS converts a bucket boundary to nanoseconds. The runtime's boundaries are
// whole nanoseconds divided by 1e9, so rounding recovers them exactly.
func secondsToNS(s float64) uint64 {
	if s <= 0 {
		return 0
	}
	return uint64(math.Round(s * 1e9))
}

// procStatus holds the figures read from /proc/self/status (Linux); both are 0 where
// that file is not available.
type procStatus struct {
	threads  uint64 // "Threads:"
	rssBytes uint64 // "VmRSS:", given in kB
}

func readProcStatus() procStatus {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return procStatus{}
	}
	return parseProcStatus(data)
}

func parseProcStatus(data []byte) procStatus {
	var st procStatus
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok {
			continue
		}
		fields := bytes.Fields(value)
		if len(fields) == 0 {
			continue
		}
		n, err := strconv.ParseUint(string(fields[0]), 10, 64)
		if err != nil {
			continue
		}
		switch string(name) {
		case "Threads":
			st.threads = n
		case "VmRSS":
			st.rssBytes = n * 1024
		}
	}
	return st
}
