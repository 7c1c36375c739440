//! A tuning variable in the launcher's own environment must not reach the server: here
//! GOGC=50 and GOMAXPROCS=7 are set in this test process, and go-server must still run with
//! the defaults (GOGC 100, GOMAXPROCS = --threads) and say so in /debug/stats; the tuned
//! variant must get its own GOGC and GOMEMLIMIT instead.
//!
//! Alone in its test binary because it changes the process environment, which is only
//! sound while no other thread reads it (`std::env::set_var`'s safety rule).

use std::time::Duration;

use server_launcher::{LaunchSpec, RunningServer, ServerKind, Variant, ensure_variant_built};

#[test]
fn tuning_variables_of_the_launcher_do_not_reach_the_server() {
    // SAFETY: the only test in this binary; the harness's other threads do not touch the
    // environment, and this runs before any server or reader thread is started.
    unsafe {
        std::env::set_var("GOGC", "50");
        std::env::set_var("GOMAXPROCS", "7");
        std::env::set_var("MALLOC_ARENA_MAX", "1");
    }
    let binary = ensure_variant_built(ServerKind::Go, Variant::AsShipped)
        .unwrap_or_else(|e| panic!("cannot build go-server: {e}"));
    let server = RunningServer::start(&LaunchSpec {
        threads: 1,
        go_gc_trace: true,
        startup_timeout: Duration::from_secs(30),
        ..LaunchSpec::new(ServerKind::Go, binary)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let stats = server.debug_stats().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats["gogc_percent"], 100, "{stats}");
    assert_eq!(stats["gomaxprocs"], 1, "{stats}");
    assert_eq!(stats["godebug"], "gctrace=1", "{stats}");
    assert_eq!(stats["gomemlimit_bytes"], i64::MAX, "{stats}");

    let environment = server.environment();
    for name in ["GOGC", "GOMAXPROCS", "MALLOC_ARENA_MAX"] {
        assert!(
            environment
                .dropped_tuning_variables
                .iter()
                .any(|n| n == name),
            "{name} not reported in {:?}",
            environment.dropped_tuning_variables
        );
    }
    assert!(!environment.variables.contains_key("GOGC"));
    assert_eq!(environment.variables["GODEBUG"], "gctrace=1");
    server.stop().unwrap_or_else(|e| panic!("{e}"));

    // In the same test (the environment must not change under another test's feet): the
    // tuned variant gets its own GOGC and GOMEMLIMIT, not the launcher's GOGC=50.
    tuned_go_variant_gets_its_own_settings_only();
}

fn tuned_go_variant_gets_its_own_settings_only() {
    let binary = ensure_variant_built(ServerKind::Go, Variant::Tuned)
        .unwrap_or_else(|e| panic!("cannot build go-server: {e}"));
    let server = RunningServer::start(&LaunchSpec {
        variant: Variant::Tuned,
        startup_timeout: Duration::from_secs(30),
        ..LaunchSpec::new(ServerKind::Go, binary)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let stats = server.debug_stats().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats["read_states_lru"], "pointer-free", "{stats}");
    assert_eq!(
        stats["gogc_percent"],
        u64::from(server_launcher::TUNED_GOGC_PERCENT),
        "{stats}"
    );
    let expected_limit = server_launcher::machine_memory_bytes()
        .map(server_launcher::tuned_go_memory_limit_bytes)
        .expect("this machine has /proc/meminfo");
    assert_eq!(stats["gomemlimit_bytes"], expected_limit, "{stats}");
    assert_eq!(stats["godebug"], "", "no GC trace was asked for: {stats}");
    server.stop().unwrap_or_else(|e| panic!("{e}"));
}
