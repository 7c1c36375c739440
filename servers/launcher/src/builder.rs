//! Building the server binaries: always through their own build tool, so that a stale
//! binary is never measured (cargo and go are incremental and take well under a second
//! when nothing changed).

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::{LaunchError, ServerKind, Variant};

/// Variables of `go build`'s environment that change the program it builds, not only the
/// build: a GOEXPERIMENT (another garbage collector), a GOAMD64 level or GOFLAGS (say
/// `-gcflags=-B`) in the user's shell would make a different go-server than the default
/// `go build`. They are removed; the binary records its build settings, which go-server
/// reports in /debug/stats.
const GO_BUILD_VARIABLES_REMOVED: [&str; 3] = ["GOEXPERIMENT", "GOAMD64", "GOFLAGS"];

/// The most stderr kept for a build error message.
const BUILD_STDERR_TAIL_BYTES: usize = 6000;

/// The workspace root: this crate lives in `servers/launcher`, two levels down.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// Builds the server (release profile for Rust, the default `go build` for Go) and returns
/// the path of its executable.
///
/// - Rust: `cargo build --release --locked -p rust-server` in the workspace root; the path
///   comes from cargo's own artifact message, so a custom target directory works too. The
///   cargo that runs the current process (`$CARGO`, set by `cargo test`/`cargo run`) is
///   preferred over the one on PATH.
/// - Go: `go build -o <root>/target/go-server/go-server .` in `go-baseline/` with
///   `GOTOOLCHAIN=local` (never download a toolchain behind the user's back);
///   [`LaunchError::GoMissing`] if `go` is not on PATH.
pub fn ensure_built(kind: ServerKind) -> Result<PathBuf, LaunchError> {
    ensure_variant_built(kind, Variant::AsShipped)
}

/// [`ensure_built`] for a variant: the tuned Rust server is its own binary
/// (`cargo build --release --locked -p rust-server --features mimalloc --bin
/// rust-server-mimalloc`); both Go variants are the same binary, started differently.
pub fn ensure_variant_built(kind: ServerKind, variant: Variant) -> Result<PathBuf, LaunchError> {
    let settings = variant.settings(kind, None);
    match kind {
        ServerKind::Rust => build_rust(
            &workspace_root(),
            "rust-server",
            settings.binary_name,
            settings.cargo_feature,
        ),
        ServerKind::Go => build_go(&workspace_root()),
    }
}

/// The package of claim C5's Rust reverse proxy, and its binary.
const PINGORA_PROXY: (&str, &str) = ("proxy-pingora", "pingora-proxy");

/// Builds claim C5's Rust reverse proxy (`proxies/pingora`, binary `pingora-proxy`) in the
/// release profile, as [`ensure_built`] builds rust-server, and returns its path.
pub fn ensure_pingora_proxy_built() -> Result<PathBuf, LaunchError> {
    let (package, binary) = PINGORA_PROXY;
    build_rust(&workspace_root(), package, binary, None)
}

fn build_rust(
    root: &Path,
    package: &str,
    binary_name: &str,
    feature: Option<&str>,
) -> Result<PathBuf, LaunchError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut args = vec![
        "build",
        "--release",
        "--locked",
        "-p",
        package,
        "--quiet",
        "--message-format=json-render-diagnostics",
    ];
    if let Some(feature) = feature {
        // Only the variant's binary, so that the as-shipped one is not relinked with it.
        args.extend(["--features", feature, "--bin", binary_name]);
    }
    let command_line = format!("cargo {}", args.join(" "));
    let output = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| LaunchError::Build {
            binary: binary_name.to_string(),
            command: command_line.clone(),
            detail: format!("could not be run: {e} (is cargo installed and on PATH?)"),
            stderr_tail: String::new(),
        })?;
    check_success(binary_name, &command_line, &output)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    executable_from_cargo_messages(&stdout, binary_name).ok_or_else(|| LaunchError::Build {
        binary: binary_name.to_string(),
        command: command_line,
        detail: format!("succeeded but reported no {binary_name} executable"),
        stderr_tail: tail(&output.stderr),
    })
}

/// Finds the executable of binary target `name` in cargo's `--message-format=json` output
/// (one JSON object per line; cargo reports every artifact, fresh or rebuilt).
fn executable_from_cargo_messages(stdout: &str, name: &str) -> Option<PathBuf> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| message["target"]["name"] == name)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
}

fn build_go(root: &Path) -> Result<PathBuf, LaunchError> {
    let module_dir = root.join("go-baseline");
    let binary = root
        .join("target")
        .join("go-server")
        .join(ServerKind::Go.binary_name());
    let command_line = format!(
        "cd {} && GOTOOLCHAIN=local go build -o {} .",
        module_dir.display(),
        binary.display()
    );
    if !module_dir.join("go.mod").is_file() {
        return Err(LaunchError::Build {
            binary: ServerKind::Go.binary_name().to_string(),
            command: command_line,
            detail: format!("cannot run: {} has no go.mod", module_dir.display()),
            stderr_tail: String::new(),
        });
    }
    let mut command = Command::new("go");
    command
        .arg("build")
        .arg("-o")
        .arg(&binary)
        .arg(".")
        .current_dir(&module_dir)
        .env("GOTOOLCHAIN", "local")
        .stdin(Stdio::null());
    for name in GO_BUILD_VARIABLES_REMOVED {
        command.env_remove(name);
    }
    let output = command.output().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => LaunchError::GoMissing { source: e },
        _ => LaunchError::Build {
            binary: ServerKind::Go.binary_name().to_string(),
            command: command_line.clone(),
            detail: format!("could not be run: {e}"),
            stderr_tail: String::new(),
        },
    })?;
    check_success(ServerKind::Go.binary_name(), &command_line, &output)?;
    Ok(binary)
}

fn check_success(binary: &str, command: &str, output: &Output) -> Result<(), LaunchError> {
    if output.status.success() {
        return Ok(());
    }
    Err(LaunchError::Build {
        binary: binary.to_string(),
        command: command.to_string(),
        detail: format!("failed with {}", output.status),
        stderr_tail: tail(&output.stderr),
    })
}

/// The last [`BUILD_STDERR_TAIL_BYTES`] of a tool's output, as text.
fn tail(bytes: &[u8]) -> String {
    let start = bytes.len().saturating_sub(BUILD_STDERR_TAIL_BYTES);
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
    }

    #[test]
    fn finds_the_executable_among_cargo_messages() {
        let stdout = r#"{"reason":"compiler-artifact","target":{"name":"axum","kind":["lib"]},"executable":null}
not json at all
{"reason":"compiler-artifact","target":{"name":"rust-server","kind":["bin"]},"executable":"/t/release/rust-server","fresh":true}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            executable_from_cargo_messages(stdout, "rust-server"),
            Some(PathBuf::from("/t/release/rust-server"))
        );
        assert_eq!(executable_from_cargo_messages(stdout, "go-server"), None);
    }
}
