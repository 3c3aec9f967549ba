//! Turning one grade into one review-log entry: the SM-2 step for scheduled answers, the plain
//! record for practice. Pure; the moment and the review id are arguments.

use chrono::{DateTime, FixedOffset};

use crate::model::{CardId, CardState, Grade, Review, ReviewKind, StudyDay};
use crate::sm2;

pub struct Answer<'a> {
    pub card: &'a CardId,
    pub grade: Grade,
    pub kind: ReviewKind,
    pub at: DateTime<FixedOffset>,
    pub day_start_hour: u8,
}

/// The log entry for `answer`, given the card's state before it (`None` if never reviewed).
pub fn review(answer: Answer<'_>, before: Option<&CardState>, id: String) -> Review {
    let day = StudyDay::of(answer.at, answer.day_start_hour);
    let (before, after) = match answer.kind {
        ReviewKind::Scheduled => (
            before.copied(),
            Some(sm2::review(before, answer.grade, day)),
        ),
        ReviewKind::Practice => (None, None),
    };
    Review {
        id,
        kind: answer.kind,
        card: answer.card.clone(),
        at: answer.at,
        day,
        grade: answer.grade,
        before,
        after,
    }
}
