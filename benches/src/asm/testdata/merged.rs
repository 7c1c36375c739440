#[inline(never)]
#[unsafe(no_mangle)]
pub fn twice_a(x: &[i64]) -> i64 { x.iter().map(|v| v * 2).sum() }
#[inline(never)]
#[unsafe(no_mangle)]
pub fn twice_b(x: &[i64]) -> i64 { x.iter().map(|v| v * 2).sum() }
#[inline(never)]
#[unsafe(no_mangle)]
pub fn thrice(x: &[i64]) -> i64 { x.iter().map(|v| v * 3).sum() }
