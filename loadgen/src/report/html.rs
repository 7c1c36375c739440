//! The page: one self-contained index.html beside the charts' PNGs (relative links, inline
//! CSS and script, no CDN), rendered from templates/report.html with minijinja.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::report::ReportError;
use crate::report::charts::RenderedChart;
use crate::report::claims::Claim;
use crate::report::collect::{Run, Study};
use crate::report::environment::{self, Header};
use crate::report::format::{self, duration_us, mebibytes};

const TEMPLATE: &str = include_str!("../../templates/report.html");

#[derive(Serialize)]
struct Page<'a> {
    generated_at: String,
    roots: Vec<String>,
    header: Header,
    manifests: Vec<ManifestView>,
    nginx_skipped: &'a [String],
    warnings: &'a [String],
    summary: Vec<SummaryItem>,
    claims: Vec<ClaimView>,
    rules_version: &'static str,
    charts: &'a [RenderedChart],
    runs: Vec<RunRow>,
    /// The study-wide data files (study.json, iterbench.json), linked from the top.
    data_files: Vec<Link>,
}

/// One claim in the one-line answer at the top.
#[derive(Serialize)]
struct SummaryItem {
    label: String,
    anchor: String,
    verdict: &'static str,
    verdict_class: &'static str,
}

/// A link to a file or a part of the page.
#[derive(Serialize)]
struct Link {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct ManifestView {
    quick: bool,
    started_at: Option<String>,
    finished_at: Option<String>,
    elapsed: Option<String>,
    estimated: Option<String>,
    plan: Vec<String>,
    failures: u64,
    interrupted: bool,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct ClaimView {
    id: &'static str,
    label: String,
    anchor: String,
    statement: &'static str,
    article: &'static str,
    measured: String,
    conditions: String,
    verdict: &'static str,
    verdict_class: &'static str,
    reason: String,
    rule: &'static str,
    /// The charts that show this claim's evidence.
    charts: Vec<Link>,
    /// The runs this claim's experiment produced (their rows in the runs table).
    runs: Vec<Link>,
}

#[derive(Serialize)]
struct RunRow {
    name: String,
    experiment: String,
    server: String,
    workload: String,
    load: String,
    connections: usize,
    rps: String,
    p50: String,
    p99: String,
    p99_9: String,
    max: String,
    errors: String,
    cpu: String,
    rss: String,
    flags: Vec<String>,
    /// Go runs: what made the tail, by the rules of `gc_mechanism`.
    gc: Option<String>,
    /// A shard of a plan, or a run merged from shards: which, and how they started.
    shards: Option<String>,
    /// The row's anchor, e.g. "run-c2-go-users-1".
    anchor: String,
    /// The run's raw files: result.json and its histograms (.hdr, .hgrm).
    files: Vec<Link>,
}

/// Renders the page into `out/index.html` and returns its path.
pub fn write(
    study: &Study,
    claims: &[Claim],
    charts: &[RenderedChart],
    out: &Path,
) -> Result<PathBuf, ReportError> {
    let html = render(study, claims, charts, out)?;
    let path = out.join("index.html");
    crate::output::write_atomically(&path, html.as_bytes()).map_err(|e| match e {
        crate::output::OutputError::Io { path, source } => ReportError::Write { path, source },
        crate::output::OutputError::Read { path, message } => ReportError::Write {
            path,
            source: std::io::Error::other(message),
        },
    })?;
    Ok(path)
}

/// The page's HTML.
pub fn render(
    study: &Study,
    claims: &[Claim],
    charts: &[RenderedChart],
    out: &Path,
) -> Result<String, ReportError> {
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let page = Page {
        generated_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        roots: study
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect(),
        header: environment::header(study),
        manifests: study.manifests.iter().map(manifest_view).collect(),
        nginx_skipped: &study.nginx_skipped,
        warnings: &study.warnings,
        summary: claims
            .iter()
            .map(|c| SummaryItem {
                label: c.label(),
                anchor: c.anchor(),
                verdict: c.verdict.text(),
                verdict_class: c.verdict.css_class(),
            })
            .collect(),
        claims: claims
            .iter()
            .map(|c| claim_view(c, study, charts))
            .collect(),
        rules_version: crate::report::claims::RULES_VERSION,
        charts,
        runs: study.runs.iter().map(|run| run_row(run, &out)).collect(),
        data_files: data_files(study, &out),
    };
    let mut env = minijinja::Environment::new();
    // The name ends in .html, so minijinja escapes every value for HTML.
    env.add_template("report.html", TEMPLATE)?;
    Ok(env.get_template("report.html")?.render(&page)?)
}

fn manifest_view(m: &crate::report::collect::Manifest) -> ManifestView {
    let m = &m.study;
    let duration = |s: f64| {
        humantime::format_duration(std::time::Duration::from_secs(s.max(0.0).round() as u64))
            .to_string()
    };
    ManifestView {
        quick: m.quick,
        started_at: Some(m.started_at.clone()),
        finished_at: Some(m.finished_at.clone()),
        elapsed: Some(duration(m.elapsed_seconds)),
        estimated: m.estimated_seconds.map(duration),
        plan: m.plan.clone(),
        failures: m.failures,
        interrupted: m.interrupted,
        notes: m.notes.clone(),
    }
}

fn claim_view(c: &Claim, study: &Study, charts: &[RenderedChart]) -> ClaimView {
    ClaimView {
        charts: charts
            .iter()
            .filter(|chart| chart.claims.iter().any(|id| id == c.id))
            .map(|chart| Link {
                label: chart.title.clone(),
                href: format!("#{}", chart.file_name),
            })
            .collect(),
        runs: study
            .runs
            .iter()
            .filter(|run| claims_of_experiment(run.experiment()).contains(&c.id))
            .filter(|run| row_reads(c, run))
            .map(|run| Link {
                label: run.name(),
                href: format!("#{}", run_anchor(run)),
            })
            .collect(),
        id: c.id,
        label: c.label(),
        anchor: c.anchor(),
        statement: c.statement,
        article: c.article,
        measured: c.measured.clone(),
        conditions: c.conditions.clone(),
        verdict: c.verdict.text(),
        verdict_class: c.verdict.css_class(),
        reason: c.reason.clone(),
        rule: c.rule,
    }
}

/// Within a claim's experiments, whether its row reads `run`: tuned rows the tuned runs, the
/// others the as-shipped runs; C4's rows their own pipelining depth; C5's proxy rows the
/// proxy runs, its Go/Rust rows the C2 runs.
fn row_reads(claim: &Claim, run: &Run) -> bool {
    use crate::experiments::{C4_PIPELINE_DEPTHS, TUNED_ASPECT, c4_aspect, c4_experiment};
    let tuned_row = claim.aspect == Some(TUNED_ASPECT);
    if tuned_row != (run.variant() == crate::result::Variant::Tuned) {
        return false;
    }
    // A C4 row reads the runs of its own depth, named by the same table as its aspect.
    match C4_PIPELINE_DEPTHS
        .iter()
        .find(|depth| claim.aspect == Some(c4_aspect(**depth)))
    {
        Some(depth) => run.experiment() == Some(c4_experiment(*depth)),
        None => true,
    }
}

/// The claims whose verdicts read the runs of an experiment (the study's `experiment` label).
fn claims_of_experiment(experiment: Option<&str>) -> &'static [&'static str] {
    match experiment {
        Some("c2") => &["C2", "C5"],
        Some("heap") => &["C3"],
        Some("c4") | Some("c4-pipelined") => &["C4"],
        Some(crate::experiments::C5_PROXY_EXPERIMENT)
        | Some(crate::experiments::C5_PROXY_MAX_EXPERIMENT) => &["C5"],
        _ => &[],
    }
}

fn run_anchor(run: &Run) -> String {
    format!("run-{}", run.name())
}

/// The path of `file` relative to the page's directory, as a URL path (the report may sit
/// inside the study or elsewhere); the absolute path when there is no relative one.
fn href(file: &Path, page_dir: &Path) -> String {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let relative = pathdiff::diff_paths(&file, page_dir).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn data_files(study: &Study, page_dir: &Path) -> Vec<Link> {
    let manifests = study.manifests.iter().map(|m| m.path.clone());
    let iterbench = study.iterbench.iter().map(|i| i.path.clone());
    file_links(manifests.chain(iterbench), page_dir)
}

/// Links to the files that exist among `paths`, each labelled with its file name.
fn file_links(paths: impl Iterator<Item = PathBuf>, page_dir: &Path) -> Vec<Link> {
    paths
        .filter(|path| path.is_file())
        .map(|path| Link {
            label: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            href: href(&path, page_dir),
        })
        .collect()
}

fn run_files(run: &Run, page_dir: &Path) -> Vec<Link> {
    let names =
        std::iter::once("result.json".to_string()).chain(run.result.files.values().cloned());
    let mut seen = std::collections::BTreeSet::new();
    let paths = names
        .filter(|name| seen.insert(name.clone()))
        .map(|name| run.dir.join(name));
    file_links(paths, page_dir)
}

fn shards_note(r: &crate::result::RunResult) -> Option<String> {
    if let Some(merge) = &r.merge {
        return Some(format!(
            "merged from {} shards of plan {} (start skew {})",
            merge.shards.len(),
            merge.plan_id,
            duration_us(merge.start_skew_us as f64)
        ));
    }
    r.shard.as_ref().map(|s| {
        format!(
            "shard {} of {} of plan {} (started {} late)",
            s.index,
            s.count,
            s.plan_id,
            duration_us(s.started_late_us as f64)
        )
    })
}

fn run_row(run: &Run, page_dir: &Path) -> RunRow {
    let r = &run.result;
    let l = &r.figures.latency;
    let experiment = r
        .labels
        .iter()
        .map(|(k, v)| {
            if k == "experiment" {
                v.clone()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let load = match r.load.rate_per_second {
        Some(rate) => format!("{}/s constant", format::thousands(rate.round() as u64)),
        None => "closed loop".to_string(),
    };
    let mut flags = Vec::new();
    if r.figures.behind_schedule {
        flags.push(match &r.figures.schedule {
            Some(schedule) => format!(
                "behind schedule ({:.0} % sent on time, {:.0} % by loadgen's own lag, {:.0} % of the rate achieved)",
                schedule.on_time_share * 100.0,
                schedule.loadgen_on_time_share * 100.0,
                schedule.achieved_share * 100.0
            ),
            None => "behind schedule".to_string(),
        });
    }
    if !r.figures.behind_schedule {
        if let Some(reason) = run.loadgen_tail() {
            flags.push(format!("left out: {reason}"));
        }
    }
    if r.loadgen.bound {
        flags.push(format!(
            "loadgen-bound ({:.0} % CPU)",
            r.loadgen.cpu_utilisation * 100.0
        ));
    }
    if !r.complete {
        flags.push(format!(
            "incomplete: {}",
            r.incomplete_reason.as_deref().unwrap_or("ended early")
        ));
    }
    RunRow {
        name: run.name(),
        experiment: if experiment.is_empty() {
            "–".into()
        } else {
            experiment
        },
        server: r.target.label.clone(),
        workload: r.workload.name.clone(),
        load,
        connections: r.load.connections,
        rps: format::thousands(r.figures.requests_per_second.round() as u64),
        p50: duration_us(l.p50_us as f64),
        p99: duration_us(l.p99_us as f64),
        p99_9: duration_us(l.p99_9_us as f64),
        max: duration_us(l.max_us as f64),
        errors: format::thousands(r.figures.errors),
        // CPU-seconds per 1,000 requests, in ms as the resources chart shows them.
        cpu: r.server.as_ref().map_or("–".into(), |s| {
            format!("{:.1} ms", s.cpu_seconds_per_1000_requests * 1000.0)
        }),
        rss: r
            .server
            .as_ref()
            .map_or("–".into(), |s| mebibytes(s.peak_rss_bytes as f64)),
        flags,
        gc: crate::gc_mechanism::describe_run(r),
        shards: shards_note(r),
        anchor: run_anchor(run),
        files: run_files(run, page_dir),
    }
}
