//! C5's proxies, for real: rust-server behind pingora-proxy and behind nginx, each on free
//! loopback ports, measured by a short constant-rate run. The run must record the proxy's own
//! CPU time and peak RSS (summed over nginx's master and worker), as it does for a spawned
//! server. No timing is asserted.

mod support;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use loadgen::cli::LoadArgs;
use loadgen::nginx::Nginx;
use loadgen::pingora::{self, PingoraProxy};
use loadgen::plan::plan_measurement;
use loadgen::result::RunResult;
use loadgen::target::Target;

fn load() -> LoadArgs {
    LoadArgs::quiet_defaults(8, Duration::from_millis(1500), Duration::from_millis(300))
}

/// 2,000 req/s of plaintext for 1.5 s through `target`.
fn measure(mut target: Target) -> RunResult {
    let out = tempfile::tempdir().unwrap();
    let plan = plan_measurement(
        &target.url(),
        "plaintext",
        Some(2_000.0),
        &load(),
        out.path().into(),
    )
    .expect("a valid plan");
    let environment = loadgen::environment::capture(&server_launcher::workspace_root(), false);
    let interrupt = Arc::new(AtomicBool::new(false));
    loadgen::run::measure(&plan, &mut target, &environment, &interrupt)
        .expect("the run completes")
        .result
}

fn assert_measured(label: &str, result: &RunResult) {
    assert!(result.complete, "{label}: {:?}", result.incomplete_reason);
    assert_eq!(result.target.label, label);
    assert_eq!(result.figures.errors, 0, "{label}: {:?}", result.errors);
    assert!(result.figures.requests > 0, "{label}");
    let server = result
        .server
        .as_ref()
        .unwrap_or_else(|| panic!("{label}: no server CPU and memory recorded"));
    assert!(
        server.user_cpu_seconds + server.system_cpu_seconds > 0.0,
        "{label}: forwarding {} requests took no CPU time at all?",
        result.figures.requests
    );
    assert!(server.cpu_seconds_per_1000_requests > 0.0, "{label}");
    // Any proxy process holds more than a mebibyte resident.
    assert!(server.peak_rss_bytes > 1 << 20, "{label}: {server:?}");
    assert!(server.peak_rss_bytes >= server.rss_bytes_after, "{label}");
}

#[test]
fn a_run_through_pingora_records_the_proxys_cpu_and_memory() {
    let upstream = support::start_rust_server();
    let binary = pingora::build().expect("pingora-proxy builds");
    let proxy = PingoraProxy::start(&binary, upstream.addr(), 1, None).expect("it starts");
    assert!(proxy.version.starts_with("pingora "), "{}", proxy.version);
    let pids = proxy.process().process_tree();
    assert_eq!(pids.len(), 1, "one process: {pids:?}");
    let result = measure(proxy.process().target("pingora", None, 1));
    assert_measured("pingora", &result);
}

#[test]
fn a_run_through_nginx_sums_its_master_and_worker() {
    let upstream = support::start_rust_server();
    let nginx = Nginx::start_proxy(upstream.addr(), 1, None)
        .unwrap_or_else(|e| panic!("{e}: scripts/test installs nginx"));
    let process = nginx.process();
    let pids = process.process_tree();
    assert_eq!(pids.len(), 2, "master and one worker: {pids:?}");
    // Only the upstream answers this path: nginx passed the request on.
    let answer =
        server_launcher::http::get(process.addr(), "/debug/stats", Duration::from_secs(5)).unwrap();
    assert_eq!(answer.status, 200);
    assert!(
        answer.body_text().contains("rust-axum"),
        "{}",
        answer.body_text()
    );
    let result = measure(process.target("nginx", None, 1));
    assert_measured("nginx", &result);
    // The sum is more than the master alone holds.
    let master = server_launcher::read_usage(pids[0]).unwrap();
    assert!(result.server.unwrap().peak_rss_bytes > master.peak_rss_bytes);
}

#[test]
fn an_external_server_loadgen_did_not_start_is_not_measured() {
    let upstream = support::start_rust_server();
    let result = measure(Target::External {
        addr: upstream.addr(),
        url: upstream.base_url(),
        label: "external".into(),
        cpus: None,
        workers: None,
        pids: Vec::new(),
    });
    assert!(result.complete);
    assert!(result.server.is_none(), "{:?}", result.server);
}
