//! The study's experiment labels that both sides must agree on: the study writes them into
//! each run's labels (`reproduce.rs`), the report selects runs by them (`report/`). Kept
//! here so that neither side imports the other.

/// C4's two rows: each closed loop, without pipelining and at TechEmpower's depth 16.
pub const C4_PIPELINE_DEPTHS: [usize; 2] = [1, TECHEMPOWER_PIPELINE_DEPTH];

/// TechEmpower's plaintext test pipelines 16 requests per connection: the setting behind
/// headline figures such as the article's "300K+ req/s".
pub const TECHEMPOWER_PIPELINE_DEPTH: usize = 16;

/// The experiment label of C4's runs at a pipeline depth.
pub fn c4_experiment(depth: usize) -> &'static str {
    if depth > 1 { "c4-pipelined" } else { "c4" }
}

/// C5 as the article means it: Pingora and nginx as reverse proxies, at constant rates.
pub const C5_PROXY_EXPERIMENT: &str = "c5-proxy";

/// The closed-loop runs through each proxy that set C5's rates (not judged).
pub const C5_PROXY_MAX_EXPERIMENT: &str = "c5-proxy-max";

/// The `server` label of C5's proxy runs.
pub const PINGORA_LABEL: &str = "pingora";
pub const NGINX_LABEL: &str = "nginx";

/// The claims-table aspect of C4's row at a pipeline depth ("C4 (pipelined)").
pub fn c4_aspect(depth: usize) -> &'static str {
    if depth > 1 {
        "pipelined"
    } else {
        "unpipelined"
    }
}

/// The claims-table aspect of the rows that compare the tuned variants ("C2 (tuned)").
pub const TUNED_ASPECT: &str = "tuned";
