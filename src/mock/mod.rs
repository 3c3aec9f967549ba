//! Mock interviews: a timed session of questions across topics, weighted towards weakness, and
//! the scorecard it adds up to. Pure: the cards, the review state, the log, the moment and the
//! seed are arguments; nothing here reads a file, the clock or an unseeded RNG.
//!
//! A mock leaves no file of its own: each answer is a practice entry of the review log carrying
//! a [`MockAnswer`], so sync, merge, restore and undo treat it as any other answer, and a mock's
//! history is those entries grouped by the mock's id.

use chrono::{DateTime, FixedOffset};

/// What a practice answer records of the mock it was given in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockAnswer {
    /// The mock's id, the same for all its answers.
    pub id: String,
    /// When the mock began.
    pub started: DateTime<FixedOffset>,
    /// The mock's length, in minutes.
    pub minutes: u32,
    /// This question's place in the mock, from 1.
    pub question: u32,
    /// How many questions the mock planned.
    pub questions: u32,
    /// This question's time budget, in seconds.
    pub seconds: u32,
    /// Time from showing the question to revealing the answer.
    pub used_ms: u64,
    /// The time ran out before the answer was revealed.
    pub timed_out: bool,
}

impl MockAnswer {
    /// Why this is not a mock answer a log may hold, if it is not.
    pub fn problem(&self) -> Option<String> {
        if self.id.is_empty() || self.id.chars().count() > MAX_ID {
            return Some(format!("a mock id must be 1 to {MAX_ID} characters"));
        }
        if self.question == 0 || self.question > self.questions {
            return Some(format!(
                "question {} of a mock of {} questions",
                self.question, self.questions
            ));
        }
        None
    }
}

/// The longest mock id accepted (hone's own are 16 hex digits; a script may choose its own).
pub const MAX_ID: usize = 64;

mod score;
mod select;

pub use score::{
    Answered, MissedPoint, MockSummary, Scorecard, TopicScore, coverage_of, history, scorecard,
};
pub use select::{
    Candidate, DEFAULT_MINUTES, DEFINITION_SECONDS, DESIGN_SECONDS, DESIGN_TAG, Kind, MockPlan,
    OTHERS_WITH_DESIGN, PlanError, Planned, Pool, QUESTION_SECONDS, Request, Weakness, candidates,
    clock, plan, weight,
};
