//! Running many measurements as one study (used by `sweep` and `reproduce`): servers are
//! started per block of measurements, every run lands in its own directory under the study's,
//! a failed run is noted and the study goes on, and Ctrl-C ends it after saving what was
//! measured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use server_launcher::ServerKind;

use crate::cli::LoadArgs;
use crate::error::LoadgenError;
use crate::plan::plan_measurement;
use crate::result::{Environment, RunResult};
use crate::run::{RunOutcome, measure};
use crate::target::Target;

/// Shared settings and bookkeeping of a study.
pub struct Study {
    pub dir: PathBuf,
    pub load: LoadArgs,
    pub environment: Environment,
    pub interrupt: Arc<AtomicBool>,
    pub notes: Vec<String>,
    pub failures: usize,
    /// The planned steps, in words, for study.json and the report.
    pub plan: Vec<String>,
    /// The study's estimate of its own duration, made before the first run.
    pub estimated_seconds: Option<f64>,
    started: Instant,
    runs_done: usize,
    runs_planned: usize,
}

/// One measurement of a study.
pub struct Step<'a> {
    pub name: String,
    pub workload: &'a str,
    pub rate: Option<f64>,
    /// HTTP/1.1 pipelining depth (1: none), as `--pipeline`.
    pub pipeline: usize,
    pub labels: &'a [(&'a str, String)],
}

impl Study {
    pub fn new(
        dir: PathBuf,
        load: LoadArgs,
        interrupt: Arc<AtomicBool>,
        runs_planned: usize,
    ) -> Self {
        let environment = crate::environment::capture(&server_launcher::workspace_root(), true);
        if let Some(warning) = crate::environment::dirty_tree_warning(&environment) {
            eprintln!("loadgen: {warning}");
        }
        Self {
            dir,
            load,
            environment,
            interrupt,
            notes: Vec::new(),
            failures: 0,
            plan: Vec::new(),
            estimated_seconds: None,
            started: Instant::now(),
            runs_done: 0,
            runs_planned,
        }
    }

    pub fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    pub fn elapsed_seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Prints a progress line for the study.
    pub fn say(&self, message: &str) {
        eprintln!("[{:>4.0}s] {message}", self.started.elapsed().as_secs_f64());
    }

    /// Records something the reader of the report should know (a skipped or failed step).
    pub fn note(&mut self, message: String) {
        self.say(&format!("note: {message}"));
        self.notes.push(message);
    }

    /// Starts a reference server with this study's pinning and `read_states` entries, as
    /// the study's load settings say (as shipped unless they ask for the tuned variant).
    pub fn start_server(&self, kind: ServerKind, read_states: u64) -> Result<Target, LoadgenError> {
        self.start_variant(kind, self.load.variant, read_states)
    }

    /// [`Study::start_server`] for a given variant.
    pub fn start_variant(
        &self,
        kind: ServerKind,
        variant: server_launcher::Variant,
        read_states: u64,
    ) -> Result<Target, LoadgenError> {
        let mut load = self.load.clone();
        load.variant = variant;
        load.read_states = Some(read_states);
        let plan = plan_measurement(
            &kind.to_string(),
            "plaintext",
            None,
            &load,
            self.dir.clone(),
        )?;
        let say = |m: &str| self.say(m);
        Target::prepare(&plan, &say)
    }

    /// Measures one step against a running target; a failure is noted, not fatal.
    pub fn measure(&mut self, target: &mut Target, step: Step<'_>) -> Option<RunResult> {
        if self.interrupted() {
            return None;
        }
        self.runs_done += 1;
        let target_arg = match target {
            Target::Spawned { kind, .. } => kind.to_string(),
            Target::External { url, .. } => url.clone(),
        };
        let mut load = self.load.clone();
        load.pipeline = step.pipeline;
        if let Target::Spawned { read_states, .. } = target {
            load.read_states = Some(*read_states);
        }
        let dir = self.dir.join("runs").join(&step.name);
        let mut plan = match plan_measurement(&target_arg, step.workload, step.rate, &load, dir) {
            Ok(plan) => plan,
            Err(error) => {
                self.failures += 1;
                self.note(format!("{}: not run: {error}", step.name));
                return None;
            }
        };
        plan.labels = step
            .labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>();
        plan.show_progress = !self.load.quiet;
        self.say(&format!(
            "run {}/{}: {} ({}, {})",
            self.runs_done,
            self.runs_planned,
            step.name,
            target.label(),
            step.rate
                .map_or("closed loop".to_string(), |r| format!("{r:.0} req/s"))
        ));
        match measure(&plan, target, &self.environment, &self.interrupt) {
            Ok(outcome) => {
                self.report_line(&outcome);
                Some(outcome.result)
            }
            Err(error) => {
                self.failures += 1;
                self.note(format!("{}: failed: {error}", step.name));
                None
            }
        }
    }

    fn report_line(&mut self, outcome: &RunOutcome) {
        let f = &outcome.result.figures;
        let ms = |us: u64| us as f64 / 1000.0;
        self.say(&format!(
            "    {:.0} req/s, p50 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms, errors {}{}",
            f.requests_per_second,
            ms(f.latency.p50_us),
            ms(f.latency.p99_us),
            ms(f.latency.p99_9_us),
            ms(f.latency.max_us),
            f.errors,
            if f.behind_schedule { ", BEHIND SCHEDULE" } else { "" }
        ));
        if !outcome.result.complete {
            self.failures += 1;
            self.note(format!(
                "{}: incomplete: {}",
                outcome.dir.display(),
                outcome.result.incomplete_reason.as_deref().unwrap_or("?")
            ));
        }
    }

    /// Stops a server, noting (not failing on) a problem.
    pub fn stop(&mut self, target: Target) {
        if let Err(error) = target.stop() {
            self.note(format!("stopping a server: {error}"));
        }
    }

    /// Writes study.json: the plan, when, how long, and the notes.
    pub fn write_manifest(&self, quick: bool, started_at: &str) -> Result<PathBuf, LoadgenError> {
        let manifest = crate::manifest::StudyManifest {
            schema_version: crate::manifest::MANIFEST_SCHEMA_VERSION,
            quick,
            started_at: started_at.to_string(),
            finished_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                .to_string(),
            elapsed_seconds: self.elapsed_seconds(),
            estimated_seconds: self.estimated_seconds,
            plan: self.plan.clone(),
            failures: self.failures as u64,
            interrupted: self.interrupted(),
            notes: self.notes.clone(),
            environment: Some(self.environment.clone()),
        };
        let path = self.dir.join("study.json");
        crate::output::write_atomically(
            &path,
            &serde_json::to_vec_pretty(&manifest).expect("manifest serializes"),
        )?;
        Ok(path)
    }
}

/// Rates at the given fractions of a maximum, rounded to whole requests per second.
pub fn rates_at(max_rps: f64, fractions: &[f64]) -> Vec<(f64, f64)> {
    fractions
        .iter()
        .map(|&f| (f, (max_rps * f).round().max(1.0)))
        .collect()
}

/// A directory-safe name for a rate step.
pub fn step_name(parts: &[&str]) -> String {
    parts.join("-").replace(['/', ' '], "_")
}

/// Parses "0.25,0.5" into fractions in (0, 1].
pub fn parse_fractions(text: &str) -> Result<Vec<f64>, crate::plan::PlanError> {
    text.split(',')
        .map(|part| {
            let value: f64 = part.trim().parse().map_err(|_| {
                crate::plan::PlanError(format!("'{part}' is not a fraction (expected e.g. 0.5)"))
            })?;
            if value > 0.0 && value <= 1.0 {
                Ok(value)
            } else {
                Err(crate::plan::PlanError(format!(
                    "fraction {value} is outside (0, 1]"
                )))
            }
        })
        .collect()
}

pub fn ensure_dir(dir: &Path) -> Result<(), LoadgenError> {
    crate::output::check_writable(dir).map_err(LoadgenError::OutDir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_validated_and_rates_rounded() {
        assert_eq!(parse_fractions("0.25, 0.5").unwrap(), vec![0.25, 0.5]);
        assert!(parse_fractions("0").is_err());
        assert!(parse_fractions("1.5").is_err());
        assert!(parse_fractions("x").is_err());
        assert_eq!(rates_at(1001.0, &[0.5]), vec![(0.5, 501.0)]);
    }
}
