#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_iter(numbers: &[i64]) -> i64 {
    numbers.iter().filter(|n| **n > 0).map(|n| n * 2).sum::<i64>()
}
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_loop(numbers: &[i64]) -> i64 {
    let mut sum = 0;
    for n in numbers {
        if *n > 0 {
            sum += n * 2;
        }
    }
    sum
}
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_fold(numbers: &[i64]) -> i64 {
    numbers.iter().fold(0i64, |acc, n| if *n > 0 { acc + n * 2 } else { acc })
}
