//! Running one table of cases against every server and reporting each difference with the
//! case's name, the request, the expected answer and every server's answer.

use std::fmt::Write as _;
use std::thread;

use crate::answer::{Answer, Outcome, show_outcome};
use crate::expect::{BodyPattern, Expected, JSON};
use crate::protocol::{Http1Only, Protocol, http2_form};
use crate::request::Request;
use crate::servers::Target;

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Case {
    /// Says what the case checks, e.g. `ids: leading zero is invalid`.
    pub name: String,
    /// What is sent and what must come back.
    pub probe: Probe,
}

/// What a case sends.
#[derive(Debug, Clone)]
pub enum Probe {
    /// One request on its own connection.
    One {
        /// The request.
        request: Request,
        /// The answer required.
        expect: Expect,
    },
    /// `count` PUTs on one keep-alive connection, creating read states
    /// (`first_user + j`, `channel`) with `message_id` j; each must answer 200 and the state.
    FillReadStates {
        /// The user id of the first entry.
        first_user: u64,
        /// How many entries.
        count: u64,
        /// The channel id of all of them.
        channel: u64,
    },
    /// HTTP/1.1 pipelining: every request in one write on one connection, before any answer
    /// is read; the answers must come back in order, each as the contract requires.
    Pipelined(Vec<(Request, Expected)>),
}

/// The answer a case requires.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Exactly this, per docs/API.md.
    Contract(Expected),
    /// docs/API.md fixes only the status code: the request is rejected below the
    /// application, in the HTTP layer (net/http answers a malformed percent-escape in the
    /// path with a plain-text 400 before any handler runs), so the content type, `allow`,
    /// body and framing are not compared — for either server, and not against each other.
    Status(u16),
    /// docs/API.md does not decide; the servers must answer alike (status, content type,
    /// allow, body). A failure here is a gap in the contract as much as a server bug.
    Agree,
}

/// What one server did with one case.
enum Observed {
    Answer(Outcome),
    Fill(Result<u64, String>),
    Pipelined(Result<Vec<Answer>, String>),
}

impl Observed {
    fn show(&self) -> String {
        match self {
            Observed::Answer(outcome) => show_outcome(outcome),
            Observed::Fill(Ok(count)) => format!("{count} PUTs answered as expected"),
            Observed::Fill(Err(problem)) => problem.clone(),
            Observed::Pipelined(Ok(answers)) => answers
                .iter()
                .enumerate()
                .map(|(i, answer)| format!("\n            #{}: {answer}", i + 1))
                .collect(),
            Observed::Pipelined(Err(problem)) => format!("no answers: {problem}"),
        }
    }
}

/// The outcome of a table run.
pub struct TableReport {
    /// How many cases ran.
    pub cases: usize,
    /// One block of text per failed case.
    pub failures: Vec<String>,
    /// Servers that could not be started, with the reason.
    pub unavailable: Vec<String>,
    /// The protocol of the run.
    pub protocol: Protocol,
    /// In an HTTP/2 run, the cases sent over HTTP/1.1 instead, by name, with the reason.
    pub http1_only: Vec<(String, Http1Only)>,
}

impl TableReport {
    /// Panics with every failure if there was any.
    pub fn assert_passed(&self) {
        if self.failures.is_empty() && self.unavailable.is_empty() {
            return;
        }
        let mut message = format!(
            "conformance table over {}: {} of {} cases failed",
            self.protocol,
            self.failures.len(),
            self.cases
        );
        for reason in &self.unavailable {
            let _ = write!(message, "\n\nNOT TESTED: {reason}");
        }
        for failure in &self.failures {
            let _ = write!(message, "\n\n{failure}");
        }
        panic!("{message}");
    }
}

/// Runs `cases` in order against every available target (the targets in parallel, each one
/// sequentially, so each server sees exactly the same sequence of requests). Over
/// [`Protocol::Http2`], the cases without an HTTP/2 form go over HTTP/1.1, in their place
/// (see [`crate::protocol`]), and are listed in the report.
pub fn run_table(cases: &[Case], targets: &[Target], protocol: Protocol) -> TableReport {
    let unavailable = targets
        .iter()
        .filter_map(|t| {
            t.server
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", t.name()))
        })
        .collect();
    let available: Vec<&Target> = targets.iter().filter(|t| t.server.is_ok()).collect();
    let observed: Vec<Vec<Observed>> = thread::scope(|scope| {
        let runs: Vec<_> = available
            .iter()
            .map(|&target| scope.spawn(move || run_all(cases, target, protocol)))
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("a table run panicked"))
            .collect()
    });
    let failures = cases
        .iter()
        .enumerate()
        .filter_map(|(index, case)| {
            let answers: Vec<(&Target, &Observed)> = available
                .iter()
                .zip(&observed)
                .map(|(&target, run)| (target, &run[index]))
                .collect();
            judge(index, case, &answers)
        })
        .collect();
    let http1_only = match protocol {
        Protocol::Http1 => Vec::new(),
        Protocol::Http2 => cases
            .iter()
            .filter_map(|case| {
                http2_form(&case.probe)
                    .err()
                    .map(|reason| (case.name.clone(), reason))
            })
            .collect(),
    };
    TableReport {
        cases: cases.len(),
        failures,
        unavailable,
        protocol,
        http1_only,
    }
}

fn run_all(cases: &[Case], target: &Target, protocol: Protocol) -> Vec<Observed> {
    cases
        .iter()
        .map(|case| match &case.probe {
            Probe::One { request, .. }
                if protocol == Protocol::Http2 && http2_form(&case.probe).is_ok() =>
            {
                Observed::Answer(target.send_h2(request))
            }
            Probe::One { request, .. } => Observed::Answer(target.send(request)),
            Probe::Pipelined(exchanges) => {
                let requests: Vec<&Request> = exchanges.iter().map(|(r, _)| r).collect();
                Observed::Pipelined(target.send_pipelined(&requests))
            }
            Probe::FillReadStates {
                first_user,
                count,
                channel,
            } => Observed::Fill(fill(target, *first_user, *count, *channel)),
        })
        .collect()
}

fn fill(target: &Target, first_user: u64, count: u64, channel: u64) -> Result<u64, String> {
    let mut connection = target.connect()?;
    for j in 0..count {
        let user = first_user + j;
        let request = Request::put(
            &format!("/read_states/{user}/{channel}"),
            format!("{{\"message_id\":{j}}}"),
        );
        let expected = read_state_answer(user, channel, j, 0);
        let outcome = target.send_on(&mut connection, &request);
        let problems = match &outcome {
            Ok(answer) => expected.problems(answer, target.kind),
            Err(e) => vec![e.clone()],
        };
        if !problems.is_empty() {
            return Err(format!(
                "PUT number {} of {count} ({request}) answered {}: {}",
                j + 1,
                show_outcome(&outcome),
                problems.join("; ")
            ));
        }
    }
    Ok(count)
}

/// The contract's answer to a successful read of read state (user, channel).
pub fn read_state_answer(user: u64, channel: u64, last: u64, mentions: u64) -> Expected {
    Expected {
        status: 200,
        content_type: JSON,
        allow: None,
        body: BodyPattern::Pattern(format!(
            "{{\"user_id\":{user},\"channel_id\":{channel},\"last_message_id\":{last},\
             \"mention_count\":{mentions},\"updated_at_ms\":{}}}",
            crate::expect::ANY_INTEGER
        )),
    }
}

/// Returns the failure text of a case, or `None` if it passed on every server.
fn judge(index: usize, case: &Case, answers: &[(&Target, &Observed)]) -> Option<String> {
    let mut lines = Vec::new();
    let mut failed = false;
    if let Probe::Pipelined(exchanges) = &case.probe {
        return judge_pipelined(index, case, exchanges, answers);
    }
    let (request, expect) = match &case.probe {
        Probe::One { request, expect } => (request.to_string(), Some(expect)),
        Probe::Pipelined(_) => unreachable!("judged above"),
        Probe::FillReadStates {
            first_user,
            count,
            channel,
        } => (
            format!(
                "{count} x PUT /read_states/{{{first_user}..}}/{channel} {{\"message_id\":j}} \
                 on one keep-alive connection"
            ),
            None,
        ),
    };
    lines.push(format!("  request:  {request}"));
    match expect {
        Some(Expect::Contract(expected)) => {
            lines.push(format!("  expected: {expected}"));
            for (target, observed) in answers {
                let problems = match observed {
                    Observed::Answer(Ok(answer)) => expected.problems(answer, target.kind),
                    Observed::Answer(Err(_)) => vec!["no answer".to_string()],
                    Observed::Fill(_) | Observed::Pipelined(_) => {
                        unreachable!("a single request")
                    }
                };
                failed |= !problems.is_empty();
                lines.push(verdict_line(target, observed, &problems));
            }
        }
        Some(Expect::Status(status)) => {
            lines.push(format!(
                "  expected: {status} (status only: the body is rejected at the HTTP layer)"
            ));
            for (target, observed) in answers {
                let problems = match observed {
                    Observed::Answer(Ok(answer)) if answer.status == *status => vec![],
                    Observed::Answer(Ok(answer)) => {
                        vec![format!("status {} (expected {status})", answer.status)]
                    }
                    Observed::Answer(Err(_)) => vec!["no answer".to_string()],
                    Observed::Fill(_) | Observed::Pipelined(_) => {
                        unreachable!("a single request")
                    }
                };
                failed |= !problems.is_empty();
                lines.push(verdict_line(target, observed, &problems));
            }
        }
        Some(Expect::Agree) => {
            lines.push(
                "  expected: (not decided by docs/API.md) the servers must answer alike".into(),
            );
            let outcomes: Vec<&Outcome> = answers
                .iter()
                .map(|(_, observed)| match observed {
                    Observed::Answer(outcome) => outcome,
                    Observed::Fill(_) | Observed::Pipelined(_) => {
                        unreachable!("a single request")
                    }
                })
                .collect();
            // Every server (each kind, each variant) against the first one.
            let differences = match outcomes.split_first() {
                Some((Ok(first), rest)) => {
                    let mut differences = Vec::new();
                    for outcome in rest {
                        match outcome {
                            Ok(answer) => differences.extend(first.differences(answer)),
                            Err(_) => differences.push("no answer".to_string()),
                        }
                    }
                    differences.sort();
                    differences.dedup();
                    differences
                }
                _ => vec!["no answer".to_string()],
            };
            failed = !differences.is_empty();
            for (target, observed) in answers {
                lines.push(verdict_line(target, observed, &[]));
            }
            if failed {
                lines.push(format!("  differ in: {}", differences.join(", ")));
            }
        }
        None => {
            for (target, observed) in answers {
                let problem = matches!(observed, Observed::Fill(Err(_)));
                failed |= problem;
                let problems = if problem {
                    vec!["failed".to_string()]
                } else {
                    vec![]
                };
                lines.push(verdict_line(target, observed, &problems));
            }
        }
    }
    failed.then(|| format!("case #{index} `{}`\n{}", case.name, lines.join("\n")))
}

/// A pipelined case passes when every server answered every request, in order, as expected.
fn judge_pipelined(
    index: usize,
    case: &Case,
    exchanges: &[(Request, Expected)],
    answers: &[(&Target, &Observed)],
) -> Option<String> {
    let mut lines = vec![format!(
        "  request:  {} requests in one write: {}",
        exchanges.len(),
        exchanges
            .iter()
            .map(|(request, _)| request.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    )];
    for (i, (_, expected)) in exchanges.iter().enumerate() {
        lines.push(format!("  expected #{}: {expected}", i + 1));
    }
    let mut failed = false;
    for (target, observed) in answers {
        let problems: Vec<String> = match observed {
            Observed::Pipelined(Ok(got)) => exchanges
                .iter()
                .zip(got)
                .enumerate()
                .flat_map(|(i, ((_, expected), answer))| {
                    expected
                        .problems(answer, target.kind)
                        .into_iter()
                        .map(move |problem| format!("#{}: {problem}", i + 1))
                })
                .collect(),
            Observed::Pipelined(Err(_)) => vec!["no answers".to_string()],
            Observed::Answer(_) | Observed::Fill(_) => unreachable!("a pipelined case"),
        };
        failed |= !problems.is_empty();
        lines.push(verdict_line(target, observed, &problems));
    }
    failed.then(|| format!("case #{index} `{}`\n{}", case.name, lines.join("\n")))
}

fn verdict_line(target: &Target, observed: &Observed, problems: &[String]) -> String {
    let verdict = if problems.is_empty() {
        String::new()
    } else {
        format!("\n            ^ WRONG: {}", problems.join("; "))
    };
    format!(
        "  {:<11} {}{verdict}",
        format!("{}:", target.label()),
        observed.show()
    )
}
