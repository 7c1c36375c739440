//! Which runs a chart shows, and the short line of conditions under its title.

use std::collections::BTreeSet;

use crate::report::collect::{Run, Server, Study};
use crate::report::format;

/// Runs chosen for a chart and where they come from.
pub struct Selection<'a> {
    pub runs: Vec<&'a Run>,
    /// E.g. "C2 runs" or "runs without an experiment label".
    pub source: &'static str,
}

/// The headline comparison: the c2 runs at the level nearest half the maximum (both servers
/// at one constant rate), else the runs of plain `loadgen run` directories, else nothing.
pub fn headline(study: &Study) -> Option<Selection<'_>> {
    if let Some((_, c2)) = study.c2_headline_level() {
        return Some(Selection {
            runs: c2,
            source: "C2 runs at the level nearest half the maximum",
        });
    }
    let plain = study.unlabelled();
    (!plain.is_empty()).then_some(Selection {
        runs: plain,
        source: "plain runs",
    })
}

/// A one-line summary of a set of runs' conditions, for a chart's subtitle: workload, load
/// model and rate, connections, pinning. A condition that differs between the runs says
/// which runs had which value.
pub fn describe(runs: &[&Run]) -> String {
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
        format!(
            "workload {}",
            which(runs, |r| r.result.workload.name.clone())
        ),
        load.join(" and "),
        which(runs, |r| format!("{} conn.", r.result.load.connections)),
        format!(
            "server {}",
            which(runs, |r| format::pinning(
                r.result.target.server_cpus.as_deref()
            ))
        ),
        format!(
            "loadgen {}",
            which(runs, |r| format::pinning(
                r.result.load.loadgen_cpus.as_deref()
            ))
        ),
    ]
    .join(" · ")
}

/// A condition of the runs: its value if all runs share it, else each value followed by
/// the servers that had it, e.g. "on CPU 1 (Go net/http, Rust axum), not pinned (nginx)".
pub fn which(runs: &[&Run], value: impl Fn(&Run) -> String) -> String {
    which_joined(runs, value, ", ")
}

/// [`which`], with the groups joined by `separator` (for text that already uses commas).
pub fn which_joined(runs: &[&Run], value: impl Fn(&Run) -> String, separator: &str) -> String {
    let groups = grouped(runs, value);
    match groups.as_slice() {
        [] => "–".to_string(),
        [(only, _)] => only.clone(),
        _ => groups
            .iter()
            .map(|(v, names)| format!("{v} ({names})"))
            .collect::<Vec<_>>()
            .join(separator),
    }
}

/// The runs grouped by a condition's value: each value, and who had it — the servers, or
/// where one server's runs differ among themselves, the runs by name. In the order of the
/// servers (Go first, as the article names it).
pub fn grouped(runs: &[&Run], value: impl Fn(&Run) -> String) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<&Run>)> = Vec::new();
    for run in runs {
        let v = value(run);
        match groups.iter_mut().find(|(g, _)| *g == v) {
            Some((_, members)) => members.push(run),
            None => groups.push((v, vec![run])),
        }
    }
    let servers_of =
        |members: &[&Run]| -> BTreeSet<Server> { members.iter().map(|r| r.server()).collect() };
    // Servers name the groups when no server is in two of them.
    let named: usize = groups.iter().map(|(_, m)| servers_of(m).len()).sum();
    let by_server = named == servers_of(runs).len();
    groups.sort_by_key(|(_, members)| servers_of(members).into_iter().next());
    groups
        .into_iter()
        .map(|(v, members)| {
            let names: Vec<String> = if by_server {
                servers_of(&members).iter().map(Server::name).collect()
            } else {
                members.iter().map(|r| r.name()).collect()
            };
            (v, names.join(", "))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{RunSpec, run};

    fn c4(server: &'static str, cpus: Option<Vec<usize>>, name: &'static str) -> Run {
        run(RunSpec {
            server,
            labels: &[("experiment", "c4")],
            rate: None,
            server_cpus: cpus.clone(),
            loadgen_cpus: cpus.map(|_| vec![0]),
            dir_name: Some(name),
            ..RunSpec::default()
        })
    }

    #[test]
    fn pinning_shared_by_every_run_is_said_once() {
        let runs = [
            c4("go", Some(vec![1]), "c4-go"),
            c4("rust", Some(vec![1]), "c4-rust"),
            c4("nginx", Some(vec![1]), "c4-nginx"),
        ];
        let refs: Vec<&Run> = runs.iter().collect();
        let text = describe(&refs);
        assert!(
            text.ends_with("server on CPU 1 · loadgen on CPU 0"),
            "{text}"
        );
    }

    #[test]
    fn pinning_that_differs_says_whose_is_whose() {
        let runs = [
            c4("nginx", None, "c4-nginx"),
            c4("go", Some(vec![1]), "c4-go"),
            c4("rust", Some(vec![1]), "c4-rust"),
        ];
        let refs: Vec<&Run> = runs.iter().collect();
        let text = describe(&refs);
        assert!(
            text.contains("server on CPU 1 (Go net/http, Rust axum), not pinned (nginx)"),
            "{text}"
        );
        assert!(
            text.contains("loadgen on CPU 0 (Go net/http, Rust axum), not pinned (nginx)"),
            "{text}"
        );
        assert!(!text.contains("/not pinned"), "{text}");
    }

    #[test]
    fn runs_of_one_server_that_differ_are_named() {
        let runs = [
            c4("go", Some(vec![1]), "c4-go-1"),
            c4("go", None, "c4-go-2"),
            c4("rust", Some(vec![1]), "c4-rust"),
        ];
        let refs: Vec<&Run> = runs.iter().collect();
        assert_eq!(
            which(&refs, |r| format::pinning(
                r.result.target.server_cpus.as_deref()
            )),
            "on CPU 1 (c4-go-1, c4-rust), not pinned (c4-go-2)"
        );
    }
}
