//! `loadgen compare BASE NEW`: two runs or two studies side by side, figure by figure, with
//! the change, its 95 % interval and a verdict (improved, regressed, no change beyond noise),
//! in the model of criterion's change detection. Reads result files only, like the report.
//!
//! - [`cells`] pairs the runs of both sides (one server × workload × load; repetitions pool);
//! - [`figures`] says what is compared and which direction is better;
//! - [`interval`] estimates new/base and its interval (seeded bootstrap);
//! - [`change`] judges each figure; [`text`] and [`page`] print it.

pub mod cells;
pub mod change;
pub mod figures;
pub mod interval;
pub mod page;
pub mod text;

use std::path::{Path, PathBuf};

use crate::report::ReportError;
use crate::report::collect::{Run, collect};
use change::{ChangeVerdict, FigureChange};
use figures::Figure;

/// How changes are judged and when the command fails.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Changes smaller than this fraction are noise, whatever their interval (criterion's
    /// noise threshold; default 5 %).
    pub noise: f64,
    /// Figures whose regression fails the command (`--fail-on`).
    pub fail_on: Vec<Figure>,
    /// A listed figure fails the command when it regressed by more than this fraction.
    pub fail_threshold: f64,
}

/// One cell of both sides.
#[derive(Debug, Clone)]
pub struct CellComparison {
    /// The cell's name (server · workload · load · labels); "A vs B" when two single runs
    /// of different cells were paired.
    pub cell: String,
    pub base_runs: usize,
    pub new_runs: usize,
    pub figures: Vec<FigureChange>,
}

/// Everything `compare` found.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub base: PathBuf,
    pub new: PathBuf,
    pub cells: Vec<CellComparison>,
    /// Cells found on one side only.
    pub only_in_base: Vec<String>,
    pub only_in_new: Vec<String>,
    /// Runs left out (incomplete, or behind schedule), per side.
    pub excluded_base: usize,
    pub excluded_new: usize,
    pub noise: f64,
}

/// A figure that regressed beyond the failure threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub cell: String,
    pub figure: Figure,
    pub worsening: f64,
}

/// Loads both sides and compares every cell they share.
pub fn compare(
    base: &Path,
    new: &Path,
    options: &CompareOptions,
) -> Result<Comparison, ReportError> {
    let base_study = load(base)?;
    let new_study = load(new)?;
    let (base_runs, new_runs) = (usable(&base_study.runs), usable(&new_study.runs));
    let base_cells = cells::group(base_runs.iter().copied());
    let new_cells = cells::group(new_runs.iter().copied());
    let mut comparison = Comparison {
        base: base.to_path_buf(),
        new: new.to_path_buf(),
        cells: Vec::new(),
        only_in_base: Vec::new(),
        only_in_new: Vec::new(),
        excluded_base: base_study.runs.len() - base_runs.len(),
        excluded_new: new_study.runs.len() - new_runs.len(),
        noise: options.noise,
    };
    if base_cells.len() == 1 && new_cells.len() == 1 {
        // Two single cells: the user asked to compare exactly these, whatever their labels.
        let (base_key, base_group) = base_cells.iter().next().expect("one cell");
        let (new_key, new_group) = new_cells.iter().next().expect("one cell");
        let cell = if base_key == new_key {
            base_key.clone()
        } else {
            format!("{base_key}  vs  {new_key}")
        };
        comparison
            .cells
            .push(compare_cell(cell, base_group, new_group, options));
        return Ok(comparison);
    }
    for (key, base_group) in &base_cells {
        match new_cells.get(key) {
            Some(new_group) => {
                comparison
                    .cells
                    .push(compare_cell(key.clone(), base_group, new_group, options))
            }
            None => comparison.only_in_base.push(key.clone()),
        }
    }
    comparison.only_in_new = new_cells
        .keys()
        .filter(|key| !base_cells.contains_key(*key))
        .cloned()
        .collect();
    Ok(comparison)
}

impl Comparison {
    /// The listed figures that regressed by more than the threshold.
    pub fn failures(&self, options: &CompareOptions) -> Vec<Failure> {
        self.cells
            .iter()
            .flat_map(|cell| {
                cell.figures.iter().filter_map(|change| {
                    let listed = options.fail_on.contains(&change.figure);
                    let regressed = change.verdict == ChangeVerdict::Regressed
                        && change.worsening() > options.fail_threshold;
                    (listed && regressed).then(|| Failure {
                        cell: cell.cell.clone(),
                        figure: change.figure,
                        worsening: change.worsening(),
                    })
                })
            })
            .collect()
    }
}

fn compare_cell(
    cell: String,
    base: &[&Run],
    new: &[&Run],
    options: &CompareOptions,
) -> CellComparison {
    CellComparison {
        cell,
        base_runs: base.len(),
        new_runs: new.len(),
        figures: Figure::ALL
            .into_iter()
            .filter_map(|figure| change::change(figure, base, new, options.noise))
            .collect(),
    }
}

/// The runs a comparison may use: complete, and on schedule at a constant rate.
fn usable(runs: &[Run]) -> Vec<&Run> {
    runs.iter().filter(|r| r.is_usable()).collect()
}

fn load(dir: &Path) -> Result<crate::report::collect::Study, ReportError> {
    if !dir.is_dir() {
        return Err(ReportError::NotADirectory {
            path: dir.to_path_buf(),
        });
    }
    // Nothing is skipped: compare writes nothing inside the directories it reads.
    let study = collect(&[dir.to_path_buf()], &dir.join(".loadgen-compare-none"))?;
    if study.runs.is_empty() {
        return Err(ReportError::NoResults {
            dirs: dir.display().to_string(),
        });
    }
    Ok(study)
}
