//! The command-line part of docs/API.md, for both servers: bad flags exit 2 with a message
//! (an `--addr` without a host included), a port in use exits 1, `--read-states 0` is allowed, `--threads` defaults to the CPUs of
//! the affinity mask, and SIGINT stops the server with exit 0 like SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use conformance::servers::{REQUEST_TIMEOUT, binaries};
use server_launcher::http;
use server_launcher::{LaunchSpec, RunningServer, ServerKind};

/// Runs `check` on each server binary (each variant's executable, once: both Go variants are
/// one binary) and panics with every problem, naming the binary.
fn for_each_server(check: impl Fn(ServerKind, &Path) -> Result<(), String>) {
    let mut seen = std::collections::BTreeSet::new();
    let problems: Vec<String> = binaries()
        .iter()
        .filter(|(_, _, binary)| seen.insert(binary.clone()))
        .filter_map(|(kind, variant, binary)| {
            let result = match binary {
                Ok(binary) => check(*kind, binary),
                Err(e) => Err(format!("unavailable: {e}")),
            };
            result
                .err()
                .map(|problem| format!("{} ({variant}): {problem}", kind.binary_name()))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Waits for `child` to exit, killing it after 10 s.
fn wait_with_timeout(child: &mut Child) -> Result<ExitStatus, String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("still running after 10 s; killed".into());
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Runs the binary with `args`; returns its exit code and stderr.
fn run(binary: &Path, args: &[&str]) -> Result<(Option<i32>, String), String> {
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let status = wait_with_timeout(&mut child)?;
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    // The first lines say what is wrong; a backtrace after them is noise here.
    let shown: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .collect();
    let shown = shown.join(" / ");
    Ok((status.code(), shown))
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    let bad: [&[&str]; 10] = [
        &["--threads", "0"],
        &["--threads", "abc"],
        &["--threads", "-1"],
        &["--read-states", "-1"],
        &["--read-states", "many"],
        &["--addr", "not-an-address"],
        &["--addr", "127.0.0.1:99999"],
        &["--addr", ":0"],
        &["--addr", ":8080"],
        &["--no-such-flag"],
    ];
    for_each_server(|_, binary| {
        let mut problems = Vec::new();
        for bad_args in bad {
            // A free port and no prefill, unless the flag under test is one of those.
            let mut args = bad_args.to_vec();
            for (flag, value) in [("--addr", "127.0.0.1:0"), ("--read-states", "0")] {
                if bad_args[0] != flag {
                    args.extend([flag, value]);
                }
            }
            let (code, stderr) = run(binary, &args)?;
            if code != Some(2) || stderr.trim().is_empty() {
                problems.push(format!(
                    "{args:?}: exit code {code:?} and stderr {stderr:?} (expected 2 and a message)"
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    });
}

/// An empty host would listen on every interface: docs/API.md makes it a bad flag whose
/// message says what is missing.
#[test]
fn an_addr_without_a_host_exits_2_and_says_so() {
    for_each_server(|_, binary| {
        let (code, stderr) = run(binary, &["--addr", ":0", "--read-states", "0"])?;
        if code != Some(2) || !stderr.contains("--addr needs a host") {
            return Err(format!(
                "--addr :0: exit code {code:?} and stderr {stderr:?} (expected 2 and \
                 \"--addr needs a host, e.g. 127.0.0.1:8080\")"
            ));
        }
        Ok(())
    });
}

#[test]
fn a_port_in_use_exits_1() {
    for_each_server(|_, binary| {
        let taken = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = taken.local_addr().map_err(|e| e.to_string())?.to_string();
        let (code, stderr) = run(binary, &["--addr", &addr, "--read-states", "0"])?;
        if code != Some(1) || stderr.trim().is_empty() {
            return Err(format!(
                "--addr {addr} (in use): exit code {code:?} and stderr {stderr:?} (expected 1 and a message)"
            ));
        }
        Ok(())
    });
}

#[test]
fn zero_read_states_is_allowed() {
    for_each_server(|kind, binary| {
        let server = RunningServer::start(&LaunchSpec {
            read_states: 0,
            ..LaunchSpec::new(kind, binary.to_path_buf())
        })
        .map_err(|e| e.to_string())?;
        let stats = server.debug_stats().map_err(|e| e.to_string())?;
        if stats["read_states"] != 0 || stats["read_states_capacity"] != 10_000 {
            return Err(format!(
                "--read-states 0: stats {stats} (expected 0 entries, capacity 10000)"
            ));
        }
        let response = http::get(server.addr(), "/read_states/0/0", REQUEST_TIMEOUT)
            .map_err(|e| e.to_string())?;
        if response.status != 404 {
            return Err(format!(
                "--read-states 0: GET /read_states/0/0 answered {}",
                response.status
            ));
        }
        server.stop().map(|_| ()).map_err(|e| e.to_string())
    });
}

/// Starts `binary` (optionally through `taskset -c 0`) on a free port; returns the child
/// and its address once it printed the listening line.
fn spawn_listening(binary: &Path, pinned_to_cpu0: bool) -> Result<(Child, String), String> {
    let server_args = ["--addr", "127.0.0.1:0", "--read-states", "0"];
    let mut command = if pinned_to_cpu0 {
        let mut command = Command::new("taskset");
        command.args(["-c", "0"]).arg(binary);
        command
    } else {
        Command::new(binary)
    };
    let mut child = command
        .args(server_args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    let stdout = child.stdout.take().expect("piped");
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    match line.trim().strip_prefix("listening on http://") {
        Some(addr) => Ok((child, addr.to_string())),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!("first line {line:?}"))
        }
    }
}

#[test]
fn threads_default_to_the_cpus_of_the_affinity_mask() {
    for_each_server(|_, binary| {
        let (mut child, addr) = spawn_listening(binary, true)?;
        let stats = http::get(
            addr.parse().map_err(|_| addr.clone())?,
            "/debug/stats",
            REQUEST_TIMEOUT,
        );
        let _ = child.kill();
        let _ = child.wait();
        let response = stats.map_err(|e| e.to_string())?;
        let stats: serde_json::Value =
            serde_json::from_slice(&response.body).map_err(|e| e.to_string())?;
        if stats["threads"] != 1 {
            return Err(format!(
                "pinned to CPU 0 without --threads: threads is {}",
                stats["threads"]
            ));
        }
        Ok(())
    });
}

#[test]
fn sigint_stops_with_exit_0() {
    for_each_server(|_, binary| {
        let (mut child, _) = spawn_listening(binary, false)?;
        let pid = child.id().to_string();
        let signalled = Command::new("kill").args(["-INT", &pid]).status();
        if !signalled.is_ok_and(|s| s.success()) {
            let _ = child.kill();
            return Err("could not send SIGINT".into());
        }
        let status = wait_with_timeout(&mut child)?;
        if status.code() != Some(0) {
            return Err(format!("after SIGINT: {status} (expected exit 0)"));
        }
        Ok(())
    });
}
