//! Which runs a chart shows, and the short line of conditions under its title.

use std::collections::BTreeSet;

use crate::report::collect::{Run, Study};
use crate::report::format;

/// Runs chosen for a chart and where they come from.
pub struct Selection<'a> {
    pub runs: Vec<&'a Run>,
    /// E.g. "C2 runs" or "runs without an experiment label".
    pub source: &'static str,
}

/// The headline comparison: the c2 runs (both servers at one constant rate), else the runs
/// of plain `loadgen run` directories, else nothing.
pub fn headline(study: &Study) -> Option<Selection<'_>> {
    let c2 = study.experiment("c2");
    if !c2.is_empty() {
        return Some(Selection {
            runs: c2,
            source: "C2 runs",
        });
    }
    let plain = study.unlabelled();
    (!plain.is_empty()).then_some(Selection {
        runs: plain,
        source: "plain runs",
    })
}

/// A one-line summary of a set of runs' conditions, for a chart's subtitle: workload, load
/// model and rate, connections, pinning.
pub fn describe(runs: &[&Run]) -> String {
    let distinct = |f: &dyn Fn(&Run) -> String| {
        let values: BTreeSet<String> = runs.iter().map(|r| f(r)).collect();
        values.into_iter().collect::<Vec<_>>().join("/")
    };
    let rates: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.result.load.rate_per_second)
        .collect();
    let closed = runs.iter().any(|r| r.result.load.rate_per_second.is_none());
    let lowest = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = rates.iter().copied().fold(0.0f64, f64::max);
    let mut load = Vec::new();
    if closed {
        load.push("closed loop".to_string());
    }
    if !rates.is_empty() {
        load.push(if highest > lowest {
            format!(
                "constant rates {}–{}",
                format::thousands(lowest.round() as u64),
                format::rate(highest)
            )
        } else {
            format!("constant rate {}", format::rate(lowest))
        });
    }
    [
        format!("workload {}", distinct(&|r| r.result.workload.name.clone())),
        load.join(" and "),
        format!(
            "{} conn.",
            distinct(&|r| r.result.load.connections.to_string())
        ),
        format!(
            "server on CPU {}",
            distinct(&|r| format::cpus(r.result.target.server_cpus.as_deref()))
        ),
        format!(
            "loadgen on CPU {}",
            distinct(&|r| format::cpus(r.result.load.loadgen_cpus.as_deref()))
        ),
    ]
    .join(" · ")
}

/// [`describe`], and the number of repetitions when the runs are repeated.
pub fn describe_repeated(runs: &[&Run]) -> String {
    let repetitions = runs
        .iter()
        .filter_map(|r| r.label("repetition"))
        .collect::<BTreeSet<_>>()
        .len();
    if repetitions > 1 {
        format!("{} · {repetitions} repetitions", describe(runs))
    } else {
        describe(runs)
    }
}
