//! The views of `hone stats`, `hone readiness`, `hone plan` and `hone why`: part of the
//! documented JSON contract, like every view.

use serde::Serialize;

use super::{StateView, timestamp};
use std::collections::BTreeMap;

use crate::model::{CardState, StudyDay};
use crate::plan::{DayLoad, Plan};
use crate::points::{Coverage, PointKey};
use crate::stats::{Activity, IntervalRule, PointTally, Recall, Stats, Step, Tally, Topic};

#[derive(Debug, Serialize)]
pub struct CardCountsView {
    pub total: usize,
    pub new: usize,
    pub learning: usize,
    pub young: usize,
    pub mature: usize,
    pub suspended: usize,
    pub leeches: usize,
}

/// One figure over the usual spans of days.
#[derive(Debug, Serialize)]
pub struct SpansView<T> {
    pub today: T,
    pub last_7_days: T,
    pub last_30_days: T,
    pub all_time: T,
}

impl<T> SpansView<T> {
    fn of(activity: &Activity, figure: impl Fn(&Tally) -> T) -> Self {
        SpansView {
            today: figure(&activity.today),
            last_7_days: figure(&activity.last_7_days),
            last_30_days: figure(&activity.last_30_days),
            all_time: figure(&activity.all_time),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RecallView {
    pub reviews: u32,
    pub passed: u32,
    /// `passed / reviews`, or `null` with no reviews.
    pub rate: Option<f64>,
}

impl RecallView {
    fn of(recall: Recall) -> Self {
        RecallView {
            reviews: recall.reviews,
            passed: recall.passed,
            rate: recall.rate(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DayRecallView {
    pub day: String,
    #[serde(flatten)]
    pub recall: RecallView,
}

#[derive(Debug, Serialize)]
pub struct RetentionView {
    #[serde(flatten)]
    pub overall: RecallView,
    /// The last 30 days that had reviews.
    pub by_day: Vec<DayRecallView>,
}

#[derive(Debug, Serialize)]
pub struct StreakView {
    pub current: u32,
    pub longest: u32,
}

#[derive(Debug, Serialize)]
pub struct DayCountView {
    pub day: String,
    pub count: u32,
}

#[derive(Debug, Serialize)]
pub struct StatsView {
    pub day: String,
    pub deck: Option<String>,
    pub cards: CardCountsView,
    /// Scheduled reviews (first sight of new cards included).
    pub reviews: SpansView<u32>,
    /// Same-session repeats and cramming.
    pub practice: SpansView<u32>,
    pub time_spent_seconds: SpansView<u64>,
    /// True retention: scheduled reviews of cards seen before, graded 3 or more.
    pub retention: RetentionView,
    pub streak: StreakView,
    /// Answers per day over the last year, oldest first.
    pub calendar: Vec<DayCountView>,
    /// The next 30 days if every card due is answered on its day as the memory model expects
    /// (grade 4 when it expects recall, else 1) and new cards
    /// come at the daily limit (the plan's, while one is active): `count` reviews (the first
    /// day's include overdue cards) and `new` cards. The same simulation as `hone plan`'s.
    pub forecast: Vec<ForecastDayView>,
}

#[derive(Debug, Serialize)]
pub struct ForecastDayView {
    pub day: String,
    /// Reviews that day.
    pub count: usize,
    /// New cards that day.
    pub new: usize,
}

impl StatsView {
    pub fn of(stats: &Stats, deck: Option<String>) -> Self {
        let c = stats.cards;
        let day_counts = |days: &[(StudyDay, u32)]| {
            days.iter()
                .map(|(day, count)| DayCountView {
                    day: day.to_string(),
                    count: *count,
                })
                .collect()
        };
        StatsView {
            day: stats.day.to_string(),
            deck,
            cards: CardCountsView {
                total: c.total,
                new: c.new,
                learning: c.learning,
                young: c.young,
                mature: c.mature,
                suspended: c.suspended,
                leeches: c.leeches,
            },
            reviews: SpansView::of(&stats.activity, |t| t.reviews),
            practice: SpansView::of(&stats.activity, |t| t.practice),
            time_spent_seconds: SpansView::of(&stats.activity, |t| t.time_ms / 1000),
            retention: RetentionView {
                overall: RecallView::of(stats.retention),
                by_day: stats
                    .retention_by_day
                    .iter()
                    .map(|(day, recall)| DayRecallView {
                        day: day.to_string(),
                        recall: RecallView::of(*recall),
                    })
                    .collect(),
            },
            streak: StreakView {
                current: stats.streak.current,
                longest: stats.streak.longest,
            },
            calendar: day_counts(&stats.calendar),
            forecast: stats
                .forecast
                .iter()
                .map(|d| ForecastDayView {
                    day: d.day.to_string(),
                    count: d.reviews,
                    new: d.new,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TopicView {
    pub tag: String,
    pub cards: usize,
    pub seen: usize,
    /// Cards recalled at least twice in a row, leeches excepted.
    pub solid: usize,
    /// `solid / cards`, 0 to 1.
    pub readiness: f64,
    /// The expected share of the topic's key points recalled today, 0 to 1: the order of the
    /// list.
    pub expected_recall: f64,
    /// The same on the interview day if nothing more is studied; only with an interview plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_recall_on_interview: Option<f64>,
    /// The cards whose review today would raise expected recall (on the interview day, with
    /// a plan) the most, most first.
    pub raise_most: Vec<String>,
    pub retention: RecallView,
    pub average_ease: Option<f64>,
    pub lapses: u32,
    pub leeches: usize,
    /// The cards to drill next, weakest first.
    pub weakest: Vec<String>,
}

/// What `hone points` prints.
#[derive(Debug, Serialize)]
pub struct PointsView {
    /// The points missed at least once, most missed first, at most `--limit` of them.
    pub points: Vec<PointView>,
    /// How many points were missed at least once, listed or not.
    pub total: usize,
    /// Answers whose key points were checked.
    pub checked_answers: usize,
}

#[derive(Debug, Serialize)]
pub struct PointView {
    pub card: String,
    pub point: String,
    /// 1-based, in the card's points now.
    pub position: usize,
    /// Answers that left the point out.
    pub missed: u32,
    /// Answers that checked the point.
    pub reviews: u32,
}

impl PointsView {
    pub fn of(missed: &[PointTally], checked_answers: usize, limit: usize) -> Self {
        let shown = if limit == 0 { missed.len() } else { limit };
        PointsView {
            points: missed
                .iter()
                .take(shown)
                .map(|t| PointView {
                    card: t.card.to_string(),
                    point: t.point.to_owned(),
                    position: t.position,
                    missed: t.missed,
                    reviews: t.reviews,
                })
                .collect(),
            total: missed.len(),
            checked_answers,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ReadinessView {
    pub day: String,
    /// The interview day of an active plan, else `null`.
    pub interview: Option<String>,
    /// Least ready first.
    pub topics: Vec<TopicView>,
}

impl ReadinessView {
    pub fn of(day: StudyDay, interview: Option<StudyDay>, topics: &[Topic]) -> Self {
        ReadinessView {
            day: day.to_string(),
            interview: interview.map(|d| d.to_string()),
            topics: topics
                .iter()
                .map(|t| TopicView {
                    tag: t.tag.clone(),
                    cards: t.cards,
                    seen: t.seen,
                    solid: t.solid,
                    readiness: t.readiness,
                    expected_recall: crate::views::round4(t.expected_recall),
                    expected_recall_on_interview: t
                        .expected_recall_on_interview
                        .map(crate::views::round4),
                    raise_most: t.raise_most.iter().map(ToString::to_string).collect(),
                    retention: RecallView::of(t.recall),
                    average_ease: t.average_ease,
                    lapses: t.lapses,
                    leeches: t.leeches,
                    weakest: t.weakest.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DayLoadView {
    pub day: String,
    pub new: usize,
    pub reviews: usize,
    /// At the learner's own pace: the mean time per answer so far (30 s when unknown).
    pub minutes: u64,
}

#[derive(Debug, Serialize)]
pub struct PlanView {
    pub day: String,
    /// The scheduler that gives intervals: `sm2` or `fsrs`.
    pub scheduler: &'static str,
    /// The interview date, or `null` when no plan is set.
    pub interview: Option<String>,
    /// Whether the plan shapes today's schedule (it stops on the interview day).
    pub active: bool,
    pub days_left: Option<i64>,
    /// The last day new cards are introduced.
    pub last_new_day: Option<String>,
    /// The first of the last days, in which every card seen comes up again.
    pub window_start: Option<String>,
    pub new_cards_left: usize,
    /// Today's limits; `null` reviews per day means no limit.
    pub new_per_day: u32,
    pub reviews_per_day: Option<u32>,
    pub seconds_per_answer: u64,
    /// The workload until the interview, if every card shown is answered as the memory model
    /// expects (grade 4 when it expects recall, else 1).
    pub days: Vec<DayLoadView>,
    /// The expected recall on the interview day if the plan is followed; `null` without a plan.
    pub predicted: Option<PredictedView>,
}

#[derive(Debug, Serialize)]
pub struct PredictedView {
    pub interview: String,
    /// Over every card (suspended ones aside), 0 to 1.
    pub expected_recall: f64,
    /// Per topic (a card's first tag), least first.
    pub topics: Vec<PredictedTopicView>,
}

#[derive(Debug, Serialize)]
pub struct PredictedTopicView {
    pub tag: String,
    pub cards: usize,
    pub expected_recall: f64,
}

impl PredictedView {
    pub fn of(p: &crate::stats::Predicted) -> Self {
        PredictedView {
            interview: p.interview.to_string(),
            expected_recall: crate::views::round4(p.expected_recall),
            topics: p
                .topics
                .iter()
                .map(|(tag, cards, recall)| PredictedTopicView {
                    tag: tag.clone(),
                    cards: *cards,
                    expected_recall: crate::views::round4(*recall),
                })
                .collect(),
        }
    }
}

impl PlanView {
    pub fn of(
        today: StudyDay,
        plan: Option<&Plan>,
        new_cards_left: usize,
        limits: crate::plan::Limits,
        seconds_per_answer: u64,
        days: &[DayLoad],
    ) -> Self {
        PlanView {
            day: today.to_string(),
            scheduler: crate::memory::Scheduler::Sm2.as_str(),
            interview: plan.map(|p| p.interview.to_string()),
            active: plan.is_some_and(|p| p.active(today)),
            days_left: plan.map(|p| today.days_until(p.interview)),
            last_new_day: plan.map(|p| p.last_new_day().to_string()),
            window_start: plan.map(|p| p.window_start().to_string()),
            new_cards_left,
            new_per_day: limits.new_per_day,
            reviews_per_day: (limits.reviews_per_day != u32::MAX).then_some(limits.reviews_per_day),
            seconds_per_answer,
            days: days
                .iter()
                .map(|d| DayLoadView {
                    day: d.day.to_string(),
                    new: d.new,
                    reviews: d.reviews,
                    minutes: ((d.new + d.reviews) as u64 * seconds_per_answer).div_ceil(60),
                })
                .collect(),
            predicted: None,
        }
    }

    /// With the scheduler that gives intervals and the recall predicted for the interview.
    pub fn with(
        mut self,
        scheduler: crate::memory::Scheduler,
        predicted: Option<&crate::stats::Predicted>,
    ) -> Self {
        self.scheduler = scheduler.as_str();
        self.predicted = predicted.map(PredictedView::of);
        self
    }
}

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
