//! How figures are written for a reader: units chosen by magnitude, few significant digits.

/// 850 → "850 µs", 2_000 → "2.0 ms", 15_400 → "15 ms", 1_250_000 → "1.25 s".
pub fn duration_us(us: f64) -> String {
    if !us.is_finite() {
        return "–".into();
    }
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 10_000.0 {
        format!("{:.1} ms", us / 1_000.0)
    } else if us < 1_000_000.0 {
        format!("{:.0} ms", us / 1_000.0)
    } else {
        format!("{:.2} s", us / 1_000_000.0)
    }
}

/// Milliseconds on a chart axis: 0.05 → "0.05", 2 → "2", 1500 → "1500".
pub fn axis_ms(ms: f64) -> String {
    if ms >= 1.0 {
        format!("{ms:.0}")
    } else {
        let text = format!("{ms:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A plain axis number with no trailing zeros: 200.0 → "200", 0.010 → "0.01".
pub fn axis_number(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let text = format!("{v:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// 1 → "1 thread", 2 → "2 threads"; None → "? threads".
pub fn count_of(n: Option<usize>, noun: &str) -> String {
    match n {
        Some(1) => format!("1 {noun}"),
        Some(n) => format!("{n} {noun}s"),
        None => format!("? {noun}s"),
    }
}

/// Where a process was pinned: [1] → "on CPU 1"; None → "not pinned".
pub fn pinning(list: Option<&[usize]>) -> String {
    match list {
        Some(cpus) if !cpus.is_empty() => format!("on CPU {}", self::cpus(Some(cpus))),
        _ => "not pinned".into(),
    }
}

/// A server's threads: "1 thread"; an external server's count is its worker processes
/// (nginx's), "1 worker".
pub fn server_threads(target: &crate::result::TargetInfo) -> String {
    let noun = if target.kind == "external" {
        "worker"
    } else {
        "thread"
    };
    count_of(target.server_threads, noun)
}

/// A ratio: 0.31 → "0.31×", 2.04 → "2.0×", 41.7 → "42×".
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x < 1.0 {
        format!("{x:.2}×")
    } else if x < 10.0 {
        format!("{x:.1}×")
    } else {
        format!("{x:.0}×")
    }
}

/// Requests per second: 312_456 → "312,456 req/s".
pub fn rate(per_second: f64) -> String {
    format!("{} req/s", thousands(per_second.round() as u64))
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 1_000_000 → "1M", 4_000_000 → "4M", 100_000 → "100k", 2_500 → "2.5k".
pub fn count_short(n: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if n >= 1e6 {
        format!("{}M", trim(format!("{:.1}", n / 1e6)))
    } else if n >= 1e3 {
        format!("{}k", trim(format!("{:.1}", n / 1e3)))
    } else {
        trim(format!("{n:.1}"))
    }
}

/// Bytes in MiB: 52_428_800 → "50 MiB".
pub fn mebibytes(bytes: f64) -> String {
    let mib = bytes / (1024.0 * 1024.0);
    if mib < 10.0 {
        format!("{mib:.1} MiB")
    } else {
        format!("{mib:.0} MiB")
    }
}

/// A CPU list: [2, 3] → "2,3"; None → "not pinned".
pub fn cpus(list: Option<&[usize]>) -> String {
    match list {
        Some(cpus) if !cpus.is_empty() => cpus
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(","),
        _ => "not pinned".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_magnitude() {
        assert_eq!(duration_us(850.0), "850 µs");
        assert_eq!(duration_us(2_000.0), "2.0 ms");
        assert_eq!(duration_us(15_400.0), "15 ms");
        assert_eq!(duration_us(1_250_000.0), "1.25 s");
        assert_eq!(axis_ms(0.05), "0.05");
        assert_eq!(axis_ms(2.0), "2");
        assert_eq!(ratio(0.314), "0.31×");
        assert_eq!(axis_number(200.0), "200");
        assert_eq!(axis_number(0.010), "0.01");
        assert_eq!(axis_number(0.0), "0");
        assert_eq!(ratio(41.7), "42×");
        assert_eq!(rate(312_456.4), "312,456 req/s");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(count_short(4_000_000.0), "4M");
        assert_eq!(count_short(100_000.0), "100k");
        assert_eq!(count_short(2_500.0), "2.5k");
        assert_eq!(mebibytes(52_428_800.0), "50 MiB");
        assert_eq!(cpus(Some(&[2, 3])), "2,3");
        assert_eq!(cpus(None), "not pinned");
        assert_eq!(pinning(Some(&[0])), "on CPU 0");
        assert_eq!(pinning(Some(&[])), "not pinned");
    }
}
