//! `hone why`: a card's schedule explained, one logged entry at a time, with the arithmetic
//! redone from the state before each review (and checked against what was logged): SM-2's, the
//! memory state's, and under FSRS its interval.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};

use crate::memory::{self, Memory, Model, Scheduler};
use crate::model::{Action, CardState, Event, Grade, StudyDay};
use crate::points::Coverage;
use crate::sm2::{self, Sm2};

/// Which rule gave a review's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IntervalRule {
    /// q >= 3 and n was 0: I = 1.
    First,
    /// q >= 3 and n was 1: I = 6.
    Second,
    /// q >= 3 and n was 2 or more: I = ceil(I × EF) with the EF before the review.
    Multiply {
        previous: u32,
        ease: f64,
        product: f64,
    },
    /// q < 3: n = 0 and I = 1.
    Reset,
    /// FSRS: I = S / f × (DR^(−1/w20) − 1), rounded, at least 1; `unrounded` before rounding.
    Fsrs { unrounded: f32 },
}

/// What a review did to the memory state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryStep {
    /// Days since the card's previous scheduled review (0 for the first).
    pub elapsed_days: u32,
    /// The probability of recall at the review, by the state before it; `None` for the first.
    pub retrievability: Option<f32>,
    pub rating: u32,
    pub before: Option<Memory>,
    pub after: Memory,
    /// The forgetting curve's constants: f = 0.9^(−1/w20) − 1 and the decay w20.
    pub factor: f32,
    pub decay: f32,
    pub desired_retention: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Review {
        id: String,
        at: DateTime<FixedOffset>,
        day: StudyDay,
        day_start_hour: Option<u8>,
        grade: Grade,
        undone: bool,
        before: Sm2,
        after: Sm2,
        rule: IntervalRule,
        /// The EF change before the floor: 0.1 − (5 − q) × (0.08 + (5 − q) × 0.02).
        ease_change: f64,
        /// Whether the floor of 1.3 applied.
        floored: bool,
        /// The interval cap, when it shortened the interval.
        capped_at: Option<u32>,
        due: StudyDay,
        /// Whether redoing the arithmetic gives what the log recorded.
        agrees: bool,
        coverage: Option<Coverage>,
        memory: Option<MemoryStep>,
    },
    Practice {
        id: String,
        at: DateTime<FixedOffset>,
        day: StudyDay,
        grade: Grade,
        undone: bool,
        coverage: Option<Coverage>,
    },
    Undo {
        id: String,
        at: DateTime<FixedOffset>,
        undoes: String,
        restored: Option<CardState>,
    },
}

/// The steps that led to a card's state, from its log entries in order (as the replay sees
/// them, with memory states), folded with `model`.
pub fn explain(history: &[Event], model: &Model) -> Vec<Step> {
    let undone: BTreeSet<&str> = history.iter().filter_map(Event::undoes).collect();
    history
        .iter()
        .filter_map(|event| {
            let was_undone = undone.contains(event.id.as_str());
            Some(match &event.action {
                Action::Review {
                    answer,
                    before,
                    after,
                    max_interval,
                } => {
                    let prior = before.as_ref().map_or(sm2::NEW, Sm2::of);
                    let mut computed = sm2::step(prior, answer.grade);
                    let capped_at =
                        (computed.interval_days > *max_interval).then_some(*max_interval);
                    computed.interval_days = computed.interval_days.min(*max_interval);
                    let q = f64::from(answer.grade.value());
                    let ease_change = 0.1 - (5.0 - q) * (0.08 + (5.0 - q) * 0.02);
                    let mut rule = match (answer.grade >= Grade::PASS, prior.repetitions) {
                        (false, _) => IntervalRule::Reset,
                        (true, 0) => IntervalRule::First,
                        (true, 1) => IntervalRule::Second,
                        (true, _) => IntervalRule::Multiply {
                            previous: prior.interval_days,
                            ease: prior.ease,
                            product: f64::from(prior.interval_days) * prior.ease,
                        },
                    };
                    let memory = memory_step(model, before.as_ref(), answer.grade, event.day);
                    let mut capped_at = capped_at;
                    let mut agrees_memory = true;
                    if let Some(m) = &memory {
                        agrees_memory = after.memory == Some(m.after);
                        if model.scheduler == Scheduler::Fsrs {
                            let unrounded = model.interval_unrounded(m.after);
                            let interval = model.interval(m.after, *max_interval);
                            capped_at =
                                (unrounded.round() > *max_interval as f32).then_some(*max_interval);
                            computed.interval_days = interval;
                            rule = IntervalRule::Fsrs { unrounded };
                        }
                    }
                    Step::Review {
                        id: event.id.clone(),
                        at: event.at,
                        day: event.day,
                        day_start_hour: event.day_start_hour,
                        grade: answer.grade,
                        undone: was_undone,
                        before: prior,
                        after: Sm2::of(after),
                        rule,
                        ease_change,
                        floored: prior.ease + ease_change < sm2::MIN_EASE,
                        capped_at,
                        due: after.due,
                        agrees: agrees_memory
                            && computed == Sm2::of(after)
                            && after.due == event.day.plus(computed.interval_days),
                        coverage: answer.coverage.clone(),
                        memory,
                    }
                }
                Action::Practice { answer } => Step::Practice {
                    id: event.id.clone(),
                    at: event.at,
                    day: event.day,
                    grade: answer.grade,
                    undone: was_undone,
                    coverage: answer.coverage.clone(),
                },
                Action::UndoReview { undoes, restored } => Step::Undo {
                    id: event.id.clone(),
                    at: event.at,
                    undoes: undoes.clone(),
                    restored: *restored,
                },
                Action::UndoPractice { undoes } => Step::Undo {
                    id: event.id.clone(),
                    at: event.at,
                    undoes: undoes.clone(),
                    restored: None,
                },
                Action::Suspend { .. } | Action::Unsuspend | Action::Retract { .. } => {
                    return None;
                }
            })
        })
        .collect()
}

/// The memory step of a review graded `grade` on `day` of a card in state `before`, if the
/// history carries memory states (the replay's does).
fn memory_step(
    model: &Model,
    before: Option<&CardState>,
    grade: Grade,
    day: StudyDay,
) -> Option<MemoryStep> {
    let prior = match before {
        Some(b) => Some((b.memory?, b.last_reviewed)),
        None => None,
    };
    let elapsed = prior.map_or(0, |(_, last)| memory::elapsed(last, day));
    let decay = model.parameters()[20];
    Some(MemoryStep {
        elapsed_days: elapsed,
        retrievability: prior.map(|(m, _)| model.retrievability(m, elapsed as f32)),
        rating: memory::rating(grade),
        before: prior.map(|(m, _)| m),
        after: model.step(prior, grade, day),
        factor: 0.9f32.powf(-1.0 / decay) - 1.0,
        decay,
        desired_retention: model.desired_retention,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{self, Moment};
    use crate::model::{CardId, Graded, ReviewKind};
    use crate::replay::Replay;

    #[test]
    fn each_review_is_explained_with_its_rule_and_agrees_with_the_log() {
        let card: CardId = "api/rest".parse().unwrap();
        let mut replay = Replay::default();
        let mut log = Vec::new();
        for (i, q) in [5u8, 3, 3, 1].into_iter().enumerate() {
            let at = DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap()
                + chrono::Days::new(i as u64 * 7);
            let graded = Graded {
                grade: Grade::new(q).unwrap(),
                elapsed_ms: None,
                response: None,
                coverage: None,
                mock: None,
            };
            let event = answer::answer(
                &card,
                graded,
                ReviewKind::Scheduled,
                replay.state.cards.get(&card),
                Moment {
                    at,
                    day_start_hour: 4,
                    max_interval: crate::sm2::MAX_INTERVAL,
                },
                format!("r{i}"),
                &crate::memory::Model::default(),
            );
            replay.push(&event).unwrap();
            log.push(event);
        }
        let steps = explain(&log, &crate::memory::Model::default());
        let rules: Vec<IntervalRule> = steps
            .iter()
            .map(|s| match s {
                Step::Review {
                    rule, agrees: true, ..
                } => *rule,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(rules[0], IntervalRule::First);
        assert_eq!(rules[1], IntervalRule::Second);
        // Third review: I = ceil(6 × EF before) with EF 2.6 - 0.14 = 2.46.
        assert!(
            matches!(rules[2], IntervalRule::Multiply { previous: 6, ease, product } if (ease - 2.46).abs() < 1e-9 && (product - 14.76).abs() < 1e-9)
        );
        assert_eq!(rules[3], IntervalRule::Reset);
    }

    #[test]
    fn a_tampered_log_entry_is_flagged() {
        let card: CardId = "api/rest".parse().unwrap();
        let when = Moment {
            at: DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap(),
            day_start_hour: 4,
            max_interval: crate::sm2::MAX_INTERVAL,
        };
        let graded = Graded {
            grade: Grade::new(5).unwrap(),
            elapsed_ms: None,
            response: None,
            coverage: None,
            mock: None,
        };
        let mut event = answer::answer(
            &card,
            graded,
            ReviewKind::Scheduled,
            None,
            when,
            "r".into(),
            &crate::memory::Model::default(),
        );
        if let Action::Review { after, .. } = &mut event.action {
            after.interval_days = 30;
        }
        assert!(matches!(
            explain(&[event], &crate::memory::Model::default())[0],
            Step::Review { agrees: false, .. }
        ));
    }
}
