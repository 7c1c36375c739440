//! Finding and loading the files a report is made from, into one [`Study`].
//!
//! Any of them may be missing (a partial study, a plain `loadgen run` directory): the study
//! then holds what there is, and the charts and claims say what they lack. A file that exists
//! but cannot be read is a warning shown in the report, not a failure.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hdrhistogram::Histogram;

use crate::report::ReportError;
use crate::report::iterbench::IterBench;
use crate::result::{RunResult, TargetInfo};
use server_launcher::Variant;

/// Everything found under the report's directories.
#[derive(Debug, Default)]
pub struct Study {
    /// The directories given on the command line.
    pub roots: Vec<PathBuf>,
    /// One per result.json, in path order.
    pub runs: Vec<Run>,
    /// The iterator-versus-loop summary (C1), if one was found.
    pub iterbench: Option<IterBench>,
    /// study.json files written by `loadgen reproduce`.
    pub manifests: Vec<Manifest>,
    /// The lines of nginx-skipped.txt files: why the C4 study has no nginx run.
    pub nginx_skipped: Vec<String>,
    /// Files found but not readable, and similar things the reader should know.
    pub warnings: Vec<String>,
}

/// One run directory: its result and its latency histogram.
#[derive(Debug, Clone)]
pub struct Run {
    pub dir: PathBuf,
    pub result: RunResult,
    /// The headline latency histogram (µs), for the percentile spectrum; None if its file
    /// was missing or unreadable (a warning says which).
    pub latency: Option<Histogram<u64>>,
}

/// A study.json found under the report's directories.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub path: PathBuf,
    pub study: crate::manifest::StudyManifest,
}

/// Which server a run measured, as far as the report is concerned. The order is the order
/// of legends and tables (the article names Go first).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Server {
    Go,
    Rust,
    Nginx,
    /// C5's Rust proxy (`pingora-proxy`).
    Pingora,
    Other(String),
}

impl Server {
    pub fn of(target: &TargetInfo) -> Self {
        match target.kind.as_str() {
            "go" => Server::Go,
            "rust" => Server::Rust,
            _ if target.label.to_ascii_lowercase().contains("nginx") => Server::Nginx,
            _ if target.label.to_ascii_lowercase().contains("pingora") => Server::Pingora,
            _ => Server::Other(target.label.clone()),
        }
    }

    /// The name in legends and tables.
    pub fn name(&self) -> String {
        match self {
            Server::Go => "Go net/http".into(),
            Server::Rust => "Rust axum".into(),
            Server::Nginx => "nginx".into(),
            Server::Pingora => "Pingora".into(),
            Server::Other(label) => label.clone(),
        }
    }
}

impl Study {
    /// True when there is nothing at all to report.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty() && self.iterbench.is_none()
    }

    /// Runs whose `experiment` label is `experiment`.
    pub fn experiment(&self, experiment: &str) -> Vec<&Run> {
        self.runs
            .iter()
            .filter(|run| run.experiment() == Some(experiment))
            .collect()
    }

    /// The C2 runs grouped by load level (their `fraction` label; 0.5 when unlabelled), in
    /// ascending order.
    pub fn c2_levels(&self) -> Vec<(f64, Vec<&Run>)> {
        self.levels("c2")
    }

    /// The C2 level nearest half the maximum: the one C5 reads and the headline charts show
    /// (docs/RULES.md, C5).
    pub fn c2_headline_level(&self) -> Option<(f64, Vec<&Run>)> {
        self.headline_level("c2")
    }

    /// The runs of `experiment` grouped by load level (their `fraction` label; 0.5 when
    /// unlabelled), in ascending order.
    pub fn levels(&self, experiment: &str) -> Vec<(f64, Vec<&Run>)> {
        let mut levels: Vec<(f64, Vec<&Run>)> = Vec::new();
        for run in self.experiment(experiment) {
            let fraction = run
                .label("fraction")
                .and_then(|f| f.parse().ok())
                .unwrap_or(0.5);
            match levels.iter_mut().find(|(f, _)| *f == fraction) {
                Some((_, runs)) => runs.push(run),
                None => levels.push((fraction, vec![run])),
            }
        }
        levels.sort_by(|a, b| a.0.total_cmp(&b.0));
        levels
    }

    /// The level of `experiment` nearest half the maximum.
    pub fn headline_level(&self, experiment: &str) -> Option<(f64, Vec<&Run>)> {
        self.levels(experiment)
            .into_iter()
            .min_by(|a, b| (a.0 - 0.5).abs().total_cmp(&(b.0 - 0.5).abs()))
    }

    /// The variants (as shipped, tuned) the study's runs used, in order.
    pub fn variants(&self) -> Vec<Variant> {
        let set: BTreeSet<Variant> = self.runs.iter().map(Run::variant).collect();
        set.into_iter().collect()
    }

    /// The same study with only the runs of `variant`: claims compare as shipped with as
    /// shipped and tuned with tuned, never across.
    pub fn only_variant(&self, variant: Variant) -> Study {
        Study {
            roots: self.roots.clone(),
            runs: self
                .runs
                .iter()
                .filter(|r| r.variant() == variant)
                .cloned()
                .collect(),
            iterbench: self.iterbench.clone(),
            manifests: self.manifests.clone(),
            nginx_skipped: self.nginx_skipped.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// Runs without an `experiment` label (plain `loadgen run` directories).
    pub fn unlabelled(&self) -> Vec<&Run> {
        self.runs
            .iter()
            .filter(|run| run.experiment().is_none())
            .collect()
    }
}

impl Run {
    /// The run's latency in 100 ms intervals, from its interval log; None for runs written
    /// before interval logs existed, or whose log is unreadable.
    pub fn latency_intervals(&self) -> Option<Vec<crate::output::LatencyInterval>> {
        let file = self.result.files.get("intervals_hlog")?;
        crate::output::read_latency_intervals(&self.dir.join(file)).ok()
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.result.labels.get(key).map(String::as_str)
    }

    pub fn experiment(&self) -> Option<&str> {
        self.label("experiment")
    }

    pub fn server(&self) -> Server {
        Server::of(&self.result.target)
    }

    /// The server variant the run measured; as shipped for servers loadgen did not set up.
    pub fn variant(&self) -> Variant {
        self.result
            .target
            .setup
            .as_ref()
            .map_or(Variant::AsShipped, |s| s.variant)
    }

    /// The live-heap size of a read-states run: its label, else what the target held.
    pub fn read_states(&self) -> u64 {
        self.label("read_states")
            .and_then(|text| text.parse().ok())
            .unwrap_or(self.result.target.read_states)
    }

    /// Whether the run measured what it was asked to: it ran its whole duration and, at a
    /// constant rate, kept up with the schedule and its tail is the server's (rules v4, applied
    /// here so that results written before v4 are judged alike). Claims use only such runs.
    pub fn is_usable(&self) -> bool {
        self.result.complete
            && !self.result.figures.behind_schedule
            && self.loadgen_tail().is_none()
    }

    /// Why the run's tail is partly loadgen's own, if it is (constant rate only).
    pub fn loadgen_tail(&self) -> Option<String> {
        let figures = &self.result.figures;
        figures.schedule.as_ref()?;
        crate::keeping_up::loadgen_tail_reason(
            figures.latency.p99_9_us,
            figures.loadgen_lag.p99_9_us,
        )
    }

    /// The run's directory name, its identity in tables.
    pub fn name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.dir.display().to_string())
    }
}

/// Walks `roots` recursively (symbolic links to directories are not followed, so a loop
/// cannot trap the walk) and loads what it finds. `out` is skipped: it holds the report.
pub fn collect(roots: &[PathBuf], out: &Path) -> Result<Study, ReportError> {
    let mut study = Study {
        roots: roots.to_vec(),
        ..Study::default()
    };
    let skip = std::fs::canonicalize(out).ok();
    let mut seen = BTreeSet::new();
    let mut iterbench_paths = Vec::new();
    for root in roots {
        if !root.is_dir() {
            return Err(ReportError::NotADirectory { path: root.clone() });
        }
        let mut files = Vec::new();
        walk(root, skip.as_deref(), &mut files)?;
        for file in files {
            let canonical = std::fs::canonicalize(&file).unwrap_or(file.clone());
            if !seen.insert(canonical) {
                continue; // the same file reached from two of the given directories
            }
            match file.file_name().and_then(|n| n.to_str()) {
                Some("result.json") => load_run(&file, &mut study),
                Some("iterbench.json") => iterbench_paths.push(file),
                Some("study.json") => load_manifest(&file, &mut study),
                Some("nginx-skipped.txt") => load_nginx_skipped(&file, &mut study),
                _ => {}
            }
        }
    }
    load_iterbench(&iterbench_paths, &mut study);
    Ok(study)
}

/// The files of interest under `dir`, depth first, in name order (so reports are stable).
fn walk(dir: &Path, skip: Option<&Path>, files: &mut Vec<PathBuf>) -> Result<(), ReportError> {
    let read_error = |source| ReportError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(read_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let file_type = entry.file_type().map_err(read_error)?;
        if file_type.is_dir() {
            let canonical = std::fs::canonicalize(&path).ok();
            if skip.is_some() && canonical.as_deref() == skip {
                continue;
            }
            walk(&path, skip, files)?;
        } else if matches!(
            entry.file_name().to_str(),
            Some("result.json" | "iterbench.json" | "study.json" | "nginx-skipped.txt")
        ) {
            files.push(path);
        }
    }
    Ok(())
}

fn load_run(path: &Path, study: &mut Study) {
    let result = match crate::output::read_result(path) {
        Ok(result) => result,
        Err(error) => {
            study.warnings.push(format!("skipped: {error}"));
            return;
        }
    };
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let histogram_file = result
        .files
        .get("latency_hdr")
        .cloned()
        .unwrap_or_else(|| "latency.hdr".to_string());
    let latency = match crate::output::read_histogram(&dir.join(&histogram_file)) {
        Ok(histogram) => Some(histogram),
        Err(error) => {
            study.warnings.push(format!(
                "{}: no latency histogram, its spectrum is left out ({error})",
                dir.display()
            ));
            None
        }
    };
    study.runs.push(Run {
        dir,
        result,
        latency,
    });
}

fn load_manifest(path: &Path, study: &mut Study) {
    let parsed = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| crate::manifest::parse(&bytes).map_err(|e| e.to_string()));
    match parsed {
        Ok(manifest) => study.manifests.push(Manifest {
            path: path.to_path_buf(),
            study: manifest,
        }),
        Err(error) => study
            .warnings
            .push(format!("skipped {}: {error}", path.display())),
    }
}

fn load_nginx_skipped(path: &Path, study: &mut Study) {
    match std::fs::read_to_string(path) {
        Ok(text) => study.nginx_skipped.extend(
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_string),
        ),
        Err(error) => study
            .warnings
            .push(format!("cannot read {}: {error}", path.display())),
    }
}

/// Takes the first readable iterbench.json; more than one is worth a warning, since only
/// one can head the C1 verdict.
fn load_iterbench(paths: &[PathBuf], study: &mut Study) {
    for path in paths {
        match crate::report::iterbench::read(path) {
            Ok(summary) if study.iterbench.is_none() => study.iterbench = Some(summary),
            Ok(_) => study.warnings.push(format!(
                "{} ignored: C1 uses the first iterbench.json found",
                path.display()
            )),
            Err(error) => study
                .warnings
                .push(format!("skipped {}: {error}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: &str, label: &str) -> TargetInfo {
        TargetInfo {
            kind: kind.into(),
            label: label.into(),
            url: "http://127.0.0.1:1".into(),
            server_threads: None,
            server_cpus: None,
            read_states: 0,
            setup: None,
        }
    }

    #[test]
    fn servers_are_told_apart_by_kind_then_label() {
        assert_eq!(Server::of(&target("go", "go-nethttp")), Server::Go);
        assert_eq!(Server::of(&target("rust", "rust-axum")), Server::Rust);
        assert_eq!(Server::of(&target("external", "nginx")), Server::Nginx);
        assert_eq!(Server::of(&target("external", "pingora")), Server::Pingora);
        assert_eq!(
            Server::of(&target("external", "127.0.0.1:9000")),
            Server::Other("127.0.0.1:9000".into())
        );
        assert!(Server::Go < Server::Rust && Server::Rust < Server::Nginx);
    }

    #[test]
    fn an_empty_directory_gives_an_empty_study_and_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let study = collect(&[dir.path().to_path_buf()], &dir.path().join("report")).unwrap();
        assert!(study.is_empty());
        let file = dir.path().join("x");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            collect(&[file], dir.path()),
            Err(ReportError::NotADirectory { .. })
        ));
    }

    #[test]
    fn unreadable_files_become_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("a");
        std::fs::create_dir_all(&run).unwrap();
        std::fs::write(run.join("result.json"), "{not json").unwrap();
        std::fs::write(
            dir.path().join("nginx-skipped.txt"),
            "nginx: not installed\n",
        )
        .unwrap();
        let study = collect(&[dir.path().to_path_buf()], &dir.path().join("report")).unwrap();
        assert!(study.runs.is_empty());
        assert_eq!(study.warnings.len(), 1, "{:?}", study.warnings);
        assert_eq!(
            study.nginx_skipped,
            vec!["nginx: not installed".to_string()]
        );
    }
}
