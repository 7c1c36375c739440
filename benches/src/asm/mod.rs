//! Extracting, normalizing and comparing the assembly of two functions. Pure: text in,
//! verdict out; the compiler is driven elsewhere ([`crate::asm_check`]).
//!
//! The verdict is strict on purpose: two functions are `identical` only if their normalized
//! listings are equal line for line, or if the compiler emitted one as an alias (or a
//! tail-call thunk) of the other. See [`normalize`] for exactly what normalization removes.

mod diff;
mod extract;
mod normalize;
mod shape;

use serde::Serialize;

pub use diff::{DiffLine, render_unified};
pub use extract::AsmFile;
pub use shape::{Shape, is_instruction};

/// Longest alias or thunk chain followed before giving up (a cycle would be a bug in the input).
const MAX_FOLD_CHAIN: usize = 8;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AsmError {
    /// The symbol is neither defined nor aliased in any of the files.
    #[error("symbol `{symbol}` not found in {files} assembly file(s)")]
    SymbolNotFound {
        /// The symbol looked for.
        symbol: String,
        /// How many files were searched.
        files: usize,
    },
    /// Aliases or thunks that lead back to where they started, or too far.
    #[error("alias or thunk chain from `{symbol}` does not end in a function body")]
    FoldChain {
        /// Where the chain started.
        symbol: String,
    },
}

/// How the compiler folded one symbol into another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fold {
    /// `symbol` is another name for `target` (`.set symbol, target`): one body, two symbols.
    Alias {
        /// The folded symbol.
        symbol: String,
        /// The symbol whose body it shares.
        target: String,
    },
    /// `symbol`'s whole body is `jmp target`.
    Thunk {
        /// The folded symbol.
        symbol: String,
        /// The symbol it jumps to.
        target: String,
    },
}

impl std::fmt::Display for Fold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fold::Alias { symbol, target } => {
                write!(
                    f,
                    "{symbol} is emitted as an alias of {target} (one body, two symbols)"
                )
            }
            Fold::Thunk { symbol, target } => {
                write!(
                    f,
                    "{symbol} is emitted as a single `jmp {target}` (a tail-call thunk)"
                )
            }
        }
    }
}

/// A symbol followed through any folding to the body that runs, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The symbol asked for.
    pub symbol: String,
    /// The symbol whose body runs (equal to `symbol` unless folded).
    pub body_symbol: String,
    /// The folds followed, in order.
    pub folds: Vec<Fold>,
    /// The normalized body of `body_symbol`.
    pub lines: Vec<String>,
}

/// Finds `symbol` in `files` and follows aliases and thunks to the body that runs.
pub fn resolve(files: &[AsmFile], symbol: &str) -> Result<Resolved, AsmError> {
    let mut current = symbol.to_owned();
    let mut folds = Vec::new();
    for _ in 0..MAX_FOLD_CHAIN {
        match extract::find(files, &current)? {
            extract::Found::Alias { target } => {
                folds.push(Fold::Alias {
                    symbol: current,
                    target: target.clone(),
                });
                current = target;
            }
            extract::Found::Body { lines, file } => {
                let lines = normalize::normalize(&current, &lines, &files[file].text);
                match thunk_target(&lines) {
                    Some(target) if target != current => {
                        folds.push(Fold::Thunk {
                            symbol: current,
                            target: target.clone(),
                        });
                        current = target;
                    }
                    _ => {
                        return Ok(Resolved {
                            symbol: symbol.to_owned(),
                            body_symbol: current,
                            folds,
                            lines,
                        });
                    }
                }
            }
        }
    }
    Err(AsmError::FoldChain {
        symbol: symbol.to_owned(),
    })
}

/// The target of a body that is a single unconditional jump to another global symbol.
fn thunk_target(lines: &[String]) -> Option<String> {
    let mut instructions = lines.iter().filter(|line| shape::is_instruction(line));
    let only = instructions.next()?;
    if instructions.next().is_some() {
        return None;
    }
    let target = only.strip_prefix("jmp ")?.trim();
    let target = target.strip_suffix("@PLT").unwrap_or(target);
    let is_symbol = !target.starts_with(".L")
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$'));
    is_symbol.then(|| target.to_owned())
}

/// The outcome of comparing two functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Same normalized listing, or the same body under two symbols.
    Identical,
    /// At least one normalized line differs.
    Different,
}

/// Two functions compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Symbol of side `a`.
    pub a: String,
    /// Symbol of side `b`.
    pub b: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Lines of the longer normalized listing that have no counterpart in the other
    /// (its length minus the longest common subsequence).
    pub differing_lines: usize,
    /// Length of the longer normalized listing.
    pub total_lines: usize,
    /// Folds the compiler applied to either side.
    pub folds: Vec<Fold>,
    /// Instruction counts of `a`'s body.
    pub a_shape: Shape,
    /// Instruction counts of `b`'s body.
    pub b_shape: Shape,
    /// Whether the two hot loops have the same instructions in the same order, operands
    /// (registers, addressing) left out; `None` if either has no loop. Context for a
    /// `different` verdict, never a part of it.
    pub hot_loops_same_mnemonics: Option<bool>,
    /// The line diff of the two normalized bodies.
    #[serde(skip)]
    pub diff: Vec<DiffLine>,
}

impl Comparison {
    /// `a vs b [settings]: identical` or `a vs b [settings]: different (N of M lines differ)`.
    pub fn verdict_line(&self, settings: &str) -> String {
        let outcome = match self.verdict {
            Verdict::Identical => "identical".to_owned(),
            Verdict::Different => {
                format!(
                    "different ({} of {} lines differ)",
                    self.differing_lines, self.total_lines
                )
            }
        };
        format!("{} vs {} [{settings}]: {outcome}", self.a, self.b)
    }

    /// The unified diff of the two normalized listings (empty when identical).
    pub fn unified_diff(&self, context: usize) -> String {
        render_unified(&self.diff, &self.a, &self.b, context)
    }
}

/// Compares two resolved functions.
pub fn compare(a: &Resolved, b: &Resolved) -> Comparison {
    let diff = diff::diff(&a.lines, &b.lines);
    let total_lines = a.lines.len().max(b.lines.len());
    let differing_lines = total_lines - diff::common_lines(&diff);
    let same_body = a.body_symbol == b.body_symbol;
    let verdict = if same_body || differing_lines == 0 {
        Verdict::Identical
    } else {
        Verdict::Different
    };
    let (a_shape, b_shape) = (shape::shape(&a.lines), shape::shape(&b.lines));
    let hot_loops_same_mnemonics = (a_shape.hot_loop_instructions.is_some()
        && b_shape.hot_loop_instructions.is_some())
    .then(|| a_shape.hot_loop_mnemonics == b_shape.hot_loop_mnemonics);
    Comparison {
        a: a.symbol.clone(),
        b: b.symbol.clone(),
        verdict,
        differing_lines,
        total_lines,
        folds: a.folds.iter().chain(&b.folds).cloned().collect(),
        a_shape,
        b_shape,
        hot_loops_same_mnemonics,
        diff,
    }
}

/// Finds, resolves and compares two symbols of the same assembly output.
pub fn compare_symbols(files: &[AsmFile], a: &str, b: &str) -> Result<Comparison, AsmError> {
    Ok(compare(&resolve(files, a)?, &resolve(files, b)?))
}

#[cfg(test)]
mod tests;
