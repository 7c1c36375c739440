//! The TechEmpower-style workloads: the same GET over and over (/plaintext, /json).

use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::{Workload, WorkloadContext, get_request};

pub struct FixedGet {
    name: &'static str,
    path: &'static str,
}

impl FixedGet {
    pub fn new(name: &'static str, path: &'static str) -> Self {
        Self { name, path }
    }
}

impl Workload for FixedGet {
    fn name(&self) -> &'static str {
        self.name
    }

    fn requests(&self, context: &WorkloadContext, _rng: &mut ChaCha8Rng) -> Vec<Vec<u8>> {
        vec![get_request(context.addr, self.path)]
    }

    fn describe(&self) -> serde_json::Value {
        json!({ "requests": format!("GET {}", self.path) })
    }
}
