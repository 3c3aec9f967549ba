use proptest::prelude::*;

use super::*;

fn day(s: &str) -> StudyDay {
    s.parse().unwrap()
}

fn grade(q: u8) -> Grade {
    Grade::new(q).unwrap()
}

/// Replays grades one study day after another, each review on the day the card fell due.
fn replay(grades: &[u8]) -> Vec<(u32, f64, u32, String)> {
    let mut state: Option<CardState> = None;
    let mut today = day("2026-01-01");
    let mut rows = Vec::new();
    for &q in grades {
        let next = review(state.as_ref(), grade(q), today, MAX_INTERVAL);
        rows.push((
            next.repetitions,
            next.ease,
            next.interval_days,
            next.due.to_string(),
        ));
        today = next.due;
        state = Some(next);
    }
    rows
}

#[test]
fn first_success_gives_one_day_then_six() {
    // EF: 2.5 + 0.1 = 2.6, then 2.7; intervals 1 and 6 regardless of EF.
    assert_eq!(
        replay(&[5, 5]),
        [
            (1, 2.6, 1, "2026-01-02".into()),
            (2, 2.7, 6, "2026-01-08".into())
        ]
    );
}

#[test]
fn third_success_multiplies_by_the_ease_from_before_the_review() {
    // 3, 3: EF 2.5 -> 2.36 -> 2.22, intervals 1 and 6. Third grade 3: I = ceil(6 * 2.22) =
    // ceil(13.32) = 14 with the EF from before the review; the updated EF (2.08) would give 13.
    let rows = replay(&[3, 3, 3]);
    assert_eq!(rows[2].2, 14);
    assert!((rows[2].1 - 2.08).abs() < 1e-12);
}

#[test]
fn a_failure_resets_repetitions_and_gives_one_day() {
    let rows = replay(&[5, 5, 5, 2]);
    let (n, ease, interval, _) = rows[3];
    assert_eq!((n, interval), (0, 1));
    // 2.8 + (0.1 - 3 * (0.08 + 3 * 0.02)) = 2.8 - 0.32 = 2.48
    assert!((ease - 2.48).abs() < 1e-12);
}

#[test]
fn ease_is_floored_at_one_point_three() {
    let rows = replay(&[0, 0, 0, 0, 0, 0]);
    // 2.5 - 0.8 = 1.7, then 0.9, floored at 1.3 and held there.
    assert!((rows[0].1 - 1.7).abs() < 1e-12);
    assert!(rows[1..].iter().all(|r| r.1 == MIN_EASE));
}

#[test]
fn ease_changes_by_grade_exactly_as_published() {
    let delta = |q| step(NEW, grade(q)).ease - INITIAL_EASE;
    let expected = [-0.8, -0.54, -0.32, -0.14, 0.0, 0.1];
    for (q, want) in expected.iter().enumerate() {
        assert!((delta(q as u8) - want).abs() < 1e-12, "q = {q}");
    }
}

#[test]
fn lapses_count_only_failures_of_learned_cards() {
    let mut state = review(None, grade(1), day("2026-01-01"), MAX_INTERVAL);
    assert_eq!(state.lapses, 0, "a new card failed is not a lapse");
    state = review(Some(&state), grade(4), state.due, MAX_INTERVAL);
    state = review(Some(&state), grade(2), state.due, MAX_INTERVAL);
    assert_eq!(state.lapses, 0, "n = 1 is still learning");
    state = review(Some(&state), grade(4), state.due, MAX_INTERVAL);
    state = review(Some(&state), grade(4), state.due, MAX_INTERVAL);
    state = review(Some(&state), grade(0), state.due, MAX_INTERVAL);
    assert_eq!(state.lapses, 1);
    assert_eq!(state.reviews, 6);
    assert_eq!(state.first_reviewed, day("2026-01-01"));
}

#[test]
fn huge_intervals_saturate_instead_of_overflowing() {
    let before = Sm2 {
        repetitions: 40,
        ease: 2.5,
        interval_days: u32::MAX - 1,
    };
    assert_eq!(step(before, grade(5)).interval_days, u32::MAX);
    let state = CardState {
        repetitions: 40,
        ease: 2.5,
        interval_days: u32::MAX - 1,
        due: day("2026-01-01"),
        reviews: 40,
        lapses: 0,
        first_reviewed: day("2020-01-01"),
        last_reviewed: day("2026-01-01"),
        memory: None,
    };
    let after = review(Some(&state), grade(5), day("2026-01-01"), MAX_INTERVAL);
    assert!(after.due >= day("2026-01-01"));
    assert_eq!(after.interval_days, MAX_INTERVAL);
}

#[test]
fn intervals_stop_at_the_cap_and_dates_at_a_four_digit_year() {
    let mut state = review(None, grade(5), day("2026-01-01"), 30);
    for _ in 0..20 {
        state = review(Some(&state), grade(5), state.due, 30);
        assert!(state.interval_days <= 30);
    }
    assert_eq!(state.interval_days, 30);
    let late = review(Some(&state), grade(5), day("9999-12-01"), MAX_INTERVAL);
    assert_eq!(late.due.to_string(), "9999-12-31");
}

fn any_history() -> impl Strategy<Value = Vec<(u8, u16)>> {
    // Grades and the days the learner waited after each due day (0 = on time).
    proptest::collection::vec((0u8..=5, 0u16..400), 1..60)
}

proptest! {
    #[test]
    fn invariants_hold_over_any_history(history in any_history()) {
        let mut state: Option<CardState> = None;
        let mut today = day("2026-01-01");
        for (q, wait) in history {
            let before = state;
            let after = review(before.as_ref(), grade(q), today, MAX_INTERVAL);
            prop_assert!(after.ease >= MIN_EASE);
            prop_assert!(after.interval_days >= 1);
            prop_assert!(after.due > today, "due {} not after review day {}", after.due, today);
            if q < 3 {
                prop_assert_eq!(after.repetitions, 0);
                prop_assert_eq!(after.interval_days, 1);
            } else {
                prop_assert_eq!(after.repetitions, before.map_or(0, |b| b.repetitions) + 1);
            }
            if let Some(b) = before {
                prop_assert!(after.interval_days >= 1);
                if q >= 3 && b.repetitions >= 2 {
                    prop_assert!(after.interval_days >= b.interval_days, "a success never shortens the interval");
                }
            }
            today = after.due.plus(u32::from(wait));
            state = Some(after);
        }
    }

    #[test]
    fn a_better_grade_never_gives_a_lower_ease_or_a_shorter_interval(
        n in 0u32..50, ease in crate::floats::f64_in(1.3, 4.0), interval in 1u32..10_000, q in 0u8..5,
    ) {
        let before = Sm2 { repetitions: n, ease, interval_days: interval };
        let worse = step(before, grade(q));
        let better = step(before, grade(q + 1));
        prop_assert!(better.ease >= worse.ease);
        prop_assert!(better.interval_days >= worse.interval_days);
    }
}
