//! The conditions of a run: compiler, CPU, tools. Every result carries them.

use serde::Serialize;

use crate::command;

/// Compiler, machine and tool versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Environment {
    /// `rustc --version` (release, commit and date).
    pub rustc_version: String,
    /// LLVM version rustc reports (`rustc -vV`).
    pub llvm_version: Option<String>,
    /// Host triple, also the target of every build here.
    pub host_triple: Option<String>,
    /// What `-C target-cpu=native` resolves to on this machine.
    pub native_target_cpu: Option<String>,
    /// `model name` from `/proc/cpuinfo`.
    pub cpu_model: Option<String>,
    /// Logical CPUs available to this process.
    pub logical_cpus: usize,
    /// `valgrind --version`, if valgrind is installed.
    pub valgrind_version: Option<String>,
    /// `RUSTFLAGS` in the environment, which cargo bench and the assembly check both inherit.
    pub rustflags: Option<String>,
}

impl Environment {
    /// Probes the machine. Missing tools give `None`; a rustc that does not answer is an error.
    pub fn probe() -> crate::Result<Self> {
        let verbose = command::stdout_of(command::rustc(), &["-vV"])?;
        let field = |name: &str| {
            verbose
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_owned())
        };
        Ok(Self {
            rustc_version: verbose.lines().next().unwrap_or_default().trim().to_owned(),
            llvm_version: field("LLVM version:"),
            host_triple: field("host:"),
            native_target_cpu: native_target_cpu(),
            cpu_model: cpu_model(),
            logical_cpus: std::thread::available_parallelism().map_or(1, usize::from),
            valgrind_version: command::stdout_of("valgrind", &["--version"])
                .ok()
                .map(|v| v.trim().to_owned()),
            rustflags: std::env::var("RUSTFLAGS").ok().filter(|f| !f.is_empty()),
        })
    }
}

/// The CPU name in `rustc --print target-cpus`'s "(currently znver5)" for `native`.
fn native_target_cpu() -> Option<String> {
    let cpus = command::stdout_of(command::rustc(), &["--print", "target-cpus"]).ok()?;
    let native = cpus
        .lines()
        .find(|l| l.trim_start().starts_with("native"))?;
    let after = native.split("(currently ").nth(1)?;
    Some(after.trim_end_matches([')', '.']).to_owned())
}

/// The first `model name` of `/proc/cpuinfo` (Linux).
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
}
