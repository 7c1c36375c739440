//! Generated requests: arbitrary paths (known route words, ids, garbage segments,
//! percent-escapes), methods, queries and bodies (arbitrary bytes and near-valid JSON).
//! For each one, both servers must give the same answer — status, content type, `allow` on
//! 405, body — and both must still be healthy at the end.
//!
//! Each property starts its own fresh set of servers (both kinds, each variant) and sends
//! each generated request to all of them, so their states stay identical as long as they
//! agree. The seed is random per run
//! and printed on failure; `PROPTEST_RNG_SEED=<seed>` replays a run exactly, and
//! `PROPTEST_CASES` overrides the 256 cases per property.

use std::time::{SystemTime, UNIX_EPOCH};

use conformance::answer::{normalize_body, replace_number_after, show_outcome};
use conformance::{Answer, Request, Target};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

/// Cases per property, unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 256;

#[test]
fn read_only_requests_get_the_same_answer_from_both_servers() {
    let writes = |(method, target, _): &(&str, String, Option<Vec<u8>>)| {
        let path = target.split('?').next().unwrap_or("");
        !(*method == "POST" && path == "/users"
            || *method == "PUT" && path.starts_with("/read_states/"))
    };
    let strategy = (method(), target(), body())
        .prop_filter("writes are the other property's", writes)
        .prop_map(|(method, target, body)| {
            let request = Request::new(method, &target);
            match body {
                Some(bytes) => request.body(bytes),
                None => request,
            }
        });
    check_property("read-only requests", strategy, |body| body.to_vec());
}

#[test]
fn writes_get_the_same_answer_from_both_servers() {
    let create_user = body().prop_map(|body| {
        let request = Request::new("POST", "/users");
        match body {
            Some(bytes) => request.body(bytes),
            None => request,
        }
    });
    let put_read_state = (id(), id(), body()).prop_map(|(user, channel, body)| {
        let request = Request::new("PUT", &format!("/read_states/{user}/{channel}"));
        match body {
            Some(bytes) => request.body(bytes),
            None => request,
        }
    });
    // A created user's id depends on how many users exist; once one answer differed, the
    // servers' counts may differ too, so ids are not compared here (the table checks them).
    check_property("writes", prop_oneof![create_user, put_read_state], |body| {
        replace_number_after(body, b"{\"id\":")
    });
}

/// Runs `strategy`'s requests against a fresh pair of servers; panics with the minimal
/// failing request and both answers if they ever differ, or if a server is unhealthy after.
fn check_property(
    name: &str,
    strategy: impl Strategy<Value = Request>,
    normalize: impl Fn(&[u8]) -> Vec<u8>,
) {
    let mut targets = Target::start_all();
    for target in &targets {
        if let Err(e) = &target.server {
            panic!(
                "property `{name}` cannot run: {} is unavailable: {e}",
                target.name()
            );
        }
    }
    let (config, seed) = config();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |request| {
        same_answer(&targets, &request, &normalize)
    });
    let mut problems = Vec::new();
    if let Err(error) = result {
        problems.push(match error {
            // The reason names the (shrunk) request and both answers.
            TestError::Fail(reason, _) => format!("minimal failing case:\n{}", reason.message()),
            TestError::Abort(reason) => format!("aborted: {}", reason.message()),
        });
    }
    for target in &mut targets {
        if let Some(problem) = target.health_problem() {
            problems.push(format!("after the property: {problem}"));
        }
    }
    for target in targets {
        let name = target.name();
        if let Some(problem) = target.stop() {
            problems.push(format!("graceful stop of {name}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "property `{name}` failed (seed {seed}; replay with PROPTEST_RNG_SEED={seed}):\n{}",
        problems.join("\n\n")
    );
}

fn same_answer(
    targets: &[Target],
    request: &Request,
    normalize: &impl Fn(&[u8]) -> Vec<u8>,
) -> Result<(), TestCaseError> {
    let outcomes: Vec<_> = targets.iter().map(|t| t.send(request)).collect();
    // Every server (each kind, each variant) against the first one.
    let mut differences = Vec::new();
    match outcomes.split_first() {
        Some((Ok(first), rest)) => {
            // /debug/stats reports each server's own figures: only its status and type match.
            let own_figures = request.path() == "/debug/stats" && first.status == 200;
            let normalized = |answer: &Answer| Answer {
                body: if own_figures {
                    Vec::new()
                } else {
                    normalize(&normalize_body(&answer.body))
                },
                ..answer.clone()
            };
            for outcome in rest {
                match outcome {
                    Ok(answer) => {
                        differences.extend(normalized(first).differences(&normalized(answer)))
                    }
                    Err(_) => differences.push("no answer".to_string()),
                }
            }
            differences.sort();
            differences.dedup();
        }
        _ => differences.push("no answer".to_string()),
    }
    if differences.is_empty() {
        return Ok(());
    }
    let mut report = format!("  request: {request}");
    for (target, outcome) in targets.iter().zip(&outcomes) {
        report.push_str(&format!(
            "\n  {:<11} {}",
            format!("{}:", target.label()),
            show_outcome(outcome)
        ));
    }
    report.push_str(&format!("\n  differ in: {}", differences.join(", ")));
    Err(TestCaseError::fail(report))
}

fn config() -> (Config, u64) {
    let base = Config::default();
    let seed = match base.rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.as_nanos() as u64),
    };
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        base.cases
    } else {
        CASES
    };
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        // Server state makes a saved failure meaningless on a later run.
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..base
    };
    (config, seed)
}

fn method() -> impl Strategy<Value = &'static str> {
    select(vec![
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
    ])
}

/// Ids valid and invalid, biased towards the edges of the id rule.
fn id() -> BoxedStrategy<String> {
    let special = select(vec![
        "0",
        "1",
        "2",
        "18446744073709551615",
        "18446744073709551616",
        "01",
        "+1",
        "-1",
        "1a",
        "%31",
        "",
        "00",
        "1.0",
    ]);
    prop_oneof![
        4 => special.prop_map(String::from),
        3 => (0u64..40).prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => "[0-9]{1,25}",
        1 => "[-+]?[0-9a-f.]{0,4}",
    ]
    .boxed()
}

/// One path segment: a route word, an id, garbage from the characters a path may hold
/// unescaped (RFC 3986 pchar), a percent-escape, or a dot segment.
fn segment() -> BoxedStrategy<String> {
    let words = select(vec![
        "users",
        "read_states",
        "json",
        "plaintext",
        "healthz",
        "debug",
        "stats",
    ]);
    prop_oneof![
        3 => words.prop_map(String::from),
        3 => id(),
        2 => "[a-zA-Z0-9._~!$&'()*+,;=:@-]{0,8}",
        1 => any::<u8>().prop_map(|byte| format!("%{byte:02X}")),
        1 => select(vec![".", ".."]).prop_map(String::from),
    ]
    .boxed()
}

fn path() -> BoxedStrategy<String> {
    let route = prop_oneof![
        select(vec![
            "/plaintext",
            "/json",
            "/healthz",
            "/debug/stats",
            "/users"
        ])
        .prop_map(String::from),
        id().prop_map(|id| format!("/users/{id}")),
        (id(), id()).prop_map(|(user, channel)| format!("/read_states/{user}/{channel}")),
    ];
    let suffix = prop_oneof![
        6 => Just(String::new()),
        1 => Just("/".to_string()),
        1 => segment().prop_map(|s| format!("/{s}")),
    ];
    prop_oneof![
        3 => (route, suffix).prop_map(|(route, suffix)| route + &suffix),
        2 => prop::collection::vec(segment(), 0..5).prop_map(|s| format!("/{}", s.join("/"))),
        1 => (segment(), route_prefix()).prop_map(|(s, route)| format!("/{s}{route}")),
    ]
    .boxed()
}

/// A route behind an extra leading segment, e.g. `/x/json` or `//json`.
fn route_prefix() -> impl Strategy<Value = String> {
    select(vec!["/json", "/users", "/users/1", "/read_states/1/2"]).prop_map(String::from)
}

fn query() -> impl Strategy<Value = String> {
    let key = select(vec!["limit", "offset", "LIMIT", "x", ""]);
    let value = prop_oneof![id(), Just(String::new())];
    let pair = prop_oneof![
        4 => (key.clone(), value).prop_map(|(k, v)| format!("{k}={v}")),
        1 => key.prop_map(String::from),
    ];
    prop_oneof![
        2 => Just(String::new()),
        3 => prop::collection::vec(pair, 0..4).prop_map(|pairs| format!("?{}", pairs.join("&"))),
    ]
}

fn target() -> impl Strategy<Value = String> {
    (path(), query()).prop_map(|(path, query)| path + &query)
}

/// No body, arbitrary bytes, or near-valid JSON for either write route.
fn body() -> BoxedStrategy<Option<Vec<u8>>> {
    prop_oneof![
        2 => Just(None),
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Some),
        5 => near_valid_json().prop_map(Some),
    ]
    .boxed()
}

fn json_value() -> impl Strategy<Value = &'static str> {
    select(vec![
        "0",
        "1",
        "-1",
        "-0",
        "1.0",
        "1.5",
        "1e3",
        "42",
        "18446744073709551615",
        "18446744073709551616",
        "4294967295",
        "4294967296",
        "null",
        "true",
        "false",
        "[]",
        "{}",
        "[1]",
        r#"{"a":1}"#,
        r#""""#,
        r#""Ada""#,
        r#""a@b""#,
        r#""nope""#,
        r#"" ""#,
        r#""é""#,
        r#""<&>""#,
        r#""\u0041@""#,
        r#""\n""#,
        r#""5""#,
    ])
}

fn json_key() -> impl Strategy<Value = &'static str> {
    select(vec![
        "name",
        "email",
        "message_id",
        "mentions",
        "Name",
        "x",
        "",
        "mention_count",
    ])
}

/// How a generated JSON text is damaged, if at all.
#[derive(Debug, Clone)]
enum Damage {
    None,
    Truncate(prop::sample::Index),
    Append(&'static str),
    Prepend(&'static str),
    Replace(prop::sample::Index, u8),
}

fn near_valid_json() -> impl Strategy<Value = Vec<u8>> {
    let member = (json_key(), json_value()).prop_map(|(k, v)| format!("\"{k}\":{v}"));
    let text = prop_oneof![
        5 => prop::collection::vec(member, 0..5).prop_map(|m| format!("{{{}}}", m.join(","))),
        1 => json_value().prop_map(String::from),
    ];
    let damage = prop_oneof![
        8 => Just(Damage::None),
        1 => any::<prop::sample::Index>().prop_map(Damage::Truncate),
        1 => select(vec!["x", "}", "]", ",", " \n", "{}", "\u{a0}"]).prop_map(Damage::Append),
        1 => select(vec![" ", "\u{feff}", "[", "\t"]).prop_map(Damage::Prepend),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Replace(i, b)),
    ];
    (text, damage).prop_map(|(text, damage)| {
        let mut bytes = text.into_bytes();
        match damage {
            Damage::None => {}
            Damage::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
            Damage::Append(tail) => bytes.extend_from_slice(tail.as_bytes()),
            Damage::Prepend(head) => bytes.splice(0..0, head.bytes()).for_each(drop),
            Damage::Replace(at, byte) => {
                if !bytes.is_empty() {
                    let at = at.index(bytes.len());
                    bytes[at] = byte;
                }
            }
        }
        bytes
    })
}

#[test]
fn the_generators_cover_both_kinds_of_request() {
    // A smoke test of the strategies themselves, without servers: they must produce
    // known routes and garbage alike.
    let mut runner = TestRunner::deterministic();
    let mut routes = 0;
    for _ in 0..500 {
        let value = target().new_tree(&mut runner).unwrap().current();
        assert!(value.starts_with('/'), "{value}");
        if value.starts_with("/users") || value.starts_with("/read_states/") {
            routes += 1;
        }
    }
    assert!(routes > 100, "only {routes} of 500 targets hit a route");
}
