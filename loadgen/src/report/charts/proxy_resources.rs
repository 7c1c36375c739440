//! Chart 7b: C5 as the article means it: what Pingora and nginx, each a reverse proxy in front
//! of the same rust-server, used for the same constant rate: CPU time per 1,000 requests and
//! peak resident memory, beside what the article's figures (70 % less CPU, 67 % less memory)
//! would make of nginx's.

use std::path::Path;

use crate::experiments::C5_PROXY_EXPERIMENT;
use crate::report::charts::resources::{Pair, draw_resources};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::collect::{Server, Study};

pub struct ProxyResources;

impl Chart for ProxyResources {
    fn claims(&self) -> &'static [&'static str] {
        &["C5"]
    }

    fn file_name(&self) -> &'static str {
        "proxy-resources.png"
    }

    fn title(&self) -> &'static str {
        "CPU and memory per proxy: Pingora and nginx (C5)"
    }

    fn caption(&self) -> &'static str {
        "Pingora (pingora-proxy) and nginx (proxy_pass with pooled upstream connections), each \
         alone on the server CPU in front of the same rust-server, at the same constant rate \
         (the one the verdict reads). Left: the proxy's CPU time (user + system, nginx's \
         master and workers summed) per 1,000 successful requests, in milliseconds; right: its \
         peak resident memory (summed likewise). Medians over repetitions. The hatched bars \
         (\"article: nginx −70 %\", \"−67 %\") show what the article's figures would predict \
         for Pingora from nginx's measurement."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let Some((_, runs)) = study.headline_level(C5_PROXY_EXPERIMENT) else {
            return Ok(Drawn::NoData(format!(
                "no {C5_PROXY_EXPERIMENT} runs (the default study runs them, --quick does not)"
            )));
        };
        let pair = Pair {
            heavier: &Server::Nginx,
            lighter: &Server::Pingora,
            heavier_short: "nginx",
        };
        draw_resources(
            path,
            &runs,
            (
                "Proxy CPU per 1,000 requests and peak memory, at the same load",
                "C5 proxy runs at the rate nearest half the maximum",
            ),
            pair,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{RunSpec, draw, run};

    #[test]
    fn draws_both_proxies_or_says_what_is_missing() {
        let mut runs = Vec::new();
        for repetition in ["1", "2", "3"] {
            for (server, cpu_per_1000, peak_rss_bytes) in
                [("nginx", 0.03, 12 << 20), ("pingora", 0.02, 9 << 20)]
            {
                runs.push(run(RunSpec {
                    server,
                    labels: &[
                        ("experiment", "c5-proxy"),
                        ("fraction", "0.5"),
                        ("repetition", repetition),
                    ],
                    cpu_per_1000,
                    peak_rss_bytes,
                    external_measured: true,
                    dir_name: Some(server),
                    ..RunSpec::default()
                }));
            }
        }
        let (_guard, path, drawn) = draw(&ProxyResources, "proxy-resources", runs);
        assert!(matches!(drawn, Drawn::Chart { .. }), "{drawn:?}");
        assert!(std::fs::metadata(&path).unwrap().len() > 1000);
        let (_guard, _, drawn) = draw(&ProxyResources, "proxy-resources-none", Vec::new());
        assert!(
            matches!(&drawn, Drawn::NoData(why) if why.contains("--quick")),
            "{drawn:?}"
        );
    }
}
