//! Renders a small synthetic study with `loadgen::report::render` and opens the page in
//! headless Chromium (Debian's `chromium` package; .ci/run installs it where missing): every
//! chart must load and the claims table must have its rows, C1 to C5.
//!
//! The study is built the way real runs are written: RunResults with real HdrHistograms,
//! written by `loadgen::output::write_run`. Set LOADGEN_REPORT_TEST_OUT=/some/dir to keep the
//! rendered reports for a look.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use loadgen::engine::recorder::new_histogram;
use loadgen::output::{NamedHistogram, write_run};
use loadgen::report::charts::ChartStatus;
use loadgen::result::ErrorCounts;
use loadgen::result::{
    Environment, Figures, LoadInfo, LoadgenUsage, Percentiles, RunResult, SecondSummary,
    ServerAccounting, TargetInfo, WorkloadInfo,
};

// ---- a small deterministic random source (no dependency needed) ----

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The shape of a server's latency (µs): a body around `median_us`, and rare spikes up to
/// `spike_us` with probability `spike_chance` (a GC pause, say).
#[derive(Clone, Copy)]
struct Shape {
    median_us: f64,
    spike_us: f64,
    spike_chance: f64,
}

fn latency_histogram(shape: Shape, count: usize, seed: u64) -> Histogram<u64> {
    let mut rng = Rng(seed | 1);
    let mut histogram = new_histogram(3);
    for _ in 0..count {
        let body = shape.median_us * (0.6 + 0.8 * rng.next()) * (1.0 + (-rng.next().ln()) * 0.3);
        let value = if rng.next() < shape.spike_chance {
            shape.spike_us * (0.3 + 0.7 * rng.next())
        } else {
            body
        };
        histogram.record(value.max(1.0) as u64).unwrap();
    }
    histogram
}

fn environment() -> Environment {
    Environment {
        hostname: "synthetic".into(),
        cpu_model: "Synthetic CPU @ 3.0GHz".into(),
        logical_cpus: 2,
        kernel: "6.1.0-test".into(),
        rustc_version: Some("rustc 1.95.0".into()),
        go_version: Some("go1.24.0".into()),
        loadgen_version: "0.1.0".into(),
        git_commit: Some("0123456789ab".into()),
        cpu_topology: None,
    }
}

struct Spec<'a> {
    dir: PathBuf,
    server: &'a str,
    workload: &'a str,
    rate: Option<f64>,
    labels: &'a [(&'a str, String)],
    shape: Shape,
    rps: f64,
    read_states: u64,
    cpu_per_1000: f64,
    peak_rss_bytes: u64,
    behind_schedule: bool,
    /// An external server loadgen started and measured (C5's proxies).
    external_measured: bool,
}

fn write_synthetic_run(spec: Spec<'_>, seed: u64) {
    let histogram = latency_histogram(spec.shape, 20_000, seed);
    let latency = Percentiles::of(&histogram);
    let is_go = spec.server == "go";
    let (kind, label) = match spec.server {
        "go" => ("go", "go-nethttp"),
        "rust" => ("rust", "rust-axum"),
        other => ("external", other),
    };
    let mut rng = Rng(seed * 7 + 3);
    let per_second = (0..20)
        .map(|second| {
            let spike = rng.next() < 0.2;
            let p99 = latency.p99_us as f64 * (0.8 + 0.4 * rng.next());
            SecondSummary {
                second,
                requests: (spec.rps) as u64,
                errors: 0,
                p50_us: latency.p50_us,
                p99_us: p99 as u64,
                max_us: if spike {
                    latency.max_us
                } else {
                    (p99 * 1.5) as u64
                },
                gc_cycles: is_go.then(|| {
                    if spike {
                        2
                    } else {
                        u64::from(rng.next() < 0.3)
                    }
                }),
            }
        })
        .collect();
    let mut result = RunResult {
        schema_version: loadgen::result::SCHEMA_VERSION,
        complete: true,
        incomplete_reason: None,
        started_at: "2026-05-01T10:00:00Z".into(),
        labels: spec
            .labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
        environment: environment(),
        target: TargetInfo {
            kind: kind.into(),
            label: label.into(),
            url: "http://127.0.0.1:18080".into(),
            server_threads: Some(1),
            server_cpus: Some(vec![1]),
            read_states: spec.read_states,
            setup: None,
        },
        workload: WorkloadInfo {
            name: spec.workload.into(),
            seed: 1,
            parameters: serde_json::Value::Null,
        },
        load: LoadInfo {
            mode: if spec.rate.is_some() {
                "constant-rate"
            } else {
                "closed-loop"
            }
            .into(),
            connections: 64,
            loadgen_threads: 1,
            loadgen_cpus: Some(vec![0]),
            rate_per_second: spec.rate,
            warmup_seconds: 2.0,
            duration_seconds: 20.0,
            request_timeout_ms: 2000,
            protocol: Default::default(),
            pipeline_depth: 1,
            streams_per_connection: 1,
        },
        figures: Figures {
            requests: (spec.rps * 20.0) as u64,
            errors: 0,
            measured_seconds: 20.0,
            requests_per_second: spec.rps,
            latency: latency.clone(),
            service_time: latency.clone(),
            send_lag: Percentiles::of(&new_histogram(3)),
            loadgen_lag: Percentiles::of(&new_histogram(3)),
            schedule: spec.rate.map(|rate| {
                let scheduled = (rate * 20.0) as u64;
                let on_time_share = if spec.behind_schedule { 0.8 } else { 1.0 };
                loadgen::result::ScheduleCheck {
                    scheduled,
                    sent_on_time: (scheduled as f64 * on_time_share) as u64,
                    unsent: 0,
                    on_time_tolerance_us: 1_000,
                    on_time_share,
                    loadgen_on_time_share: on_time_share,
                    held_by_server: 0,
                    achieved_share: 1.0,
                    behind_reason: spec
                        .behind_schedule
                        .then(|| "only 80.0 % sent on time".to_string()),
                }
            }),
            behind_schedule: spec.behind_schedule,
        },
        errors: ErrorCounts::default(),
        per_second,
        loadgen: LoadgenUsage {
            cpu_seconds: if spec.rate.is_some() { 8.0 } else { 21.0 },
            cpu_us_per_request: 20.0,
            peak_rss_bytes: 30 << 20,
            cpu_utilisation: if spec.rate.is_some() { 8.0 } else { 21.0 } / 22.0,
            bound: spec.rate.is_none(),
        },
        server: (kind != "external" || spec.external_measured).then(|| ServerAccounting {
            user_cpu_seconds: spec.cpu_per_1000 * spec.rps * 20.0 / 1000.0 * 0.7,
            system_cpu_seconds: spec.cpu_per_1000 * spec.rps * 20.0 / 1000.0 * 0.3,
            cpu_seconds_per_1000_requests: spec.cpu_per_1000,
            peak_rss_bytes: spec.peak_rss_bytes,
            rss_bytes_after: spec.peak_rss_bytes,
            gc_cycles_in_window: is_go.then_some(24),
            gc_pauses_in_window: None,
            gc_pause_max_ns_in_window: is_go.then_some(900_000),
            debug_stats_before: serde_json::Value::Null,
            debug_stats_after: serde_json::Value::Null,
            go_runtime: None,
        }),
        cpu_steal: None,
        files: BTreeMap::new(),
        shard: None,
        merge: None,
    };
    write_run(
        &spec.dir,
        &mut result,
        &[NamedHistogram {
            name: "latency",
            histogram: &histogram,
        }],
    )
    .unwrap();
}

const GO: Shape = Shape {
    median_us: 450.0,
    spike_us: 14_000.0,
    spike_chance: 0.003,
};
const RUST: Shape = Shape {
    median_us: 300.0,
    spike_us: 2_500.0,
    spike_chance: 0.002,
};

/// A whole study as `loadgen reproduce` lays it out.
fn write_study(root: &Path, with_nginx: bool) {
    let runs = root.join("runs");
    let mut seed = 1;
    let mut next_seed = || {
        seed += 1;
        seed
    };
    let base = |server: &'static str| Spec {
        dir: PathBuf::new(),
        server,
        workload: "users",
        rate: Some(2_000.0),
        labels: &[],
        shape: if server == "go" { GO } else { RUST },
        rps: 2_000.0,
        read_states: 1_000_000,
        cpu_per_1000: if server == "go" { 0.040 } else { 0.022 },
        peak_rss_bytes: if server == "go" { 180 << 20 } else { 95 << 20 },
        behind_schedule: false,
        external_measured: false,
    };
    // C2: a curve of four load levels, three interleaved repetitions at each, the same
    // absolute rate for both servers at a level.
    for fraction in [0.25, 0.5, 0.75, 0.9] {
        let rate = 4_000.0 * fraction;
        for repetition in 1..=3 {
            for server in ["go", "rust"] {
                let labels = [
                    ("experiment", "c2".to_string()),
                    ("fraction", fraction.to_string()),
                    ("repetition", repetition.to_string()),
                ];
                write_synthetic_run(
                    Spec {
                        dir: runs.join(format!("c2-{server}-{fraction}-{repetition}")),
                        labels: &labels,
                        rate: Some(rate),
                        rps: rate,
                        ..base(server)
                    },
                    next_seed(),
                );
            }
        }
    }
    // Maximum throughput and the sweep (json workload).
    for (server, max) in [("go", 40_000.0), ("rust", 62_000.0)] {
        let labels = [("experiment", "max-throughput".to_string())];
        write_synthetic_run(
            Spec {
                dir: runs.join(format!("max-{server}-json")),
                workload: "json",
                rate: None,
                labels: &labels,
                rps: max,
                ..base(server)
            },
            next_seed(),
        );
        for fraction in [0.25, 0.5, 0.75, 0.9] {
            let rate = max * fraction;
            let labels = [
                ("experiment", "sweep".to_string()),
                ("fraction", fraction.to_string()),
                ("rate_basis", "own-max".to_string()),
            ];
            let load = fraction * fraction * 4.0;
            let shape = if server == "go" { GO } else { RUST };
            write_synthetic_run(
                Spec {
                    dir: runs.join(format!("sweep-{server}-json-own-{fraction}")),
                    workload: "json",
                    rate: Some(rate),
                    labels: &labels,
                    rps: rate
                        * if fraction == 0.9 && server == "go" {
                            0.93
                        } else {
                            1.0
                        },
                    shape: Shape {
                        median_us: shape.median_us * (1.0 + load),
                        spike_us: shape.spike_us * (1.0 + load),
                        ..shape
                    },
                    behind_schedule: fraction == 0.9 && server == "go",
                    ..base(server)
                },
                next_seed(),
            );
        }
    }
    // Heap sizes: Go's tail grows with the heap, Rust's barely.
    for (heap, go_spike, rust_spike) in [
        (100_000u64, 4_000.0, 1_500.0),
        (1_000_000, 9_000.0, 1_700.0),
        (4_000_000, 25_000.0, 1_800.0),
    ] {
        for (server, spike) in [("go", go_spike), ("rust", rust_spike)] {
            let labels = [
                ("experiment", "heap".to_string()),
                ("read_states", heap.to_string()),
            ];
            let shape = if server == "go" { GO } else { RUST };
            write_synthetic_run(
                Spec {
                    dir: runs.join(format!("heap-{server}-{heap}")),
                    workload: "read-states",
                    rate: Some(1_500.0),
                    labels: &labels,
                    rps: 1_500.0,
                    read_states: heap,
                    shape: Shape {
                        spike_us: spike,
                        spike_chance: 0.004,
                        ..shape
                    },
                    peak_rss_bytes: heap * if server == "go" { 600 } else { 250 },
                    ..base(server)
                },
                next_seed(),
            );
        }
    }
    // C4: plaintext at saturation.
    let mut c4 = vec![("go", 52_000.0), ("rust", 81_000.0)];
    if with_nginx {
        c4.push(("nginx", 95_000.0));
    } else {
        std::fs::write(
            root.join("nginx-skipped.txt"),
            "nginx was not found on PATH (install Debian's nginx package to compare with C)\n",
        )
        .unwrap();
    }
    for (server, rps) in c4 {
        let labels = [("experiment", "c4".to_string())];
        write_synthetic_run(
            Spec {
                dir: runs.join(format!("c4-{server}-plaintext")),
                workload: "plaintext",
                rate: None,
                labels: &labels,
                rps,
                ..base(server)
            },
            next_seed(),
        );
    }
    // C5 as the article means it: both proxies at two rates, three repetitions each.
    for fraction in [0.25, 0.5] {
        let rate = 20_000.0 * fraction;
        for repetition in 1..=3 {
            for (server, cpu_per_1000, peak_rss_bytes) in
                [("nginx", 0.030, 14 << 20), ("pingora", 0.024, 9 << 20)]
            {
                let labels = [
                    ("experiment", "c5-proxy".to_string()),
                    ("fraction", fraction.to_string()),
                    ("repetition", repetition.to_string()),
                    ("placement", "proxy on CPU 1, upstream on CPU 0".to_string()),
                ];
                write_synthetic_run(
                    Spec {
                        dir: runs.join(format!("c5-{server}-plaintext-{fraction}-{repetition}")),
                        workload: "plaintext",
                        rate: Some(rate),
                        labels: &labels,
                        rps: rate,
                        read_states: 0,
                        cpu_per_1000,
                        peak_rss_bytes,
                        external_measured: true,
                        ..base(server)
                    },
                    next_seed(),
                );
            }
        }
    }
    std::fs::write(root.join("iterbench.json"), ITERBENCH).unwrap();
    std::fs::write(
        root.join("study.json"),
        r#"{"schema_version":2,"quick":true,"started_at":"2026-05-01T10:00:00Z",
            "finished_at":"2026-05-01T10:02:10Z","elapsed_seconds":130.0,
            "estimated_seconds":150.0,"plan":["synthetic steps"],"failures":0,
            "interrupted":false,"notes":["synthetic study written by the report test"],
            "environment":null}"#,
    )
    .unwrap();
}

/// An iterbench.json in the benches crate's summary format (schema version 1), trimmed to
/// the fields the report reads plus a few it ignores.
const ITERBENCH: &str = r#"{
  "schema_version": 1,
  "generated_unix_s": 1700000100,
  "note": null,
  "environment": {"rustc_version": "rustc 1.95.0 (59807616e 2026-04-14)", "llvm_version": "22.1.2",
    "cpu_model": "Synthetic CPU", "native_target_cpu": "znver4", "logical_cpus": 2},
  "timings": {"criterion_dir": "target/criterion", "since_unix_s": null, "missing": [],
    "sizes": [
      {"elements": 1024, "label": "1K",
       "kernels": [
         {"kernel": "sum_iter", "group": "sum_i64", "median_ns": 266.0, "ci_low_ns": 261.0, "ci_high_ns": 272.0},
         {"kernel": "sum_loop", "group": "sum_i64", "median_ns": 264.0, "ci_low_ns": 260.0, "ci_high_ns": 268.0}],
       "pairs": [{"a": "sum_iter", "b": "sum_loop", "median_ratio_a_over_b": 1.0076,
                  "ratio_low_from_ci": 0.974, "ratio_high_from_ci": 1.046}]},
      {"elements": 65536, "label": "64K",
       "kernels": [
         {"kernel": "sum_iter", "group": "sum_i64", "median_ns": 17100.0, "ci_low_ns": 16900.0, "ci_high_ns": 17400.0},
         {"kernel": "sum_loop", "group": "sum_i64", "median_ns": 17000.0, "ci_low_ns": 16800.0, "ci_high_ns": 17300.0}],
       "pairs": [{"a": "sum_iter", "b": "sum_loop", "median_ratio_a_over_b": 1.0059,
                  "ratio_low_from_ci": 0.977, "ratio_high_from_ci": 1.036}]},
      {"elements": 16777216, "label": "16M",
       "kernels": [
         {"kernel": "sum_iter", "group": "sum_i64", "median_ns": 6900000.0, "ci_low_ns": 6800000.0, "ci_high_ns": 7050000.0},
         {"kernel": "sum_loop", "group": "sum_i64", "median_ns": 6850000.0, "ci_low_ns": 6700000.0, "ci_high_ns": 6990000.0}],
       "pairs": [{"a": "sum_iter", "b": "sum_loop", "median_ratio_a_over_b": 1.0073,
                  "ratio_low_from_ci": 0.973, "ratio_high_from_ci": 1.052}]}]},
  "asm": [
    {"name": "o3", "label": "opt-level=3, target-cpu=default", "measured_by_cargo_bench": true,
     "extra_rustc_flags": [], "rustc_command": "rustc",
     "pairs": [
       {"a": "sum_iter", "b": "sum_loop", "verdict": "identical", "differing_lines": 0, "total_lines": 31,
        "verdict_line": "sum_iter vs sum_loop [opt-level=3, target-cpu=default]: identical", "folds": []},
       {"a": "sum_chunks_exact", "b": "sum_loop", "verdict": "different", "differing_lines": 30, "total_lines": 44,
        "verdict_line": "sum_chunks_exact vs sum_loop [opt-level=3, target-cpu=default]: different (30 of 44 lines differ)", "folds": []}]},
    {"name": "o3-native", "label": "opt-level=3, target-cpu=native", "measured_by_cargo_bench": false,
     "extra_rustc_flags": ["-Ctarget-cpu=native"], "rustc_command": "rustc",
     "pairs": [
       {"a": "sum_iter", "b": "sum_loop", "verdict": "identical", "differing_lines": 0, "total_lines": 35, "folds": []}]}
  ],
  "instruction_counts": {"elements": 65536, "method": "callgrind",
    "kernels": [
      {"kernel": "sum_iter", "instructions": 507922, "instructions_per_element": 7.75},
      {"kernel": "sum_loop", "instructions": 507922, "instructions_per_element": 7.75}]}
}"#;

// ---- headless Chromium ----

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let candidate = Path::new(dir).join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "this test needs headless Chromium to open the report, and none was found on PATH: \
         install Debian's chromium package (apt-get install chromium); .ci/run installs it \
         where missing"
    );
}

/// The page's DOM after its scripts ran, as Chromium serializes it.
fn dump_dom(page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap().expect("chromium's output is text")
}

/// The value of `data-<name>="…"` on the body element.
fn body_attribute(dom: &str, name: &str) -> Option<String> {
    let body = &dom[dom.find("<body")?..];
    let tag = &body[..body.find('>')?];
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

/// The claims table's rows: one per judged finding (docs/RULES.md).
const CLAIM_ROWS: [&str; 10] = [
    "C1 (assembly)",
    "C1 (speed)",
    "C2",
    "C3",
    "C4 (unpipelined)",
    "C4 (pipelined)",
    "C5 (proxy CPU)",
    "C5 (proxy memory)",
    "C5 (Go/Rust CPU)",
    "C5 (Go/Rust memory)",
];

/// The ids of the claims table's rows, in order.
fn claim_rows(dom: &str) -> Vec<String> {
    let table = dom
        .find("id=\"claims\"")
        .map(|start| &dom[start..start + dom[start..].find("</table>").unwrap()])
        .expect("the page has a claims table");
    table
        .match_indices("data-claim=\"")
        .map(|(i, key)| {
            let rest = &table[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn out_dir(name: &str) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("LOADGEN_REPORT_TEST_OUT") {
        Some(keep) => {
            let dir = PathBuf::from(keep).join(name);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            (None, dir)
        }
        None => {
            let temp = tempfile::tempdir().unwrap();
            let dir = temp.path().to_path_buf();
            (Some(temp), dir)
        }
    }
}

#[test]
fn a_full_study_renders_and_every_chart_loads_in_chromium() {
    let (_guard, root) = out_dir("full");
    write_study(&root, true);
    let out = root.join("report");
    let summary = loadgen::report::render(std::slice::from_ref(&root), &out).unwrap();

    assert_eq!(
        summary.runs,
        24 + 10 + 6 + 3 + 12,
        "every result.json is found"
    );
    for (chart, status) in &summary.charts {
        assert_eq!(status, &ChartStatus::Drawn, "{chart} was not drawn");
        assert!(out.join(chart).is_file(), "{chart} exists");
    }
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);

    let dom = dump_dom(&summary.index_html);
    let total = body_attribute(&dom, "data-charts-total").expect("the page's script ran");
    let loaded = body_attribute(&dom, "data-charts-loaded").expect("the page's script ran");
    assert_eq!(total, summary.charts.len().to_string());
    assert_eq!(loaded, total, "every chart image loads");
    assert_eq!(claim_rows(&dom), CLAIM_ROWS);
    // The page is self-contained: nothing is fetched from elsewhere.
    let html = std::fs::read_to_string(&summary.index_html).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no remote links"
    );
}

/// The `<tr>…</tr>` rows of the table with this id.
fn table_rows<'a>(dom: &'a str, id: &str) -> Vec<&'a str> {
    let start = dom.find(&format!("id=\"{id}\"")).expect("the table exists");
    let table = &dom[start..start + dom[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr").skip(1).collect()
}

/// The `href` values of the links with this class in a piece of the page.
fn hrefs(html: &str, class: &str) -> Vec<String> {
    html.match_indices(&format!("class=\"{class}\" href=\""))
        .map(|(i, key)| {
            let rest = &html[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_reference_report_answers_first_and_links_its_evidence() {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reports/reference");
    let (_guard, out) = out_dir("reference");
    let summary = loadgen::report::render(std::slice::from_ref(&reference), &out).unwrap();
    let dom = dump_dom(&summary.index_html);

    // The answer first: one line with every claim's verdict, before the tables.
    let answer = &dom[dom.find("id=\"answer\"").expect("an answer line")..];
    let answer = &answer[..answer.find("</p>").unwrap()];
    for anchor in [
        "C1-assembly",
        "C1-speed",
        "C2",
        "C3",
        "C4-unpipelined",
        "C4-pipelined",
        "C5-proxy-CPU",
        "C5-proxy-memory",
        "C5-Go-Rust-CPU",
        "C5-Go-Rust-memory",
    ] {
        assert!(
            answer.contains(&format!("href=\"#claim-{anchor}\"")),
            "{anchor} in {answer}"
        );
    }
    assert!(dom.find("id=\"answer\"").unwrap() < dom.find("id=\"claims\"").unwrap());

    // Every claim links to at least one chart, and every in-page link has its target.
    for row in table_rows(&dom, "claims") {
        assert!(
            !hrefs(row, "chart-link").is_empty(),
            "a claim without a chart link: {row}"
        );
    }
    assert_eq!(
        body_attribute(&dom, "data-broken-anchors").as_deref(),
        Some("0")
    );

    // Every run row links its raw data, and every link resolves to a file.
    let runs = table_rows(&dom, "runs");
    assert_eq!(runs.len(), summary.runs);
    for row in runs {
        let links = hrefs(row, "data-link");
        assert!(links.iter().any(|l| l.ends_with("result.json")), "{row}");
        assert!(links.iter().any(|l| l.ends_with(".hdr")), "{row}");
        for link in links {
            assert!(
                out.join(&link).is_file(),
                "{link} does not resolve from {}",
                out.display()
            );
        }
    }

    let total = body_attribute(&dom, "data-charts-total").expect("the page's script ran");
    assert_eq!(
        body_attribute(&dom, "data-charts-loaded"),
        Some(total),
        "every chart loads"
    );
}

#[test]
fn a_partial_study_marks_what_it_lacks() {
    let (_guard, root) = out_dir("partial");
    // One plain run, no iterbench, no study.json: most charts have no data, every claim
    // but the headline's still has its row.
    let run = root.join("one-run");
    write_synthetic_run(
        Spec {
            dir: run.clone(),
            server: "rust",
            workload: "json",
            rate: Some(1_000.0),
            labels: &[],
            shape: RUST,
            rps: 1_000.0,
            read_states: 0,
            cpu_per_1000: 0.02,
            peak_rss_bytes: 50 << 20,
            behind_schedule: false,
            external_measured: false,
        },
        99,
    );
    let out = root.join("report");
    let summary = loadgen::report::render(&[run], &out).unwrap();
    assert!(
        summary
            .charts
            .iter()
            .any(|(_, s)| matches!(s, ChartStatus::NoData(_)))
    );
    assert!(
        summary
            .charts
            .iter()
            .all(|(_, s)| !matches!(s, ChartStatus::Failed(_))),
        "{:?}",
        summary.charts
    );
    let dom = dump_dom(&summary.index_html);
    assert_eq!(
        body_attribute(&dom, "data-charts-loaded"),
        body_attribute(&dom, "data-charts-total")
    );
    assert_eq!(claim_rows(&dom), CLAIM_ROWS);
    assert!(dom.contains("not testable here"));
}

#[test]
fn a_directory_without_results_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let error =
        loadgen::report::render(&[empty.path().to_path_buf()], &empty.path().join("report"))
            .unwrap_err();
    assert!(error.to_string().contains("no results under"), "{error}");
}
