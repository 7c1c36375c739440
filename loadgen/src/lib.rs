//! loadgen: the load generator, orchestrator and report renderer of the Rust-vs-Go claims
//! study. Data flows one way: flags (`cli`) -> a validated plan (`plan`) -> a run (`engine`,
//! driven by `run`) -> files on disk (`result`, `output`) -> the report (`report`), which
//! reads only files.

pub mod affinity;
pub mod c5_proxy;
pub mod children;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod environment;
pub mod error;
pub mod experiments;
pub mod external_process;
pub mod gc_mechanism;
pub mod gc_window;
pub mod hgrm;
pub mod keeping_up;
pub mod limits;
pub mod manifest;
pub mod merge;
pub mod nginx;
pub mod output;
pub mod pingora;
pub mod plan;
pub mod plan_error;
pub mod report;
pub mod reproduce;
pub mod result;
pub mod run;
pub mod server_stats;
pub mod shard;
pub mod study;
pub mod summary;
pub mod sweep;
pub mod target;
pub mod workload;
