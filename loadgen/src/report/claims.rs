//! The claims table: C1 to C5, each judged by the rules of docs/RULES.md (applied by
//! [`crate::report::rules`]) on figures measured and stored on disk. Nothing in this table is
//! typed by hand: this module chooses which ratio each claim is judged on and against which
//! article figure; the verdict and its sentence come from the figures; the unit tests below
//! use synthetic data only.
//!
//! The article's figures come from "Why Companies Are Betting on Rust for Production Systems"
//! (2026); see the design's claims table.

use crate::report::evidence::{
    self, CurveEvidence, HeapEvidence, IterEvidence, ResourceEvidence, ThroughputEvidence,
};
use crate::report::format::{duration_us, mebibytes, rate, ratio};
use crate::report::rules::{self, Finding, LATENCY_BAND, RESOURCE_BAND, Scale, judge, majority};

pub use crate::report::rules::Verdict;
use server_launcher::Variant;

/// What a rule concludes from its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// The measured figure, in the article's terms, with its interval and repetitions.
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

    fn of(finding: Finding, measured: String) -> Self {
        Self::new(finding.verdict, measured, format!("{}.", finding.reason))
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
    /// Which finding of the claim the row judges ("assembly", "speed", "CPU", ...), if the
    /// claim has several.
    pub aspect: Option<&'static str>,
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

impl Claim {
    /// "C1 (assembly)" or "C2".
    pub fn label(&self) -> String {
        match self.aspect {
            Some(aspect) => format!("{} ({aspect})", self.id),
            None => self.id.to_string(),
        }
    }

    /// The row's anchor in the page: "C1-assembly", "C5-Go-Rust-CPU" or "C2" (letters and
    /// digits kept, anything else a hyphen).
    pub fn anchor(&self) -> String {
        match self.aspect {
            Some(aspect) => format!(
                "{}-{}",
                self.id,
                aspect.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
            ),
            None => self.id.to_string(),
        }
    }
}

/// The rules' version the table was judged by (docs/RULES.md).
pub const RULES_VERSION: &str = rules::RULES_VERSION;

/// Judges the claims from the study: one row per judged finding, on the servers as shipped;
/// C2 and C3 get a second row for the tuned variants when the study has them (tuned against
/// tuned, never across).
pub fn assess(study: &crate::report::collect::Study) -> Vec<Claim> {
    let as_shipped = study.only_variant(Variant::AsShipped);
    let mut rows = Vec::new();
    let mut push = |text: &ClaimText,
                    aspect: Option<&'static str>,
                    judged: Result<(Judgement, String), String>| {
        let (judgement, conditions) = match judged {
            Ok(pair) => pair,
            Err(reason) => (Judgement::not_testable(reason), "–".to_string()),
        };
        rows.push(Claim {
            id: text.id,
            aspect,
            statement: text.statement,
            article: text.article,
            rule: text.rule,
            conditions,
            verdict: judgement.verdict,
            measured: judgement.measured,
            reason: judgement.reason,
        });
    };
    let c1 = evidence::c1(study);
    push(
        &C1,
        Some("assembly"),
        c1.clone().map(|(e, c)| (c1_assembly(&e), c)),
    );
    push(&C1, Some("speed"), c1.map(|(e, c)| (c1_speed(&e), c)));
    push(
        &C2,
        None,
        evidence::c2(&as_shipped).map(|(e, c)| (c2(&e), c)),
    );
    push(
        &C3,
        None,
        evidence::c3(&as_shipped).map(|(e, c)| (c3(&e), c)),
    );
    for depth in crate::experiments::C4_PIPELINE_DEPTHS {
        push(
            &C4,
            Some(crate::experiments::c4_aspect(depth)),
            evidence::c4(&as_shipped, depth).map(|(e, c)| (c4(&e), c)),
        );
    }
    let proxies = evidence::c5_proxy(&as_shipped);
    push(
        &C5_PROXY,
        Some("proxy CPU"),
        proxies.clone().map(|(e, c)| (c5_cpu(&e), c)),
    );
    push(
        &C5_PROXY,
        Some("proxy memory"),
        proxies.map(|(e, c)| (c5_memory(&e), c)),
    );
    let analogue = evidence::c5(&as_shipped);
    push(
        &C5_ANALOGUE,
        Some("Go/Rust CPU"),
        analogue.clone().map(|(e, c)| (c5_cpu(&e), c)),
    );
    push(
        &C5_ANALOGUE,
        Some("Go/Rust memory"),
        analogue.map(|(e, c)| (c5_memory(&e), c)),
    );
    if study.variants().contains(&Variant::Tuned) {
        let tuned = study.only_variant(Variant::Tuned);
        if !tuned.experiment("c2").is_empty() {
            push(
                &C2,
                Some(crate::experiments::TUNED_ASPECT),
                evidence::c2(&tuned).map(|(e, c)| (c2(&e), c)),
            );
        }
        if !tuned.experiment("heap").is_empty() {
            push(
                &C3,
                Some(crate::experiments::TUNED_ASPECT),
                evidence::c3(&tuned).map(|(e, c)| (c3(&e), c)),
            );
        }
    }
    rows
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
    rule: "Assembly: asm-check of sum_iter and sum_loop in the default release build, \
           identical → reproduced, different → contradicted. Speed: at each size, iterator / \
           loop time with criterion's 95 % intervals, inside 0.95–1.05× → reproduced, outside \
           on either side → contradicted, straddling → inconclusive; inconclusive where the \
           A/A pair (two copies of the loop) differs by more than 5 %; the row takes the \
           verdict of more than half of the sizes (docs/RULES.md).",
};

/// C1's speed band: iterator / loop within 1/1.05 to 1.05 is "the same speed".
pub const C1_SPEED_BAND: f64 = 1.05;
/// Above this A/A deviation a size cannot judge the band (docs/RULES.md: 5 %).
pub const C1_AA_NOISE_LIMIT: f64 = 0.05;

pub fn c1_assembly(e: &IterEvidence) -> Judgement {
    match e.default_asm_identical {
        None => Judgement::new(
            Verdict::NotTestable,
            "no assembly comparison".into(),
            "iterbench.json has no assembly comparison of sum_iter and sum_loop in the \
             default build."
                .into(),
        ),
        Some(true) => Judgement::new(
            Verdict::Reproduced,
            format!("assembly {}", e.default_asm_detail),
            "The default release build gives sum_iter and sum_loop the same machine code.".into(),
        ),
        Some(false) => Judgement::new(
            Verdict::Contradicted,
            format!("assembly {}", e.default_asm_detail),
            format!(
                "The default release build gives sum_iter and sum_loop different machine code: \
                 not the same assembly, whatever their speed (see the speed row).{}",
                hot_loop_sentence(e.default_hot_loops.as_ref())
            ),
        ),
    }
}

/// What asm-check says of the two hot loops, stated apart from the verdict (which is about
/// the whole function, as the article's claim is).
fn hot_loop_sentence(hot: Option<&crate::report::iterbench::HotLoops>) -> String {
    match hot {
        None => String::new(),
        Some(h) if h.same_mnemonics => format!(
            " Their hot loops are the same {} instructions in the same order (operands, such as \
             the addressing, aside): the difference is in the set-up around the loop.",
            h.iter_instructions
        ),
        Some(h) => format!(
            " Their hot loops differ too: {} instructions in the iterator's, {} in the loop's.",
            h.iter_instructions, h.loop_instructions
        ),
    }
}

pub fn c1_speed(e: &IterEvidence) -> Judgement {
    if e.sizes.is_empty() {
        return Judgement::not_testable("iterbench.json has no timings of sum_iter and sum_loop");
    }
    let scale = Scale::Equality {
        band: C1_SPEED_BAND,
    };
    let mut points = Vec::new();
    let mut figures = Vec::new();
    for size in &e.sizes {
        let label = crate::report::format::count_short(size.size as f64);
        let finding = judge("iterator/loop", &size.ratio, &scale);
        let noisy = size.aa_noise.filter(|n| *n > C1_AA_NOISE_LIMIT);
        let verdict = if noisy.is_some() {
            Verdict::Inconclusive
        } else {
            finding.verdict
        };
        figures.push(format!(
            "{label}: {}{}",
            rules::fine_ratio(size.ratio.ratio),
            match (noisy, size.aa_noise) {
                (Some(n), _) => format!(" (A/A noise {:.1} % > 5 %)", n * 100.0),
                (None, Some(n)) => format!(" (A/A {:.1} %)", n * 100.0),
                (None, None) => String::new(),
            }
        ));
        points.push((label, verdict));
    }
    let (verdict, words) = majority(&points);
    let aa = match (e.aa_identical, e.sizes.iter().any(|s| s.aa_noise.is_some())) {
        (_, false) => " No A/A pair was timed, so noise was not checked.",
        (Some(false), true) => " The A/A pair did not compile to the same machine code.",
        _ => "",
    };
    Judgement::new(
        verdict,
        format!("iterator/loop time by size: {}", figures.join(", ")),
        format!("Against the band 0.95–1.05×, by size: {words}.{aa}"),
    )
}

// ---------------------------------------------------------------------------------------
// C2: Go's tail under load is far worse than Rust's.

pub const C2: ClaimText = ClaimText {
    id: "C2",
    statement: "A Go service under load: p50 2 ms, p99 15 ms, p99.9 200 ms (\"GC pause\"); \
                the Rust one: p50 1 ms, p99 3 ms, p99.9 5 ms",
    article: "Go 2 / 15 / 200 ms, Rust 1 / 3 / 5 ms (p50 / p99 / p99.9): Go/Rust 2×, 5×, 40×",
    rule: "The Users API at four or more load levels (fractions of the lower closed-loop \
           maximum, the same rates for both, no prefill), ≥ 3 repetitions per server and level. \
           At each level Go/Rust p99.9 with its bootstrap 95 % interval: 20–80× reproduced, \
           above stronger, 1.25–20× weaker, below 1.25× contradicted, straddling inconclusive; \
           p99 against 5× is shown, not judged. The row takes the verdict of more than half of \
           the levels (docs/RULES.md).",
};

/// The article's C2 figures in µs: (p50, p99, p99.9).
pub const C2_ARTICLE_GO_US: [f64; 3] = [2_000.0, 15_000.0, 200_000.0];
pub const C2_ARTICLE_RUST_US: [f64; 3] = [1_000.0, 3_000.0, 5_000.0];

fn c2_scale(percentile: usize) -> Scale {
    Scale::Effect {
        article: C2_ARTICLE_GO_US[percentile] / C2_ARTICLE_RUST_US[percentile],
        band: LATENCY_BAND,
    }
}

pub fn c2(e: &CurveEvidence) -> Judgement {
    let mut points = Vec::new();
    let mut figures = Vec::new();
    let mut left_out = Vec::new();
    for level in &e.levels {
        let label = format!("{:.0} %", level.fraction * 100.0);
        let at = format!("{label} ({})", rate(level.rate_per_second));
        if let Some(reason) = &level.left_out {
            left_out.push(format!("{at}: {reason}"));
            continue;
        }
        let Some(p99_9) = &level.p99_9 else {
            left_out.push(format!("{at}: no usable run of both servers"));
            continue;
        };
        let finding = judge("p99.9", p99_9, &c2_scale(2));
        let p99 = level.p99.as_ref().map_or(String::new(), |p| {
            let f = judge("p99", p, &c2_scale(1));
            format!("; {} → {}", f.figure, f.verdict.text())
        });
        figures.push(format!(
            "{at}: Go {} / {} / {}, Rust {} / {} / {}; Go/Rust {} → {}{p99}",
            duration_us(level.go_us[0]),
            duration_us(level.go_us[1]),
            duration_us(level.go_us[2]),
            duration_us(level.rust_us[0]),
            duration_us(level.rust_us[1]),
            duration_us(level.rust_us[2]),
            finding.figure,
            finding.verdict.text()
        ));
        points.push((label, finding.verdict));
    }
    if points.is_empty() {
        return Judgement::not_testable(format!(
            "no load level had usable runs of both servers: {}",
            left_out.join("; ")
        ));
    }
    let (verdict, words) = majority(&points);
    let mut reason = format!(
        "Go/Rust p99.9 against the article's 40× (reproduced band {}), by load level: {words}.",
        c2_scale(2).band_text()
    );
    if !left_out.is_empty() {
        reason.push_str(&format!(" Left out: {}.", left_out.join("; ")));
    }
    Judgement::new(verdict, figures.join(" | "), reason)
}

// ---------------------------------------------------------------------------------------
// C3: Discord's read states: tail latency 6 ms -> 300 µs after moving from Go to Rust.

pub const C3: ClaimText = ClaimText {
    id: "C3",
    statement: "Discord's read states service: \"Reduced tail latencies from 6ms to 300μs\" \
                (GC spikes on a large in-memory LRU cache)",
    article: "tail 6 ms (Go) → 300 µs (Rust): 20×",
    rule: "At the largest live heap measured for both servers, Go/Rust p99.9 over \
           repetitions with its bootstrap 95 % interval: 10–40× reproduced, above stronger, \
           1.25–10× weaker, below 1.25× contradicted, straddling inconclusive. How each \
           server's p99.9 grows with the heap is shown, not judged (docs/RULES.md).",
};

pub const C3_ARTICLE_RATIO: f64 = 6_000.0 / 300.0;

pub fn c3(e: &HeapEvidence) -> Judgement {
    let scale = Scale::Effect {
        article: C3_ARTICLE_RATIO,
        band: LATENCY_BAND,
    };
    let finding = judge("Go/Rust p99.9", &e.p99_9, &scale);
    let mut measured = format!(
        "p99.9 at {} entries: Go {}, Rust {}; {}",
        crate::report::format::thousands(e.largest),
        duration_us(e.go_us),
        duration_us(e.rust_us),
        finding.figure
    );
    if let (Some(g), Some(rg)) = (e.go_growth, e.rust_growth) {
        measured.push_str(&format!(
            "; from the smallest heap to the largest, Go's p99.9 changed {}, Rust's {}",
            ratio(g),
            ratio(rg)
        ));
    }
    Judgement::of(finding, measured)
}

// ---------------------------------------------------------------------------------------
// C4: axum serves 300K+ requests/s, comparable to raw C.

pub const C4: ClaimText = ClaimText {
    id: "C4",
    statement: "\"Axum handling 300K+ requests/sec on modest hardware — comparable to raw C \
                performance\"",
    article: "300,000+ req/s, comparable to C",
    rule: "Closed-loop plaintext, axum and nginx (the C server) pinned alike, repeated, in two \
           rows: unpipelined, and pipelined at depth 16 as TechEmpower's plaintext test (the \
           setting behind such headline figures); each row judged alone: axum / nginx requests per second with its bootstrap 95 % interval: 0.8–1.25× reproduced, \
           above stronger, 0.5–0.8× weaker, below 0.5× contradicted, straddling inconclusive. \
           Not testable without nginx runs, or if the load generator used ≥ 90 % of its CPU in \
           the nginx runs while axum reached ≥ 0.8× of nginx (nginx's ceiling is then \
           unknown). 300,000 req/s is shown, not judged: the article names no core count.",
};

pub const C4_ARTICLE_RPS: f64 = 300_000.0;
/// "Comparable": within 0.8× to 1.25× of nginx; below 0.5× contradicted (docs/RULES.md).
const C4_SCALE: Scale = Scale::Comparable {
    band: 1.25,
    floor: 0.5,
};

pub fn c4(e: &ThroughputEvidence) -> Judgement {
    let cores = match e.server_cores {
        Some(1) => "on 1 pinned server core".to_string(),
        Some(n) => format!("on {n} pinned server cores"),
        None => "with unpinned servers".to_string(),
    };
    let mut measured = format!("axum {}", rate(e.axum_rps));
    if let Some(nginx) = e.nginx_rps {
        measured.push_str(&format!(", nginx {}", rate(nginx)));
    }
    if let Some(go) = e.go_rps {
        measured.push_str(&format!(", Go {}", rate(go)));
    }
    measured.push_str(&format!(" (medians), {cores}"));
    let Some(interval) = e.axum_over_nginx else {
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
    let finding = judge("axum/nginx", &interval, &C4_SCALE);
    measured.push_str(&format!("; {}", finding.figure));
    let nginx_bound = e
        .nginx_loadgen_utilisation
        .is_some_and(|u| u >= evidence::LOADGEN_BOUND);
    if nginx_bound && interval.high >= 0.8 {
        return Judgement::new(
            Verdict::NotTestable,
            measured,
            format!(
                "axum reached {} of nginx, but in the nginx runs the load generator used {:.0} % \
                 of its CPU: it, not nginx, set the pace, so nginx's ceiling is unknown.",
                ratio(interval.ratio),
                e.nginx_loadgen_utilisation.unwrap_or(0.0) * 100.0
            ),
        );
    }
    // nginx's runs at loadgen's limit while axum stayed below 0.8×: nginx's ceiling is at
    // least what was measured, so axum/nginx can only be lower than shown; the verdict stands
    // as an upper bound, and the sentence says so.
    let bound_note = if nginx_bound {
        format!(
            " In the nginx runs the load generator used {:.0} % of its CPU: nginx may serve \
             more, so axum/nginx is at most this.",
            e.nginx_loadgen_utilisation.unwrap_or(0.0) * 100.0
        )
    } else {
        String::new()
    };
    let absolute = if e.axum_rps >= C4_ARTICLE_RPS {
        "above"
    } else {
        "below"
    };
    let reason = format!(
        "{}.{bound_note} axum's {} {cores} is {absolute} the article's 300,000 req/s (not \
         judged: the article names no core count).",
        finding.reason,
        rate(e.axum_rps)
    );
    Judgement::new(finding.verdict, measured, reason)
}

// ---------------------------------------------------------------------------------------
// C5: Pingora, 70 % less CPU and 67 % less memory than NGINX: tested as the article means it
// (the two proxies), and as an analogue (the two reference servers).

const C5_STATEMENT: &str = "Cloudflare's Pingora: \"70% less CPU, 67% less memory\" (a Rust \
                            proxy replacing NGINX)";

/// The scale both C5 pairs are judged on (docs/RULES.md, C5), ending both rules.
macro_rules! c5_scale {
    () => {
        "each with its bootstrap 95 % interval: within ÷1.5 to ×1.5 of the article's \
         reproduced, above stronger, 1.25× to the band weaker, below 1.25× contradicted, \
         straddling inconclusive (docs/RULES.md)."
    };
}

pub const C5_PROXY: ClaimText = ClaimText {
    id: "C5",
    statement: C5_STATEMENT,
    article: "Pingora uses 0.30× NGINX's CPU and 0.33× its memory (nginx/Pingora 3.3× and 3×)",
    rule: concat!(
        "Pingora (proxies/pingora) and nginx (proxy_pass with an upstream keep-alive pool), \
         each a reverse proxy alone on the server CPUs in front of the same rust-server \
         (plaintext), at the same constant rate: the rate nearest half the lower closed-loop \
         maximum through the two; ≥ 3 repetitions each, fresh processes every run. \
         nginx/Pingora CPU-seconds per request against 3.3× and nginx/Pingora peak RSS (each \
         proxy's processes summed) against 3×, ",
        c5_scale!()
    ),
};

pub const C5_ANALOGUE: ClaimText = ClaimText {
    id: "C5",
    statement: C5_STATEMENT,
    article: "Rust uses 0.30× the CPU and 0.33× the memory (Go/Rust 3.3× and 3×)",
    rule: concat!(
        "An analogue, not Pingora: the Rust and Go servers at the same constant rate (the C2 \
         runs at the level nearest half the maximum). Go/Rust CPU-seconds per request against \
         3.3× and Go/Rust peak RSS against 3×, ",
        c5_scale!()
    ),
};

/// The article's resource figures as ratios of the heavier side to the lighter: 70 % less
/// CPU, 67 % less memory.
pub const C5_ARTICLE_CPU_RATIO: f64 = 1.0 / 0.30;
pub const C5_ARTICLE_RSS_RATIO: f64 = 1.0 / 0.33;

/// "X % less" (or more) of the denominator's use, from numerator/denominator.
fn less(ratio: f64) -> String {
    let x = 1.0 / ratio;
    if x <= 1.0 {
        format!("{:.0} % less", (1.0 - x) * 100.0)
    } else {
        format!("{:.0} % more", (x - 1.0) * 100.0)
    }
}

pub fn c5_cpu(e: &ResourceEvidence) -> Judgement {
    let figures = format!(
        "server CPU per 1,000 requests: {} {:.1} ms, {} {:.1} ms",
        e.names[0],
        e.cpu_seconds_per_1000[0] * 1000.0,
        e.names[1],
        e.cpu_seconds_per_1000[1] * 1000.0,
    );
    c5_resource(e, "CPU", &e.cpu, C5_ARTICLE_CPU_RATIO, figures, "70 %")
}

pub fn c5_memory(e: &ResourceEvidence) -> Judgement {
    let figures = format!(
        "peak RSS: {} {}, {} {}",
        e.names[0],
        mebibytes(e.peak_rss_bytes[0]),
        e.names[1],
        mebibytes(e.peak_rss_bytes[1]),
    );
    c5_resource(e, "memory", &e.rss, C5_ARTICLE_RSS_RATIO, figures, "67 %")
}

/// One C5 row: numerator/denominator `resource` judged against the article's ratio on the
/// resource band.
fn c5_resource(
    e: &ResourceEvidence,
    resource: &str,
    interval: &crate::report::bootstrap::RatioInterval,
    article: f64,
    figures: String,
    article_saving: &str,
) -> Judgement {
    let scale = Scale::Effect {
        article,
        band: RESOURCE_BAND,
    };
    let what = if resource == "CPU" { "CPU" } else { "peak RSS" };
    let [top, bottom] = &e.names;
    let finding = judge(&format!("{top}/{bottom} {what}"), interval, &scale);
    let measured = format!(
        "{figures}; {} ({bottom} used {} {resource}; the article: {article_saving} less)",
        finding.figure,
        less(interval.ratio)
    );
    Judgement::of(finding, measured)
}

#[cfg(test)]
mod tests {
    //! Synthetic figures only: no test here uses a measured run's numbers.

    use super::*;
    use crate::report::bootstrap::RatioInterval;
    use crate::report::evidence::{LevelEvidence, SizeEvidence};

    fn exact(x: f64) -> RatioInterval {
        RatioInterval::exact(x, 5)
    }

    // ---- C1 ----

    fn iter(identical: Option<bool>, sizes: &[(f64, f64, Option<f64>)]) -> IterEvidence {
        IterEvidence {
            default_asm_identical: identical,
            default_asm_detail: "synthetic".into(),
            default_hot_loops: None,
            sizes: sizes
                .iter()
                .enumerate()
                .map(|(i, (low, high, aa))| SizeEvidence {
                    size: 10u64.pow(i as u32 + 3),
                    ratio: RatioInterval::from_estimator((low + high) / 2.0, *low, *high),
                    aa_noise: *aa,
                })
                .collect(),
            aa_identical: Some(true),
        }
    }

    #[test]
    fn c1_assembly_states_the_hot_loop_apart_from_the_verdict() {
        let hot = |same| crate::report::iterbench::HotLoops {
            iter_instructions: 12,
            loop_instructions: if same { 12 } else { 14 },
            same_mnemonics: same,
        };
        let mut e = iter(Some(false), &[]);
        e.default_hot_loops = Some(hot(true));
        let same = c1_assembly(&e);
        assert_eq!(same.verdict, Verdict::Contradicted);
        assert!(
            same.reason.contains("hot loops are the same 12"),
            "{}",
            same.reason
        );
        e.default_hot_loops = Some(hot(false));
        let differ = c1_assembly(&e);
        assert_eq!(differ.verdict, Verdict::Contradicted);
        assert!(
            differ
                .reason
                .contains("12 instructions in the iterator's, 14"),
            "{}",
            differ.reason
        );
    }

    #[test]
    fn c1_assembly_is_a_fact_of_the_build() {
        assert_eq!(
            c1_assembly(&iter(Some(true), &[])).verdict,
            Verdict::Reproduced
        );
        assert_eq!(
            c1_assembly(&iter(Some(false), &[])).verdict,
            Verdict::Contradicted
        );
        assert_eq!(c1_assembly(&iter(None, &[])).verdict, Verdict::NotTestable);
    }

    #[test]
    fn c1_speed_reaches_every_verdict() {
        let same = (0.98, 1.02, Some(0.01));
        let faster = (0.80, 0.90, Some(0.01));
        let straddles = (0.93, 0.99, Some(0.01));
        let v = |sizes: &[(f64, f64, Option<f64>)]| c1_speed(&iter(Some(true), sizes)).verdict;
        assert_eq!(v(&[same, same, same]), Verdict::Reproduced);
        // Faster is as much "not the same speed" as slower.
        assert_eq!(v(&[faster, faster, same]), Verdict::Contradicted);
        assert_eq!(v(&[straddles, straddles, same]), Verdict::Inconclusive);
        assert_eq!(v(&[same, faster]), Verdict::Inconclusive);
        assert_eq!(v(&[]), Verdict::NotTestable);
    }

    #[test]
    fn c1_a_noisy_size_cannot_judge_the_band() {
        // The A/A pair differs by 8 % at two sizes: those say nothing, whatever the ratio.
        let noisy_same = (0.98, 1.02, Some(0.08));
        let clean_same = (0.98, 1.02, Some(0.01));
        let judgement = c1_speed(&iter(Some(false), &[noisy_same, noisy_same, clean_same]));
        assert_eq!(judgement.verdict, Verdict::Inconclusive);
        assert!(
            judgement.measured.contains("A/A noise 8.0 % > 5 %"),
            "{}",
            judgement.measured
        );
        // Without an A/A pair the sentence says the noise was not checked.
        let unchecked = c1_speed(&iter(Some(true), &[(0.98, 1.02, None)]));
        assert!(
            unchecked.reason.contains("not checked"),
            "{}",
            unchecked.reason
        );
    }

    // ---- C2 ----

    fn level(fraction: f64, p99_9: f64, p99: f64) -> LevelEvidence {
        LevelEvidence {
            fraction,
            rate_per_second: 10_000.0 * fraction,
            p99_9: Some(exact(p99_9)),
            p99: Some(exact(p99)),
            go_us: [1_000.0, 1_000.0 * p99, 1_000.0 * p99_9],
            rust_us: [1_000.0; 3],
            left_out: None,
        }
    }

    #[test]
    fn c2_names_the_load_range_of_each_verdict() {
        let curve = CurveEvidence {
            levels: vec![
                level(0.25, 3.0, 2.0),
                level(0.5, 30.0, 5.0),
                level(0.75, 40.0, 6.0),
                level(0.9, 60.0, 9.0),
            ],
        };
        let judgement = c2(&curve);
        assert_eq!(judgement.verdict, Verdict::Reproduced);
        assert!(
            judgement
                .reason
                .contains("weaker than claimed at 25 %; reproduced at 50 %, 75 %, 90 %"),
            "{}",
            judgement.reason
        );
    }

    #[test]
    fn c2_reaches_every_verdict_and_splits_without_a_majority() {
        let all = |p99_9: f64| CurveEvidence {
            levels: [0.25, 0.5, 0.75, 0.9]
                .iter()
                .map(|f| level(*f, p99_9, 5.0))
                .collect(),
        };
        assert_eq!(c2(&all(40.0)).verdict, Verdict::Reproduced);
        assert_eq!(c2(&all(200.0)).verdict, Verdict::Stronger);
        assert_eq!(c2(&all(8.0)).verdict, Verdict::Weaker);
        assert_eq!(c2(&all(1.0)).verdict, Verdict::Contradicted);
        let opposite = c2(&all(0.5));
        assert_eq!(opposite.verdict, Verdict::Contradicted);
        assert!(
            opposite.reason.contains("contradicted at"),
            "{}",
            opposite.reason
        );
        let split = CurveEvidence {
            levels: vec![
                level(0.25, 8.0, 2.0),
                level(0.5, 8.0, 2.0),
                level(0.75, 40.0, 5.0),
                level(0.9, 40.0, 5.0),
            ],
        };
        assert_eq!(c2(&split).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn c2_sentences_follow_the_figures() {
        // p99 at 68× is printed as 68×, never as a fixed phrase about the article.
        let curve = CurveEvidence {
            levels: vec![level(0.5, 7.5, 68.0); 1],
        };
        let judgement = c2(&curve);
        assert!(
            judgement.measured.contains("p99 68×"),
            "{}",
            judgement.measured
        );
        assert!(
            judgement.measured.contains("p99.9 7.5×"),
            "{}",
            judgement.measured
        );
        assert_eq!(judgement.verdict, Verdict::Weaker);
    }

    #[test]
    fn c2_levels_left_out_are_named() {
        let mut behind = level(0.9, 40.0, 5.0);
        behind.left_out = Some("every c2 run of Go net/http was behind schedule".into());
        let curve = CurveEvidence {
            levels: vec![level(0.5, 40.0, 5.0), behind],
        };
        let judgement = c2(&curve);
        assert_eq!(judgement.verdict, Verdict::Reproduced);
        assert!(
            judgement.reason.contains("Left out: 90 %"),
            "{}",
            judgement.reason
        );
        let none = CurveEvidence {
            levels: vec![LevelEvidence {
                p99_9: None,
                ..level(0.5, 1.0, 1.0)
            }],
        };
        assert_eq!(c2(&none).verdict, Verdict::NotTestable);
    }

    // ---- C3 ----

    fn heap(p99_9: RatioInterval) -> HeapEvidence {
        HeapEvidence {
            largest: 4_000_000,
            p99_9,
            go_us: 6_000.0,
            rust_us: 300.0,
            go_growth: Some(5.0),
            rust_growth: Some(1.0),
        }
    }

    #[test]
    fn c3_is_symmetric_around_the_article() {
        assert_eq!(c3(&heap(exact(20.0))).verdict, Verdict::Reproduced);
        // An overshoot is "stronger", not "reproduced".
        assert_eq!(c3(&heap(exact(53.0))).verdict, Verdict::Stronger);
        assert_eq!(c3(&heap(exact(3.0))).verdict, Verdict::Weaker);
        assert_eq!(c3(&heap(exact(1.1))).verdict, Verdict::Contradicted);
        let wide = RatioInterval {
            low: 5.0,
            high: 30.0,
            ..exact(15.0)
        };
        assert_eq!(c3(&heap(wide)).verdict, Verdict::Inconclusive);
        let once = RatioInterval::exact(50.0, 1);
        let judgement = c3(&heap(once));
        assert_eq!(judgement.verdict, Verdict::Inconclusive);
        assert!(
            judgement.reason.contains("too little data"),
            "{}",
            judgement.reason
        );
    }

    // ---- C4 ----

    fn throughput(ratio_: Option<f64>, utilisation: Option<f64>) -> ThroughputEvidence {
        ThroughputEvidence {
            axum_rps: 120_000.0,
            go_rps: Some(60_000.0),
            nginx_rps: ratio_.map(|r| 120_000.0 / r),
            axum_over_nginx: ratio_.map(exact),
            nginx_missing: ratio_
                .is_none()
                .then(|| "nginx is not installed".to_string()),
            nginx_loadgen_utilisation: utilisation,
            server_cores: Some(1),
        }
    }

    #[test]
    fn c4_reaches_every_verdict() {
        let v = |r: f64| c4(&throughput(Some(r), Some(0.5))).verdict;
        assert_eq!(v(1.0), Verdict::Reproduced);
        assert_eq!(v(1.6), Verdict::Stronger);
        assert_eq!(v(0.6), Verdict::Weaker);
        assert_eq!(v(0.3), Verdict::Contradicted);
        let no_nginx = c4(&throughput(None, None));
        assert_eq!(no_nginx.verdict, Verdict::NotTestable);
        assert!(no_nginx.measured.contains("120,000 req/s"));
        assert!(no_nginx.reason.contains("not installed"));
        let judged = c4(&throughput(Some(1.0), Some(0.5)));
        assert!(
            judged.reason.contains("on 1 pinned server core"),
            "{}",
            judged.reason
        );
    }

    #[test]
    fn c4_a_loadgen_bound_nginx_run_cannot_vouch_for_comparable() {
        let bound = c4(&throughput(Some(0.95), Some(0.97)));
        assert_eq!(bound.verdict, Verdict::NotTestable);
        assert!(bound.reason.contains("97 %"), "{}", bound.reason);
        // Far below nginx even though nginx was capped by loadgen: still a finding.
        assert_eq!(
            c4(&throughput(Some(0.3), Some(0.97))).verdict,
            Verdict::Contradicted
        );
    }

    // ---- C5 ----

    fn resources(cpu: f64, rss: f64) -> ResourceEvidence {
        ResourceEvidence {
            names: ["Go".into(), "Rust".into()],
            cpu: exact(cpu),
            rss: exact(rss),
            cpu_seconds_per_1000: [0.01 * cpu, 0.01],
            peak_rss_bytes: [30e6 * rss, 30e6],
        }
    }

    #[test]
    fn c5_judges_cpu_and_memory_apart() {
        let e = resources(3.3, 1.6);
        assert_eq!(c5_cpu(&e).verdict, Verdict::Reproduced);
        assert_eq!(c5_memory(&e).verdict, Verdict::Weaker);
        assert_eq!(c5_cpu(&resources(8.0, 3.0)).verdict, Verdict::Stronger);
        let worse = c5_cpu(&resources(1.0 / 1.2, 3.0));
        assert_eq!(worse.verdict, Verdict::Contradicted);
        assert!(
            worse.measured.contains("20 % more CPU"),
            "{}",
            worse.measured
        );
        // 60 % less memory is worded as 60 %, not as a fixed phrase.
        let m = c5_memory(&resources(3.3, 1.0 / 0.4));
        assert!(m.measured.contains("60 % less memory"), "{}", m.measured);
    }

    #[test]
    fn c5_names_the_pair_it_judges() {
        let proxies = ResourceEvidence {
            names: ["nginx".into(), "Pingora".into()],
            ..resources(1.0 / 1.1, 2.0)
        };
        let cpu = c5_cpu(&proxies);
        // Pingora using 10 % more CPU than nginx is no saving at all.
        assert_eq!(cpu.verdict, Verdict::Contradicted);
        assert!(
            cpu.measured.contains("Pingora used 10 % more CPU"),
            "{}",
            cpu.measured
        );
        assert!(
            cpu.measured.contains("nginx/Pingora CPU"),
            "{}",
            cpu.measured
        );
        let memory = c5_memory(&proxies);
        assert_eq!(memory.verdict, Verdict::Weaker);
        assert!(
            memory.measured.contains("peak RSS: nginx"),
            "{}",
            memory.measured
        );
    }

    #[test]
    fn anchors_are_letters_digits_and_hyphens() {
        let row = |aspect| Claim {
            id: "C5",
            aspect,
            statement: "",
            article: "",
            rule: "",
            conditions: String::new(),
            verdict: Verdict::NotTestable,
            measured: String::new(),
            reason: String::new(),
        };
        assert_eq!(row(Some("Go/Rust CPU")).anchor(), "C5-Go-Rust-CPU");
        assert_eq!(row(Some("proxy memory")).anchor(), "C5-proxy-memory");
        assert_eq!(row(Some("Go/Rust CPU")).label(), "C5 (Go/Rust CPU)");
        assert_eq!(row(None).anchor(), "C5");
    }

    #[test]
    fn verdicts_follow_the_figures_not_the_claim() {
        // Swapping the servers flips a reproduced verdict: a hard-coded one would not.
        assert_ne!(
            c3(&heap(exact(20.0))).verdict,
            c3(&heap(exact(1.0 / 20.0))).verdict
        );
        assert_ne!(
            c5_cpu(&resources(3.3, 3.0)).verdict,
            c5_cpu(&resources(1.0 / 3.3, 3.0)).verdict
        );
    }
}
