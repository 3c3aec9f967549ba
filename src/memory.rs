//! The memory model: an FSRS-6 memory state (stability, difficulty) for every reviewed card,
//! the probability of recalling it on any day, and, when FSRS schedules, its intervals. The
//! arithmetic is the `fsrs` crate's (the one Anki uses); this module only maps hone's grades and
//! study days onto it. Pure: no I/O, no clock; the parameters and the day are arguments.
//!
//! Every scheduled review moves the memory state, whichever scheduler gives the intervals, so
//! readiness can speak of recall under SM-2 too. Practice does not count: it never reaches here.

use crate::model::{CardState, Grade, StudyDay};
use crate::sm2;

/// FSRS-6's default parameters, for a learner whose own have not been fitted.
/// The same as `fsrs::DEFAULT_PARAMETERS` (a test checks), as a constant.
pub const DEFAULT_PARAMETERS: [f32; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/// The desired retention when none is set: the recall probability FSRS schedules a review at.
pub const DEFAULT_RETENTION: f32 = 0.9;

/// Which algorithm gives the intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheduler {
    /// SM-2, exactly (the default).
    #[default]
    Sm2,
    /// FSRS-6: the interval at which recall falls to the desired retention.
    Fsrs,
}

impl Scheduler {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheduler::Sm2 => "sm2",
            Scheduler::Fsrs => "fsrs",
        }
    }
}

/// A card's FSRS memory state after a review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    /// Days until recall probability falls to 90%.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
}

/// The parameters of the memory model were not usable (a file holding too few, or NaN).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("FSRS parameters are not usable: {0}")]
pub struct BadParameters(pub String);

/// Everything reviews are folded with: the scheduler, the desired retention and the FSRS
/// parameters. Two machines with the same model and logs compute the same states.
#[derive(Debug, Clone)]
pub struct Model {
    pub scheduler: Scheduler,
    pub desired_retention: f32,
    parameters: [f32; 21],
    fsrs: fsrs::FSRS,
}

impl Default for Model {
    fn default() -> Self {
        Model::new(Scheduler::Sm2, DEFAULT_RETENTION, &DEFAULT_PARAMETERS)
            .unwrap_or_else(|_| unreachable_default())
    }
}

/// FSRS's own defaults are valid; the crate checks them with its tests.
#[cold]
fn unreachable_default() -> Model {
    Model {
        scheduler: Scheduler::Sm2,
        desired_retention: DEFAULT_RETENTION,
        parameters: DEFAULT_PARAMETERS,
        fsrs: fsrs::FSRS::default(),
    }
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint() == other.fingerprint()
    }
}

impl Model {
    pub fn new(
        scheduler: Scheduler,
        desired_retention: f32,
        parameters: &[f32],
    ) -> Result<Model, BadParameters> {
        let parameters: [f32; 21] = parameters
            .try_into()
            .map_err(|_| BadParameters(format!("expected 21, found {}", parameters.len())))?;
        if parameters.iter().any(|w| !w.is_finite()) {
            return Err(BadParameters("a parameter is not a number".to_owned()));
        }
        let fsrs = fsrs::FSRS::new(&parameters).map_err(|e| BadParameters(format!("{e:?}")))?;
        Ok(Model {
            scheduler,
            desired_retention,
            parameters,
            fsrs,
        })
    }

    /// The same parameters with another scheduler and retention.
    pub fn with(mut self, scheduler: Scheduler, desired_retention: f32) -> Model {
        self.scheduler = scheduler;
        self.desired_retention = desired_retention;
        self
    }

    pub fn parameters(&self) -> &[f32; 21] {
        &self.parameters
    }

    /// The forgetting curve's decay (FSRS-6's w20).
    fn decay(&self) -> f32 {
        self.parameters[20]
    }

    /// A number that changes whenever anything that decides a fold changes: what a snapshot
    /// records so that it is never read under another model.
    pub fn fingerprint(&self) -> u64 {
        let mut bytes = Vec::with_capacity(90);
        bytes.extend_from_slice(self.scheduler.as_str().as_bytes());
        bytes.extend_from_slice(&self.desired_retention.to_bits().to_le_bytes());
        for w in self.parameters {
            bytes.extend_from_slice(&w.to_bits().to_le_bytes());
        }
        crate::model::stable_hash(&bytes)
    }

    /// The memory state after a review graded `grade` on `day`, from the state after the card's
    /// previous review and its day (`None`: the first review).
    pub fn step(&self, before: Option<(Memory, StudyDay)>, grade: Grade, day: StudyDay) -> Memory {
        let rating = rating(grade);
        let (start, delta_t) = match before {
            Some((memory, last)) => (
                Some(fsrs::MemoryState {
                    stability: memory.stability,
                    difficulty: memory.difficulty,
                }),
                elapsed(last, day),
            ),
            None => (None, 0),
        };
        let item = fsrs::FSRSItem {
            reviews: vec![fsrs::FSRSReview { rating, delta_t }],
        };
        match self.fsrs.memory_state(item, start) {
            Ok(state) => Memory {
                stability: state.stability,
                difficulty: state.difficulty,
            },
            // Only a non-finite result is refused, which the crate's clamps rule out; keep the
            // state as it was rather than fail a fold.
            Err(_) => before.map_or(
                Memory {
                    stability: self.parameters[2],
                    difficulty: 5.0,
                },
                |(m, _)| m,
            ),
        }
    }

    /// The probability of recalling a card of state `memory` after `days` days.
    pub fn retrievability(&self, memory: Memory, days: f32) -> f32 {
        let state = fsrs::MemoryState {
            stability: memory.stability,
            difficulty: memory.difficulty,
        };
        fsrs::current_retrievability(state, days.max(0.0), self.decay())
    }

    /// FSRS's interval before rounding: the days until recall falls to the desired retention.
    pub fn interval_unrounded(&self, memory: Memory) -> f32 {
        self.fsrs
            .next_interval(Some(memory.stability), self.desired_retention, 3)
    }

    /// The interval FSRS schedules: whole days, at least 1, at most `max_interval`.
    pub fn interval(&self, memory: Memory, max_interval: u32) -> u32 {
        let days = self.interval_unrounded(memory).round().max(1.0);
        if days >= max_interval as f32 {
            max_interval.max(1)
        } else {
            days as u32
        }
    }

    /// One scheduled review: SM-2's step (repetitions, ease, lapses and counts, exactly as
    /// before), the memory state, and under FSRS the interval and due day from the memory
    /// state instead of SM-2's.
    pub fn review(
        &self,
        before: Option<&CardState>,
        grade: Grade,
        day: StudyDay,
        max_interval: u32,
    ) -> CardState {
        let mut after = sm2::review(before, grade, day, max_interval);
        let prior = before.and_then(|b| Some((b.memory?, b.last_reviewed)));
        let memory = self.step(prior, grade, day);
        after.memory = Some(memory);
        if self.scheduler == Scheduler::Fsrs {
            let interval = self.interval(memory, max_interval);
            after.interval_days = interval;
            after.due = day.plus(interval);
        }
        after
    }
}

/// hone's grade as an FSRS rating: 0–2 Again, 3 Hard, 4 Good, 5 Easy.
pub fn rating(grade: Grade) -> u32 {
    match grade.value() {
        0..=2 => 1,
        3 => 2,
        4 => 3,
        _ => 4,
    }
}

/// Whole days from one study day to a later one; 0 if it is not later.
pub fn elapsed(from: StudyDay, to: StudyDay) -> u32 {
    u32::try_from(from.days_until(to).max(0)).unwrap_or(u32::MAX)
}

/// The probability of recalling a card in state `state` on `day`, by the model: its
/// retrievability then. 0 for a state without a memory state (none is, once replayed).
pub fn recall_on(model: &Model, state: &CardState, day: StudyDay) -> f32 {
    match state.memory {
        Some(memory) => model.retrievability(memory, elapsed(state.last_reviewed, day) as f32),
        None => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(n: u32) -> StudyDay {
        StudyDay::from_date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).plus(n)
    }

    fn grade(q: u8) -> Grade {
        Grade::new(q).unwrap()
    }

    #[test]
    fn the_defaults_are_the_crates() {
        assert_eq!(DEFAULT_PARAMETERS, fsrs::DEFAULT_PARAMETERS);
    }

    #[test]
    fn grades_map_to_the_four_ratings() {
        let ratings: Vec<u32> = (0..=5).map(|q| rating(grade(q))).collect();
        assert_eq!(ratings, [1, 1, 1, 2, 3, 4]);
    }

    #[test]
    fn a_first_good_review_starts_at_the_initial_stability() {
        let model = Model::default();
        let memory = model.step(None, grade(4), day(0));
        assert_eq!(memory.stability, DEFAULT_PARAMETERS[2]);
        assert!((memory.difficulty - 2.118_104).abs() < 1e-4, "{memory:?}");
    }

    #[test]
    fn recall_falls_with_time_and_is_ninety_percent_at_the_stability() {
        let model = Model::default();
        let memory = Memory {
            stability: 10.0,
            difficulty: 5.0,
        };
        assert!((model.retrievability(memory, 0.0) - 1.0).abs() < 1e-6);
        assert!((model.retrievability(memory, 10.0) - 0.9).abs() < 1e-4);
        assert!(model.retrievability(memory, 30.0) < model.retrievability(memory, 20.0));
    }

    #[test]
    fn sm2_keeps_its_intervals_and_fsrs_takes_them_from_the_memory_state() {
        let sm2 = Model::default();
        let fsrs = Model::default().with(Scheduler::Fsrs, 0.9);
        let mut a = sm2.review(None, grade(4), day(0), 36_500);
        let mut b = fsrs.review(None, grade(4), day(0), 36_500);
        assert_eq!(a.interval_days, 1);
        assert_eq!(b.interval_days, 2, "S = 2.3065 rounds to 2 days");
        assert_eq!(a.memory, b.memory);
        for n in 1..6 {
            a = sm2.review(Some(&a), grade(4), day(n * 10), 36_500);
            b = fsrs.review(Some(&b), grade(4), day(n * 10), 36_500);
            assert_eq!((a.repetitions, a.ease), (b.repetitions, b.ease));
        }
        let capped = fsrs.review(Some(&b), grade(5), day(100), 7);
        assert_eq!(capped.interval_days, 7);
        assert_eq!(capped.due, day(107));
    }

    #[test]
    fn a_higher_retention_gives_shorter_intervals() {
        let memory = Memory {
            stability: 20.0,
            difficulty: 5.0,
        };
        let lax = Model::default().with(Scheduler::Fsrs, 0.8);
        let strict = Model::default().with(Scheduler::Fsrs, 0.95);
        assert!(strict.interval(memory, 36_500) < 20);
        assert!(lax.interval(memory, 36_500) > 20);
    }

    #[test]
    fn the_fingerprint_tells_models_apart() {
        let base = Model::default();
        assert_eq!(base.fingerprint(), Model::default().fingerprint());
        assert_ne!(
            base.fingerprint(),
            base.clone().with(Scheduler::Fsrs, 0.9).fingerprint()
        );
        assert_ne!(
            base.fingerprint(),
            base.clone().with(Scheduler::Sm2, 0.85).fingerprint()
        );
        let mut w = DEFAULT_PARAMETERS;
        w[8] += 0.01;
        let other = Model::new(Scheduler::Sm2, 0.9, &w).unwrap();
        assert_ne!(base.fingerprint(), other.fingerprint());
    }

    #[test]
    fn unusable_parameters_are_refused() {
        assert!(Model::new(Scheduler::Fsrs, 0.9, &[0.1; 5]).is_err());
        let mut w = DEFAULT_PARAMETERS;
        w[3] = f32::NAN;
        assert!(Model::new(Scheduler::Fsrs, 0.9, &w).is_err());
    }
}
