//! Picks from a study the figures each claim's rule needs, and words the conditions they were
//! measured under. `Err` carries the reason a claim is not testable with these results.
//!
//! The evidence types live here and `claims.rs` reads them: the arrow goes one way (claims
//! use evidence, evidence knows nothing of verdicts).

use std::collections::{BTreeMap, BTreeSet};

use crate::report::aggregate::{self, ServerFigures};
use crate::report::bootstrap::{self, RatioInterval};
use crate::report::collect::{Run, Server, Study};
use crate::report::format;
use crate::report::iterbench::SizeTiming;
use crate::report::select;

/// A rule's evidence and the conditions it was measured under, or why there is none.
pub type Evidence<T> = Result<(T, String), String>;

/// Above this share of its CPU the load generator, not the server, set the pace.
pub use crate::keeping_up::LOADGEN_BOUND;

// ---- the evidence each claim is judged on ----

/// C1: the assembly finding and the iter/loop timing by size.
#[derive(Debug, Clone, PartialEq)]
pub struct IterEvidence {
    /// asm-check of sum_iter against sum_loop in the default release build.
    pub default_asm_identical: Option<bool>,
    /// The comparison's own words for the default setting.
    pub default_asm_detail: String,
    /// The hot loops in the default setting, if asm-check reported them.
    pub default_hot_loops: Option<crate::report::iterbench::HotLoops>,
    pub sizes: Vec<SizeEvidence>,
    /// Whether the A/A pair (two copies of the loop) compiled to the same machine code;
    /// None when it was not compared.
    pub aa_identical: Option<bool>,
}

/// C1 at one input size.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeEvidence {
    pub size: u64,
    /// Iterator time / loop time, with the interval both criterion intervals allow.
    pub ratio: RatioInterval,
    /// The A/A pair's largest deviation from 1 that its criterion intervals allow, if measured.
    pub aa_noise: Option<f64>,
}

/// C2 at one load level: both servers at the same absolute rate.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelEvidence {
    /// Fraction of the lower as-shipped closed-loop maximum on Users.
    pub fraction: f64,
    pub rate_per_second: f64,
    /// Go/Rust p99.9 and p99 over repetitions; None when a side has no usable run.
    pub p99_9: Option<RatioInterval>,
    pub p99: Option<RatioInterval>,
    /// Medians (µs) of p50, p99 and p99.9 per server.
    pub go_us: [f64; 3],
    pub rust_us: [f64; 3],
    /// Why this level is left out of the verdict, if it is.
    pub left_out: Option<String>,
}

/// C2: the Users API over load levels.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveEvidence {
    pub levels: Vec<LevelEvidence>,
}

/// C3: Go/Rust p99.9 at the largest heap measured for both, and how each grew with the heap.
#[derive(Debug, Clone, PartialEq)]
pub struct HeapEvidence {
    pub largest: u64,
    pub p99_9: RatioInterval,
    pub go_us: f64,
    pub rust_us: f64,
    /// p99.9 at the largest heap over p99.9 at the smallest, per server (medians).
    pub go_growth: Option<f64>,
    pub rust_growth: Option<f64>,
}

/// C4: plaintext throughput, closed loop.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputEvidence {
    pub axum_rps: f64,
    pub go_rps: Option<f64>,
    pub nginx_rps: Option<f64>,
    /// axum / nginx requests per second over repetitions.
    pub axum_over_nginx: Option<RatioInterval>,
    /// Why there is no nginx figure, if there is none.
    pub nginx_missing: Option<String>,
    /// Loadgen's CPU use (fraction of its cores, median) during the nginx runs.
    pub nginx_loadgen_utilisation: Option<f64>,
    /// Cores the servers were pinned to, for the wording.
    pub server_cores: Option<usize>,
}

/// C5: one side's resources over the other's at one rate: nginx over Pingora (the proxies,
/// as the article means it) or Go over Rust (the analogue, the C2 runs at the level nearest
/// half the maximum). The article's side that uses more is the numerator.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceEvidence {
    /// The numerator's and the denominator's names in sentences ("nginx", "Pingora").
    pub names: [String; 2],
    /// Numerator/denominator server CPU seconds per 1,000 requests.
    pub cpu: RatioInterval,
    /// Numerator/denominator peak RSS.
    pub rss: RatioInterval,
    /// Medians: CPU seconds per 1,000 requests and peak RSS, numerator then denominator.
    pub cpu_seconds_per_1000: [f64; 2],
    pub peak_rss_bytes: [f64; 2],
}

// ---- picking it ----

/// One value per usable run of `server`, in run order.
fn values(runs: &[&Run], server: &Server, pick: impl Fn(&Run) -> Option<f64>) -> Vec<f64> {
    runs.iter()
        .filter(|r| &r.server() == server && r.is_usable())
        .filter_map(|r| pick(r))
        .collect()
}

fn go_over_rust(runs: &[&Run], pick: impl Fn(&Run) -> Option<f64> + Copy) -> Option<RatioInterval> {
    bootstrap::ratio_of_medians(
        &values(runs, &Server::Go, pick),
        &values(runs, &Server::Rust, pick),
    )
}

fn p99_9(run: &Run) -> Option<f64> {
    Some(run.result.figures.latency.p99_9_us as f64)
}

fn p99(run: &Run) -> Option<f64> {
    Some(run.result.figures.latency.p99_us as f64)
}

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
        default_hot_loops: default.and_then(|v| v.hot_loops.clone()),
        sizes: bench.sizes.iter().map(size_evidence).collect(),
        aa_identical: bench.aa_identical,
    };
    let mut conditions = Vec::new();
    if let (Some(first), Some(last)) = (bench.sizes.first(), bench.sizes.last()) {
        conditions.push(format!(
            "criterion median times at {} sizes, {}–{} elements; intervals: criterion's 95 % \
             intervals of both medians, combined",
            bench.sizes.len(),
            format::thousands(first.size),
            format::thousands(last.size)
        ));
    }
    let noise: Vec<String> = evidence
        .sizes
        .iter()
        .filter_map(|s| {
            Some(format!(
                "{:.1} % at {}",
                s.aa_noise? * 100.0,
                format::thousands(s.size)
            ))
        })
        .collect();
    if !noise.is_empty() {
        conditions.push(format!(
            "A/A noise (two copies of the loop, {}): {}",
            match bench.aa_identical {
                Some(true) => "the same machine code",
                Some(false) => "NOT the same machine code",
                None => "machine code not compared",
            },
            noise.join(", ")
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

/// One size's ratio with the interval both criterion intervals allow (the point ratio when
/// they are missing), and the A/A pair's noise: the farthest from 1 its interval reaches.
fn size_evidence(size: &SizeTiming) -> SizeEvidence {
    let point = size.ratio();
    let (low, high) = size.ratio_bounds.unwrap_or((point, point));
    SizeEvidence {
        size: size.size,
        ratio: RatioInterval::from_estimator(point, low, high),
        aa_noise: size
            .aa_bounds
            .map(|(low, high)| (1.0 - low).max(high - 1.0).max(0.0)),
    }
}

pub fn c2(study: &Study) -> Evidence<CurveEvidence> {
    let levels = study.c2_levels();
    if levels.is_empty() {
        return Err(
            "no c2 runs (both servers at the same constant rates, users workload): run \
             loadgen reproduce"
                .into(),
        );
    }
    let mut evidence = Vec::new();
    let mut all_runs = Vec::new();
    for (fraction, runs) in &levels {
        all_runs.extend(runs.iter().copied());
        let figures = aggregate::by_server(runs.iter().copied());
        let medians = |server: &Server| {
            figures.get(server).map_or([f64::NAN; 3], |f| {
                [f.p50_us.median, f.p99_us.median, f.p99_9_us.median]
            })
        };
        let left_out = match go_and_rust(figures.clone(), "c2") {
            Err(reason) => Some(reason),
            Ok((go, rust)) => same_rate(&go, &rust).err(),
        };
        evidence.push(LevelEvidence {
            fraction: *fraction,
            rate_per_second: runs
                .iter()
                .filter_map(|r| r.result.load.rate_per_second)
                .next()
                .unwrap_or(f64::NAN),
            p99_9: go_over_rust(runs, p99_9),
            p99: go_over_rust(runs, p99),
            go_us: medians(&Server::Go),
            rust_us: medians(&Server::Rust),
            left_out,
        });
    }
    let figures = aggregate::by_server(all_runs.iter().copied());
    let excluded: Vec<&ServerFigures> = figures.values().collect();
    let conditions = format!(
        "{}; {} load levels{}{}",
        load_conditions(&all_runs),
        levels.len(),
        exclusions(&excluded),
        one_core_caveat(&all_runs)
    );
    Ok((CurveEvidence { levels: evidence }, conditions))
}

/// The same absolute rate for both servers, or why not.
fn same_rate(a: &ServerFigures, b: &ServerFigures) -> Result<(), String> {
    if let (Some(a_rate), Some(b_rate)) = (a.rate_per_second, b.rate_per_second) {
        if (a_rate.median - b_rate.median).abs() > 0.01 * b_rate.median {
            return Err(format!(
                "{} and {} were measured at different rates ({} and {}): not the same load",
                a.server.name(),
                b.server.name(),
                format::rate(a_rate.median),
                format::rate(b_rate.median)
            ));
        }
    }
    Ok(())
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
    let heaps_of = |server: &Server| {
        points
            .keys()
            .filter(|(s, _)| s == server)
            .map(|(_, heap)| *heap)
            .collect::<BTreeSet<u64>>()
    };
    let (go_heaps, rust_heaps) = (heaps_of(&Server::Go), heaps_of(&Server::Rust));
    let Some(largest) = go_heaps.intersection(&rust_heaps).max().copied() else {
        return Err("no heap size was measured for both Go and Rust".into());
    };
    let at_largest: Vec<&Run> = runs
        .iter()
        .copied()
        .filter(|r| r.read_states() == largest)
        .collect();
    let Some(ratio) = go_over_rust(&at_largest, p99_9) else {
        return Err(format!(
            "no usable run of both servers at {} entries",
            format::thousands(largest)
        ));
    };
    let median_at = |server: &Server, heap: u64| {
        points
            .get(&(server.clone(), heap))
            .map_or(f64::NAN, |s| s.median)
    };
    let growth = |server: &Server, heaps: &BTreeSet<u64>| {
        let smallest = *heaps.iter().next()?;
        (largest > smallest).then(|| median_at(server, largest) / median_at(server, smallest))
    };
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
    conditions.push_str(&one_core_caveat(&runs));
    Ok((
        HeapEvidence {
            largest,
            p99_9: ratio,
            go_us: median_at(&Server::Go, largest),
            rust_us: median_at(&Server::Rust, largest),
            go_growth: growth(&Server::Go, &go_heaps),
            rust_growth: growth(&Server::Rust, &rust_heaps),
        },
        conditions,
    ))
}

/// p99.9 (µs) by (server, read-state entries), medians over usable runs. A heap size at
/// which every run of a server was incomplete or behind schedule is left out (its latency is
/// not at the stated load) and named in the second value, e.g. "Go net/http at 4M".
pub fn p99_9_by_heap(
    runs: &[&Run],
) -> (
    BTreeMap<(Server, u64), crate::report::aggregate::Spread>,
    Vec<String>,
) {
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

/// C4 at one pipeline depth: the runs of `c4_experiment(depth)`.
pub fn c4(study: &Study, depth: usize) -> Evidence<ThroughputEvidence> {
    let experiment = crate::experiments::c4_experiment(depth);
    let runs = study.experiment(experiment);
    let figures = aggregate::by_server(runs.iter().copied());
    let Some(axum) = figures.get(&Server::Rust) else {
        return Err(format!(
            "no {experiment} run of axum (plaintext, closed loop, pipeline depth {depth}): run \
             loadgen reproduce (the unpipelined row needs the default study, not --quick)"
        ));
    };
    let nginx_runs: Vec<&Run> = runs
        .iter()
        .copied()
        .filter(|r| r.server() == Server::Nginx)
        .collect();
    let nginx_utilisation = aggregate::Spread::of(
        nginx_runs
            .iter()
            .filter_map(|r| aggregate::loadgen_utilisation(r)),
    );
    let rps = |r: &Run| Some(r.result.figures.requests_per_second);
    let axum_over_nginx = bootstrap::ratio_of_medians(
        &values(&runs, &Server::Rust, rps),
        &values(&runs, &Server::Nginx, rps),
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
    let mut utilisation: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in &runs {
        if let Some(u) = aggregate::loadgen_utilisation(run) {
            utilisation.entry(run.server().name()).or_default().push(u);
        }
    }
    let utilisation = utilisation
        .iter()
        .filter_map(|(name, us)| {
            let s = aggregate::Spread::of(us.iter().copied())?;
            Some(format!("{name} {:.0} %", s.median * 100.0))
        })
        .collect::<Vec<_>>();
    let mut conditions = load_conditions(&runs);
    if !utilisation.is_empty() {
        conditions.push_str(&format!(
            "; load generator CPU use (median): {}",
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
            axum_over_nginx,
            nginx_missing,
            nginx_loadgen_utilisation: nginx_utilisation.map(|s| s.median),
            server_cores,
        },
        conditions,
    ))
}

pub fn c5(study: &Study) -> Evidence<ResourceEvidence> {
    let Some((fraction, runs)) = study.c2_headline_level() else {
        return Err(
            "no c2 runs (both servers at the same constant rates, users workload): run \
             loadgen reproduce"
                .into(),
        );
    };
    let (evidence, figures) = resources(&runs, [Server::Go, Server::Rust], "c2")?;
    let conditions = format!(
        "an analogue, not Pingora: the two reference servers (not proxies) at the same load, \
         the C2 level at {:.0} % of the lower maximum; {}{}",
        fraction * 100.0,
        load_conditions(&runs),
        exclusions(&[&figures[0], &figures[1]])
    );
    Ok((evidence, conditions))
}

/// C5 as the article means it: nginx over Pingora, both reverse proxies to the same upstream,
/// at the rate nearest half the lower closed-loop maximum through them (docs/RULES.md, C5).
pub fn c5_proxy(study: &Study) -> Evidence<ResourceEvidence> {
    let experiment = crate::experiments::C5_PROXY_EXPERIMENT;
    let Some((fraction, runs)) = study.headline_level(experiment) else {
        let why = if study.nginx_skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", study.nginx_skipped.join(" "))
        };
        return Err(format!(
            "no {experiment} runs (Pingora and nginx as reverse proxies at the same constant \
             rates): run loadgen reproduce without --quick{why}"
        ));
    };
    let (evidence, figures) = resources(&runs, [Server::Nginx, Server::Pingora], experiment)?;
    let mut conditions = format!(
        "Pingora ({}) and {} as reverse proxies to rust-server over HTTP/1.1 with pooled \
         upstream connections, at {:.0} % of the lower closed-loop maximum through them; {}; \
         placement: {}; server CPU and peak RSS summed over each proxy's processes (nginx: \
         master and workers, whose shared pages count once per process)",
        version_of(&runs, &Server::Pingora),
        version_of(&runs, &Server::Nginx),
        fraction * 100.0,
        load_conditions(&runs),
        select::which_joined(
            &runs,
            |r| r.label("placement").unwrap_or("?").to_string(),
            " / "
        ),
    );
    conditions.push_str(&exclusions(&[&figures[0], &figures[1]]));
    for (other, other_runs) in study.levels(experiment) {
        if other == fraction {
            continue;
        }
        if let Ok((e, _)) = resources(&other_runs, [Server::Nginx, Server::Pingora], experiment) {
            conditions.push_str(&format!(
                "; shown, not judged: at {:.0} % nginx/Pingora CPU {} and peak RSS {}",
                other * 100.0,
                crate::report::format::ratio(e.cpu.ratio),
                crate::report::format::ratio(e.rss.ratio)
            ));
        }
    }
    Ok((evidence, conditions))
}

/// The `server_version` label of a server's runs ("nginx/1.22.1", "pingora 0.8.0").
fn version_of(runs: &[&Run], server: &Server) -> String {
    runs.iter()
        .find(|r| &r.server() == server)
        .and_then(|r| r.label("server_version"))
        .map_or_else(|| server.name(), str::to_string)
}

/// `top` over `bottom` in server CPU per request and peak RSS, over the usable runs at one
/// rate, with both sides' figures (for the exclusions).
fn resources(
    runs: &[&Run],
    [top, bottom]: [Server; 2],
    experiment: &str,
) -> Result<(ResourceEvidence, [ServerFigures; 2]), String> {
    let (top_figures, bottom_figures) = pair(
        aggregate::by_server(runs.iter().copied()),
        (&top, &bottom),
        experiment,
    )?;
    same_rate(&top_figures, &bottom_figures)?;
    let need = |f: &ServerFigures| -> Result<(f64, f64), String> {
        match (f.cpu_seconds_per_1000_requests, f.peak_rss_bytes) {
            (Some(cpu), Some(rss)) => Ok((cpu.median, rss.median)),
            _ => Err(format!(
                "the {} runs have no server CPU and memory figures (an external server is \
                 measured only when loadgen started it)",
                f.server.name()
            )),
        }
    };
    let (top_cpu, top_rss) = need(&top_figures)?;
    let (bottom_cpu, bottom_rss) = need(&bottom_figures)?;
    let cpu = |r: &Run| {
        r.result
            .server
            .as_ref()
            .map(|s| s.cpu_seconds_per_1000_requests)
    };
    let rss = |r: &Run| r.result.server.as_ref().map(|s| s.peak_rss_bytes as f64);
    let ratio = |pick: &dyn Fn(&Run) -> Option<f64>| {
        bootstrap::ratio_of_medians(&values(runs, &top, pick), &values(runs, &bottom, pick))
    };
    let (Some(cpu), Some(rss)) = (ratio(&cpu), ratio(&rss)) else {
        return Err(format!(
            "the {experiment} runs have no server CPU or memory above zero"
        ));
    };
    Ok((
        ResourceEvidence {
            names: [short_name(&top), short_name(&bottom)],
            cpu,
            rss,
            cpu_seconds_per_1000: [top_cpu, bottom_cpu],
            peak_rss_bytes: [top_rss, bottom_rss],
        },
        [top_figures, bottom_figures],
    ))
}

/// A server's name in a ratio: "Go", "Rust", "nginx", "Pingora".
fn short_name(server: &Server) -> String {
    match server {
        Server::Go => "Go".into(),
        Server::Rust => "Rust".into(),
        other => other.name(),
    }
}

fn go_and_rust(
    figures: BTreeMap<Server, ServerFigures>,
    experiment: &str,
) -> Result<(ServerFigures, ServerFigures), String> {
    pair(figures, (&Server::Go, &Server::Rust), experiment)
}

/// The figures of two servers that both have usable runs of `experiment`, or why not.
fn pair(
    mut figures: BTreeMap<Server, ServerFigures>,
    (first, second): (&Server, &Server),
    experiment: &str,
) -> Result<(ServerFigures, ServerFigures), String> {
    let (a, b) = match (figures.remove(first), figures.remove(second)) {
        (Some(a), Some(b)) => (a, b),
        (None, _) => return Err(format!("no {experiment} run of {}", first.name())),
        (_, None) => return Err(format!("no {experiment} run of {}", second.name())),
    };
    for f in [&a, &b] {
        if f.excluded == f.runs {
            return Err(format!(
                "every {experiment} run of {} was incomplete, behind schedule, or had a tail \
                 partly loadgen's own (docs/RULES.md): none measured the server's latency at \
                 the stated load",
                f.server.name()
            ));
        }
    }
    Ok((a, b))
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

/// Beside every GC verdict on one server core: the design's caveat (DESIGN.md, "Cores").
fn one_core_caveat(runs: &[&Run]) -> String {
    let one_core = !runs.is_empty()
        && runs.iter().all(|r| {
            r.result
                .target
                .server_cpus
                .as_ref()
                .is_some_and(|c| c.len() == 1)
        });
    if one_core {
        "; one server core: the worst case for Go's concurrent collector, whose mark workers \
         share that core with the requests"
            .to_string()
    } else {
        String::new()
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
            "servers {}",
            distinct(&|r| r
                .result
                .target
                .setup
                .as_ref()
                .map_or_else(|| r.variant().to_string(), |s| s.description.clone()))
        ),
        format!(
            "prefill {}",
            distinct(&|r| match r.result.target.read_states {
                0 => "none".to_string(),
                n => format!("{} read states", format::count_short(n as f64)),
            })
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
    //! Synthetic runs only (fixtures), never a measured run's numbers.

    use crate::report::claims::{Verdict, assess};
    use crate::report::collect::Study;
    use crate::report::fixtures::{RunSpec, run};

    const REPETITIONS: [&str; 5] = ["1", "2", "3", "4", "5"];

    /// Both servers at one level, five repetitions each, with a little spread.
    fn c2_runs(
        fraction: &'static str,
        go_us: [u64; 3],
        rust_us: [u64; 3],
    ) -> Vec<crate::report::collect::Run> {
        let mut runs = Vec::new();
        for (i, repetition) in REPETITIONS.iter().enumerate() {
            let wobble = |us: [u64; 3]| us.map(|v| v + v / 20 * i as u64);
            for (server, latency_us) in [("go", wobble(go_us)), ("rust", wobble(rust_us))] {
                runs.push(run(RunSpec {
                    server,
                    labels: &[
                        ("experiment", "c2"),
                        ("fraction", fraction),
                        ("repetition", repetition),
                    ],
                    latency_us,
                    cpu_per_1000: if server == "go" { 0.033 } else { 0.01 },
                    peak_rss_bytes: if server == "go" { 90 << 20 } else { 30 << 20 },
                    ..RunSpec::default()
                }));
            }
        }
        runs
    }

    fn c2_study(go_us: [u64; 3], rust_us: [u64; 3]) -> Study {
        let mut runs = Vec::new();
        for fraction in ["0.25", "0.5", "0.75", "0.9"] {
            runs.extend(c2_runs(fraction, go_us, rust_us));
        }
        Study {
            runs,
            ..Study::default()
        }
    }

    fn verdict(study: &Study, label: &str) -> (Verdict, String) {
        let claim = assess(study)
            .into_iter()
            .find(|c| c.label() == label)
            .unwrap();
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
        assert_eq!(verdict(&rust_worse, "C2").0, Verdict::Contradicted);
        assert_eq!(
            verdict(&go_worse, "C5 (Go/Rust CPU)").0,
            Verdict::Reproduced
        );
        assert_eq!(
            verdict(&go_worse, "C5 (Go/Rust memory)").0,
            Verdict::Reproduced
        );
        // No iterbench, heap, c4 or proxy runs: those claims say so.
        for label in [
            "C1 (assembly)",
            "C1 (speed)",
            "C3",
            "C4 (unpipelined)",
            "C4 (pipelined)",
            "C5 (proxy CPU)",
            "C5 (proxy memory)",
        ] {
            assert_eq!(verdict(&go_worse, label).0, Verdict::NotTestable, "{label}");
        }
        assert_eq!(assess(&go_worse).len(), 10);
        let (_, text) = verdict(&go_worse, "C5 (proxy CPU)");
        assert!(text.contains("without --quick"), "{text}");
        let (_, text) = verdict(&go_worse, "C2");
        assert!(text.contains("prefill none"), "{text}");
        assert!(text.contains("4 load levels"), "{text}");
        assert!(
            text.contains("worst case for Go's concurrent collector"),
            "{text}"
        );
    }

    #[test]
    fn tuned_runs_are_judged_against_tuned_runs_only() {
        use crate::result::{ServerRuntime, ServerSetup, Variant};
        let mut study = c2_study([2_000, 15_000, 200_000], [1_000, 3_000, 5_000]);
        // Tuned servers at the same levels, with no difference between them at all.
        let mut tuned = Study {
            runs: c2_study([1_000, 3_000, 5_000], [1_000, 3_000, 5_000]).runs,
            ..Study::default()
        };
        for run in &mut tuned.runs {
            run.result.target.setup = Some(ServerSetup {
                variant: Variant::Tuned,
                description: "synthetic tuned server".into(),
                environment: Default::default(),
                runtime: ServerRuntime::default(),
            });
        }
        study.runs.extend(tuned.runs);
        assert_eq!(verdict(&study, "C2").0, Verdict::Reproduced);
        let (v, text) = verdict(&study, "C2 (tuned)");
        assert_eq!(v, Verdict::Contradicted, "{text}");
        assert!(text.contains("synthetic tuned server"), "{text}");
        // No tuned heap runs: no tuned C3 row.
        assert!(assess(&study).iter().all(|c| c.label() != "C3 (tuned)"));
    }

    #[test]
    fn runs_behind_schedule_are_left_out_and_said_to_be() {
        let mut study = c2_study([2_000, 15_000, 200_000], [1_000, 3_000, 5_000]);
        // One Go run fell behind with a huge tail: left out, the verdict stands on the rest.
        study.runs.push(run(RunSpec {
            server: "go",
            labels: &[
                ("experiment", "c2"),
                ("fraction", "0.5"),
                ("repetition", "6"),
            ],
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
    fn c3_is_judged_at_the_largest_heap_held_by_both() {
        let mut runs = Vec::new();
        for repetition in REPETITIONS {
            let heap = |server: &'static str, entries: &'static str, p999: u64, behind: bool| {
                run(RunSpec {
                    server,
                    labels: &[
                        ("experiment", "heap"),
                        ("read_states", entries),
                        ("repetition", repetition),
                    ],
                    latency_us: [500, 1_000, p999],
                    behind_schedule: behind,
                    ..RunSpec::default()
                })
            };
            runs.push(heap("go", "100000", 2_000, false));
            runs.push(heap("rust", "100000", 1_000, false));
            runs.push(heap("go", "4000000", 900_000, true));
            runs.push(heap("rust", "4000000", 1_100, false));
        }
        let study = Study {
            runs,
            ..Study::default()
        };
        let (v, text) = verdict(&study, "C3");
        // Judged at 100k, the largest heap both servers held to schedule: 2×.
        assert_eq!(v, Verdict::Weaker, "{text}");
        assert!(text.contains("Go net/http at 4M"), "{text}");
    }

    /// Both proxies at two rates, five repetitions each; nginx uses `cpu` and `rss` times
    /// Pingora's.
    fn proxy_study(cpu: f64, rss: f64, pingora_measured: bool) -> Study {
        let mut runs = Vec::new();
        for (i, repetition) in REPETITIONS.iter().enumerate() {
            for (fraction, rate) in [("0.25", 2_500.0), ("0.5", 5_000.0)] {
                let wobble = 1.0 + 0.01 * i as f64;
                for (server, cpu_factor, rss_factor, measured) in [
                    ("nginx", cpu, rss, true),
                    ("pingora", 1.0, 1.0, pingora_measured),
                ] {
                    runs.push(run(RunSpec {
                        server,
                        labels: &[
                            ("experiment", "c5-proxy"),
                            ("fraction", fraction),
                            ("repetition", repetition),
                            ("server_version", server),
                            ("placement", "proxy on CPU 1, upstream on CPU 0"),
                        ],
                        rate: Some(rate),
                        requests_per_second: rate,
                        cpu_per_1000: 0.01 * cpu_factor * wobble,
                        peak_rss_bytes: ((10 << 20) as f64 * rss_factor * wobble) as u64,
                        external_measured: measured,
                        ..RunSpec::default()
                    }));
                }
            }
        }
        Study {
            runs,
            ..Study::default()
        }
    }

    #[test]
    fn c5_proxy_judges_nginx_over_pingora_at_the_rate_nearest_half() {
        let study = proxy_study(3.3, 1.1, true);
        let (v, text) = verdict(&study, "C5 (proxy CPU)");
        assert_eq!(v, Verdict::Reproduced, "{text}");
        assert!(text.contains("nginx/Pingora CPU 3.3×"), "{text}");
        assert!(
            text.contains("at 50 % of the lower closed-loop maximum"),
            "{text}"
        );
        assert!(text.contains("shown, not judged: at 25 %"), "{text}");
        assert!(text.contains("proxy on CPU 1, upstream on CPU 0"), "{text}");
        let (v, text) = verdict(&study, "C5 (proxy memory)");
        assert_eq!(v, Verdict::Contradicted, "{text}");
        // The analogue rows are apart: no c2 runs here.
        assert_eq!(verdict(&study, "C5 (Go/Rust CPU)").0, Verdict::NotTestable);
        // Swapped, Pingora heavier: contradicted, never reproduced.
        let swapped = proxy_study(1.0 / 3.3, 1.0, true);
        assert_eq!(verdict(&swapped, "C5 (proxy CPU)").0, Verdict::Contradicted);
    }

    #[test]
    fn c5_proxy_without_server_figures_is_not_testable() {
        let study = proxy_study(3.3, 3.0, false);
        let (v, text) = verdict(&study, "C5 (proxy CPU)");
        assert_eq!(v, Verdict::NotTestable);
        assert!(text.contains("Pingora runs have no server CPU"), "{text}");
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
        let (v, text) = verdict(&study, "C4 (unpipelined)");
        assert_eq!(v, Verdict::NotTestable);
        assert!(
            text.contains("120,000 req/s") && text.contains("command not found"),
            "{text}"
        );
    }
}
