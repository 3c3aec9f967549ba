//! Turning what the learner did into review-log entries: the model's step for scheduled answers,
//! the plain record for practice, the exact inverse for an undo. Pure: the moment and the entry
//! id are arguments.

use chrono::{DateTime, FixedOffset};

use crate::memory::Model;
use crate::model::{Action, CardId, CardState, Event, Graded, ReviewKind, StudyDay};

/// When something happened, which study day that is, and the interval cap in force then: the
/// settings an entry records so that any machine replays it the same way.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    pub at: DateTime<FixedOffset>,
    pub day_start_hour: u8,
    pub max_interval: u32,
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
            stamp: None,
            action,
        }
    }
}

/// Whether an answer on `day` to a card in state `before` moves the schedule. SM-2 schedules a
/// card once a study day: an answer to a card that already had its scheduled review that day is
/// practice (step 7), whichever command or process records it.
pub fn kind_on(day: StudyDay, before: Option<&CardState>, wanted: ReviewKind) -> ReviewKind {
    match before {
        Some(state) if state.last_reviewed == day => ReviewKind::Practice,
        _ => wanted,
    }
}

/// The log entry for an answer, given the card's state before it (`None` if never reviewed).
/// A scheduled answer to a card already reviewed that study day is logged as practice.
pub fn answer(
    card: &CardId,
    graded: Graded,
    kind: ReviewKind,
    before: Option<&CardState>,
    when: Moment,
    id: String,
    model: &Model,
) -> Event {
    let action = match kind_on(when.day(), before, kind) {
        ReviewKind::Scheduled => {
            let after = model.review(before, graded.grade, when.day(), when.max_interval);
            Action::Review {
                answer: graded,
                before: before.copied(),
                after,
                max_interval: when.max_interval,
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

/// The entry that suspends (`true`) or unsuspends a card by the learner's choice.
pub fn suspension(card: &CardId, suspend: bool, when: Moment, id: String) -> Event {
    let action = if suspend {
        Action::Suspend { cause: None }
    } else {
        Action::Unsuspend
    };
    when.event(id, card, action)
}

/// The entry that suspends the card `review` made a leech; taking back the review takes this
/// back too.
pub fn leech_suspension(review: &Event, when: Moment, id: String) -> Event {
    let cause = Some(review.id.clone());
    when.event(id, &review.card, Action::Suspend { cause })
}

/// The entry that retracts `ids`, all entries of `card`.
pub fn retraction(card: &CardId, ids: Vec<String>, when: Moment, id: String) -> Event {
    when.event(id, card, Action::Retract { ids })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Grade;
    use crate::replay::Replay;

    fn when() -> Moment {
        on_day(0)
    }

    /// 09:00 on the `n`th day after 2026-03-02.
    fn on_day(n: i64) -> Moment {
        Moment {
            at: DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap()
                + chrono::Duration::days(n),
            day_start_hour: 4,
            max_interval: crate::sm2::MAX_INTERVAL,
        }
    }

    fn graded(q: u8) -> Graded {
        Graded {
            grade: Grade::new(q).unwrap(),
            elapsed_ms: None,
            response: None,
            coverage: None,
            mock: None,
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
            &Model::default(),
        );
        replay.push(&first).unwrap();
        let before_second = replay.state.clone();
        let second = answer(
            &card,
            graded(1),
            ReviewKind::Scheduled,
            replay.state.cards.get(&card),
            on_day(1),
            "b".into(),
            &Model::default(),
        );
        replay.push(&second).unwrap();
        assert_ne!(replay.state, before_second);
        replay
            .push(&undo(&second, when(), "c".into()).unwrap())
            .unwrap();
        assert_eq!(replay.state.cards, before_second.cards);
        replay
            .push(&undo(&first, when(), "d".into()).unwrap())
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
            .push(&answer(
                &card,
                graded(2),
                ReviewKind::Practice,
                None,
                when(),
                "a".into(),
                &Model::default(),
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
        for (day, q) in [5, 5, 1, 5, 5, 1, 5, 5, 1].into_iter().enumerate() {
            let event = answer(
                &card,
                graded(q),
                ReviewKind::Scheduled,
                replay.state.cards.get(&card),
                on_day(day as i64),
                format!("x{day}"),
                &Model::default(),
            );
            became.push(made_leech(&event, 2));
            replay.push(&event).unwrap();
        }
        assert_eq!(replay.state.cards[&card].lapses, 3);
        assert_eq!(became.iter().filter(|b| **b).count(), 1);
        assert!(became[5], "the second lapse crosses a threshold of 2");
    }

    #[test]
    fn a_second_answer_on_the_same_study_day_is_practice() {
        let card: CardId = "api/rest".parse().unwrap();
        let first = answer(
            &card,
            graded(4),
            ReviewKind::Scheduled,
            None,
            when(),
            "a".into(),
            &Model::default(),
        );
        let state = first.after().copied();
        // Later the same study day (before 04:00 next morning), from any command.
        let mut late = on_day(1);
        late.at -= chrono::Duration::hours(6);
        let again = answer(
            &card,
            graded(4),
            ReviewKind::Scheduled,
            state.as_ref(),
            late,
            "b".into(),
            &Model::default(),
        );
        assert!(matches!(again.action, Action::Practice { .. }), "{again:?}");
        let next_day = answer(
            &card,
            graded(4),
            ReviewKind::Scheduled,
            state.as_ref(),
            on_day(1),
            "c".into(),
            &Model::default(),
        );
        assert!(matches!(next_day.action, Action::Review { .. }));
    }

    #[test]
    fn suspension_comes_and_goes() {
        let card: CardId = "api/rest".parse().unwrap();
        let mut replay = Replay::default();
        replay
            .push(&suspension(&card, true, when(), "a".into()))
            .unwrap();
        assert!(replay.state.suspended.contains(&card));
        replay
            .push(&suspension(&card, false, when(), "b".into()))
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
