//! The conformance suite's harness: exact-bytes requests, the contract's expected answers,
//! and a runner that sends one table of cases to every reference server and reports each
//! difference with the case, the expected answer and every server's answer.
//!
//! The cases themselves live in `tests/`: `contract` (the table, one case per rule of
//! docs/API.md), `properties` (generated requests, both servers must agree) and `cli`
//! (flags, exit codes).

#![warn(missing_docs)]

pub mod answer;
pub mod expect;
pub mod h2c;
pub mod protocol;
pub mod request;
pub mod servers;
pub mod table;

pub use answer::{Answer, Outcome};
pub use expect::{BodyPattern, Expected, JSON, StatsCheck, TEXT};
pub use protocol::{Http1Only, Protocol};
pub use request::{Body, Request};
pub use servers::Target;
pub use table::{Case, Expect, Probe, TableReport, read_state_answer, run_table};
