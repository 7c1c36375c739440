//! Records the version of the compiler that builds the server, for `GET /debug/stats`
//! (`"version"`: the Go side reports `runtime.Version()`, we report `rustc --version`).

use std::env;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-env-changed=RUSTC");
    // Cargo hands build scripts the compiler it uses in `RUSTC`.
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|version| !version.is_empty())
        .unwrap_or_else(|| "rustc (unknown version)".to_owned());
    println!("cargo::rustc-env=RUST_SERVER_RUSTC_VERSION={version}");
}
