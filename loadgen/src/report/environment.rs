//! The environment that heads the report: machine, kernel, versions, commit and pinning, as
//! recorded in the results. Runs from more than one environment are listed, not merged.

use std::collections::BTreeSet;

use crate::report::charts::select;
use crate::report::collect::{Run, Study};
use crate::report::format;
use crate::result::Environment;

/// One "name: value" line of the header.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Field {
    pub name: &'static str,
    pub value: String,
}

/// The header's lines; `warning` is set when the runs come from different environments.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Header {
    pub fields: Vec<Field>,
    pub warning: Option<String>,
}

pub fn header(study: &Study) -> Header {
    let environments: Vec<&Environment> =
        study.runs.iter().map(|r| &r.result.environment).collect();
    let distinct = |f: &dyn Fn(&Environment) -> String| {
        let values: BTreeSet<String> = environments.iter().map(|e| f(e)).collect();
        if values.is_empty() {
            "–".to_string()
        } else {
            values.into_iter().collect::<Vec<_>>().join(" | ")
        }
    };
    // Pinning may differ between servers (nginx runs recorded none before they could):
    // each value then says whose it is.
    let runs: Vec<&Run> = study.runs.iter().collect();
    let runs_distinct = |f: &dyn Fn(&Run) -> String| select::which_joined(&runs, f, " | ");
    let unknown = || "unknown".to_string();
    let fields = vec![
        Field {
            name: "CPU",
            value: distinct(&|e| format!("{} ({} logical CPUs)", e.cpu_model, e.logical_cpus)),
        },
        Field {
            name: "Kernel",
            value: distinct(&|e| e.kernel.clone()),
        },
        Field {
            name: "Host",
            value: distinct(&|e| e.hostname.clone()),
        },
        Field {
            name: "Server pinning",
            value: runs_distinct(&|r| {
                format!(
                    "CPU {}, {}",
                    format::cpus(r.result.target.server_cpus.as_deref()),
                    // An external server's count is its worker processes (nginx's).
                    format::server_threads(&r.result.target)
                )
            }),
        },
        Field {
            name: "Load generator pinning",
            value: runs_distinct(&|r| {
                format!(
                    "CPU {}, {}",
                    format::cpus(r.result.load.loadgen_cpus.as_deref()),
                    format::count_of(Some(r.result.load.loadgen_threads), "thread")
                )
            }),
        },
        Field {
            name: "rustc",
            value: distinct(&|e| e.rustc_version.clone().unwrap_or_else(unknown)),
        },
        Field {
            name: "Go",
            value: distinct(&|e| e.go_version.clone().unwrap_or_else(unknown)),
        },
        Field {
            name: "loadgen",
            value: distinct(&|e| e.loadgen_version.clone()),
        },
        Field {
            name: "Commit",
            value: distinct(&|e| e.git_commit.clone().unwrap_or_else(unknown)),
        },
    ];
    let machines: BTreeSet<(&str, &str, &str)> = environments
        .iter()
        .map(|e| (e.hostname.as_str(), e.cpu_model.as_str(), e.kernel.as_str()))
        .collect();
    let warning = (machines.len() > 1).then(|| {
        format!(
            "These results come from {} different machines or kernels: compare across them with care.",
            machines.len()
        )
    });
    Header { fields, warning }
}
