//! The human summary on stdout, in wrk2's spirit: the setup, the latency distribution
//! (HdrHistogram percentiles), totals, `Requests/sec:` and errors by kind.

use std::fmt::Write;

use crate::result::{RunResult, WireProtocol};

pub fn render(result: &RunResult, out_dir: &std::path::Path) -> String {
    let mut text = String::new();
    let load = &result.load;
    let figures = &result.figures;
    let _ = writeln!(
        text,
        "Running {:.0}s test @ {} ({}, workload {})",
        load.duration_seconds, result.target.url, result.target.label, result.workload.name
    );
    let mode = match load.rate_per_second {
        Some(rate) => format!(
            "constant rate {rate:.0} req/s, latency from the intended send time (coordinated omission corrected)"
        ),
        None => {
            "closed loop, latency = response time (no coordinated-omission correction)".to_string()
        }
    };
    let protocol = match load.protocol {
        WireProtocol::Http1 if load.pipeline_depth > 1 => {
            format!("HTTP/1.1 pipelined, depth {}", load.pipeline_depth)
        }
        WireProtocol::Http1 => "HTTP/1.1".to_string(),
        WireProtocol::H2c => format!(
            "HTTP/2 (h2c), {} streams per connection",
            load.streams_per_connection
        ),
    };
    let _ = writeln!(
        text,
        "  {} threads and {} connections, {protocol}, {mode}",
        load.loadgen_threads, load.connections
    );
    let ms = |us: u64| format!("{:.3}ms", us as f64 / 1000.0);
    let l = &figures.latency;
    let _ = writeln!(
        text,
        "  Latency Distribution (HdrHistogram - Recorded Latency)"
    );
    for (label, value) in [
        ("50.000%", l.p50_us),
        ("75.000%", l.p75_us),
        ("90.000%", l.p90_us),
        ("99.000%", l.p99_us),
        ("99.900%", l.p99_9_us),
        ("99.990%", l.p99_99_us),
        ("100.000%", l.max_us),
    ] {
        let _ = writeln!(text, " {label:>8} {:>12}", ms(value));
    }
    if load.rate_per_second.is_some() {
        let s = &figures.service_time;
        let _ = writeln!(
            text,
            "  Uncorrected (service time): p50 {}  p99 {}  max {}",
            ms(s.p50_us),
            ms(s.p99_us),
            ms(s.max_us)
        );
        for (label, lag) in [
            ("Send lag behind schedule:", &figures.send_lag),
            ("of which loadgen's own:  ", &figures.loadgen_lag),
        ] {
            let _ = writeln!(
                text,
                "  {label}   p50 {}  p99 {}  p99.9 {}  max {}",
                ms(lag.p50_us),
                ms(lag.p99_us),
                ms(lag.p99_9_us),
                ms(lag.max_us)
            );
        }
        if let Some(schedule) = &figures.schedule {
            let _ = writeln!(
                text,
                "  On schedule: {:.2} % of {} scheduled requests sent within {} of their intended time ({} never sent); loadgen sent {:.2} % within {} of the moment it could; {} held by an earlier response",
                schedule.on_time_share * 100.0,
                schedule.scheduled,
                ms(schedule.on_time_tolerance_us),
                schedule.unsent,
                schedule.loadgen_on_time_share * 100.0,
                ms(schedule.on_time_tolerance_us),
                schedule.held_by_server
            );
        }
    }
    // Two counts, as in wrk2: requests/s is what completed inside the window; the latency
    // above covers every request scheduled in it, however late it was answered.
    let _ = writeln!(
        text,
        "  {:.0} responses in {:.2}s; {} requests scheduled in the window succeeded",
        figures.requests_per_second * figures.measured_seconds,
        figures.measured_seconds,
        figures.requests
    );
    let errors = &result.errors;
    if errors.total() > 0 {
        let mut kinds = Vec::new();
        for (name, count) in [
            ("connect", errors.connect),
            ("timeout", errors.timeout),
            ("closed", errors.closed),
            ("reset", errors.reset),
            ("malformed", errors.malformed),
            ("unsent (scheduled, never sent)", errors.unsent),
        ] {
            if count > 0 {
                kinds.push(format!("{name} {count}"));
            }
        }
        for (status, count) in &errors.status {
            kinds.push(format!("status {status}: {count}"));
        }
        let _ = writeln!(text, "  Errors: {} ({})", errors.total(), kinds.join(", "));
    }
    let _ = writeln!(text, "Requests/sec: {:.2}", figures.requests_per_second);
    if let Some(server) = &result.server {
        let _ = writeln!(
            text,
            "Server: {:.3} CPU-s per 1000 requests, peak RSS {:.1} MB{}",
            server.cpu_seconds_per_1000_requests,
            server.peak_rss_bytes as f64 / 1e6,
            server
                .gc_cycles_in_window
                .map(|n| format!(", {n} GC cycles in the window"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        text,
        "Loadgen: {:.2} µs CPU per request, {:.0} % of its {} core(s), peak RSS {:.1} MB",
        result.loadgen.cpu_us_per_request,
        result.loadgen.cpu_utilisation * 100.0,
        load.loadgen_threads,
        result.loadgen.peak_rss_bytes as f64 / 1e6
    );
    if figures.behind_schedule {
        let reason = figures
            .schedule
            .as_ref()
            .and_then(|s| s.behind_reason.as_deref())
            .unwrap_or("the target rate was not reached");
        let _ = writeln!(text, "WARNING: behind schedule: {reason}.");
    }
    if result.loadgen.bound {
        let _ = writeln!(
            text,
            "WARNING: loadgen-bound: loadgen used {:.0} % of its CPU; it, not the server, may have set the pace (add --threads and --loadgen-cpus).",
            result.loadgen.cpu_utilisation * 100.0
        );
    }
    if !result.complete {
        let _ = writeln!(
            text,
            "WARNING: incomplete run: {}",
            result
                .incomplete_reason
                .as_deref()
                .unwrap_or("stopped early")
        );
    }
    let _ = writeln!(text, "Results: {}", out_dir.display());
    text
}
