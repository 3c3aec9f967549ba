//! Figures computed from the review state and the review log: counts, activity, retention,
//! streaks, the calendar and the forecast, topic readiness, and the explanation of a schedule.
//! Pure: the day, the cards, the state and the log are arguments; nothing here reads a file.

mod explain;
mod points;
mod readiness;
mod streak;

use std::collections::{BTreeMap, BTreeSet};

pub use explain::{IntervalRule, MemoryStep, Step, explain};
pub use points::{PointTally, checked_answers, missed_points};
pub use readiness::{
    Horizon, MockTally, Predicted, Topic, expected_recall, last_shares, predicted_recall, readiness,
};
pub use streak::{Streak, streak};

use crate::model::{Action, Card, CardState, Event, Grade, ReviewState, StudyDay};
use crate::plan;

/// Days the calendar covers, ending today.
pub const CALENDAR_DAYS: u32 = 365;
/// Days the forecast covers, starting today.
pub const FORECAST_DAYS: u32 = 30;
/// An interval from which a card counts as mature, as in Anki.
pub const MATURE_DAYS: u32 = 21;

/// Where a card stands. Suspended cards count only as suspended; a leech is also counted in its
/// own state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStage {
    New,
    /// Reviewed, but fewer than two successes in a row (n < 2).
    Learning,
    /// n >= 2 and an interval under 21 days.
    Young,
    Mature,
    Suspended,
}

pub fn stage(state: Option<&CardState>, suspended: bool) -> CardStage {
    match state {
        _ if suspended => CardStage::Suspended,
        None => CardStage::New,
        Some(s) if s.repetitions < crate::sm2::LEARNED_REPETITIONS => CardStage::Learning,
        Some(s) if s.interval_days < MATURE_DAYS => CardStage::Young,
        Some(_) => CardStage::Mature,
    }
}

/// Whether a card with this state is a leech.
pub fn is_leech(state: Option<&CardState>, threshold: u32) -> bool {
    state.is_some_and(|s| s.lapses >= threshold)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardCounts {
    pub total: usize,
    pub new: usize,
    pub learning: usize,
    pub young: usize,
    pub mature: usize,
    pub suspended: usize,
    pub leeches: usize,
}

/// Answers in a span of days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Scheduled reviews (first sight of new cards included).
    pub reviews: u32,
    /// Practice answers: same-session repeats and cramming.
    pub practice: u32,
    /// Time spent answering, where it was measured.
    pub time_ms: u64,
}

impl Tally {
    fn add(&mut self, event: &Event) {
        let Some(graded) = event.graded() else { return };
        match event.action {
            Action::Review { .. } => self.reviews += 1,
            _ => self.practice += 1,
        }
        self.time_ms += graded.elapsed_ms.unwrap_or(0);
    }

    pub fn answers(&self) -> u32 {
        self.reviews + self.practice
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    pub today: Tally,
    pub last_7_days: Tally,
    pub last_30_days: Tally,
    pub all_time: Tally,
}

/// Scheduled reviews of cards seen before, and how many were graded 3 or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recall {
    pub reviews: u32,
    pub passed: u32,
}

impl Recall {
    /// The share passed, if there was anything to pass.
    pub fn rate(&self) -> Option<f64> {
        (self.reviews > 0).then(|| f64::from(self.passed) / f64::from(self.reviews))
    }

    fn add(&mut self, grade: Grade) {
        self.reviews += 1;
        self.passed += u32::from(grade >= Grade::PASS);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub day: StudyDay,
    pub cards: CardCounts,
    pub activity: Activity,
    /// True retention over the whole log.
    pub retention: Recall,
    /// True retention per study day, for the last 30 days that had reviews.
    pub retention_by_day: Vec<(StudyDay, Recall)>,
    pub streak: Streak,
    /// Answers per day for the last `CALENDAR_DAYS` days, oldest first.
    pub calendar: Vec<(StudyDay, u32)>,
    /// The next `FORECAST_DAYS` days, from the simulation behind `hone plan`
    /// (`plan::simulate`): each day's reviews (today's overdue ones included) and new cards.
    pub forecast: Vec<plan::DayLoad>,
}

/// The answers in `log` that were not taken back, for cards in `cards`.
pub fn kept_answers<'a>(
    log: &'a [Event],
    cards: &'a rustc_hash::FxHashSet<&'a crate::model::CardId>,
) -> impl Iterator<Item = &'a Event> + 'a {
    let undone: BTreeSet<&str> = log.iter().filter_map(Event::undoes).collect();
    log.iter().filter(move |e| {
        e.graded().is_some() && !undone.contains(e.id.as_str()) && cards.contains(&e.card)
    })
}

/// The grade of a scheduled review of a card seen before: what true retention counts.
pub fn retention_grade(event: &Event) -> Option<Grade> {
    match &event.action {
        Action::Review {
            answer,
            before: Some(_),
            ..
        } => Some(answer.grade),
        _ => None,
    }
}

pub fn stats(
    cards: &[&Card],
    state: &ReviewState,
    log: &[Event],
    today: StudyDay,
    leech_threshold: u32,
    pace: &plan::Pace<'_>,
    new_done_today: usize,
) -> Stats {
    let mut counts = CardCounts {
        total: cards.len(),
        ..CardCounts::default()
    };
    let mut seen = Vec::new();
    for card in cards {
        let card_state = state.cards.get(&card.id);
        let suspended = state.suspended.contains(&card.id);
        match stage(card_state, suspended) {
            CardStage::New => counts.new += 1,
            CardStage::Learning => counts.learning += 1,
            CardStage::Young => counts.young += 1,
            CardStage::Mature => counts.mature += 1,
            CardStage::Suspended => counts.suspended += 1,
        }
        counts.leeches += usize::from(is_leech(card_state, leech_threshold));
        if !suspended {
            seen.push(plan::SimCard {
                key: card.id.stable_hash(),
                state: card_state.copied(),
                share: 0.0,
            });
        }
    }
    let forecast = plan::simulate(pace, today, FORECAST_DAYS, seen, new_done_today).loads;

    let ids: rustc_hash::FxHashSet<&crate::model::CardId> = cards.iter().map(|c| &c.id).collect();
    let mut activity = Activity::default();
    let mut retention = Recall::default();
    let mut by_day: BTreeMap<StudyDay, Recall> = BTreeMap::new();
    let mut per_day: BTreeMap<StudyDay, u32> = BTreeMap::new();
    // A day with an answer counts for the streak even if the answer was undone: it was studied.
    let active_days: BTreeSet<StudyDay> = log
        .iter()
        .filter(|e| e.graded().is_some() && ids.contains(&e.card))
        .map(|e| e.day)
        .collect();
    for event in kept_answers(log, &ids) {
        let age = event.day.days_until(today);
        activity.all_time.add(event);
        if age == 0 {
            activity.today.add(event);
        }
        if (0..7).contains(&age) {
            activity.last_7_days.add(event);
        }
        if (0..30).contains(&age) {
            activity.last_30_days.add(event);
        }
        if let Some(grade) = retention_grade(event) {
            retention.add(grade);
            if (0..30).contains(&age) {
                by_day.entry(event.day).or_default().add(grade);
            }
        }
        *per_day.entry(event.day).or_default() += 1;
    }
    let first = today.minus(CALENDAR_DAYS - 1);
    let calendar = (0..CALENDAR_DAYS)
        .map(|d| first.plus(d))
        .map(|d| (d, per_day.get(&d).copied().unwrap_or(0)))
        .collect();
    Stats {
        day: today,
        cards: counts,
        activity,
        retention,
        retention_by_day: by_day.into_iter().collect(),
        streak: streak(&active_days, today),
        calendar,
        forecast,
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
