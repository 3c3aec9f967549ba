//! What commands print, as plain serializable structs. Their JSON field names are the public
//! scripting contract documented in the README: add fields, never rename or remove one.

pub mod mock;
pub mod progress;
pub mod why;

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

pub use progress::{PlanView, PointsView, ReadinessView, StatsView, WhyView};

use crate::model::{Card, CardState, Deck, Event, StudyDay};
use crate::queue::Entry;
use crate::sm2;

/// RFC 3339 with its UTC offset, to the second: `2026-11-23T09:15:00+01:00`.
pub(crate) fn timestamp(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[derive(Debug, Serialize)]
pub struct DeckView {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub source: &'static str,
    /// Whether the deck's cards come up in reviews.
    pub enabled: bool,
    /// Cards in the deck (retired ones not counted).
    pub cards: usize,
    /// Reviewed cards whose due day has come.
    pub due: usize,
    /// Cards never reviewed.
    pub new: usize,
    /// The priority of its new cards: higher comes first, 0 by default.
    pub priority: i32,
}

#[derive(Debug, Serialize)]
pub struct DecksView {
    pub decks: Vec<DeckView>,
}

#[derive(Debug, Serialize)]
pub struct CardView {
    pub id: String,
    pub deck: String,
    pub kind: &'static str,
    pub front: String,
    pub back: String,
    pub tags: Vec<String>,
    /// The key points a good answer reaches, in order; empty for a card graded as a whole.
    pub points: Vec<String>,
    /// Gone from the file its deck was last imported from; kept with its history.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

impl CardView {
    pub fn of(card: &Card) -> Self {
        CardView {
            id: card.id.to_string(),
            deck: card.id.deck().to_owned(),
            kind: card.kind.as_str(),
            front: card.front.clone(),
            back: card.back.clone(),
            tags: card.tags.clone(),
            points: card.points.clone(),
            retired: card.retired,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CardsView {
    pub cards: Vec<CardView>,
}

/// One card of a review queue.
#[derive(Debug, Serialize)]
pub struct DueCardView {
    pub card: String,
    pub deck: String,
    /// `new` or `review`.
    pub state: &'static str,
    pub due: String,
    /// Days past the due day (0 when due today or new).
    pub overdue_days: i64,
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
}

impl DueCardView {
    pub fn of(entry: &Entry<'_>, today: StudyDay) -> Self {
        let card = entry.card();
        let (state, due, repetitions, ease, interval_days) = match entry.state() {
            None => ("new", today, 0, sm2::INITIAL_EASE, 0),
            Some(s) => {
                let due = match entry {
                    Entry::Review(_, _, due) => *due,
                    Entry::New(_) => s.due,
                };
                ("review", due, s.repetitions, s.ease, s.interval_days)
            }
        };
        DueCardView {
            card: card.id.to_string(),
            deck: card.id.deck().to_owned(),
            state,
            due: due.to_string(),
            overdue_days: due.days_until(today).max(0),
            repetitions,
            ease,
            interval_days,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DueView {
    /// The study day the queue is for.
    pub day: String,
    pub count: usize,
    pub new: usize,
    pub review: usize,
    pub cards: Vec<DueCardView>,
}

#[derive(Debug, Serialize)]
pub struct NextCardView {
    #[serde(flatten)]
    pub due: DueCardView,
    pub kind: &'static str,
    pub front: String,
    pub back: String,
    pub tags: Vec<String>,
    /// The key points a good answer reaches, in order; empty for a card graded as a whole.
    pub points: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NextView {
    pub day: String,
    /// The card to review next, or `null` when nothing is due.
    pub card: Option<NextCardView>,
    /// Cards in today's queue, this one included.
    pub remaining: usize,
    /// When nothing is due: the next day a reviewed card falls due, if any.
    pub next_due: Option<String>,
}

/// A recorded answer, as `hone answer` prints it.
#[derive(Debug, Serialize)]
pub struct AnswerView {
    pub card: String,
    pub grade: u8,
    /// `review` (moved the schedule) or `practice`.
    pub kind: &'static str,
    pub reviewed_at: String,
    /// The study day the answer counted for.
    pub day: String,
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
    pub due: String,
    pub review_id: String,
    /// When the key points were checked: the 1-based positions of those covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered: Option<Vec<usize>>,
    /// With `covered`: how many key points the card had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// Under FSRS: the memory state the answer left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f32>,
}

impl AnswerView {
    /// Adds the memory state the answer left (as FSRS schedules, it explains the interval).
    pub fn with_memory(mut self, state: Option<&CardState>) -> Self {
        if let Some(memory) = state.and_then(|s| s.memory) {
            self.stability = Some(memory.stability);
            self.difficulty = Some(memory.difficulty);
        }
        self
    }

    /// The view of an answer; `None` for log entries that are not answers.
    pub fn of(event: &Event, state: Option<&CardState>) -> Option<Self> {
        let graded = event.graded()?;
        let state = event.after().or(state);
        Some(AnswerView {
            card: event.card.to_string(),
            grade: graded.grade.value(),
            kind: kind_name(event),
            reviewed_at: timestamp(event.at),
            day: event.day.to_string(),
            repetitions: state.map_or(0, |s| s.repetitions),
            ease: state.map_or(sm2::INITIAL_EASE, |s| s.ease),
            interval_days: state.map_or(0, |s| s.interval_days),
            due: state.map_or(event.day, |s| s.due).to_string(),
            review_id: event.id.clone(),
            covered: graded.coverage.as_ref().map(|c| c.covered.clone()),
            points: graded.coverage.as_ref().map(|c| c.points.len()),
            stability: None,
            difficulty: None,
        })
    }
}

/// The name a log entry's kind has in JSON and in the log.
pub fn kind_name(event: &Event) -> &'static str {
    use crate::model::Action;
    match event.action {
        Action::Review { .. } => "review",
        Action::Practice { .. } => "practice",
        Action::UndoReview { .. } | Action::UndoPractice { .. } => "undo",
        Action::Suspend { .. } => "suspend",
        Action::Unsuspend => "unsuspend",
        Action::Retract { .. } => "retract",
    }
}

#[derive(Debug, Serialize)]
pub struct StateView {
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
    pub due: String,
    pub reviews: u32,
    pub lapses: u32,
    pub first_reviewed: String,
    pub last_reviewed: String,
    /// The FSRS memory state: days until recall falls to 90%, and difficulty (1 to 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f32>,
    /// The probability of recalling the card today, where the view is of today's state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrievability: Option<f64>,
}

impl StateView {
    /// With the probability of recalling the card on `today`, by `model`.
    pub fn today(s: &CardState, model: &crate::memory::Model, today: StudyDay) -> Self {
        StateView {
            retrievability: s
                .memory
                .map(|_| round4(f64::from(crate::memory::recall_on(model, s, today)))),
            ..StateView::of(s)
        }
    }

    pub fn of(s: &CardState) -> Self {
        StateView {
            repetitions: s.repetitions,
            ease: s.ease,
            interval_days: s.interval_days,
            due: s.due.to_string(),
            reviews: s.reviews,
            lapses: s.lapses,
            first_reviewed: s.first_reviewed.to_string(),
            last_reviewed: s.last_reviewed.to_string(),
            stability: s.memory.map(|m| m.stability),
            difficulty: s.memory.map(|m| m.difficulty),
            retrievability: None,
        }
    }
}

/// A probability to four decimals: what a person or a script can use of it.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[derive(Debug, Serialize)]
pub struct HistoryEntryView {
    pub review_id: String,
    /// `review` or `practice`.
    pub kind: &'static str,
    pub reviewed_at: String,
    pub day: String,
    pub grade: u8,
    /// Whether the answer was taken back with undo.
    pub undone: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// The rough answer typed before revealing, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// The state after the answer; absent for practice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<StateView>,
    /// When the key points were checked: the 1-based positions of those covered, in the
    /// card's points as they were then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered: Option<Vec<usize>>,
    /// With `covered`: how many key points the card had then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// For an answer given in a mock interview: which, and its clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mock: Option<MockAnswerView>,
}

/// A mock interview's part of an answer.
#[derive(Debug, Serialize)]
pub struct MockAnswerView {
    pub id: String,
    /// The question's place in the mock, from 1.
    pub question: u32,
    pub questions: u32,
    /// Its time budget, and the time taken until the answer showed.
    pub seconds: u32,
    pub used_ms: u64,
    pub timed_out: bool,
}

#[derive(Debug, Serialize)]
pub struct ShowView {
    pub card: CardView,
    /// `null` for a card never reviewed.
    pub state: Option<StateView>,
    pub suspended: bool,
    /// Every answer, oldest first.
    pub history: Vec<HistoryEntryView>,
}

impl ShowView {
    /// `state` is today's, with the probability of recalling the card today.
    pub fn of(card: &Card, state: Option<StateView>, suspended: bool, log: &[Event]) -> Self {
        let undone: BTreeSet<&str> = log.iter().filter_map(Event::undoes).collect();
        ShowView {
            card: CardView::of(card),
            state,
            suspended,
            history: log
                .iter()
                .filter_map(|e| {
                    let graded = e.graded()?;
                    Some(HistoryEntryView {
                        review_id: e.id.clone(),
                        kind: kind_name(e),
                        reviewed_at: timestamp(e.at),
                        day: e.day.to_string(),
                        grade: graded.grade.value(),
                        undone: undone.contains(e.id.as_str()),
                        elapsed_ms: graded.elapsed_ms,
                        response: graded.response.clone(),
                        after: e.after().map(StateView::of),
                        covered: graded.coverage.as_ref().map(|c| c.covered.clone()),
                        points: graded.coverage.as_ref().map(|c| c.points.len()),
                        mock: graded.mock.as_ref().map(|m| MockAnswerView {
                            id: m.id.clone(),
                            question: m.question,
                            questions: m.questions,
                            seconds: m.seconds,
                            used_ms: m.used_ms,
                            timed_out: m.timed_out,
                        }),
                    })
                })
                .collect(),
        }
    }
}

/// What `hone suspend`, `hone unsuspend` and `hone undo` print.
#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub card: String,
    /// `suspend`, `unsuspend` or `undo`.
    pub action: &'static str,
    /// For an undo: the id of the answer taken back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undone: Option<String>,
    /// The card's state now (`null` if it is new); for undo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Option<StateView>>,
    pub suspended: bool,
}

/// What `hone` alone prints.
#[derive(Debug, Serialize)]
pub struct StatusView {
    pub day: String,
    pub due: usize,
    pub new: usize,
    pub review: usize,
    pub next_due: Option<String>,
    pub streak: u32,
    pub longest_streak: u32,
    /// The most recent streak, ended or not.
    pub last_streak: u32,
    /// The interview date while a plan is active.
    pub interview: Option<String>,
}

/// How a deck stands, for `hone decks`.
pub struct DeckCounts {
    pub cards: usize,
    pub enabled: bool,
    pub due: usize,
    pub new: usize,
    pub priority: i32,
}

pub fn deck_view(deck: &Deck, counts: DeckCounts) -> DeckView {
    DeckView {
        id: deck.id.to_string(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        source: deck.source.as_str(),
        enabled: counts.enabled,
        cards: counts.cards,
        due: counts.due,
        new: counts.new,
        priority: counts.priority,
    }
}

/// `hone sync --json`.
#[derive(Debug, Serialize)]
pub struct SyncView {
    pub remote: String,
    pub branch: String,
    /// Whether this machine had new reviews (or other changes) to commit.
    pub committed: bool,
    /// Log entries that came in from other machines' logs.
    pub received: usize,
    /// Devices with a review log in the data dir, this one included.
    pub devices: usize,
}

/// `hone merge --json`.
#[derive(Debug, Serialize)]
pub struct MergeView {
    pub source: String,
    /// Log entries saved here.
    pub added: usize,
    /// Log entries of the source that were here already (the same id).
    pub already: usize,
    /// The review logs the new entries went into.
    pub logs: Vec<String>,
}

/// Writes `value` as one line of JSON in which every character a terminal would obey (C1
/// controls and DEL, bidirectional overrides and isolates, direction marks) is a `\uXXXX`
/// escape, besides the C0 controls JSON always escapes: the same JSON value, safe to `cat`.
pub fn write_json<V: Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &V,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, SafeFormatter);
    value.serialize(&mut serializer)
}

struct SafeFormatter;

fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{61c}')
}

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if needs_escape(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// What `hone optimize` prints.
#[derive(Debug, Serialize)]
pub struct OptimizeView {
    /// The reviews of cards seen before the parameters were fitted to.
    pub reviews: usize,
    /// The latest of them, held out of the fit the metrics come from.
    pub held_out: usize,
    /// The fitted FSRS-6 parameters (w0 to w20), now in use.
    pub parameters: Vec<f32>,
    pub metrics: MetricsView,
    /// The scheduler in use: the parameters give its intervals only under `fsrs`.
    pub scheduler: &'static str,
}

#[derive(Debug, Serialize)]
pub struct MetricsView {
    pub sm2: MetricView,
    pub fsrs_default: MetricView,
    pub fsrs_optimized: MetricView,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub log_loss: f64,
    pub rmse: f64,
}

impl MetricView {
    fn of(m: crate::optimize::Metrics) -> Self {
        MetricView {
            log_loss: round4(m.log_loss),
            rmse: round4(m.rmse),
        }
    }
}

impl OptimizeView {
    pub fn of(found: &crate::optimize::Optimized, scheduler: crate::memory::Scheduler) -> Self {
        OptimizeView {
            reviews: found.reviews,
            held_out: found.held_out,
            parameters: found.parameters.clone(),
            metrics: MetricsView {
                sm2: MetricView::of(found.sm2),
                fsrs_default: MetricView::of(found.fsrs_default),
                fsrs_optimized: MetricView::of(found.fsrs_optimized),
            },
            scheduler: scheduler.as_str(),
        }
    }
}
