//! Discord's read states: acknowledge (PUT) and read (GET) entries of a large LRU cache.
//! Keys come from the server's prefilled set (docs/API.md: entry i is user i/64, channel i%64),
//! so every request finds its entry and the live heap stays at the prefilled size.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Zipf};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Workload, WorkloadContext, get_request, json_request};

/// How keys are drawn from the prefilled set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum KeyDistribution {
    Uniform,
    /// Zipf with exponent 1: a few hot users, a long tail — closer to a chat service.
    Zipf,
}

pub struct ReadStates {
    pub distribution: KeyDistribution,
}

/// Share of requests that are PUT (acknowledge); the rest are GET.
const WRITE_FRACTION: f64 = 0.2;
const CHANNELS_PER_USER: u64 = 64;

impl Workload for ReadStates {
    fn name(&self) -> &'static str {
        "read-states"
    }

    fn requests(&self, context: &WorkloadContext, rng: &mut ChaCha8Rng) -> Vec<Vec<u8>> {
        let entries = context.read_states.max(1);
        let zipf = Zipf::new(entries as f64, 1.0).expect("entries >= 1 and exponent 1 are valid");
        (0..super::REQUEST_POOL_SIZE)
            .map(|_| {
                let entry = match self.distribution {
                    KeyDistribution::Uniform => rng.random_range(0..entries),
                    KeyDistribution::Zipf => zipf.sample(rng) as u64 - 1,
                };
                let path = format!(
                    "/read_states/{}/{}",
                    entry / CHANNELS_PER_USER,
                    entry % CHANNELS_PER_USER
                );
                if rng.random_bool(WRITE_FRACTION) {
                    let body = format!(
                        r#"{{"message_id":{},"mentions":{}}}"#,
                        rng.random::<u32>() as u64 + entries,
                        rng.random_range(0..5u32)
                    );
                    json_request(context.addr, "PUT", &path, &body)
                } else {
                    get_request(context.addr, &path)
                }
            })
            .collect()
    }

    fn describe(&self) -> serde_json::Value {
        json!({
            "key_distribution": self.distribution,
            "write_fraction": WRITE_FRACTION,
            "requests": "GET and PUT /read_states/{user_id}/{channel_id} over the prefilled keys",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::{WorkloadContext, build_requests};

    fn context(read_states: u64) -> WorkloadContext {
        WorkloadContext {
            addr: "127.0.0.1:1".parse().unwrap(),
            read_states,
            seed: 7,
        }
    }

    #[test]
    fn keys_stay_inside_the_prefilled_set_and_the_pool_is_deterministic() {
        for distribution in [KeyDistribution::Uniform, KeyDistribution::Zipf] {
            let workload = ReadStates { distribution };
            let pool = build_requests(&workload, &context(1000));
            assert_eq!(pool, build_requests(&workload, &context(1000)));
            for request in &pool {
                let line = std::str::from_utf8(request)
                    .unwrap()
                    .lines()
                    .next()
                    .unwrap();
                let path = line.split(' ').nth(1).unwrap();
                let parts: Vec<u64> = path
                    .trim_start_matches("/read_states/")
                    .split('/')
                    .map(|p| p.parse().unwrap())
                    .collect();
                assert!(
                    parts[0] * 64 + parts[1] < 1000,
                    "{path} is outside the prefill"
                );
            }
            let writes = pool.iter().filter(|r| r.starts_with(b"PUT")).count();
            assert!(writes > pool.len() / 10 && writes < pool.len() / 3);
        }
    }
}
