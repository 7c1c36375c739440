//! The claims table: C1 to C5, each judged by a rule written here, from figures measured and
//! stored on disk. Nothing in this table is typed by hand: the rules are pure functions of
//! the evidence ([`crate::report::evidence`] picks it from the study), each rule's text is
//! shown beside its verdict, and the unit tests below reach every verdict of every rule.
//!
//! The article's figures come from "Why Companies Are Betting on Rust for Production Systems"
//! (2026); see the design's claims table.

use serde::Serialize;

use crate::report::aggregate::Spread;
use crate::report::evidence;
use crate::report::format::{duration_us, mebibytes, rate, ratio, thousands};

/// A claim's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Reproduced,
    PartlyReproduced,
    NotReproduced,
    NotTestable,
}

impl Verdict {
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::PartlyReproduced => "partly reproduced",
            Verdict::NotReproduced => "not reproduced",
            Verdict::NotTestable => "not testable here",
        }
    }

    /// The CSS class of the verdict's cell.
    pub fn css_class(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::PartlyReproduced => "partly",
            Verdict::NotReproduced => "not-reproduced",
            Verdict::NotTestable => "not-testable",
        }
    }
}

/// What a rule concludes from its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// The measured figure, in the article's terms.
    pub measured: String,
    /// Why this verdict, in one or two sentences with the deciding numbers.
    pub reason: String,
}

impl Judgement {
    fn new(verdict: Verdict, measured: String, reason: String) -> Self {
        Self {
            verdict,
            measured,
            reason,
        }
    }

    /// No evidence: "not testable here", with the reason.
    pub fn not_testable(reason: impl Into<String>) -> Self {
        Self::new(Verdict::NotTestable, "no data".into(), reason.into())
    }
}

/// One row of the claims table.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: &'static str,
    /// The claim as the article states it.
    pub statement: &'static str,
    /// The article's figure.
    pub article: &'static str,
    /// The rule that decides the verdict, in words.
    pub rule: &'static str,
    /// Under which conditions the figure was measured (machine, load, pinning).
    pub conditions: String,
    pub verdict: Verdict,
    pub measured: String,
    pub reason: String,
}

/// Judges the five claims from the study.
pub fn assess(study: &crate::report::collect::Study) -> Vec<Claim> {
    let judged = |evidence: Result<(Judgement, String), String>| match evidence {
        Ok((judgement, conditions)) => (judgement, conditions),
        Err(reason) => (Judgement::not_testable(reason), "–".to_string()),
    };
    let rows = [
        (&C1, judged(evidence::c1(study).map(|(e, c)| (c1(&e), c)))),
        (&C2, judged(evidence::c2(study).map(|(e, c)| (c2(&e), c)))),
        (&C3, judged(evidence::c3(study).map(|(e, c)| (c3(&e), c)))),
        (&C4, judged(evidence::c4(study).map(|(e, c)| (c4(&e), c)))),
        (&C5, judged(evidence::c5(study).map(|(e, c)| (c5(&e), c)))),
    ];
    rows.into_iter()
        .map(|(text, (judgement, conditions))| Claim {
            id: text.id,
            statement: text.statement,
            article: text.article,
            rule: text.rule,
            conditions,
            verdict: judgement.verdict,
            measured: judgement.measured,
            reason: judgement.reason,
        })
        .collect()
}

/// The fixed words of a claim.
pub struct ClaimText {
    pub id: &'static str,
    pub statement: &'static str,
    pub article: &'static str,
    pub rule: &'static str,
}

// ---------------------------------------------------------------------------------------
// C1: the iterator chain compiles to the same assembly as the loop.

pub const C1: ClaimText = ClaimText {
    id: "C1",
    statement: "numbers.iter().filter(|n| **n > 0).map(|n| n * 2).sum() \"compiles to the same \
                assembly as\" the manual for loop",
    article: "same assembly (so the same speed)",
    rule: "Reproduced if the assembly of sum_iter and sum_loop is identical in the default \
           release build and the iterator's median time is within 5 % of the loop's \
           (ratio 0.95–1.05) at every size, or within the spread measured at that size \
           between sum_fold and sum_iter where that is larger (two functions asm-check found \
           to be the same machine code: their spread is the timing noise floor); partly if \
           only one of the two holds; not reproduced if neither holds; not testable without \
           an assembly comparison.",
};

/// Time ratios outside [1 − TOLERANCE, 1 + TOLERANCE] count as different speeds.
pub const C1_TIME_TOLERANCE: f64 = 0.05;

/// C1's evidence: the default-setting assembly verdict and iter/loop time ratios by size.
#[derive(Debug, Clone, PartialEq)]
pub struct IterEvidence {
    pub default_asm_identical: Option<bool>,
    /// The comparison's own words for the default setting.
    pub default_asm_detail: String,
    /// (input size, iterator median / loop median).
    pub ratios: Vec<(u64, f64)>,
    /// (input size, |sum_fold / sum_iter − 1|): the timing noise between two functions with
    /// identical machine code; empty when the control was not measured or not identical.
    pub noise_floor: Vec<(u64, f64)>,
}

impl IterEvidence {
    /// The tolerance for "the same speed" at `size`: 5 %, or the measured noise floor there.
    pub fn tolerance(&self, size: u64) -> f64 {
        self.noise_floor
            .iter()
            .find(|(s, _)| *s == size)
            .map_or(C1_TIME_TOLERANCE, |(_, noise)| noise.max(C1_TIME_TOLERANCE))
    }
}

pub fn c1(e: &IterEvidence) -> Judgement {
    let outside: Vec<&(u64, f64)> = e
        .ratios
        .iter()
        .filter(|(size, r)| (r - 1.0).abs() > e.tolerance(*size))
        .collect();
    let (lowest, highest) = e
        .ratios
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), (_, r)| {
            (lo.min(*r), hi.max(*r))
        });
    let times = if e.ratios.is_empty() {
        "no timings".to_string()
    } else {
        format!(
            "iterator/loop time {}–{} over {} sizes",
            ratio_plain(lowest),
            ratio_plain(highest),
            e.ratios.len()
        )
    };
    let Some(identical) = e.default_asm_identical else {
        return Judgement::new(
            Verdict::NotTestable,
            times,
            "iterbench.json has no assembly comparison of sum_iter and sum_loop in the default \
             build"
                .into(),
        );
    };
    let measured = format!("assembly {}; {times}", e.default_asm_detail);
    let times_equal = !e.ratios.is_empty() && outside.is_empty();
    let sizes_outside = outside
        .iter()
        .map(|(size, r)| format!("{} at {} elements", ratio_plain(*r), thousands(*size)))
        .collect::<Vec<_>>()
        .join(", ");
    let timing_words = if e.ratios.is_empty() {
        "there are no timings".to_string()
    } else if times_equal {
        "the times are within 5 % (or the noise floor) at every size".to_string()
    } else {
        format!("the times differ by more than 5 % and the noise floor ({sizes_outside})")
    };
    let (verdict, reason) = match (identical, times_equal) {
        (true, true) => (
            Verdict::Reproduced,
            format!("Identical assembly, and {timing_words}."),
        ),
        (true, false) if e.ratios.is_empty() => (
            Verdict::PartlyReproduced,
            "Identical assembly, but no timings to show the same speed.".to_string(),
        ),
        (true, false) => (
            Verdict::PartlyReproduced,
            format!(
                "Identical assembly, but {timing_words}: with the same code, look for noise or \
                 code placement."
            ),
        ),
        (false, true) => (
            Verdict::PartlyReproduced,
            format!("The assembly differs, but {timing_words}: the same speed, not the same code."),
        ),
        (false, false) => (
            Verdict::NotReproduced,
            format!("The assembly differs and {timing_words}."),
        ),
    };
    Judgement::new(verdict, measured, reason)
}

fn ratio_plain(x: f64) -> String {
    format!("{x:.3}")
}

// ---------------------------------------------------------------------------------------
// C2: Go's tail under load is far worse than Rust's.

pub const C2: ClaimText = ClaimText {
    id: "C2",
    statement: "A Go service under load: p50 2 ms, p99 15 ms, p99.9 200 ms (\"GC pause\"); \
                the Rust one: p50 1 ms, p99 3 ms, p99.9 5 ms",
    article: "Go 2 / 15 / 200 ms, Rust 1 / 3 / 5 ms (p50 / p99 / p99.9): Go/Rust 2×, 5×, 40×",
    rule: "Go/Rust ratios of the medians over repetitions (runs that were incomplete or behind \
           schedule are left out). Reproduced if Go/Rust ≥ 10× at p99.9 and ≥ 2.5× at p99; \
           partly if ≥ 1.5× at p99.9; not reproduced otherwise. With two or more repetitions \
           per server, a difference counts only if Go's lowest p99.9 is above Rust's highest \
           (outside the run-to-run spread).",
};

/// The article's C2 figures in µs: (p50, p99, p99.9).
pub const C2_ARTICLE_GO_US: [f64; 3] = [2_000.0, 15_000.0, 200_000.0];
pub const C2_ARTICLE_RUST_US: [f64; 3] = [1_000.0, 3_000.0, 5_000.0];

/// One server's latency over repetitions, in µs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyEvidence {
    pub p50_us: Spread,
    pub p99_us: Spread,
    pub p99_9_us: Spread,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TailEvidence {
    pub go: LatencyEvidence,
    pub rust: LatencyEvidence,
}

pub fn c2(e: &TailEvidence) -> Judgement {
    let r50 = e.go.p50_us.median / e.rust.p50_us.median;
    let r99 = e.go.p99_us.median / e.rust.p99_us.median;
    let r999 = e.go.p99_9_us.median / e.rust.p99_9_us.median;
    let triple = |l: &LatencyEvidence| {
        format!(
            "{} / {} / {}",
            duration_us(l.p50_us.median),
            duration_us(l.p99_us.median),
            duration_us(l.p99_9_us.median)
        )
    };
    let measured = format!(
        "p50 / p99 / p99.9: Go {}, Rust {}; Go/Rust {}, {}, {}",
        triple(&e.go),
        triple(&e.rust),
        ratio(r50),
        ratio(r99),
        ratio(r999)
    );
    let repeated = e.go.p99_9_us.count >= 2 && e.rust.p99_9_us.count >= 2;
    let separated = !repeated || e.go.p99_9_us.min > e.rust.p99_9_us.max;
    let ratios = format!(
        "Go/Rust is {} at p99.9 and {} at p99",
        ratio(r999),
        ratio(r99)
    );
    let (verdict, reason) = if r999 >= 10.0 && r99 >= 2.5 && separated {
        (
            Verdict::Reproduced,
            format!("{ratios} (the article's: 40× and 5×)."),
        )
    } else if r999 >= 1.5 && separated {
        (
            Verdict::PartlyReproduced,
            format!("{ratios}: Go's tail is worse, but far less than the article's 40× and 5×."),
        )
    } else if r999 >= 1.5 {
        (
            Verdict::NotReproduced,
            format!(
                "{ratios}, but within the run-to-run spread: Go's p99.9 ranged {}–{}, Rust's \
                 {}–{}.",
                duration_us(e.go.p99_9_us.min),
                duration_us(e.go.p99_9_us.max),
                duration_us(e.rust.p99_9_us.min),
                duration_us(e.rust.p99_9_us.max)
            ),
        )
    } else if r999 < 1.0 {
        (
            Verdict::NotReproduced,
            format!("{ratios}: here Rust's tail was the worse one."),
        )
    } else {
        (
            Verdict::NotReproduced,
            format!("{ratios}: the tails are within 1.5× of each other."),
        )
    };
    Judgement::new(verdict, measured, reason)
}

// ---------------------------------------------------------------------------------------
// C3: Discord's read states: tail latency 6 ms -> 300 µs after moving from Go to Rust.

pub const C3: ClaimText = ClaimText {
    id: "C3",
    statement: "Discord's read states service: \"Reduced tail latencies from 6ms to 300μs\" \
                (GC spikes on a large in-memory LRU cache)",
    article: "tail 6 ms (Go) → 300 µs (Rust): 20×",
    rule: "At the largest live heap measured for both servers: reproduced if Go/Rust p99.9 ≥ \
           10×; partly if ≥ 2×, or if Go's p99.9 grows ≥ 2× from the smallest to the largest \
           heap while Rust's grows < 1.5× (the GC effect, smaller than claimed); not reproduced \
           otherwise.",
};

/// Each server's p99.9 (µs, median over repetitions) by live-heap size (read-state entries).
#[derive(Debug, Clone, PartialEq)]
pub struct HeapEvidence {
    pub go: Vec<(u64, f64)>,
    pub rust: Vec<(u64, f64)>,
}

pub fn c3(e: &HeapEvidence) -> Judgement {
    let at =
        |points: &[(u64, f64)], heap: u64| points.iter().find(|(h, _)| *h == heap).map(|(_, v)| *v);
    let Some(largest) =
        e.go.iter()
            .map(|(h, _)| *h)
            .filter(|h| at(&e.rust, *h).is_some())
            .max()
    else {
        return Judgement::not_testable("no heap size was measured for both Go and Rust");
    };
    let (go, rust) = (
        at(&e.go, largest).unwrap_or(f64::NAN),
        at(&e.rust, largest).unwrap_or(f64::NAN),
    );
    let r = go / rust;
    // Growth from each server's smallest to its largest heap; needs two sizes.
    let growth = |points: &[(u64, f64)]| {
        let smallest = points.iter().min_by_key(|(h, _)| *h)?;
        let biggest = points.iter().max_by_key(|(h, _)| *h)?;
        (biggest.0 > smallest.0).then(|| biggest.1 / smallest.1)
    };
    let (go_growth, rust_growth) = (growth(&e.go), growth(&e.rust));
    let mut measured = format!(
        "p99.9 at {} entries: Go {}, Rust {} ({})",
        thousands(largest),
        duration_us(go),
        duration_us(rust),
        ratio(r)
    );
    if let (Some(g), Some(rg)) = (go_growth, rust_growth) {
        measured.push_str(&format!(
            "; from the smallest heap to the largest, Go's p99.9 grew {}, Rust's {}",
            ratio(g),
            ratio(rg)
        ));
    }
    let gc_signature =
        matches!((go_growth, rust_growth), (Some(g), Some(rg)) if g >= 2.0 && rg < 1.5);
    let (verdict, reason) = if r >= 10.0 {
        (
            Verdict::Reproduced,
            format!(
                "Go/Rust p99.9 is {} at the largest heap (the article's: 20×).",
                ratio(r)
            ),
        )
    } else if r >= 2.0 {
        (
            Verdict::PartlyReproduced,
            format!(
                "Go/Rust p99.9 is {} at the largest heap: worse for Go, but less than the \
                 article's 20×.",
                ratio(r)
            ),
        )
    } else if gc_signature {
        (
            Verdict::PartlyReproduced,
            format!(
                "Go/Rust p99.9 is only {}, but Go's tail grows with its heap and Rust's does \
                 not: the GC effect is there, far smaller than claimed.",
                ratio(r)
            ),
        )
    } else {
        (
            Verdict::NotReproduced,
            format!(
                "Go/Rust p99.9 is {} at the largest heap, and Go's tail does not grow with the \
                 heap while Rust's stays flat.",
                ratio(r)
            ),
        )
    };
    Judgement::new(verdict, measured, reason)
}

// ---------------------------------------------------------------------------------------
// C4: axum serves 300K+ requests/s, comparable to raw C.

pub const C4: ClaimText = ClaimText {
    id: "C4",
    statement: "\"Axum handling 300K+ requests/sec on modest hardware — comparable to raw C \
                performance\"",
    article: "300,000+ req/s, comparable to C",
    rule: "Closed-loop plaintext throughput, every server with the same pinning, nginx as the \
           C server. Reproduced if axum ≥ 0.8× nginx and axum ≥ 300,000 req/s; partly if ≥ \
           0.8× nginx but below 300,000 req/s; not reproduced if axum < 0.8× nginx; not \
           testable without an nginx run, or if the nginx run was limited by the load \
           generator (≥ 90 % of its CPU) while axum reached ≥ 0.8× of it: nginx's own ceiling \
           is then unknown.",
};

pub const C4_ARTICLE_RPS: f64 = 300_000.0;
/// Above this share of its CPU the load generator, not the server, set the pace.
pub const LOADGEN_BOUND: f64 = 0.9;

#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputEvidence {
    pub axum_rps: f64,
    pub go_rps: Option<f64>,
    pub nginx_rps: Option<f64>,
    /// Why there is no nginx figure, if there is none.
    pub nginx_missing: Option<String>,
    /// Loadgen's CPU use (fraction of its cores) during the nginx run.
    pub nginx_loadgen_utilisation: Option<f64>,
    /// Cores the servers were pinned to, for the wording.
    pub server_cores: Option<usize>,
}

pub fn c4(e: &ThroughputEvidence) -> Judgement {
    let cores = match e.server_cores {
        Some(1) => "on 1 pinned server core".to_string(),
        Some(n) => format!("on {n} pinned server cores"),
        None => "with unpinned servers".to_string(),
    };
    let mut measured = format!("axum {}", rate(e.axum_rps));
    if let Some(nginx) = e.nginx_rps {
        measured.push_str(&format!(
            ", nginx {} (axum/nginx {})",
            rate(nginx),
            ratio(e.axum_rps / nginx)
        ));
    }
    if let Some(go) = e.go_rps {
        measured.push_str(&format!(", Go {}", rate(go)));
    }
    measured.push_str(&format!(", {cores}"));
    let Some(nginx) = e.nginx_rps else {
        let why = e
            .nginx_missing
            .clone()
            .unwrap_or_else(|| "no nginx run was found".into());
        return Judgement::new(
            Verdict::NotTestable,
            measured,
            format!("No C server to compare with: {why}."),
        );
    };
    let r = e.axum_rps / nginx;
    let nginx_bound = e
        .nginx_loadgen_utilisation
        .is_some_and(|u| u >= LOADGEN_BOUND);
    let (verdict, reason) = if r >= 0.8 && nginx_bound {
        (
            Verdict::NotTestable,
            format!(
                "axum reached {} of nginx, but in the nginx run the load generator used {:.0} % \
                 of its CPU: it, not nginx, set the pace, so nginx's ceiling is unknown.",
                ratio(r),
                e.nginx_loadgen_utilisation.unwrap_or(0.0) * 100.0
            ),
        )
    } else if r >= 0.8 && e.axum_rps >= C4_ARTICLE_RPS {
        (
            Verdict::Reproduced,
            format!(
                "axum reached {} of nginx's throughput and over 300,000 req/s.",
                ratio(r)
            ),
        )
    } else if r >= 0.8 {
        (
            Verdict::PartlyReproduced,
            format!(
                "axum is comparable to nginx ({}), but reached {} {cores}, below the \
                 article's 300,000 (which names no core count).",
                ratio(r),
                rate(e.axum_rps)
            ),
        )
    } else {
        (
            Verdict::NotReproduced,
            format!(
                "axum reached only {} of nginx's throughput (rule: ≥ 0.8×).",
                ratio(r)
            ),
        )
    };
    Judgement::new(verdict, measured, reason)
}

// ---------------------------------------------------------------------------------------
// C5: Pingora, 70 % less CPU and 67 % less memory (tested as an analogue).

pub const C5: ClaimText = ClaimText {
    id: "C5",
    statement: "Cloudflare's Pingora: \"70% less CPU, 67% less memory\" (a Rust proxy replacing \
                NGINX)",
    article: "Rust uses 0.30× the CPU and 0.33× the memory",
    rule: "An analogue, not Pingora: the Rust and Go servers at the same constant rate (the C2 \
           runs), medians over repetitions. Reproduced if Rust/Go CPU-seconds per 1,000 \
           requests ≤ 0.30 and Rust/Go peak RSS ≤ 0.33; partly if both ratios are below 1; \
           not reproduced otherwise.",
};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResourceEvidence {
    pub go_cpu_seconds_per_1000: f64,
    pub rust_cpu_seconds_per_1000: f64,
    pub go_peak_rss_bytes: f64,
    pub rust_peak_rss_bytes: f64,
}

pub fn c5(e: &ResourceEvidence) -> Judgement {
    let cpu = e.rust_cpu_seconds_per_1000 / e.go_cpu_seconds_per_1000;
    let rss = e.rust_peak_rss_bytes / e.go_peak_rss_bytes;
    let measured = format!(
        "server CPU per 1,000 requests: Rust {:.1} ms, Go {:.1} ms (Rust/Go {}); peak RSS: \
         Rust {}, Go {} (Rust/Go {})",
        e.rust_cpu_seconds_per_1000 * 1000.0,
        e.go_cpu_seconds_per_1000 * 1000.0,
        ratio(cpu),
        mebibytes(e.rust_peak_rss_bytes),
        mebibytes(e.go_peak_rss_bytes),
        ratio(rss)
    );
    let less = |x: f64| {
        if x <= 1.0 {
            format!("{:.0} % less", (1.0 - x) * 100.0)
        } else {
            format!("{:.0} % more", (x - 1.0) * 100.0)
        }
    };
    let words = format!("Rust used {} CPU and {} memory", less(cpu), less(rss));
    let (verdict, reason) = if cpu <= 0.30 && rss <= 0.33 {
        (
            Verdict::Reproduced,
            format!("{words} (the article's: 70 % and 67 % less)."),
        )
    } else if cpu < 1.0 && rss < 1.0 {
        (
            Verdict::PartlyReproduced,
            format!("{words}: less on both counts, but not the article's 70 % and 67 %."),
        )
    } else {
        (
            Verdict::NotReproduced,
            format!("{words}: not less on both counts."),
        )
    };
    Judgement::new(verdict, measured, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(median: f64) -> Spread {
        Spread {
            median,
            min: median,
            max: median,
            count: 1,
        }
    }

    // ---- C1 ----

    fn iter(identical: Option<bool>, ratios: &[f64]) -> IterEvidence {
        IterEvidence {
            default_asm_identical: identical,
            default_asm_detail: "identical".into(),
            ratios: ratios
                .iter()
                .enumerate()
                .map(|(i, r)| (10u64.pow(i as u32 + 2), *r))
                .collect(),
            noise_floor: Vec::new(),
        }
    }

    #[test]
    fn c1_allows_the_noise_floor_measured_on_identical_code() {
        let mut evidence = iter(Some(false), &[1.0, 0.937]);
        assert_eq!(c1(&evidence).verdict, Verdict::NotReproduced);
        // sum_fold vs sum_iter (same machine code) differed by 6.6 % at that size.
        evidence.noise_floor = vec![(1000, 0.066)];
        assert_eq!(c1(&evidence).verdict, Verdict::PartlyReproduced);
        // A noise floor at another size does not excuse this one.
        evidence.noise_floor = vec![(100, 0.066)];
        assert_eq!(c1(&evidence).verdict, Verdict::NotReproduced);
    }

    #[test]
    fn c1_reaches_every_verdict() {
        assert_eq!(
            c1(&iter(Some(true), &[1.0, 1.04, 0.96])).verdict,
            Verdict::Reproduced
        );
        assert_eq!(
            c1(&iter(Some(true), &[1.0, 1.2])).verdict,
            Verdict::PartlyReproduced
        );
        assert_eq!(
            c1(&iter(Some(false), &[1.0, 0.97])).verdict,
            Verdict::PartlyReproduced
        );
        assert_eq!(
            c1(&iter(Some(false), &[1.0, 1.3])).verdict,
            Verdict::NotReproduced
        );
        assert_eq!(c1(&iter(None, &[1.0])).verdict, Verdict::NotTestable);
    }

    #[test]
    fn c1_needs_timings_and_names_the_sizes_outside() {
        // Identical assembly but no timing at all cannot be "reproduced": same code is not
        // yet shown to be the same speed.
        assert_eq!(
            c1(&iter(Some(true), &[])).verdict,
            Verdict::PartlyReproduced
        );
        let judgement = c1(&iter(Some(false), &[1.0, 1.3]));
        assert!(
            judgement.reason.contains("1.300 at 1,000 elements"),
            "{}",
            judgement.reason
        );
    }

    // ---- C2 ----

    fn latency(p50: f64, p99: f64, p999: f64) -> LatencyEvidence {
        LatencyEvidence {
            p50_us: spread(p50),
            p99_us: spread(p99),
            p99_9_us: spread(p999),
        }
    }

    #[test]
    fn c2_reaches_every_verdict() {
        let rust = latency(1_000.0, 3_000.0, 5_000.0);
        // The article's own figures reproduce.
        let article = TailEvidence {
            go: latency(2_000.0, 15_000.0, 200_000.0),
            rust,
        };
        assert_eq!(c2(&article).verdict, Verdict::Reproduced);
        let milder = TailEvidence {
            go: latency(1_100.0, 4_000.0, 10_000.0),
            rust,
        };
        assert_eq!(c2(&milder).verdict, Verdict::PartlyReproduced);
        let equal = TailEvidence { go: rust, rust };
        assert_eq!(c2(&equal).verdict, Verdict::NotReproduced);
        let reversed = TailEvidence {
            go: rust,
            rust: latency(2_000.0, 15_000.0, 200_000.0),
        };
        let judgement = c2(&reversed);
        assert_eq!(judgement.verdict, Verdict::NotReproduced);
        assert!(
            judgement.reason.contains("Rust's tail was the worse"),
            "{}",
            judgement.reason
        );
    }

    #[test]
    fn c2_p99_alone_decides_between_reproduced_and_partly() {
        let rust = latency(1_000.0, 3_000.0, 5_000.0);
        let only_tail = TailEvidence {
            go: latency(1_000.0, 4_000.0, 100_000.0),
            rust,
        };
        assert_eq!(c2(&only_tail).verdict, Verdict::PartlyReproduced);
    }

    #[test]
    fn c2_differences_within_the_spread_do_not_count() {
        let spread_of = |min: f64, median: f64, max: f64| Spread {
            median,
            min,
            max,
            count: 3,
        };
        let rust = LatencyEvidence {
            p50_us: spread_of(900.0, 1_000.0, 1_100.0),
            p99_us: spread_of(2_000.0, 3_000.0, 4_000.0),
            p99_9_us: spread_of(3_000.0, 5_000.0, 40_000.0),
        };
        let go = LatencyEvidence {
            p50_us: spread_of(1_800.0, 2_000.0, 2_200.0),
            p99_us: spread_of(8_000.0, 9_000.0, 10_000.0),
            p99_9_us: spread_of(20_000.0, 30_000.0, 60_000.0),
        };
        let judgement = c2(&TailEvidence { go, rust });
        assert_eq!(judgement.verdict, Verdict::NotReproduced);
        assert!(judgement.reason.contains("spread"), "{}", judgement.reason);
    }

    // ---- C3 ----

    #[test]
    fn c3_reaches_every_verdict() {
        let heaps = |go: [f64; 3], rust: [f64; 3]| HeapEvidence {
            go: vec![(100_000, go[0]), (1_000_000, go[1]), (4_000_000, go[2])],
            rust: vec![
                (100_000, rust[0]),
                (1_000_000, rust[1]),
                (4_000_000, rust[2]),
            ],
        };
        let flat_rust = [300.0, 300.0, 300.0];
        assert_eq!(
            c3(&heaps([1_000.0, 3_000.0, 6_000.0], flat_rust)).verdict,
            Verdict::Reproduced
        );
        assert_eq!(
            c3(&heaps([600.0, 900.0, 900.0], flat_rust)).verdict,
            Verdict::PartlyReproduced
        );
        // Go's tail doubles with the heap while Rust's stays: partly, though the ratio is < 2.
        let growth = c3(&heaps([250.0, 400.0, 510.0], flat_rust));
        assert_eq!(growth.verdict, Verdict::PartlyReproduced);
        assert!(
            growth.reason.contains("grows with its heap"),
            "{}",
            growth.reason
        );
        assert_eq!(
            c3(&heaps([300.0, 310.0, 320.0], flat_rust)).verdict,
            Verdict::NotReproduced
        );
        let disjoint = HeapEvidence {
            go: vec![(100_000, 1.0)],
            rust: vec![(4_000_000, 1.0)],
        };
        assert_eq!(c3(&disjoint).verdict, Verdict::NotTestable);
    }

    #[test]
    fn c3_uses_the_largest_heap_measured_for_both() {
        let e = HeapEvidence {
            go: vec![(100_000, 1_000.0), (4_000_000, 100_000.0)],
            rust: vec![(100_000, 1_000.0)],
        };
        // Only 100k is common: ratio 1, and Rust has one size only, so no growth rule.
        assert_eq!(c3(&e).verdict, Verdict::NotReproduced);
    }

    // ---- C4 ----

    fn throughput(axum: f64, nginx: Option<f64>, utilisation: Option<f64>) -> ThroughputEvidence {
        ThroughputEvidence {
            axum_rps: axum,
            go_rps: Some(90_000.0),
            nginx_rps: nginx,
            nginx_missing: nginx
                .is_none()
                .then(|| "nginx is not installed".to_string()),
            nginx_loadgen_utilisation: utilisation,
            server_cores: Some(1),
        }
    }

    #[test]
    fn c4_reaches_every_verdict() {
        assert_eq!(
            c4(&throughput(320_000.0, Some(350_000.0), Some(0.5))).verdict,
            Verdict::Reproduced
        );
        let partly = c4(&throughput(120_000.0, Some(130_000.0), Some(0.5)));
        assert_eq!(partly.verdict, Verdict::PartlyReproduced);
        assert!(
            partly.reason.contains("on 1 pinned server core"),
            "{}",
            partly.reason
        );
        assert_eq!(
            c4(&throughput(60_000.0, Some(130_000.0), Some(0.95))).verdict,
            Verdict::NotReproduced
        );
        let no_nginx = c4(&throughput(120_000.0, None, None));
        assert_eq!(no_nginx.verdict, Verdict::NotTestable);
        assert!(
            no_nginx.measured.contains("120,000 req/s"),
            "axum's figure is still shown"
        );
        assert!(no_nginx.reason.contains("not installed"));
    }

    #[test]
    fn c4_a_loadgen_bound_nginx_run_cannot_vouch_for_comparable() {
        let bound = c4(&throughput(125_000.0, Some(130_000.0), Some(0.97)));
        assert_eq!(bound.verdict, Verdict::NotTestable);
        assert!(bound.reason.contains("97 %"), "{}", bound.reason);
    }

    // ---- C5 ----

    fn resources(cpu: (f64, f64), rss: (f64, f64)) -> ResourceEvidence {
        ResourceEvidence {
            rust_cpu_seconds_per_1000: cpu.0,
            go_cpu_seconds_per_1000: cpu.1,
            rust_peak_rss_bytes: rss.0,
            go_peak_rss_bytes: rss.1,
        }
    }

    #[test]
    fn c5_reaches_every_verdict() {
        assert_eq!(
            c5(&resources((0.03, 0.1), (30e6, 100e6))).verdict,
            Verdict::Reproduced
        );
        assert_eq!(
            c5(&resources((0.05, 0.1), (30e6, 100e6))).verdict,
            Verdict::PartlyReproduced
        );
        let worse = c5(&resources((0.12, 0.1), (30e6, 100e6)));
        assert_eq!(worse.verdict, Verdict::NotReproduced);
        assert!(worse.reason.contains("20 % more CPU"), "{}", worse.reason);
    }

    #[test]
    fn verdicts_follow_the_figures_not_the_claim() {
        // Swapping the servers must flip a reproduced verdict: a hard-coded verdict would not.
        let rust = latency(1_000.0, 3_000.0, 5_000.0);
        let go = latency(2_000.0, 15_000.0, 200_000.0);
        assert_ne!(
            c2(&TailEvidence { go, rust }).verdict,
            c2(&TailEvidence { go: rust, rust: go }).verdict
        );
        let e = resources((0.03, 0.1), (30e6, 100e6));
        let swapped = resources((0.1, 0.03), (100e6, 30e6));
        assert_ne!(c5(&e).verdict, c5(&swapped).verdict);
    }
}
