//! The environment that heads the report: machine, kernel, versions, commit and pinning, as
//! recorded in the results. Runs from more than one environment are listed, not merged.

use std::collections::BTreeSet;

use crate::report::collect::{Run, Study};
use crate::report::format;
use crate::report::select;
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
            name: "CPU topology",
            value: distinct(&|e| topology(e)),
        },
        Field {
            name: "CPU steal",
            value: steal(&runs),
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

/// "1 thread per core (no SMT)", or the siblings of each CPU when cores are shared.
fn topology(environment: &Environment) -> String {
    let Some(topology) = &environment.cpu_topology else {
        return "not recorded".to_string();
    };
    if topology.threads_per_core <= 1 {
        return "1 thread per core (no SMT): every CPU is a core of its own".to_string();
    }
    let siblings = topology
        .core_siblings
        .iter()
        .map(|(cpu, siblings)| format!("{cpu}: {}", format::cpus(Some(siblings))))
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "{} threads per core (SMT): CPUs sharing a core: {siblings}",
        topology.threads_per_core
    )
}

/// The worst steal time of the pinned CPUs over the runs' windows, and how many runs saw any.
fn steal(runs: &[&Run]) -> String {
    let shares: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.result.cpu_steal.as_ref())
        .map(|steal| steal.max_steal_share)
        .collect();
    if shares.is_empty() {
        return "not recorded".to_string();
    }
    let worst = shares.iter().copied().fold(0.0, f64::max);
    let stolen = shares.iter().filter(|&&share| share > 0.0).count();
    format!(
        "at most {:.1} % of a pinned CPU's time in a measured window; {stolen} of {} runs \
         had some (the hypervisor running others on our cores)",
        100.0 * worst,
        shares.len()
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::report::fixtures::{RunSpec, run};
    use crate::result::{CpuSteal, CpuStealOfOne, CpuTopology};

    #[test]
    fn topology_names_shared_cores() {
        let mut environment = run(RunSpec::default()).result.environment;
        assert_eq!(topology(&environment), "not recorded");
        environment.cpu_topology = Some(CpuTopology {
            threads_per_core: 2,
            core_siblings: BTreeMap::from([(0, vec![0, 1]), (1, vec![0, 1])]),
        });
        let text = topology(&environment);
        assert!(text.starts_with("2 threads per core (SMT)"), "{text}");
        assert!(
            text.ends_with("CPUs sharing a core: 0: 0,1; 1: 0,1"),
            "{text}"
        );
    }

    #[test]
    fn steal_reports_the_worst_window() {
        let mut stolen = run(RunSpec::default());
        stolen.result.cpu_steal = Some(CpuSteal {
            cpus: vec![CpuStealOfOne {
                cpu: 1,
                steal_seconds: 0.3,
                steal_share: 0.03,
            }],
            max_steal_share: 0.03,
        });
        let clean = run(RunSpec::default());
        assert_eq!(steal(&[&clean]), "not recorded");
        let text = steal(&[&stolen, &clean]);
        assert!(text.starts_with("at most 3.0 %"), "{text}");
        assert!(text.contains("1 of 1 runs"), "{text}");
    }
}
