//! Strategies for floats in a range, for property tests. proptest's own float ranges can trip
//! an internal assertion on some seeds (a known proptest defect), which would make a test fail
//! at random; these map a uniform integer onto the range instead. Test code only.

use proptest::prelude::*;

/// Any `f64` in `low..high`, at the full precision of a 32-bit step.
pub fn f64_in(low: f64, high: f64) -> impl Strategy<Value = f64> {
    any::<u32>()
        .prop_map(move |n| low + (high - low) * (f64::from(n) / (f64::from(u32::MAX) + 1.0)))
}

/// Any `f32` in `low..high`.
pub fn f32_in(low: f32, high: f32) -> impl Strategy<Value = f32> {
    f64_in(f64::from(low), f64::from(high)).prop_map(move |x| (x as f32).clamp(low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest! {
        #[test]
        fn values_stay_in_their_range(x in f64_in(1.3, 4.0), y in f32_in(0.001, 36_500.0)) {
            prop_assert!((1.3..4.0).contains(&x), "{x}");
            prop_assert!((0.001..=36_500.0).contains(&y), "{y}");
        }
    }
}
