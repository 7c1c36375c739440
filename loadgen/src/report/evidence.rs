//! Picks from a study the figures each claim's rule needs, and words the conditions they were
//! measured under. `Err` carries the reason a claim is not testable with these results.

use std::collections::{BTreeMap, BTreeSet};

use crate::report::aggregate::{self, ServerFigures, Spread};
use crate::report::charts::select;
use crate::report::claims::{
    HeapEvidence, IterEvidence, LatencyEvidence, ResourceEvidence, TailEvidence, ThroughputEvidence,
};
use crate::report::collect::{Run, Server, Study};
use crate::report::format::{self, duration_us};

/// A rule's evidence and the conditions it was measured under, or why there is none.
pub type Evidence<T> = Result<(T, String), String>;

pub fn c1(study: &Study) -> Evidence<IterEvidence> {
    let Some(bench) = &study.iterbench else {
        return Err(
            "no iterbench.json was found (written by the benches' iterbench-summary, \
                    run by loadgen reproduce)"
                .into(),
        );
    };
    let default = bench.asm.iter().find(|v| v.is_default());
    let evidence = IterEvidence {
        default_asm_identical: default.map(|v| v.identical),
        default_asm_detail: default.map_or_else(String::new, |v| v.detail.clone()),
        ratios: bench.sizes.iter().map(|s| (s.size, s.ratio())).collect(),
        noise_floor: if bench.control_identical == Some(true) {
            bench
                .sizes
                .iter()
                .filter_map(|s| Some((s.size, (s.control_ratio? - 1.0).abs())))
                .collect()
        } else {
            Vec::new()
        },
    };
    let mut conditions = Vec::new();
    if let (Some(first), Some(last)) = (bench.sizes.first(), bench.sizes.last()) {
        conditions.push(format!(
            "criterion median times at {} sizes, {}–{} elements",
            bench.sizes.len(),
            format::thousands(first.size),
            format::thousands(last.size)
        ));
    }
    if !evidence.noise_floor.is_empty() {
        conditions.push(format!(
            "timing noise floor (sum_fold vs sum_iter, identical code): {}",
            evidence
                .noise_floor
                .iter()
                .map(|(size, noise)| format!(
                    "{:.1} % at {}",
                    noise * 100.0,
                    format::thousands(*size)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for verdict in &bench.asm {
        let benchmarked = if verdict.benchmarked {
            ", the benchmarked build"
        } else {
            ""
        };
        conditions.push(format!(
            "assembly ({}{benchmarked}): {}",
            verdict.setting, verdict.detail
        ));
    }
    for count in &bench.instructions {
        conditions.push(format!(
            "instructions{}: iterator {}, loop {}",
            count
                .size
                .map(|s| format!(" at {} elements", format::thousands(s)))
                .unwrap_or_default(),
            format::thousands(count.iter),
            format::thousands(count.r#loop)
        ));
    }
    if let Some(environment) = &bench.environment {
        conditions.push(environment.clone());
    }
    if let Some(note) = &bench.note {
        conditions.push(format!("note: {note}"));
    }
    if !bench.missing.is_empty() {
        conditions.push(format!("not measured: {}", bench.missing.join(", ")));
    }
    Ok((evidence, conditions.join("; ")))
}

/// Go's and Rust's figures over the c2 runs, or why they cannot be compared.
pub fn c2_figures(study: &Study) -> Result<(ServerFigures, ServerFigures, Vec<&Run>), String> {
    let runs = study.experiment("c2");
    if runs.is_empty() {
        return Err(
            "no c2 runs (both servers at one constant rate, users workload): run \
                    loadgen reproduce"
                .into(),
        );
    }
    let (go, rust) = go_and_rust(aggregate::by_server(runs.iter().copied()), "c2")?;
    if let (Some(go_rate), Some(rust_rate)) = (go.rate_per_second, rust.rate_per_second) {
        if (go_rate.median - rust_rate.median).abs() > 0.01 * rust_rate.median {
            return Err(format!(
                "Go and Rust were measured at different rates ({} and {}): not the same load",
                format::rate(go_rate.median),
                format::rate(rust_rate.median)
            ));
        }
    }
    Ok((go, rust, runs))
}

pub fn c2(study: &Study) -> Evidence<TailEvidence> {
    let (go, rust, runs) = c2_figures(study)?;
    let latency = |f: &ServerFigures| LatencyEvidence {
        p50_us: f.p50_us,
        p99_us: f.p99_us,
        p99_9_us: f.p99_9_us,
    };
    let spread = |f: &ServerFigures| {
        format!(
            "{} {}–{} over {} run{}",
            f.server.name(),
            duration_us(f.p99_9_us.min),
            duration_us(f.p99_9_us.max),
            f.runs,
            if f.runs == 1 { "" } else { "s" }
        )
    };
    let conditions = format!(
        "{}; p99.9 range: {}, {}{}",
        load_conditions(&runs),
        spread(&go),
        spread(&rust),
        exclusions(&[&go, &rust])
    );
    Ok((
        TailEvidence {
            go: latency(&go),
            rust: latency(&rust),
        },
        conditions,
    ))
}

pub fn c3(study: &Study) -> Evidence<HeapEvidence> {
    let runs = study.experiment("heap");
    if runs.is_empty() {
        return Err(
            "no heap runs (read-states workload at several live-heap sizes): run \
                    loadgen reproduce"
                .into(),
        );
    }
    let (points, left_out) = p99_9_by_heap(&runs);
    let series = |server: &Server| {
        points
            .iter()
            .filter(|((s, _), _)| s == server)
            .map(|((_, heap), spread)| (*heap, spread.median))
            .collect::<Vec<_>>()
    };
    let (go, rust) = (series(&Server::Go), series(&Server::Rust));
    if go.is_empty() || rust.is_empty() {
        return Err(format!(
            "heap runs were found for {} only",
            if go.is_empty() { "Rust" } else { "Go" }
        ));
    }
    let heaps: BTreeSet<u64> = runs.iter().map(|r| r.read_states()).collect();
    let mut conditions = format!(
        "{}; live heaps of {} read-state entries",
        load_conditions(&runs),
        heaps
            .iter()
            .map(|h| format::count_short(*h as f64))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !left_out.is_empty() {
        conditions.push_str(&format!(
            "; left out, every run incomplete or behind schedule: {}",
            left_out.join(", ")
        ));
    }
    Ok((HeapEvidence { go, rust }, conditions))
}

/// p99.9 (µs) by (server, read-state entries), medians over usable runs. A heap size at
/// which every run of a server was incomplete or behind schedule is left out (its latency is
/// not at the stated load) and named in the second value, e.g. "Go net/http at 4M".
pub fn p99_9_by_heap(runs: &[&Run]) -> (BTreeMap<(Server, u64), Spread>, Vec<String>) {
    let mut groups: BTreeMap<(Server, u64), Vec<&Run>> = BTreeMap::new();
    for run in runs {
        groups
            .entry((run.server(), run.read_states()))
            .or_default()
            .push(run);
    }
    let mut left_out = Vec::new();
    let mut points = BTreeMap::new();
    for ((server, heap), runs) in groups {
        let Some(f) = aggregate::by_server(runs.iter().copied())
            .into_values()
            .next()
        else {
            continue;
        };
        if f.excluded == f.runs {
            left_out.push(format!(
                "{} at {}",
                server.name(),
                format::count_short(heap as f64)
            ));
        } else {
            points.insert((server, heap), f.p99_9_us);
        }
    }
    (points, left_out)
}

pub fn c4(study: &Study) -> Evidence<ThroughputEvidence> {
    let runs = study.experiment("c4");
    let figures = aggregate::by_server(runs.iter().copied());
    let Some(axum) = figures.get(&Server::Rust) else {
        return Err("no c4 run of axum (plaintext, closed loop): run loadgen reproduce".into());
    };
    let nginx_runs: Vec<&Run> = runs
        .iter()
        .copied()
        .filter(|r| r.server() == Server::Nginx)
        .collect();
    let nginx_utilisation = Spread::of(
        nginx_runs
            .iter()
            .filter_map(|r| aggregate::loadgen_utilisation(r)),
    );
    let rust_run = runs.iter().find(|r| r.server() == Server::Rust);
    let server_cores = rust_run.and_then(|r| {
        r.result
            .target
            .server_cpus
            .as_ref()
            .map(Vec::len)
            .filter(|n| *n > 0)
    });
    let nginx_missing = if study.nginx_skipped.is_empty() {
        None
    } else {
        Some(study.nginx_skipped.join(" "))
    };
    let utilisation = runs
        .iter()
        .filter_map(|r| {
            aggregate::loadgen_utilisation(r)
                .map(|u| format!("{} {:.0} %", r.server().name(), u * 100.0))
        })
        .collect::<Vec<_>>();
    let mut conditions = load_conditions(&runs);
    if !utilisation.is_empty() {
        conditions.push_str(&format!(
            "; load generator CPU use: {}",
            utilisation.join(", ")
        ));
    }
    Ok((
        ThroughputEvidence {
            axum_rps: axum.requests_per_second.median,
            go_rps: figures
                .get(&Server::Go)
                .map(|f| f.requests_per_second.median),
            nginx_rps: figures
                .get(&Server::Nginx)
                .map(|f| f.requests_per_second.median),
            nginx_missing,
            nginx_loadgen_utilisation: nginx_utilisation.map(|s| s.median),
            server_cores,
        },
        conditions,
    ))
}

pub fn c5(study: &Study) -> Evidence<ResourceEvidence> {
    let (go, rust, runs) = c2_figures(study)?;
    let need = |f: &ServerFigures| -> Result<(f64, f64), String> {
        match (f.cpu_seconds_per_1000_requests, f.peak_rss_bytes) {
            (Some(cpu), Some(rss)) => Ok((cpu.median, rss.median)),
            _ => Err(format!(
                "the {} runs have no server CPU and memory figures (an external server is not \
                 measured)",
                f.server.name()
            )),
        }
    };
    let (go_cpu, go_rss) = need(&go)?;
    let (rust_cpu, rust_rss) = need(&rust)?;
    let conditions = format!(
        "an analogue, not Pingora: the two reference servers (not proxies) at the same load; \
         {}; peak RSS includes the start-up data{}",
        load_conditions(&runs),
        exclusions(&[&go, &rust])
    );
    Ok((
        ResourceEvidence {
            go_cpu_seconds_per_1000: go_cpu,
            rust_cpu_seconds_per_1000: rust_cpu,
            go_peak_rss_bytes: go_rss,
            rust_peak_rss_bytes: rust_rss,
        },
        conditions,
    ))
}

fn go_and_rust(
    mut figures: BTreeMap<Server, ServerFigures>,
    experiment: &str,
) -> Result<(ServerFigures, ServerFigures), String> {
    let go = figures.remove(&Server::Go);
    let rust = figures.remove(&Server::Rust);
    let (go, rust) = match (go, rust) {
        (Some(go), Some(rust)) => (go, rust),
        (None, _) => return Err(format!("no {experiment} run of the Go server")),
        (_, None) => return Err(format!("no {experiment} run of the Rust server")),
    };
    for f in [&go, &rust] {
        if f.excluded == f.runs {
            return Err(format!(
                "every {experiment} run of {} was incomplete or behind schedule: the rate was \
                 not held, so its latency is not at the stated load",
                f.server.name()
            ));
        }
    }
    Ok((go, rust))
}

fn exclusions(figures: &[&ServerFigures]) -> String {
    let left_out: Vec<String> = figures
        .iter()
        .filter(|f| f.excluded > 0)
        .map(|f| format!("{} of {}", f.excluded, f.server.name()))
        .collect();
    if left_out.is_empty() {
        String::new()
    } else {
        format!(
            "; left out (incomplete or behind schedule): {}",
            left_out.join(", ")
        )
    }
}

/// The load and pinning of a set of runs, in a few words; differing values are listed.
pub fn load_conditions(runs: &[&Run]) -> String {
    let distinct = |f: &dyn Fn(&Run) -> String| {
        let values: BTreeSet<String> = runs.iter().map(|r| f(r)).collect();
        values.into_iter().collect::<Vec<_>>().join(" / ")
    };
    let repetitions = runs
        .iter()
        .filter_map(|r| r.label("repetition"))
        .collect::<BTreeSet<_>>();
    let mut parts = vec![
        distinct(&|r| match r.result.load.rate_per_second {
            Some(rate) => format!(
                "constant rate {} (latency from the intended send time)",
                format::rate(rate)
            ),
            None => "closed loop (latency = response time)".into(),
        }),
        format!("workload {}", distinct(&|r| r.result.workload.name.clone())),
        format!(
            "{} connections",
            distinct(&|r| r.result.load.connections.to_string())
        ),
        format!(
            "{:.0} s measured",
            runs.iter()
                .map(|r| r.result.figures.measured_seconds)
                .fold(f64::INFINITY, f64::min)
        ),
        // Pinning that differs between the runs says whose is whose, not "1 / not pinned".
        format!(
            "servers {}",
            select::which_joined(
                runs,
                |r| format::pinning(r.result.target.server_cpus.as_deref()),
                " / "
            )
        ),
        select::which_joined(runs, |r| format::server_threads(&r.result.target), " / "),
        format!(
            "load generator {}",
            select::which_joined(
                runs,
                |r| format::pinning(r.result.load.loadgen_cpus.as_deref()),
                " / "
            )
        ),
    ];
    if repetitions.len() > 1 {
        parts.push(format!("{} repetitions, interleaved", repetitions.len()));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use crate::report::claims::{Verdict, assess};
    use crate::report::collect::Study;
    use crate::report::fixtures::{RunSpec, run};

    fn c2_study(go_us: [u64; 3], rust_us: [u64; 3]) -> Study {
        let mut runs = Vec::new();
        for repetition in ["1", "2", "3"] {
            for (server, latency_us) in [("go", go_us), ("rust", rust_us)] {
                runs.push(run(RunSpec {
                    server,
                    labels: &[("experiment", "c2"), ("repetition", repetition)],
                    latency_us,
                    cpu_per_1000: if server == "go" { 0.04 } else { 0.01 },
                    peak_rss_bytes: if server == "go" { 100 << 20 } else { 30 << 20 },
                    ..RunSpec::default()
                }));
            }
        }
        Study {
            runs,
            ..Study::default()
        }
    }

    fn verdict(study: &Study, id: &str) -> (Verdict, String) {
        let claim = assess(study).into_iter().find(|c| c.id == id).unwrap();
        (
            claim.verdict,
            format!(
                "{} | {} | {}",
                claim.measured, claim.reason, claim.conditions
            ),
        )
    }

    #[test]
    fn verdicts_come_from_the_runs_on_disk() {
        let go_worse = c2_study([2_000, 15_000, 200_000], [1_000, 3_000, 5_000]);
        let rust_worse = c2_study([1_000, 3_000, 5_000], [2_000, 15_000, 200_000]);
        assert_eq!(verdict(&go_worse, "C2").0, Verdict::Reproduced);
        assert_eq!(verdict(&rust_worse, "C2").0, Verdict::NotReproduced);
        assert_eq!(verdict(&go_worse, "C5").0, Verdict::Reproduced);
        // No iterbench, heap or c4 runs: those claims say so.
        for id in ["C1", "C3", "C4"] {
            assert_eq!(verdict(&go_worse, id).0, Verdict::NotTestable, "{id}");
        }
        assert_eq!(assess(&go_worse).len(), 5);
    }

    #[test]
    fn runs_behind_schedule_are_left_out_and_said_to_be() {
        let mut study = c2_study([2_000, 15_000, 200_000], [1_000, 3_000, 5_000]);
        // One Go run fell behind with a huge tail: left out, the verdict stands on the rest.
        study.runs.push(run(RunSpec {
            server: "go",
            labels: &[("experiment", "c2"), ("repetition", "4")],
            latency_us: [900_000, 1_900_000, 2_000_000],
            behind_schedule: true,
            ..RunSpec::default()
        }));
        let (v, text) = verdict(&study, "C2");
        assert_eq!(v, Verdict::Reproduced);
        assert!(
            text.contains("left out (incomplete or behind schedule): 1 of Go net/http"),
            "{text}"
        );
        // When every Go run fell behind, there is no latency at the stated load.
        for r in study
            .runs
            .iter_mut()
            .filter(|r| r.result.target.kind == "go")
        {
            r.result.figures.behind_schedule = true;
        }
        let (v, text) = verdict(&study, "C2");
        assert_eq!(v, Verdict::NotTestable);
        assert!(text.contains("behind schedule"), "{text}");
    }

    #[test]
    fn different_rates_are_not_the_same_load() {
        let mut study = c2_study([2_000, 15_000, 200_000], [1_000, 3_000, 5_000]);
        for r in study
            .runs
            .iter_mut()
            .filter(|r| r.result.target.kind == "go")
        {
            r.result.load.rate_per_second = Some(500.0);
        }
        let (v, text) = verdict(&study, "C2");
        assert_eq!(v, Verdict::NotTestable);
        assert!(text.contains("different rates"), "{text}");
    }

    #[test]
    fn heap_sizes_whose_runs_fell_behind_are_left_out() {
        let heap = |server: &'static str, entries: &'static str, p999: u64, behind: bool| {
            run(RunSpec {
                server,
                labels: &[("experiment", "heap"), ("read_states", entries)],
                latency_us: [500, 1_000, p999],
                behind_schedule: behind,
                ..RunSpec::default()
            })
        };
        let study = Study {
            runs: vec![
                heap("go", "100000", 2_000, false),
                heap("rust", "100000", 1_000, false),
                heap("go", "4000000", 900_000, true),
                heap("rust", "4000000", 1_100, false),
            ],
            ..Study::default()
        };
        let (v, text) = verdict(&study, "C3");
        // Judged at 100k, the largest heap both servers held to schedule: 2×.
        assert_eq!(v, Verdict::PartlyReproduced, "{text}");
        assert!(text.contains("Go net/http at 4M"), "{text}");
    }

    #[test]
    fn c4_without_nginx_quotes_why() {
        let study = Study {
            runs: vec![run(RunSpec {
                server: "rust",
                labels: &[("experiment", "c4")],
                rate: None,
                requests_per_second: 120_000.0,
                ..RunSpec::default()
            })],
            nginx_skipped: vec!["nginx: command not found".into()],
            ..Study::default()
        };
        let (v, text) = verdict(&study, "C4");
        assert_eq!(v, Verdict::NotTestable);
        assert!(
            text.contains("120,000 req/s") && text.contains("command not found"),
            "{text}"
        );
    }
}
