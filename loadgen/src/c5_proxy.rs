//! The study's step for claim C5 as the article means it: Cloudflare's Pingora against NGINX,
//! each a reverse proxy in front of the same upstream (rust-server), at the same constant
//! rates; the proxy's CPU per request and peak RSS are what the verdict reads.
//!
//! - Workload: plaintext. The proxy's work per request hardly depends on the body, and the
//!   smallest answer keeps the upstream's share of the machine (and so its interference) as
//!   small as possible; what is measured is the proxying itself.
//! - Cores: the proxy alone on the server CPUs (it is the measured process); the upstream on a
//!   CPU of its own where there is one to spare, else beside loadgen (on 2 cores), never beside
//!   the proxy.
//! - Rates: fractions of the lower closed-loop maximum of the two chains (one closed-loop run
//!   through each proxy), the same absolute rates for both, below both proxies' capacity.
//! - Every run on fresh processes (upstream and proxy), repetitions interleaved, cell order
//!   rotated, as the other verdict cells.

use std::net::SocketAddr;
use std::path::Path;

use server_launcher::{LaunchSpec, RunningServer, ServerKind};

use crate::experiments::{
    C5_PROXY_EXPERIMENT, C5_PROXY_MAX_EXPERIMENT, NGINX_LABEL, PINGORA_LABEL,
};
use crate::external_process::Unavailable;
use crate::nginx::Nginx;
use crate::pingora::PingoraProxy;
use crate::plan::{TargetPlan, plan_measurement};
use crate::study::{Step, Study, step_name};
use crate::target::Target;

/// The workload every proxy run sends (see the module's documentation for why).
pub const WORKLOAD: &str = "plaintext";

/// One of the two proxies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proxy {
    Pingora,
    Nginx,
}

impl Proxy {
    pub const BOTH: [Proxy; 2] = [Proxy::Pingora, Proxy::Nginx];

    /// The `server` label of its runs.
    pub fn label(self) -> &'static str {
        match self {
            Proxy::Pingora => PINGORA_LABEL,
            Proxy::Nginx => NGINX_LABEL,
        }
    }
}

/// Where the proxy and its upstream run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyCpus {
    /// The measured process's CPUs (its worker count is their number).
    pub proxy: Option<Vec<usize>>,
    /// The upstream's CPUs.
    pub upstream: Option<Vec<usize>>,
}

impl ProxyCpus {
    /// From the study's usual split (loadgen on the first CPUs, the server on the rest): the
    /// proxy keeps the server CPUs, less the last one, which the upstream takes, when there
    /// are two or more; with one server CPU (a 2-core machine) the upstream shares loadgen's.
    /// Unpinned stays unpinned.
    pub fn split(loadgen: Option<&[usize]>, server: Option<&[usize]>) -> ProxyCpus {
        match server {
            Some([rest @ .., last]) if !rest.is_empty() => ProxyCpus {
                proxy: Some(rest.to_vec()),
                upstream: Some(vec![*last]),
            },
            _ => ProxyCpus {
                proxy: server.map(<[usize]>::to_vec),
                upstream: loadgen.map(<[usize]>::to_vec),
            },
        }
    }

    fn workers(cpus: &Option<Vec<usize>>) -> usize {
        cpus.as_ref().map_or(1, Vec::len)
    }

    /// In words, for the step's labels and the report.
    pub fn describe(&self) -> String {
        let cpus = |c: &Option<Vec<usize>>| {
            c.as_ref().map_or("unpinned".to_string(), |c| {
                format!(
                    "CPU {}",
                    c.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
                )
            })
        };
        format!(
            "proxy on {}, upstream on {}",
            cpus(&self.proxy),
            cpus(&self.upstream)
        )
    }
}

/// The study's CPU split for the proxy runs, from the pinning a spawned server would get.
fn plan_cpus(study: &Study) -> ProxyCpus {
    match plan_measurement("rust", WORKLOAD, None, &study.load, study.dir.clone()) {
        Ok(plan) => match &plan.target {
            TargetPlan::Spawn { server_cpus, .. } => {
                ProxyCpus::split(plan.loadgen_cpus.as_deref(), server_cpus.as_deref())
            }
            TargetPlan::External { .. } => ProxyCpus::split(plan.loadgen_cpus.as_deref(), None),
        },
        Err(_) => ProxyCpus::split(None, None),
    }
}

/// A proxy and its upstream, started for one run and stopped after it.
struct Chain {
    target: Target,
    version: String,
    proxy: RunningProxy,
    upstream: RunningServer,
}

/// Held for its drop, which stops the proxy.
enum RunningProxy {
    Pingora { _process: PingoraProxy },
    Nginx { _process: Nginx },
}

/// The C5 proxy step: maxima through both chains, then `fractions` of the lower one,
/// `repetitions` times each, interleaved. A failure is noted and ends the step.
pub fn run(study: &mut Study, repetitions: usize, fractions: &[f64]) {
    let cpus = plan_cpus(study);
    let pingora = match crate::pingora::build() {
        Ok(binary) => binary,
        Err(error) => {
            study.failures += 1;
            study.note(format!("C5 proxies skipped: {error}"));
            return;
        }
    };
    study.say(&format!("C5 proxies: {}", cpus.describe()));
    let mut maxima = Vec::new();
    for proxy in Proxy::BOTH {
        let name = step_name(&["c5", proxy.label(), "max"]);
        let labels = [
            ("experiment", C5_PROXY_MAX_EXPERIMENT.to_string()),
            ("placement", cpus.describe()),
        ];
        match on_fresh_chain(study, proxy, &pingora, &cpus, None, name, &labels) {
            Some(rps) if rps > 0.0 => maxima.push(rps),
            _ => {
                study.note(format!(
                    "C5 proxies skipped: no closed-loop maximum through {}",
                    proxy.label()
                ));
                return;
            }
        }
    }
    let lower = maxima.iter().copied().fold(f64::INFINITY, f64::min);
    let cells: Vec<(f64, Proxy)> = fractions
        .iter()
        .flat_map(|&f| Proxy::BOTH.map(|p| (f, p)))
        .collect();
    for repetition in 1..=repetitions {
        for (fraction, proxy) in crate::reproduce::rotated(&cells, repetition - 1) {
            if study.interrupted() {
                return;
            }
            let rate = (lower * fraction).round().max(1.0);
            let name = step_name(&[
                "c5",
                proxy.label(),
                WORKLOAD,
                &fraction.to_string(),
                &repetition.to_string(),
            ]);
            let labels = [
                ("experiment", C5_PROXY_EXPERIMENT.to_string()),
                ("fraction", fraction.to_string()),
                ("rate_basis", "common".to_string()),
                ("repetition", repetition.to_string()),
                ("placement", cpus.describe()),
            ];
            on_fresh_chain(study, proxy, &pingora, &cpus, Some(rate), name, &labels);
        }
    }
}

/// One measurement through a proxy and an upstream started for it alone; the achieved
/// requests per second, or None (a failure is noted).
fn on_fresh_chain(
    study: &mut Study,
    proxy: Proxy,
    pingora: &Path,
    cpus: &ProxyCpus,
    rate: Option<f64>,
    name: String,
    labels: &[(&str, String)],
) -> Option<f64> {
    let mut chain = match start_chain(proxy, pingora, cpus) {
        Ok(chain) => chain,
        Err(error) => {
            study.failures += 1;
            study.note(format!("{name}: could not start: {error}"));
            return None;
        }
    };
    let mut labels = labels.to_vec();
    labels.push(("server", proxy.label().to_string()));
    labels.push(("server_version", chain.version.clone()));
    let result = study.measure(
        &mut chain.target,
        Step {
            name,
            workload: WORKLOAD,
            rate,
            pipeline: 1,
            labels: &labels,
        },
    );
    // The proxy first (its drop stops it), then its upstream.
    let Chain {
        proxy: running_proxy,
        upstream,
        ..
    } = chain;
    drop(running_proxy);
    crate::children::unregister(upstream.pid());
    if let Err(error) = upstream.stop() {
        study.note(format!("stopping the C5 upstream: {error}"));
    }
    result.map(|r| r.figures.requests_per_second)
}

/// The upstream, then the proxy in front of it, each pinned as `cpus` says.
fn start_chain(proxy: Proxy, pingora: &Path, cpus: &ProxyCpus) -> Result<Chain, String> {
    let binary = server_launcher::ensure_built(ServerKind::Rust).map_err(|e| e.to_string())?;
    let upstream = RunningServer::start(&LaunchSpec {
        threads: ProxyCpus::workers(&cpus.upstream),
        read_states: 0,
        cpus: cpus.upstream.clone(),
        ..LaunchSpec::new(ServerKind::Rust, binary)
    })
    .map_err(|e| format!("upstream rust-server: {e}"))?;
    crate::children::register(upstream.pid());
    let workers = ProxyCpus::workers(&cpus.proxy);
    let started = start_proxy(proxy, pingora, upstream.addr(), workers, cpus.proxy.clone());
    let (running, target, version) = match started {
        Ok(started) => started,
        Err(error) => {
            crate::children::unregister(upstream.pid());
            return Err(error.to_string());
        }
    };
    Ok(Chain {
        target,
        version,
        proxy: running,
        upstream,
    })
}

fn start_proxy(
    proxy: Proxy,
    pingora: &Path,
    upstream: SocketAddr,
    workers: usize,
    cpus: Option<Vec<usize>>,
) -> Result<(RunningProxy, Target, String), Unavailable> {
    let pinned = cpus.as_deref();
    Ok(match proxy {
        Proxy::Pingora => {
            let p = PingoraProxy::start(pingora, upstream, workers, pinned)?;
            let target = p.process().target(proxy.label(), cpus, workers);
            let version = p.version.clone();
            (RunningProxy::Pingora { _process: p }, target, version)
        }
        Proxy::Nginx => {
            let n = Nginx::start_proxy(upstream, workers, pinned)?;
            let target = n.process().target(proxy.label(), cpus, workers);
            let version = n.version.clone();
            (RunningProxy::Nginx { _process: n }, target, version)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upstream_never_shares_the_proxys_cpu() {
        // 2 cores: loadgen on 0, the proxy alone on 1, the upstream beside loadgen.
        let two = ProxyCpus::split(Some(&[0]), Some(&[1]));
        assert_eq!(two.proxy, Some(vec![1]));
        assert_eq!(two.upstream, Some(vec![0]));
        // 4 cores: the upstream gets the last server CPU for itself.
        let four = ProxyCpus::split(Some(&[0]), Some(&[1, 2, 3]));
        assert_eq!(four.proxy, Some(vec![1, 2]));
        assert_eq!(four.upstream, Some(vec![3]));
        assert_eq!(four.describe(), "proxy on CPU 1,2, upstream on CPU 3");
        // One CPU: nothing pinned.
        let one = ProxyCpus::split(None, None);
        assert_eq!((one.proxy, one.upstream), (None, None));
    }
}
