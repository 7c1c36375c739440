//! The latency-versus-throughput sweep: each server's maximum throughput (closed loop), then
//! constant-rate steps at fractions of its own maximum, and at the same absolute rates for
//! every server (fractions of the lowest maximum), so that both comparisons are available.

use server_launcher::ServerKind;

use crate::study::{Step, Study, rates_at, step_name};

/// Each server's measured maximum throughput (requests/s) for the workload.
pub type Maxima = Vec<(ServerKind, f64)>;

/// Closed-loop maximum of each server, each on a fresh server with `read_states` entries.
/// With `own_fractions`, the constant-rate steps at fractions of the server's own maximum
/// follow on the same server process.
pub fn measure_maxima(
    study: &mut Study,
    kinds: &[ServerKind],
    workload: &str,
    read_states: u64,
    own_fractions: &[f64],
) -> Maxima {
    let mut maxima = Maxima::new();
    for &kind in kinds {
        if study.interrupted() {
            break;
        }
        let mut target = match study.start_server(kind, read_states) {
            Ok(target) => target,
            Err(error) => {
                study.failures += 1;
                study.note(format!("{kind}: could not start: {error}"));
                continue;
            }
        };
        let max = study.measure(
            &mut target,
            Step {
                name: step_name(&["max", &kind.to_string(), workload]),
                workload,
                rate: None,
                pipeline: 1,
                labels: &[("experiment", "max-throughput".to_string())],
            },
        );
        if let Some(result) = max.filter(|r| r.figures.requests > 0) {
            let max_rps = result.figures.requests_per_second;
            maxima.push((kind, max_rps));
            for (fraction, rate) in rates_at(max_rps, own_fractions) {
                study.measure(
                    &mut target,
                    Step {
                        name: step_name(&[
                            "sweep",
                            &kind.to_string(),
                            workload,
                            "own",
                            &fraction.to_string(),
                        ]),
                        workload,
                        rate: Some(rate),
                        pipeline: 1,
                        labels: &[
                            ("experiment", "sweep".to_string()),
                            ("fraction", fraction.to_string()),
                            ("rate_basis", "own-max".to_string()),
                        ],
                    },
                );
            }
        }
        study.stop(target);
    }
    maxima
}

/// Constant-rate steps at the same absolute rates for every server: fractions of the lowest
/// maximum, so that no server is pushed past what it can serve.
pub fn common_rate_steps(
    study: &mut Study,
    maxima: &Maxima,
    workload: &str,
    read_states: u64,
    fractions: &[f64],
) {
    let Some(lowest) = maxima.iter().map(|(_, max)| *max).reduce(f64::min) else {
        study.note("common-rate sweep skipped: no server's maximum was measured".into());
        return;
    };
    for &(kind, _) in maxima {
        if study.interrupted() {
            break;
        }
        let mut target = match study.start_server(kind, read_states) {
            Ok(target) => target,
            Err(error) => {
                study.failures += 1;
                study.note(format!("{kind}: could not start: {error}"));
                continue;
            }
        };
        for (fraction, rate) in rates_at(lowest, fractions) {
            study.measure(
                &mut target,
                Step {
                    name: step_name(&[
                        "sweep",
                        &kind.to_string(),
                        workload,
                        "common",
                        &fraction.to_string(),
                    ]),
                    workload,
                    rate: Some(rate),
                    pipeline: 1,
                    labels: &[
                        ("experiment", "sweep".to_string()),
                        ("fraction", fraction.to_string()),
                        ("rate_basis", "common".to_string()),
                    ],
                },
            );
        }
        study.stop(target);
    }
}
