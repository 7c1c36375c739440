//! The thing under load: a reference server that loadgen spawns (built, pinned, health-checked
//! and accounted for by server-launcher), or an external loopback server.

use std::net::SocketAddr;
use std::time::Duration;

use server_launcher::{
    GcTraceCycle, LaunchSpec, ProcUsage, RunningServer, ServerKind, Variant, ensure_variant_built,
};

use crate::error::LoadgenError;
use crate::plan::{RunPlan, TargetPlan};

/// Up to this long for a server to prefill its read states and answer /healthz.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(180);

pub enum Target {
    Spawned {
        kind: ServerKind,
        variant: Variant,
        server: RunningServer,
        threads: usize,
        cpus: Option<Vec<usize>>,
        read_states: u64,
    },
    External {
        addr: SocketAddr,
        url: String,
        /// How results name it ("external" for a plain URL, "nginx" for the C baseline).
        label: String,
        /// Where it runs and with how many workers, when loadgen started it (nginx).
        cpus: Option<Vec<usize>>,
        workers: Option<usize>,
        /// The processes that are the server, when loadgen started it (nginx's master and
        /// workers, the Pingora proxy): their CPU time and memory are summed as the server's.
        /// Empty for a server someone else runs: it is not measured.
        pids: Vec<u32>,
    },
}

impl Target {
    /// Builds and starts the planned server, or checks that the external one accepts
    /// connections.
    pub fn prepare(plan: &RunPlan, say: &dyn Fn(&str)) -> Result<Target, LoadgenError> {
        match &plan.target {
            TargetPlan::Spawn {
                kind,
                variant,
                server_threads,
                server_cpus,
            } => {
                say(&format!(
                    "building {} ({variant}, if needed)...",
                    kind.binary_name()
                ));
                let binary = ensure_variant_built(*kind, *variant)?;
                say(&format!(
                    "starting {} with {} threads on CPUs {} and {} read states...",
                    kind.binary_name(),
                    server_threads,
                    server_cpus
                        .as_ref()
                        .map_or("(unpinned)".to_string(), |c| format!("{c:?}")),
                    plan.read_states
                ));
                let server = RunningServer::start(&LaunchSpec {
                    threads: *server_threads,
                    read_states: plan.read_states,
                    cpus: server_cpus.clone(),
                    startup_timeout: STARTUP_TIMEOUT,
                    variant: *variant,
                    // The GC timeline of every Go run (one stderr line per cycle; the
                    // setting is recorded with the server's environment).
                    go_gc_trace: *kind == ServerKind::Go,
                    ..LaunchSpec::new(*kind, binary)
                })?;
                if let Some(warning) = dropped_tuning_warning(&server) {
                    say(&warning);
                }
                crate::children::register(server.pid());
                Ok(Target::Spawned {
                    kind: *kind,
                    variant: *variant,
                    server,
                    threads: *server_threads,
                    cpus: server_cpus.clone(),
                    read_states: plan.read_states,
                })
            }
            TargetPlan::External { addr, url } => {
                std::net::TcpStream::connect_timeout(addr, Duration::from_secs(3)).map_err(
                    |e| LoadgenError::Unreachable {
                        url: url.clone(),
                        message: format!("{e} (is the server running?)"),
                    },
                )?;
                Ok(Target::External {
                    addr: *addr,
                    url: url.clone(),
                    label: "external".to_string(),
                    cpus: None,
                    workers: None,
                    pids: Vec::new(),
                })
            }
        }
    }

    pub fn addr(&self) -> SocketAddr {
        match self {
            Target::Spawned { server, .. } => server.addr(),
            Target::External { addr, .. } => *addr,
        }
    }

    pub fn url(&self) -> String {
        match self {
            Target::Spawned { server, .. } => server.base_url(),
            Target::External { url, .. } => url.clone(),
        }
    }

    /// The label results carry when the server does not name itself in /debug/stats.
    pub fn label(&self) -> String {
        match self {
            Target::Spawned { kind, .. } => kind.to_string(),
            Target::External { label, .. } => label.clone(),
        }
    }

    pub fn kind_name(&self) -> String {
        match self {
            Target::Spawned { kind, .. } => kind.to_string(),
            Target::External { .. } => "external".to_string(),
        }
    }

    /// False once a spawned server has exited, or the first process of a measured external
    /// one (nginx's master, the proxy) has (a zombie has no memory left to read); other
    /// external targets are assumed alive.
    pub fn is_alive(&mut self) -> bool {
        match self {
            Target::Spawned { server, .. } => server.is_alive(),
            Target::External { pids, .. } => pids
                .first()
                .is_none_or(|&pid| server_launcher::read_usage(pid).is_ok()),
        }
    }

    /// The server's CPU time so far and its memory: the spawned server's, or the sum over an
    /// external server's processes (None when they are unknown or one has exited).
    pub fn usage(&self) -> Option<ProcUsage> {
        match self {
            Target::Spawned { server, .. } => server.usage().ok(),
            Target::External { pids, .. } if pids.is_empty() => None,
            Target::External { pids, .. } => server_launcher::read_total_usage(pids).ok(),
        }
    }

    pub fn debug_stats(&self) -> Option<serde_json::Value> {
        match self {
            Target::Spawned { server, .. } => server.debug_stats().ok(),
            Target::External { .. } => None,
        }
    }

    /// The GC cycles the server's trace reported so far (spawned Go servers only).
    pub fn gc_trace(&self) -> Option<Vec<GcTraceCycle>> {
        match self {
            Target::Spawned { server, .. } => server.gc_trace(),
            Target::External { .. } => None,
        }
    }

    /// How a spawned server was set up: variant and environment (its runtime settings are
    /// filled in from /debug/stats by the caller).
    pub fn setup(&self) -> Option<crate::result::ServerSetup> {
        match self {
            Target::Spawned {
                kind,
                variant,
                server,
                ..
            } => Some(crate::result::ServerSetup {
                variant: *variant,
                description: variant.describe(*kind).to_string(),
                environment: server.environment().clone(),
                runtime: Default::default(),
            }),
            Target::External { .. } => None,
        }
    }

    /// Stops a spawned server (SIGTERM, then SIGKILL); a no-op for external targets.
    pub fn stop(self) -> Result<(), LoadgenError> {
        if let Target::Spawned { server, .. } = self {
            let pid = server.pid();
            let stopped = server.stop();
            crate::children::unregister(pid);
            stopped?;
        }
        Ok(())
    }
}

/// Names the tuning variables of loadgen's environment that the server did not get, so that
/// a user who exported GOGC is not surprised that it had no effect.
fn dropped_tuning_warning(server: &RunningServer) -> Option<String> {
    let dropped = &server.environment().dropped_tuning_variables;
    (!dropped.is_empty()).then(|| {
        format!(
            "not passed to {}: {} (the study sets every server setting itself; see servers/README.md)",
            server.kind().binary_name(),
            dropped.join(", ")
        )
    })
}
