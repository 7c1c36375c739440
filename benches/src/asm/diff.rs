//! A line diff (longest common subsequence) and its unified rendering.

use serde::Serialize;

/// One line of a diff between side `a` and side `b`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "side", content = "line", rename_all = "snake_case")]
pub enum DiffLine {
    /// In both.
    Both(String),
    /// Only in `a` (printed with `-`).
    OnlyA(String),
    /// Only in `b` (printed with `+`).
    OnlyB(String),
}

/// The diff of two line sequences, common lines kept in order. Quadratic in time and memory,
/// which is fine for functions of a few hundred lines.
pub fn diff(a: &[String], b: &[String]) -> Vec<DiffLine> {
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(DiffLine::Both(a[i].clone()));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(DiffLine::OnlyA(a[i].clone()));
            i += 1;
        } else {
            out.push(DiffLine::OnlyB(b[j].clone()));
            j += 1;
        }
    }
    out
}

/// Number of lines common to both sides.
pub fn common_lines(diff: &[DiffLine]) -> usize {
    diff.iter()
        .filter(|line| matches!(line, DiffLine::Both(_)))
        .count()
}

/// Unified-diff text with `context` common lines around each change; empty if nothing differs.
pub fn render_unified(diff: &[DiffLine], a_name: &str, b_name: &str, context: usize) -> String {
    let changed: Vec<usize> = diff
        .iter()
        .enumerate()
        .filter(|(_, line)| !matches!(line, DiffLine::Both(_)))
        .map(|(index, _)| index)
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {a_name}\n+++ {b_name}\n");
    let mut hunk_end: Option<usize> = None;
    for &index in &changed {
        let start = index.saturating_sub(context);
        let from = match hunk_end {
            Some(end) if start <= end => end,
            _ => {
                out.push_str("@@\n");
                start
            }
        };
        let end = (index + context + 1).min(diff.len());
        for line in &diff[from..end] {
            let (mark, text) = match line {
                DiffLine::Both(text) => (' ', text),
                DiffLine::OnlyA(text) => ('-', text),
                DiffLine::OnlyB(text) => ('+', text),
            };
            out.push_str(&format!("{mark} {text}\n"));
        }
        hunk_end = Some(end.max(hunk_end.unwrap_or(0)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn diff_keeps_common_subsequence() {
        let d = diff(&lines("a b c d"), &lines("a x c d e"));
        assert_eq!(common_lines(&d), 3);
        assert_eq!(
            d.iter().filter(|l| matches!(l, DiffLine::OnlyA(_))).count(),
            1
        );
        assert_eq!(
            d.iter().filter(|l| matches!(l, DiffLine::OnlyB(_))).count(),
            2
        );
    }

    #[test]
    fn unified_rendering_has_context_and_no_repeats() {
        let d = diff(&lines("1 2 3 4 5 6 7 8 9"), &lines("1 2 3 X 5 6 Y 8 9"));
        let text = render_unified(&d, "a", "b", 1);
        assert_eq!(
            text,
            "--- a\n+++ b\n@@\n  3\n- 4\n+ X\n  5\n  6\n- 7\n+ Y\n  8\n"
        );
        assert!(render_unified(&diff(&lines("1 2"), &lines("1 2")), "a", "b", 3).is_empty());
    }
}
