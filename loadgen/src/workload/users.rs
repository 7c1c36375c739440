//! The article's Users API: mostly reads of existing users, some creations.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::{SetupError, Workload, WorkloadContext, get_request, json_request};
use server_launcher::http::Connection;

/// Set-up requests are local and tiny; this only bounds a server that stopped answering.
const SETUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct Users {
    /// Users created before the run, so that reads find them.
    pub seeded_users: u64,
    /// Share of requests that are POST /users; the rest are GET /users/{id}.
    pub create_fraction: f64,
}

impl Default for Users {
    fn default() -> Self {
        Self {
            seeded_users: 1000,
            create_fraction: 0.1,
        }
    }
}

impl Workload for Users {
    fn name(&self) -> &'static str {
        "users"
    }

    fn requests(&self, context: &WorkloadContext, rng: &mut ChaCha8Rng) -> Vec<Vec<u8>> {
        (0..super::REQUEST_POOL_SIZE / 16)
            .map(|n| {
                if rng.random_bool(self.create_fraction) {
                    let body =
                        format!(r#"{{"name":"load user {n}","email":"load{n}@example.com"}}"#);
                    json_request(context.addr, "POST", "/users", &body)
                } else {
                    let id = rng.random_range(1..=self.seeded_users);
                    get_request(context.addr, &format!("/users/{id}"))
                }
            })
            .collect()
    }

    fn setup(&self, context: &WorkloadContext) -> Result<(), SetupError> {
        // Reads target ids 1..=seeded_users; a fresh server assigns exactly those ids. A reused
        // server that already has users keeps them, and reads still find existing ids.
        let failed = |message: String| SetupError {
            workload: "users",
            message,
        };
        let mut client =
            Connection::connect(context.addr, SETUP_TIMEOUT).map_err(|e| failed(e.to_string()))?;
        for n in 0..self.seeded_users {
            let body = format!(r#"{{"name":"seed user {n}","email":"seed{n}@example.com"}}"#);
            let status = client
                .send(&json_request(context.addr, "POST", "/users", &body), false)
                .map_err(|e| failed(e.to_string()))?
                .status;
            if status != 201 {
                return Err(failed(format!(
                    "POST /users answered {status}, expected 201"
                )));
            }
        }
        Ok(())
    }

    fn describe(&self) -> serde_json::Value {
        json!({
            "seeded_users": self.seeded_users,
            "create_fraction": self.create_fraction,
            "requests": "GET /users/{id} (id uniform over the seeded users), POST /users",
        })
    }
}
