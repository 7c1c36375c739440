//! Normalization: what may differ between two listings of the same machine code.
//!
//! Only names and notes that carry no machine code are rewritten or dropped:
//! - comments, and whitespace runs (collapsed to one space);
//! - debug-info and unwind directives (`.loc`, `.file`, `.cfi_*`, ...) and the labels that
//!   only they use (`.Ltmp*`, `.Lfunc_begin*`, `.Lfunc_end*`): the source line a
//!   instruction came from differs between the two functions by construction;
//! - the function number inside local labels: `.LBB3_7`, `.LCPI3_0`, `.LJTI3_0` are renamed
//!   `.LBB_<k>` etc., `k` counting first appearances, so the same control flow gets the same
//!   names in both functions;
//! - the function's own name, written `<self>`.
//!
//! Everything else is kept: every instruction with all its operands, every label that a
//! branch can reach, alignment directives (they emit padding), and the *contents* of each
//! constant pool the function reads, appended after the body under its normalized name, so two
//! functions that load different constants still differ.

use std::collections::HashMap;

use super::extract::{self, strip_comment};

/// Directives that carry no machine code of the function: debug info, unwind info, symbol
/// metadata.
const METADATA_DIRECTIVES: [&str; 14] = [
    ".loc",
    ".loc_label",
    ".file",
    ".size",
    ".type",
    ".globl",
    ".global",
    ".hidden",
    ".weak",
    ".protected",
    ".ident",
    ".addrsig",
    ".addrsig_sym",
    ".local",
];

/// Label families that LLVM numbers per function (`.LBB<function>_<block>`), and so are renamed.
const NUMBERED_LABELS: [&str; 3] = ["BB", "CPI", "JTI"];

/// The normalized lines of a function body. `file_text` is the whole assembly file the body came
/// from, where its constant pools are defined.
pub(crate) fn normalize(symbol: &str, body: &[&str], file_text: &str) -> Vec<String> {
    let mut names = LabelNames::default();
    let mut lines: Vec<String> = body
        .iter()
        .filter_map(|line| keep(line))
        .map(|line| names.rename(&line, symbol))
        .collect();
    for (original, renamed) in names.constant_pools() {
        match extract::constant_pool(file_text, &original) {
            Some(data) => {
                lines.push(format!("{renamed}: # constant pool"));
                lines.extend(data.iter().map(|d| collapse(strip_comment(d))));
            }
            // Not found: keep the original name, so the two sides cannot compare equal by
            // accident of renaming.
            None => lines.push(format!("{renamed}: # constant pool {original} not found")),
        }
    }
    lines
}

/// The line with comments stripped and whitespace collapsed, or `None` if it carries no
/// machine code.
fn keep(line: &str) -> Option<String> {
    let code = strip_comment(line).trim();
    if code.is_empty() {
        return None;
    }
    if let Some(label) = extract::label_of(code) {
        let debug_only = [".Ltmp", ".Lfunc_begin", ".Lfunc_end"]
            .iter()
            .any(|p| label.starts_with(p));
        return (!debug_only).then(|| code.to_owned());
    }
    let first = code.split_whitespace().next().unwrap_or_default();
    let metadata = METADATA_DIRECTIVES.contains(&first)
        || first.starts_with(".cfi_")
        || first.starts_with(".seh_");
    (!metadata).then(|| collapse(code))
}

/// Whitespace runs collapsed to one space.
fn collapse(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renames numbered local labels by order of first appearance within one function.
#[derive(Default)]
struct LabelNames {
    renamed: HashMap<String, String>,
    per_family: HashMap<&'static str, usize>,
    /// Constant-pool labels in order of first appearance: (original, renamed).
    pools: Vec<(String, String)>,
}

impl LabelNames {
    fn rename(&mut self, line: &str, symbol: &str) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(start) = rest.find(|c: char| is_ident_char(c)) {
            out.push_str(&rest[..start]);
            let len = rest[start..]
                .find(|c: char| !is_ident_char(c))
                .unwrap_or(rest.len() - start);
            let token = &rest[start..start + len];
            out.push_str(&self.token(token, symbol));
            rest = &rest[start + len..];
        }
        out.push_str(rest);
        out
    }

    fn token(&mut self, token: &str, symbol: &str) -> String {
        if token == symbol {
            return "<self>".to_owned();
        }
        let Some(family) = numbered_family(token) else {
            return token.to_owned();
        };
        if let Some(name) = self.renamed.get(token) {
            return name.clone();
        }
        let count = self.per_family.entry(family).or_default();
        let name = format!(".L{family}_{count}");
        *count += 1;
        if family == "CPI" {
            self.pools.push((token.to_owned(), name.clone()));
        }
        self.renamed.insert(token.to_owned(), name.clone());
        name
    }

    fn constant_pools(&self) -> Vec<(String, String)> {
        self.pools.clone()
    }
}

/// Characters of an assembler identifier.
fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$')
}

/// The family (`BB`, `CPI`, `JTI`) of a label numbered per function, like `.LBB12_3`.
fn numbered_family(token: &str) -> Option<&'static str> {
    let rest = token.strip_prefix(".L")?;
    NUMBERED_LABELS.into_iter().find(|family| {
        rest.strip_prefix(family)
            .and_then(|n| n.split_once('_'))
            .is_some_and(|(f, b)| {
                !f.is_empty()
                    && !b.is_empty()
                    && f.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(body: &str, file: &str) -> Vec<String> {
        let lines: Vec<&str> = body.lines().collect();
        normalize("f", &lines, file)
    }

    #[test]
    fn drops_debug_and_unwind_lines_and_comments() {
        let body = "\t.cfi_startproc\n\t.loc\t1 4 5 prologue_end\n.Ltmp3:\n\ttest\trsi, rsi # check\n# %bb.1:\n\tret\n";
        assert_eq!(norm(body, ""), vec!["test rsi, rsi", "ret"]);
    }

    #[test]
    fn renames_labels_by_first_appearance() {
        let a = norm(
            "\tjmp\t.LBB4_7\n.LBB4_2:\n\tret\n.LBB4_7:\n\tjmp\t.LBB4_2\n",
            "",
        );
        let b = norm(
            "\tjmp\t.LBB9_3\n.LBB9_1:\n\tret\n.LBB9_3:\n\tjmp\t.LBB9_1\n",
            "",
        );
        assert_eq!(a, b);
        assert_eq!(a[0], "jmp .LBB_0");
    }

    #[test]
    fn keeps_operands_and_alignment() {
        let a = norm("\t.p2align\t4\n\tlea\trax, [rax + 2*r8]\n", "");
        let b = norm("\t.p2align\t4\n\tlea\trax, [rax + 4*r8]\n", "");
        assert_ne!(a, b);
        assert_eq!(a[0], ".p2align 4");
    }

    #[test]
    fn constant_pool_contents_are_compared() {
        let two = ".LCPI0_0:\n\t.quad\t2\n";
        let three = ".LCPI0_0:\n\t.quad\t3\n";
        let body = "\tmovdqa\txmm2, xmmword ptr [rip + .LCPI0_0]\n";
        assert_ne!(norm(body, two), norm(body, three));
        assert_eq!(norm(body, two).last().unwrap(), ".quad 2");
    }

    #[test]
    fn missing_constant_pool_keeps_its_name() {
        let out = norm("\tmovq\t.LCPI7_0(%rip), %xmm0\n", "");
        assert!(out.last().unwrap().contains(".LCPI7_0"));
    }

    #[test]
    fn own_name_and_other_names() {
        let out = norm(
            "\tcall\tf\n\tcall\tg@PLT\n\tlea\trax, [rip + .Lanon.1234.0]\n",
            "",
        );
        assert_eq!(
            out,
            vec![
                "call <self>",
                "call g@PLT",
                "lea rax, [rip + .Lanon.1234.0]"
            ]
        );
    }

    #[test]
    fn comment_rule_keeps_immediates() {
        assert_eq!(strip_comment("\tmov x0, #16 // c"), "\tmov x0, #16 ");
        assert_eq!(strip_comment("\tret # =>This Inner Loop Header"), "\tret ");
        assert_eq!(strip_comment("# %bb.0:"), "");
    }
}
