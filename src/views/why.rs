//! The view of `hone why`: a card's schedule, one logged entry at a time, with the arithmetic
//! of each review (SM-2's, the memory step's, FSRS's interval): part of the scripting contract.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{StateView, timestamp};
use crate::model::{CardState, StudyDay};
use crate::points::{Coverage, PointKey};
use crate::stats::{IntervalRule, Step};

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StepView {
    Review {
        review_id: String,
        reviewed_at: String,
        day: String,
        day_start_hour: Option<u8>,
        grade: u8,
        undone: bool,
        repetitions_before: u32,
        repetitions_after: u32,
        ease_before: f64,
        ease_change: f64,
        ease_floored: bool,
        ease_after: f64,
        interval_before: u32,
        /// `first`, `second`, `multiply` or `reset` (SM-2), or `fsrs`.
        interval_rule: &'static str,
        interval_formula: String,
        interval_after: u32,
        due: String,
        /// Whether redoing the arithmetic gives what the log recorded.
        agrees: bool,
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        coverage: Option<CoverageView>,
        /// What the review did to the memory state.
        #[serde(skip_serializing_if = "Option::is_none")]
        memory: Option<MemoryStepView>,
    },
    Practice {
        review_id: String,
        reviewed_at: String,
        day: String,
        grade: u8,
        undone: bool,
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        coverage: Option<CoverageView>,
    },
    Undo {
        review_id: String,
        reviewed_at: String,
        undoes: String,
        restored: Option<StateView>,
    },
}

/// A review's memory step, for `why`.
#[derive(Debug, Serialize)]
pub struct MemoryStepView {
    /// Days since the previous scheduled review.
    pub elapsed_days: u32,
    /// The probability of recall at the review (`null` at the first).
    pub retrievability: Option<f64>,
    /// FSRS's rating: 1 Again (grades 0-2), 2 Hard, 3 Good, 4 Easy.
    pub rating: u32,
    pub stability_before: Option<f32>,
    pub difficulty_before: Option<f32>,
    pub stability_after: f32,
    pub difficulty_after: f32,
}

impl MemoryStepView {
    fn of(m: &crate::stats::MemoryStep) -> Self {
        MemoryStepView {
            elapsed_days: m.elapsed_days,
            retrievability: m.retrievability.map(|r| crate::views::round4(f64::from(r))),
            rating: m.rating,
            stability_before: m.before.map(|b| b.stability),
            difficulty_before: m.before.map(|b| b.difficulty),
            stability_after: m.after.stability,
            difficulty_after: m.after.difficulty,
        }
    }
}

/// Which key points an answer covered, when they were checked.
#[derive(Debug, Serialize)]
pub struct CoverageView {
    /// 1-based positions of the points covered, in the card's points as they were then.
    pub covered: Vec<usize>,
    /// How many points the card had then.
    pub points: usize,
    /// The points not covered, as the card words them now; a point reworded since is
    /// "(reworded since)".
    pub missed: Vec<String>,
}

impl CoverageView {
    pub fn of(coverage: &Coverage, current: &[String]) -> Self {
        let text: BTreeMap<PointKey, &String> =
            current.iter().map(|p| (PointKey::of(p), p)).collect();
        CoverageView {
            covered: coverage.covered.clone(),
            points: coverage.points.len(),
            missed: coverage
                .missed()
                .map(|p| {
                    text.get(&coverage.points[p - 1])
                        .map_or_else(|| "(reworded since)".to_owned(), |t| (*t).clone())
                })
                .collect(),
        }
    }
}

impl StepView {
    fn of(step: &Step, points: &[String]) -> Self {
        match step {
            Step::Review {
                id,
                at,
                day,
                day_start_hour,
                grade,
                undone,
                before,
                after,
                rule,
                ease_change,
                floored,
                capped_at,
                due,
                agrees,
                coverage,
                memory,
            } => {
                let (name, formula) = match rule {
                    IntervalRule::Fsrs { unrounded } => {
                        let m = memory.as_ref();
                        (
                            "fsrs",
                            format!(
                                "I = S / f × (DR^(−1/w20) − 1) = {} / {} × ({}^(−1/{}) − 1) = {} → {}",
                                decimals(f64::from(m.map_or(0.0, |m| m.after.stability)), 2),
                                decimals(f64::from(m.map_or(0.0, |m| m.factor)), 3),
                                decimals(f64::from(m.map_or(0.0, |m| m.desired_retention)), 3),
                                decimals(f64::from(m.map_or(0.0, |m| m.decay)), 4),
                                decimals(f64::from(*unrounded), 2),
                                if capped_at.is_some() {
                                    number(f64::from(unrounded.round().max(1.0)))
                                } else {
                                    after.interval_days.to_string()
                                }
                            ),
                        )
                    }
                    IntervalRule::First => ("first", "n was 0: I = 1".to_owned()),
                    IntervalRule::Second => ("second", "n was 1: I = 6".to_owned()),
                    IntervalRule::Multiply {
                        previous,
                        ease,
                        product,
                    } => (
                        "multiply",
                        format!(
                            "I = ceil({previous} × {}) = ceil({}) = {}",
                            number(*ease),
                            number(*product),
                            if capped_at.is_some() {
                                number(product.ceil())
                            } else {
                                after.interval_days.to_string()
                            }
                        ),
                    ),
                    IntervalRule::Reset => ("reset", "q < 3: n = 0, I = 1".to_owned()),
                };
                let formula = match capped_at {
                    Some(cap) => format!("{formula}, capped at {cap} (maximum_interval_days)"),
                    None => formula,
                };
                StepView::Review {
                    review_id: id.clone(),
                    reviewed_at: timestamp(*at),
                    day: day.to_string(),
                    day_start_hour: *day_start_hour,
                    grade: grade.value(),
                    undone: *undone,
                    repetitions_before: before.repetitions,
                    repetitions_after: after.repetitions,
                    ease_before: before.ease,
                    ease_change: *ease_change,
                    ease_floored: *floored,
                    ease_after: after.ease,
                    interval_before: before.interval_days,
                    interval_rule: name,
                    interval_formula: formula,
                    interval_after: after.interval_days,
                    due: due.to_string(),
                    agrees: *agrees,
                    coverage: coverage.as_ref().map(|c| CoverageView::of(c, points)),
                    memory: memory.as_ref().map(MemoryStepView::of),
                }
            }
            Step::Practice {
                id,
                at,
                day,
                grade,
                undone,
                coverage,
            } => StepView::Practice {
                review_id: id.clone(),
                reviewed_at: timestamp(*at),
                day: day.to_string(),
                grade: grade.value(),
                undone: *undone,
                coverage: coverage.as_ref().map(|c| CoverageView::of(c, points)),
            },
            Step::Undo {
                id,
                at,
                undoes,
                restored,
            } => StepView::Undo {
                review_id: id.clone(),
                reviewed_at: timestamp(*at),
                undoes: undoes.clone(),
                restored: restored.as_ref().map(StateView::of),
            },
        }
    }
}

/// A float as people write it (2.46, not 2.4599999999999995), unless rounding would hide why
/// a ceiling came out as it did: then every digit.
/// `x` with at most `places` decimals, trailing zeros dropped: for model quantities, where no
/// rounding rule depends on the digits.
pub fn decimals(x: f64, places: usize) -> String {
    let text = format!("{x:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

pub fn number(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded.ceil() != x.ceil() {
        return format!("{x}");
    }
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Debug, Serialize)]
pub struct WhyView {
    pub card: String,
    pub state: Option<StateView>,
    /// The due day an active interview plan gives the card, when it differs from SM-2's.
    pub plan_due: Option<String>,
    /// The day-start hour in force now.
    pub day_start_hour: u8,
    pub steps: Vec<StepView>,
}

impl WhyView {
    pub fn of(
        card: &str,
        state: Option<&CardState>,
        plan_due: Option<StudyDay>,
        day_start_hour: u8,
        steps: &[Step],
        points: &[String],
    ) -> Self {
        WhyView {
            card: card.to_owned(),
            state: state.map(StateView::of),
            plan_due: plan_due
                .filter(|d| state.is_some_and(|s| s.due != *d))
                .map(|d| d.to_string()),
            day_start_hour,
            steps: steps.iter().map(|s| StepView::of(s, points)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_read_naturally_unless_the_digits_matter() {
        assert_eq!(number(2.4599999999999995), "2.46");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(15.0), "15");
        assert_eq!(number(14.000000000000002), "14.000000000000002");
    }
}
