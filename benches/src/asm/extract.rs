//! Finding one function's lines, or its alias, in the compiler's assembly output.

use super::AsmError;

/// One assembly file as the compiler wrote it (with several codegen units, one file each).
#[derive(Debug, Clone)]
pub struct AsmFile {
    /// File name, for messages.
    pub name: String,
    /// Full text.
    pub text: String,
}

/// What the assembly says about a symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found<'a> {
    /// The symbol has a body: its raw lines, after its label up to its end marker, and the
    /// index of the file they came from (constant pools are file-local).
    Body { lines: Vec<&'a str>, file: usize },
    /// The symbol is emitted as another name for `target` (`.set sym, target` or
    /// `sym = target`), as LLVM's function merging does for identical functions.
    Alias { target: String },
}

/// Finds `symbol` in any of `files`: its body if it has a label, otherwise an alias directive.
pub(crate) fn find<'a>(files: &'a [AsmFile], symbol: &str) -> Result<Found<'a>, AsmError> {
    for (index, file) in files.iter().enumerate() {
        if let Some(lines) = body(&file.text, symbol) {
            return Ok(Found::Body { lines, file: index });
        }
    }
    for file in files {
        if let Some(target) = file
            .text
            .lines()
            .find_map(|line| alias_target(line, symbol))
        {
            return Ok(Found::Alias { target });
        }
    }
    Err(AsmError::SymbolNotFound {
        symbol: symbol.to_owned(),
        files: files.len(),
    })
}

/// The lines between `symbol:` and the end of the function, if the symbol is defined here.
fn body<'a>(text: &'a str, symbol: &str) -> Option<Vec<&'a str>> {
    let mut lines = text.lines();
    lines.by_ref().find(|line| label_of(line) == Some(symbol))?;
    Some(
        lines
            .take_while(|line| !ends_function(line, symbol))
            .collect(),
    )
}

/// Whether `line` closes the function that started at `symbol:`. LLVM writes a
/// `.Lfunc_endN:` label right after the last instruction; the other cases guard against
/// output without it (another global label, a section switch, the `.size` directive).
fn ends_function(line: &str, symbol: &str) -> bool {
    let trimmed = line.trim();
    if let Some(label) = label_of(trimmed) {
        return label.starts_with(".Lfunc_end") || !label.starts_with(".L");
    }
    let mut words = trimmed.split(|c: char| c.is_whitespace() || c == ',');
    match words.next() {
        Some(".size") => words.find(|w| !w.is_empty()) == Some(symbol),
        Some(".section" | ".text" | ".data" | ".bss") => true,
        _ => false,
    }
}

/// The label a line defines, if it is a label definition (`name:` with nothing but a comment
/// after it). Quoted names are returned without their quotes.
pub(crate) fn label_of(line: &str) -> Option<&str> {
    let code = strip_comment(line).trim();
    let name = code.strip_suffix(':')?;
    let name = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name);
    let is_identifier = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$'));
    is_identifier.then_some(name)
}

/// The target of an alias directive defining `symbol`, in either form LLVM uses:
/// `.set symbol, target` or `symbol = target`.
fn alias_target(line: &str, symbol: &str) -> Option<String> {
    let code = strip_comment(line).trim();
    let (name, target) = if let Some(rest) = code.strip_prefix(".set") {
        let (name, target) = rest.split_once(',')?;
        (name.trim(), target.trim())
    } else {
        let (name, target) = code.split_once('=')?;
        (name.trim(), target.trim())
    };
    let unquote = |s: &'_ str| s.trim_matches('"').to_owned();
    (unquote(name) == symbol && !target.is_empty()).then(|| unquote(target))
}

/// The data lines of a constant-pool label (`.LCPI3_0:` followed by `.quad`, `.long`, ...)
/// in `text`, or `None` if the label is not defined there.
pub(crate) fn constant_pool<'a>(text: &'a str, label: &str) -> Option<Vec<&'a str>> {
    let mut lines = text.lines();
    lines.by_ref().find(|line| label_of(line) == Some(label))?;
    Some(lines.take_while(|line| is_data_directive(line)).collect())
}

/// Directives that emit constant data.
fn is_data_directive(line: &str) -> bool {
    const DATA: [&str; 14] = [
        ".byte", ".short", ".value", ".word", ".hword", ".long", ".int", ".4byte", ".quad",
        ".8byte", ".octa", ".zero", ".ascii", ".asciz",
    ];
    let code = strip_comment(line).trim();
    code.split_whitespace()
        .next()
        .is_some_and(|word| DATA.contains(&word))
}

/// Everything before an x86 GNU-syntax comment: `#` at the start of a line or after
/// whitespace, followed by whitespace or the end of the line. (`#` glued to a number is an
/// immediate on other targets and is kept.)
pub(crate) fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let starts_token = i == 0 || bytes[i - 1].is_ascii_whitespace();
        let ends_token = bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
        if b == b'#' && starts_token && ends_token {
            return &line[..i];
        }
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return &line[..i];
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Vec<AsmFile> {
        vec![AsmFile {
            name: "test.s".into(),
            text: text.into(),
        }]
    }

    #[test]
    fn body_stops_at_func_end() {
        let files = file("f:\n\tret\n.Lfunc_end0:\n\t.size\tf, .Lfunc_end0-f\ng:\n\tud2\n");
        assert_eq!(
            find(&files, "f").unwrap(),
            Found::Body {
                lines: vec!["\tret"],
                file: 0
            }
        );
    }

    #[test]
    fn body_stops_at_next_global_label_without_end_marker() {
        let files = file("f:\n\tret\ng:\n\tud2\n");
        assert_eq!(
            find(&files, "f").unwrap(),
            Found::Body {
                lines: vec!["\tret"],
                file: 0
            }
        );
    }

    #[test]
    fn both_alias_forms_are_found() {
        let files = file("\t.globl\tg\n.set g, f\n\t.globl h\nh = f\n");
        assert_eq!(
            find(&files, "g").unwrap(),
            Found::Alias { target: "f".into() }
        );
        assert_eq!(
            find(&files, "h").unwrap(),
            Found::Alias { target: "f".into() }
        );
    }

    #[test]
    fn missing_symbol_is_an_error() {
        let err = find(&file("f:\n\tret\n"), "g").unwrap_err();
        assert!(matches!(err, AsmError::SymbolNotFound { .. }));
    }

    #[test]
    fn a_label_is_not_a_prefix_match() {
        let files = file("sum_loop_i32:\n\tud2\n.Lfunc_end0:\nsum_loop:\n\tret\n.Lfunc_end1:\n");
        assert_eq!(
            find(&files, "sum_loop").unwrap(),
            Found::Body {
                lines: vec!["\tret"],
                file: 0
            }
        );
    }

    #[test]
    fn constant_pool_reads_data_until_next_label() {
        let text = ".LCPI0_0:\n\t.quad\t2\n\t.quad\t2 # two\n.LCPI0_1:\n\t.long\t7\n";
        assert_eq!(
            constant_pool(text, ".LCPI0_0").unwrap(),
            vec!["\t.quad\t2", "\t.quad\t2 # two"]
        );
        assert!(constant_pool(text, ".LCPI9_9").is_none());
    }
}
