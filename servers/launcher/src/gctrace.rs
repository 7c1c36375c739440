//! Go's GC trace (`GODEBUG=gctrace=1`): one line on stderr per garbage-collection cycle,
//! parsed into [`GcTraceCycle`]s stamped with the moment the line arrived.
//!
//! Why the trace and not `runtime/metrics`: the metrics count cycles and pauses but carry no
//! timestamps, so they cannot say *when* a cycle ran. The runtime writes the trace line at
//! the end of each cycle (mark termination), unbuffered, with the wall-clock length of its
//! three phases; the arrival time of the line minus those lengths places the cycle on the
//! run's own clock, within the time a pipe read takes (well under a millisecond on an idle
//! loadgen core; a few milliseconds at worst on a busy one). That is finer than the 100 ms
//! resolution the study needs to line latency up with GC cycles.
//!
//! The format (runtime package documentation, "GODEBUG: gctrace"; subject to change, so a
//! line that does not parse is skipped, never fatal):
//!
//! ```text
//! gc 3 @0.358s 17%: 0.039+189+0.008 ms clock, 0.039+38/44/0+0.008 ms cpu, 23->25->25 MB, 27 MB goal, 0 MB stacks, 0 MB globals, 1 P
//! ```
//!
//! `ms clock` lists stop-the-world sweep termination, concurrent mark and scan, and
//! stop-the-world mark termination; the heap sizes are at the cycle's start, at its end, and
//! the live heap it marked. A trailing ` (forced)` marks a cycle started by `runtime.GC()`.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The `GODEBUG` value that turns the trace on.
pub const GCTRACE_GODEBUG: &str = "gctrace=1";

/// One GC cycle as the trace reports it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GcTraceLine {
    /// The cycle's number (`gc N`), counting from 1 at process start.
    pub number: u64,
    /// Seconds from process start to the cycle's start (`@N.NNNs`).
    pub started_after_process_start_seconds: f64,
    /// First stop-the-world phase (sweep termination), wall clock.
    pub stw_sweep_termination_ms: f64,
    /// Concurrent mark and scan, wall clock: the phase that shares the CPU with requests.
    pub concurrent_mark_ms: f64,
    /// Second stop-the-world phase (mark termination), wall clock.
    pub stw_mark_termination_ms: f64,
    /// Heap at the start of the cycle, in MB (the trace's unit, 2^20 bytes).
    pub heap_start_mb: u64,
    /// Heap at the end of the cycle, in MB.
    pub heap_end_mb: u64,
    /// Live heap marked by the cycle, in MB.
    pub heap_live_mb: u64,
    /// The heap goal of the cycle, in MB.
    pub heap_goal_mb: u64,
    /// GOMAXPROCS during the cycle (`N P`).
    pub procs: u32,
    /// Started by `runtime.GC()` rather than by the pacer.
    pub forced: bool,
}

impl GcTraceLine {
    /// The cycle's wall-clock length: both pauses and the concurrent phase.
    pub fn duration(&self) -> Duration {
        let total_ms =
            self.stw_sweep_termination_ms + self.concurrent_mark_ms + self.stw_mark_termination_ms;
        Duration::from_secs_f64(total_ms.max(0.0) / 1000.0)
    }

    /// The longer of the two stop-the-world phases, in milliseconds.
    pub fn longest_pause_ms(&self) -> f64 {
        self.stw_sweep_termination_ms
            .max(self.stw_mark_termination_ms)
    }
}

/// A parsed trace line and when it was read: the end of its cycle on the launcher's clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GcTraceCycle {
    /// The cycle.
    pub line: GcTraceLine,
    /// When the line arrived.
    pub ended_at: Instant,
}

impl GcTraceCycle {
    /// When the cycle started: its end less its wall-clock length.
    pub fn started_at(&self) -> Instant {
        self.ended_at
            .checked_sub(self.line.duration())
            .unwrap_or(self.ended_at)
    }
}

/// Parses one gctrace line; `None` for any other line or one whose format has changed.
pub fn parse_gctrace_line(line: &str) -> Option<GcTraceLine> {
    let rest = line.trim().strip_prefix("gc ")?;
    let (number, rest) = rest.split_once(" @")?;
    let (started, rest) = rest.split_once("s ")?;
    let (_, rest) = rest.split_once("%: ")?;
    let (clock, rest) = rest.split_once(" ms clock, ")?;
    let mut phases = clock.split('+').map(|ms| ms.parse::<f64>().ok());
    let (sweep, mark, termination) = (phases.next()??, phases.next()??, phases.next()??);
    if phases.next().is_some() {
        return None;
    }
    let (_, rest) = rest.split_once(" ms cpu, ")?;
    let (heaps, rest) = rest.split_once(" MB, ")?;
    let mut heaps = heaps.split("->").map(|mb| mb.parse::<u64>().ok());
    let (start, end, live) = (heaps.next()??, heaps.next()??, heaps.next()??);
    let (goal, rest) = rest.split_once(" MB goal")?;
    let forced = rest.ends_with(" (forced)");
    let rest = rest.trim_end_matches(" (forced)");
    let procs = rest.strip_suffix(" P")?.rsplit(' ').next()?;
    Some(GcTraceLine {
        number: number.parse().ok()?,
        started_after_process_start_seconds: started.parse().ok()?,
        stw_sweep_termination_ms: sweep,
        concurrent_mark_ms: mark,
        stw_mark_termination_ms: termination,
        heap_start_mb: start,
        heap_end_mb: end,
        heap_live_mb: live,
        heap_goal_mb: goal.parse().ok()?,
        procs: procs.parse().ok()?,
        forced,
    })
}

/// Splits a byte stream into lines and keeps the gctrace ones, stamped on arrival.
#[derive(Debug, Default)]
pub(crate) struct GcTraceCollector {
    partial: Vec<u8>,
    cycles: Vec<GcTraceCycle>,
}

impl GcTraceCollector {
    /// Takes in a chunk of stderr read at `now`.
    pub(crate) fn push(&mut self, chunk: &[u8], now: Instant) {
        self.partial.extend_from_slice(chunk);
        while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            if let Some(line) = parse_gctrace_line(&String::from_utf8_lossy(&line)) {
                self.cycles.push(GcTraceCycle {
                    line,
                    ended_at: now,
                });
            }
        }
    }

    /// Every cycle seen so far.
    pub(crate) fn cycles(&self) -> &[GcTraceCycle] {
        &self.cycles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "gc 3 @0.358s 17%: 0.039+189+0.008 ms clock, 0.039+38/44/0+0.008 ms cpu, \
                        23->25->25 MB, 27 MB goal, 0 MB stacks, 0 MB globals, 1 P";

    #[test]
    fn parses_a_go_1_26_line() {
        let line = parse_gctrace_line(LINE).unwrap();
        assert_eq!(
            line,
            GcTraceLine {
                number: 3,
                started_after_process_start_seconds: 0.358,
                stw_sweep_termination_ms: 0.039,
                concurrent_mark_ms: 189.0,
                stw_mark_termination_ms: 0.008,
                heap_start_mb: 23,
                heap_end_mb: 25,
                heap_live_mb: 25,
                heap_goal_mb: 27,
                procs: 1,
                forced: false,
            }
        );
        assert_eq!(line.duration(), Duration::from_secs_f64(0.189047));
        assert_eq!(line.longest_pause_ms(), 0.039);
    }

    #[test]
    fn parses_older_and_forced_lines() {
        // Before Go 1.19 there were no stacks/globals fields.
        let old = "gc 80 @1195.750s 0%: 0.070+217+0.19 ms clock, 0.070+57/63/59+0.19 ms cpu, \
                   24->24->12 MB, 25 MB goal, 1 P";
        let line = parse_gctrace_line(old).unwrap();
        assert_eq!((line.number, line.procs, line.heap_live_mb), (80, 1, 12));
        let forced = parse_gctrace_line(&format!("{LINE} (forced)\n")).unwrap();
        assert!(forced.forced);
        assert!(!parse_gctrace_line(LINE).unwrap().forced);
    }

    #[test]
    fn other_lines_are_skipped() {
        for line in [
            "",
            "listening on http://127.0.0.1:1",
            "go-server: shutdown: context deadline exceeded",
            "gc 3 @0.358s 17%: 0.039+x+0.008 ms clock, 0 ms cpu, 1->2->3 MB, 4 MB goal, 1 P",
            "gc 3 @0.358s 17%: 0.039+1 ms clock, 0 ms cpu, 1->2->3 MB, 4 MB goal, 1 P",
            "scvg: 0 MB released",
        ] {
            assert_eq!(parse_gctrace_line(line), None, "{line:?}");
        }
    }

    #[test]
    fn collector_joins_chunks_and_stamps_arrival() {
        let mut collector = GcTraceCollector::default();
        let first = Instant::now();
        let later = first + Duration::from_secs(1);
        let text = format!("noise\n{LINE}\n{}", LINE.replace("gc 3", "gc 4"));
        let (a, b) = text.split_at(30);
        collector.push(a.as_bytes(), first);
        assert!(collector.cycles().is_empty());
        collector.push(b.as_bytes(), first);
        assert_eq!(collector.cycles().len(), 1);
        collector.push(b"\n", later);
        let cycles = collector.cycles();
        assert_eq!(cycles.len(), 2);
        assert_eq!((cycles[0].line.number, cycles[0].ended_at), (3, first));
        assert_eq!((cycles[1].line.number, cycles[1].ended_at), (4, later));
        assert_eq!(
            cycles[1].started_at(),
            later - Duration::from_secs_f64(0.189047)
        );
    }
}
