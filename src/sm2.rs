//! SM-2 (SuperMemo, 1987), exactly: one review of one card turns a state and a grade into the
//! next state.
//!
//! Pure: no clock, no randomness, no I/O. The study day of the review is an argument. The three
//! choices the 1987 text leaves open are settled as in the common reference implementations: the
//! easiness factor is updated after every review, failed ones included; the interval after the
//! second success uses the easiness factor from before the review; intervals are rounded up.

use crate::model::{CardState, Grade, StudyDay};

/// Easiness factor of a card never reviewed.
pub const INITIAL_EASE: f64 = 2.5;
/// SM-2 never lets the easiness factor drop below this.
pub const MIN_EASE: f64 = 1.3;
/// Interval after the first successful review.
pub const FIRST_INTERVAL: u32 = 1;
/// Interval after the second successful review in a row.
pub const SECOND_INTERVAL: u32 = 6;
/// Repetitions from which a failed card counts as a lapse: it had been learned.
pub const LEARNED_REPETITIONS: u32 = 2;

/// The SM-2 variables of a card never reviewed.
pub const NEW: Sm2 = Sm2 {
    repetitions: 0,
    ease: INITIAL_EASE,
    interval_days: 0,
};

/// The three numbers SM-2 carries from one review to the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sm2 {
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
}

impl Sm2 {
    pub fn of(state: &CardState) -> Self {
        Sm2 {
            repetitions: state.repetitions,
            ease: state.ease,
            interval_days: state.interval_days,
        }
    }
}

/// One SM-2 step, in exactly the published order, in f64.
pub fn step(before: Sm2, grade: Grade) -> Sm2 {
    let q = f64::from(grade.value());
    let (repetitions, interval_days) = if grade >= Grade::PASS {
        let interval = match before.repetitions {
            0 => FIRST_INTERVAL,
            1 => SECOND_INTERVAL,
            _ => ceil_days(f64::from(before.interval_days) * before.ease),
        };
        (before.repetitions.saturating_add(1), interval)
    } else {
        (0, FIRST_INTERVAL)
    };
    let ease = (before.ease + (0.1 - (5.0 - q) * (0.08 + (5.0 - q) * 0.02))).max(MIN_EASE);
    Sm2 {
        repetitions,
        ease,
        interval_days,
    }
}

/// Rounds an interval up to whole days; an absurdly long interval saturates instead of wrapping.
fn ceil_days(days: f64) -> u32 {
    let days = days.ceil();
    if days >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        days as u32
    }
}

/// The longest interval, in days, unless the settings say otherwise: 100 years, as Anki's.
pub const MAX_INTERVAL: u32 = 36_500;

/// Reviews a card (`None` when it was never reviewed) on study day `day`, with intervals capped
/// at `max_interval` days. The cap is outside SM-2 proper: without it, ease 2.5 and a card
/// answered perfectly every time reach an interval of centuries within a dozen reviews.
pub fn review(
    before: Option<&CardState>,
    grade: Grade,
    day: StudyDay,
    max_interval: u32,
) -> CardState {
    let mut sm2 = step(before.map_or(NEW, Sm2::of), grade);
    sm2.interval_days = sm2.interval_days.min(max_interval.max(1));
    let lapsed =
        grade < Grade::PASS && before.is_some_and(|b| b.repetitions >= LEARNED_REPETITIONS);
    CardState {
        repetitions: sm2.repetitions,
        ease: sm2.ease,
        interval_days: sm2.interval_days,
        due: day.plus(sm2.interval_days),
        reviews: before.map_or(0, |b| b.reviews).saturating_add(1),
        lapses: before.map_or(0, |b| b.lapses) + u32::from(lapsed),
        first_reviewed: before.map_or(day, |b| b.first_reviewed),
        last_reviewed: day,
        memory: before.and_then(|b| b.memory),
    }
}

#[cfg(test)]
#[path = "sm2_tests.rs"]
mod tests;
