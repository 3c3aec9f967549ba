//! Turning what the learner did into review-log entries: the SM-2 step for scheduled answers,
//! the plain record for practice, the exact inverse for an undo. Pure: the moment and the entry
//! id are arguments.

use chrono::{DateTime, FixedOffset};

use crate::model::{Action, CardId, CardState, Event, Graded, ReviewKind, StudyDay};
use crate::sm2;

/// When something happened, and which study day that is.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    pub at: DateTime<FixedOffset>,
    pub day_start_hour: u8,
}

impl Moment {
    pub fn day(self) -> StudyDay {
        StudyDay::of(self.at, self.day_start_hour)
    }

    fn event(self, id: String, card: &CardId, action: Action) -> Event {
        Event {
            id,
            card: card.clone(),
            at: self.at,
            day: self.day(),
            day_start_hour: Some(self.day_start_hour),
            action,
        }
    }
}

/// The log entry for an answer, given the card's state before it (`None` if never reviewed).
pub fn answer(
    card: &CardId,
    graded: Graded,
    kind: ReviewKind,
    before: Option<&CardState>,
    when: Moment,
    id: String,
) -> Event {
    let action = match kind {
        ReviewKind::Scheduled => {
            let after = sm2::review(before, graded.grade, when.day());
            Action::Review {
                answer: graded,
                before: before.copied(),
                after,
            }
        }
        ReviewKind::Practice => Action::Practice { answer: graded },
    };
    when.event(id, card, action)
}

/// The entry that takes back `answered`, or `None` if it is not an answer.
pub fn undo(answered: &Event, when: Moment, id: String) -> Option<Event> {
    let action = match &answered.action {
        Action::Review { before, .. } => Action::UndoReview {
            undoes: answered.id.clone(),
            restored: *before,
        },
        Action::Practice { .. } => Action::UndoPractice {
            undoes: answered.id.clone(),
        },
        _ => return None,
    };
    Some(when.event(id, &answered.card, action))
}

/// Whether `review` made its card a leech: its lapses reached `threshold` with this review.
pub fn made_leech(review: &Event, threshold: u32) -> bool {
    match &review.action {
        Action::Review { before, after, .. } => {
            before.map_or(0, |b| b.lapses) < threshold && after.lapses >= threshold
        }
        _ => false,
    }
}

/// The entry that suspends (`true`) or unsuspends a card.
pub fn suspension(card: &CardId, suspend: bool, when: Moment, id: String) -> Event {
    when.event(
        id,
        card,
        if suspend {
            Action::Suspend
        } else {
            Action::Unsuspend
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Grade;
    use crate::replay::Replay;

    fn when() -> Moment {
        Moment {
            at: DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap(),
            day_start_hour: 4,
        }
    }

    fn graded(q: u8) -> Graded {
        Graded {
            grade: Grade::new(q).unwrap(),
            elapsed_ms: None,
            response: None,
        }
    }

    #[test]
    fn undoing_a_review_restores_the_state_exactly() {
        let card: CardId = "api/rest".parse().unwrap();
        let mut replay = Replay::default();
        let first = answer(
            &card,
            graded(5),
            ReviewKind::Scheduled,
            None,
            when(),
            "a".into(),
        );
        replay.apply(&first).unwrap();
        let before_second = replay.state.clone();
        let second = answer(
            &card,
            graded(1),
            ReviewKind::Scheduled,
            replay.state.cards.get(&card),
            when(),
            "b".into(),
        );
        replay.apply(&second).unwrap();
        assert_ne!(replay.state, before_second);
        replay
            .apply(&undo(&second, when(), "c".into()).unwrap())
            .unwrap();
        assert_eq!(replay.state, before_second);
        replay
            .apply(&undo(&first, when(), "d".into()).unwrap())
            .unwrap();
        assert!(
            replay.state.cards.is_empty(),
            "undoing the first review makes the card new again"
        );
    }

    #[test]
    fn practice_leaves_the_schedule_alone() {
        let card: CardId = "api/rest".parse().unwrap();
        let mut replay = Replay::default();
        replay
            .apply(&answer(
                &card,
                graded(2),
                ReviewKind::Practice,
                None,
                when(),
                "a".into(),
            ))
            .unwrap();
        assert!(replay.state.cards.is_empty());
        assert_eq!(
            replay.state.active_days.len(),
            1,
            "practice still counts as a day of study"
        );
    }

    #[test]
    fn a_card_becomes_a_leech_once_when_its_lapses_reach_the_threshold() {
        let card: CardId = "api/rest".parse().unwrap();
        let mut replay = Replay::default();
        let mut became = Vec::new();
        // Learn it (two successes), then fail it: a lapse each time it had been learned again.
        for q in [5, 5, 1, 5, 5, 1, 5, 5, 1] {
            let event = answer(
                &card,
                graded(q),
                ReviewKind::Scheduled,
                replay.state.cards.get(&card),
                when(),
                "x".into(),
            );
            became.push(made_leech(&event, 2));
            replay.apply(&event).unwrap();
        }
        assert_eq!(replay.state.cards[&card].lapses, 3);
        assert_eq!(became.iter().filter(|b| **b).count(), 1);
        assert!(became[5], "the second lapse crosses a threshold of 2");
    }

    #[test]
    fn suspension_comes_and_goes() {
        let card: CardId = "api/rest".parse().unwrap();
        let mut replay = Replay::default();
        replay
            .apply(&suspension(&card, true, when(), "a".into()))
            .unwrap();
        assert!(replay.state.suspended.contains(&card));
        replay
            .apply(&suspension(&card, false, when(), "b".into()))
            .unwrap();
        assert!(replay.state.suspended.is_empty());
        assert!(
            undo(
                &suspension(&card, true, when(), "c".into()),
                when(),
                "d".into()
            )
            .is_none()
        );
    }
}
