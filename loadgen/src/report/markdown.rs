//! `claims.md`: the claims table as Markdown, written beside index.html so that a README or
//! an issue can quote the verdicts exactly as the tool computed them.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::report::ReportError;
use crate::report::claims::Claim;

/// Writes `<out>/claims.md` and returns its path.
pub fn write(claims: &[Claim], out: &Path) -> Result<PathBuf, ReportError> {
    let path = out.join("claims.md");
    crate::output::write_atomically(&path, render(claims).as_bytes()).map_err(|e| {
        ReportError::Write {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    })?;
    Ok(path)
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The table: claim, the article's figure, the measured figure (with its 95 % interval and
/// repetitions), the verdict and its reason, under the rules' version.
pub fn render(claims: &[Claim]) -> String {
    let mut text = format!(
        "Verdicts by the rules of docs/RULES.md, version {}.\n\n",
        crate::report::claims::RULES_VERSION
    );
    text.push_str("| claim | the article | measured | verdict | why |\n|---|---|---|---|---|\n");
    for claim in claims {
        let _ = writeln!(
            text,
            "| {} {} | {} | {} | **{}** | {} |",
            claim.label(),
            cell(claim.statement),
            cell(claim.article),
            cell(&claim.measured),
            claim.verdict.text(),
            cell(&claim.reason)
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::claims::Verdict;

    #[test]
    fn one_row_per_claim_with_pipes_escaped() {
        let claim = Claim {
            id: "C9",
            aspect: None,
            statement: "a | b",
            article: "1 ms",
            rule: "r",
            conditions: "c".into(),
            verdict: Verdict::NotTestable,
            measured: "no data".into(),
            reason: "none".into(),
        };
        let text = render(&[claim]);
        assert_eq!(text.lines().count(), 5);
        assert!(text.contains(crate::report::claims::RULES_VERSION));
        assert!(text.contains("C9 a \\| b"));
        assert!(text.contains(&format!("**{}**", Verdict::NotTestable.text())));
    }
}
