//! The contract table: every rule of docs/API.md as a case, sent in the same order to a
//! fresh `rust-server` and a fresh `go-server`, each as shipped and tuned
//! (`--read-states 1000 --threads 1`).
//!
//! The servers keep state (user ids, read states, LRU order), so the table is one ordered
//! sequence; the builder below keeps a model of that state (users created, read states
//! created) to compute the expected answers, such as the next user id or how many entries
//! fill the LRU cache.

mod ids;
mod json_bodies;
mod listing;
mod lru;
mod pipelining;
mod read_states;
mod routes;
mod users;

use std::collections::BTreeSet;

use conformance::expect::{BodyPattern, Expected, JSON, StatsCheck};
use conformance::servers::{READ_STATES, READ_STATES_CAPACITY, THREADS};
use conformance::{
    Case, Expect, Http1Only, Probe, Protocol, Request, Target, read_state_answer, run_table,
};

/// Builds the table, in the order it is sent.
fn table() -> Table {
    let mut table = Table::default();
    routes::add(&mut table);
    users::add(&mut table);
    json_bodies::add(&mut table);
    ids::add(&mut table);
    listing::add(&mut table);
    read_states::add(&mut table);
    lru::add(&mut table);
    pipelining::add(&mut table);
    table
}

#[test]
fn every_server_follows_the_contract_over_http1() {
    follows_the_contract(Protocol::Http1);
}

/// Every case with an HTTP/2 form over h2c (prior knowledge); the others, listed on stderr
/// with the reason, over HTTP/1.1 in their place.
#[test]
fn every_server_follows_the_contract_over_http2() {
    follows_the_contract(Protocol::Http2);
}

/// Runs the table on a fresh server of each kind over `protocol`, then checks health and a
/// graceful stop.
fn follows_the_contract(protocol: Protocol) {
    let table = table();
    let mut targets = Target::start_all();
    let mut report = run_table(&table.cases, &targets, protocol);
    for target in &mut targets {
        if target.server.is_ok() {
            if let Some(problem) = target.health_problem() {
                report.failures.push(format!("after the table: {problem}"));
            }
        }
    }
    for target in targets {
        let name = target.name();
        if let Some(problem) = target.stop() {
            report.failures.push(format!(
                "graceful stop of {name} (SIGTERM must exit 0): {problem}"
            ));
        }
    }
    report.assert_passed();
    let over_http1 = report.http1_only.len();
    eprintln!(
        "{} contract cases passed on every server over {protocol} ({} of them sent over \
         HTTP/1.1 because they have no HTTP/2 form)",
        report.cases, over_http1
    );
    for (name, reason) in &report.http1_only {
        eprintln!("  HTTP/1-only ({reason}): {name}");
    }
    if protocol == Protocol::Http2 {
        // Most of the contract is about routes and bodies, not HTTP/1 framing: a run that
        // sends less than half its cases over HTTP/2 has lost its HTTP/2 forms somewhere.
        assert!(
            over_http1 * 2 < report.cases,
            "only {} of {} cases went over HTTP/2",
            report.cases - over_http1,
            report.cases
        );
        assert!(
            report
                .http1_only
                .iter()
                .any(|(_, reason)| *reason == Http1Only::ChunkedFraming),
            "chunked cases must stay HTTP/1-only"
        );
    }
}

#[test]
fn the_table_is_well_formed() {
    let table = table();
    let mut names = BTreeSet::new();
    for case in &table.cases {
        assert!(
            names.insert(&case.name),
            "duplicate case name {:?}",
            case.name
        );
    }
    assert!(table.cases.len() > 300, "{} cases", table.cases.len());
}

/// The expected body of an error.
fn error_body(message: &str) -> String {
    format!("{{\"error\":\"{message}\"}}")
}

/// Builds the ordered table and models the server state the expectations depend on.
#[derive(Default)]
pub struct Table {
    /// The cases so far.
    pub cases: Vec<Case>,
    /// The expected JSON of every user created so far; user id = index + 1.
    users: Vec<String>,
    /// Read states created (not just replaced) by the cases so far.
    created_read_states: BTreeSet<(u64, u64)>,
    /// Set by the LRU section, which alone may touch user 0's read states: until then they
    /// keep their prefill order (0,0) < (0,1) < ... as the least recently used entries.
    lru_section: bool,
}

impl Table {
    /// Adds a case.
    pub fn push(&mut self, name: impl Into<String>, request: Request, expect: Expect) {
        let name = name.into();
        assert!(
            self.lru_section || !request.path().starts_with("/read_states/0/"),
            "table bug: case {name:?} touches user 0's read states, which the LRU section needs \
             untouched"
        );
        self.cases.push(Case {
            name,
            probe: Probe::One { request, expect },
        });
    }

    /// Adds a case with an exact answer.
    pub fn exact(
        &mut self,
        name: impl Into<String>,
        request: Request,
        status: u16,
        content_type: &'static str,
        body: impl Into<Vec<u8>>,
    ) {
        self.push(
            name,
            request,
            Expect::Contract(Expected {
                status,
                content_type,
                allow: None,
                body: BodyPattern::Exact(body.into()),
            }),
        );
    }

    /// Adds a case whose answer is the error `{"error":"<message>"}` with `status`
    /// (no body for a `HEAD` request).
    pub fn error(&mut self, name: impl Into<String>, request: Request, status: u16, message: &str) {
        if request.is_head() {
            self.head(name, request, status, JSON);
        } else {
            self.exact(name, request, status, JSON, error_body(message));
        }
    }

    /// Adds a 405 case with the `allow` set.
    pub fn not_allowed(&mut self, name: impl Into<String>, request: Request, allow: &[&str]) {
        self.push(
            name,
            request,
            Expect::Contract(Expected {
                status: 405,
                content_type: JSON,
                allow: Some(allow.iter().map(|m| m.to_string()).collect()),
                body: BodyPattern::Exact(error_body("method not allowed").into_bytes()),
            }),
        );
    }

    /// Adds a `HEAD` case: the GET's status and content type, no body.
    pub fn head(
        &mut self,
        name: impl Into<String>,
        request: Request,
        status: u16,
        content_type: &'static str,
    ) {
        assert!(request.is_head());
        self.push(
            name,
            request,
            Expect::Contract(Expected {
                status,
                content_type,
                allow: None,
                body: BodyPattern::Empty,
            }),
        );
    }

    /// Adds a case of which docs/API.md fixes only the status code (see [`Expect::Status`]):
    /// the content type and body come from the HTTP layer, not from the application.
    pub fn status_only(&mut self, name: impl Into<String>, request: Request, status: u16) {
        self.push(name, request, Expect::Status(status));
    }

    /// Adds a case docs/API.md does not decide: the servers must merely agree.
    pub fn agree(&mut self, name: impl Into<String>, request: Request) {
        self.push(name, request, Expect::Agree);
    }

    /// Adds a `POST /users` (or other) request that must create the next user, whose JSON
    /// is `{"id":N,"name":<name_json>,"email":<email_json>}`; returns its id.
    pub fn creates_user(
        &mut self,
        name: impl Into<String>,
        request: Request,
        name_json: &str,
        email_json: &str,
    ) -> u64 {
        let id = self.users.len() as u64 + 1;
        let user = format!("{{\"id\":{id},\"name\":{name_json},\"email\":{email_json}}}");
        self.exact(name, request, 201, JSON, user.clone());
        self.users.push(user);
        id
    }

    /// How many users the cases so far create.
    pub fn user_count(&self) -> u64 {
        self.users.len() as u64
    }

    /// The expected JSON of user `id`.
    pub fn user(&self, id: u64) -> &str {
        &self.users[usize::try_from(id - 1).expect("small id")]
    }

    /// The expected JSON array of the users with ids offset+1 ..= offset+limit that exist.
    pub fn user_list(&self, offset: u64, limit: u64) -> String {
        let first = offset.saturating_add(1);
        let last = offset.saturating_add(limit).min(self.user_count());
        let users: Vec<&str> = (first..=last).map(|id| self.user(id)).collect();
        format!("[{}]", users.join(","))
    }

    /// Adds a GET or PUT whose answer is read state (user, channel, last, mentions); a PUT
    /// of an entry that is not prefilled is recorded as created.
    pub fn read_state(
        &mut self,
        name: impl Into<String>,
        request: Request,
        (user, channel): (u64, u64),
        last: u64,
        mentions: u64,
    ) {
        if request.method == "PUT" && !is_prefilled(user, channel) {
            self.created_read_states.insert((user, channel));
        }
        let expected = read_state_answer(user, channel, last, mentions);
        self.push(name, request, Expect::Contract(expected));
    }

    /// How many read states the server holds after the cases so far (before any eviction).
    pub fn read_state_count(&self) -> u64 {
        READ_STATES + self.created_read_states.len() as u64
    }

    /// Adds `GET /debug/stats`, which must report the modelled counts.
    pub fn stats(&mut self, name: impl Into<String>, read_states: u64) {
        let check = StatsCheck {
            threads: THREADS as u64,
            users: self.user_count(),
            read_states,
            read_states_capacity: READ_STATES_CAPACITY,
        };
        self.push(
            name,
            Request::get("/debug/stats"),
            Expect::Contract(Expected {
                status: 200,
                content_type: JSON,
                allow: None,
                body: BodyPattern::Stats(check),
            }),
        );
    }

    /// Adds a pipelined case (see [`Probe::Pipelined`]) that changes no modelled state.
    pub fn pipelined(&mut self, name: &str, exchanges: Vec<(Request, Expected)>) {
        assert!(
            exchanges
                .iter()
                .all(|(r, _)| r.method != "POST" && r.method != "PUT"),
            "table bug: a pipelined write must go through pipelined_creating_user"
        );
        self.cases.push(Case {
            name: name.to_string(),
            probe: Probe::Pipelined(exchanges),
        });
    }

    /// Adds a pipelined case whose one POST creates the next user, with JSON `user`.
    pub fn pipelined_creating_user(
        &mut self,
        name: &str,
        exchanges: Vec<(Request, Expected)>,
        user: String,
    ) {
        self.users.push(user);
        self.cases.push(Case {
            name: name.to_string(),
            probe: Probe::Pipelined(exchanges),
        });
    }

    /// Adds a run of PUTs that create `count` read states (see [`Probe::FillReadStates`]).
    pub fn fill_read_states(&mut self, name: &str, first_user: u64, count: u64, channel: u64) {
        for j in 0..count {
            self.created_read_states.insert((first_user + j, channel));
        }
        self.cases.push(Case {
            name: name.to_string(),
            probe: Probe::FillReadStates {
                first_user,
                count,
                channel,
            },
        });
    }
}

/// True for the entries the servers prefill at start: i = user * 64 + channel < N.
fn is_prefilled(user: u64, channel: u64) -> bool {
    channel < 64
        && user
            .checked_mul(64)
            .and_then(|i| i.checked_add(channel))
            .is_some_and(|i| i < READ_STATES)
}
