//! Runs one kernel once, for callgrind: `callgrind-driver <kernel> <elements>`.
//! Used by `iterbench-summary`; see `iterbench::callgrind`.

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kernel, elements] = args.as_slice() else {
        bail!("usage: callgrind-driver <kernel> <elements>");
    };
    let elements: usize = elements.parse().context("elements must be a number")?;
    let Some(result) = iterbench::callgrind::drive(kernel, elements) else {
        bail!("unknown kernel `{kernel}`");
    };
    println!("{result}");
    Ok(())
}
