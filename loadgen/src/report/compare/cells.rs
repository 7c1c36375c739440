//! Which runs of the two sides measure the same thing: a cell is one server × workload ×
//! load (and every label except the repetition number), so repetitions of a cell pool
//! together and the two sides pair cell by cell.

use std::collections::BTreeMap;

use crate::report::collect::Run;

/// The identity of a cell, readable on its own (it is printed as the row's name).
pub type CellKey = String;

/// Labels that tell repetitions of one cell apart rather than name the cell.
const REPETITION_LABELS: [&str; 2] = ["repetition", "order"];

/// The cell a run belongs to.
pub fn cell_key(run: &Run) -> CellKey {
    let r = &run.result;
    let load = match r.load.rate_per_second {
        Some(rate) => format!("{}/s", rate.round() as u64),
        None => "closed loop".to_string(),
    };
    let mut parts = vec![
        r.target.label.clone(),
        r.workload.name.clone(),
        load,
        format!("{} conn", r.load.connections),
    ];
    for (name, value) in &r.labels {
        if !REPETITION_LABELS.contains(&name.as_str()) {
            parts.push(format!("{name}={value}"));
        }
    }
    parts.join(" · ")
}

/// Runs grouped by cell, in key order.
pub fn group<'a>(runs: impl IntoIterator<Item = &'a Run>) -> BTreeMap<CellKey, Vec<&'a Run>> {
    let mut cells: BTreeMap<CellKey, Vec<&Run>> = BTreeMap::new();
    for run in runs {
        cells.entry(cell_key(run)).or_default().push(run);
    }
    cells
}
