//! The shape of a normalized function: instruction count, loops, and the hot loop.

use std::collections::HashMap;

use serde::Serialize;

/// Instruction counts of one function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shape {
    /// Instructions in the whole body (labels, directives and constant data not counted).
    pub instructions: usize,
    /// Every innermost loop, in layout order: instructions from its header label to its
    /// backward branch, inclusive.
    pub innermost_loop_instructions: Vec<usize>,
    /// The hot loop: the largest innermost loop. With vectorized code that is the vector body
    /// (the scalar remainder loop is shorter); `None` if the function has no loop.
    pub hot_loop_instructions: Option<usize>,
    /// Mnemonics of the hot loop's instructions, in order (operands left out).
    #[serde(skip)]
    pub hot_loop_mnemonics: Vec<String>,
}

/// Whether a normalized line is an instruction (not a label, a directive or constant data).
pub fn is_instruction(line: &str) -> bool {
    !line.starts_with('.') && !line.ends_with(':') && !line.contains(": #")
}

/// The branch target of an instruction line, if it is a branch to a label.
fn branch_target(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let mnemonic = words.next()?;
    // x86 branches are all `j*`; AArch64's are `b`, `b.<cond>`, `cbz`/`cbnz`, `tbz`/`tbnz`.
    let is_branch = mnemonic.starts_with('j')
        || mnemonic == "b"
        || mnemonic.starts_with("b.")
        || matches!(mnemonic, "cbz" | "cbnz" | "tbz" | "tbnz");
    if !is_branch {
        return None;
    }
    words.last().map(|w| w.trim_end_matches(','))
}

/// Counts instructions and finds loops (backward branches to a label) in normalized lines.
pub fn shape(lines: &[String]) -> Shape {
    let labels: HashMap<&str, usize> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| line.strip_suffix(':').map(|label| (label, i)))
        .collect();
    let loops: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let header = *labels.get(branch_target(line)?)?;
            (header <= i).then_some((header, i))
        })
        .collect();
    let nests_another = |&(start, end): &(usize, usize)| {
        loops
            .iter()
            .any(|&(s, e)| (s, e) != (start, end) && start <= s && e <= end)
    };
    let count = |(start, end): (usize, usize)| {
        lines[start..=end]
            .iter()
            .filter(|line| is_instruction(line))
            .count()
    };
    let innermost: Vec<(usize, usize)> = loops
        .iter()
        .copied()
        .filter(|range| !nests_another(range))
        .collect();
    // The largest innermost loop; on a tie, the first in layout order.
    let hot = innermost
        .iter()
        .copied()
        .rev()
        .max_by_key(|&range| count(range));
    Shape {
        instructions: lines.iter().filter(|line| is_instruction(line)).count(),
        innermost_loop_instructions: innermost.iter().map(|&range| count(range)).collect(),
        hot_loop_instructions: hot.map(count),
        hot_loop_mnemonics: hot.map_or_else(Vec::new, |(start, end)| {
            lines[start..=end]
                .iter()
                .filter(|line| is_instruction(line))
                .filter_map(|line| line.split_whitespace().next())
                .map(str::to_owned)
                .collect()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn finds_innermost_loops_and_the_largest() {
        let asm = lines(
            "xor eax, eax\n.LBB_0:\n.p2align 4\n.LBB_1:\nadd rax, 1\nadd rax, 2\ncmp rax, rsi\njne .LBB_1\n\
             .LBB_2:\ninc rcx\njne .LBB_2\njmp .LBB_0\nret",
        );
        let s = shape(&asm);
        assert_eq!(s.instructions, 9);
        assert_eq!(s.innermost_loop_instructions, vec![4, 2]);
        assert_eq!(s.hot_loop_instructions, Some(4));
        assert_eq!(s.hot_loop_mnemonics, vec!["add", "add", "cmp", "jne"]);
    }

    #[test]
    fn no_loop() {
        let s = shape(&lines(
            "test rsi, rsi\nje .LBB_0\nret\n.LBB_0:\nxor eax, eax\nret",
        ));
        assert_eq!(s.hot_loop_instructions, None);
        assert_eq!(s.instructions, 5);
    }
}
