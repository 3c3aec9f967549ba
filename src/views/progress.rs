//! The views of `hone stats`, `hone readiness`, `hone plan` and `hone why`: part of the
//! documented JSON contract, like every view.

use serde::Serialize;

pub use super::why::{CoverageView, MemoryStepView, StepView, WhyView, decimals, number};

use crate::model::StudyDay;
use crate::plan::{DayLoad, Plan};
use crate::stats::{Activity, PointTally, Recall, Stats, Tally, Topic};

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
    /// The key points covered in the latest mock answer to each of the topic's cards.
    pub mock: MockTopicView,
    /// The cards to drill next, weakest first.
    pub weakest: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MockTopicView {
    /// Cards answered in a mock.
    pub cards: usize,
    pub covered: usize,
    pub points: usize,
    /// `covered / points`, 0 to 1; `null` before any mock answer.
    pub score: Option<f64>,
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
                    mock: MockTopicView {
                        cards: t.mock.cards,
                        covered: t.mock.covered,
                        points: t.mock.points,
                        score: t.mock.score(),
                    },
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
