//! A review session as a pure state machine: which card to show, what each key means for the
//! queue, and what an undo takes back. The terminal layer asks it what to show and tells it what
//! the user did; the store has already logged each answer when the session hears of it.
//!
//! SM-2 step 7: a card graded below 4 comes back later in the same session until it is graded 4
//! or 5. Only the first answer of the session moves the schedule; the repeats are practice.

use std::collections::VecDeque;

use crate::model::{CardId, Event, Grade, ReviewKind};

/// Why a card is in front of the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The card had never been reviewed.
    New,
    /// The card's due day has come.
    Review,
    /// The card was graded below 4 earlier in this session.
    Repeat,
    /// Cramming: drilled whether due or not.
    Cram,
}

impl Pass {
    /// How an answer in this pass is logged.
    pub fn review_kind(self) -> ReviewKind {
        match self {
            Pass::New | Pass::Review => ReviewKind::Scheduled,
            Pass::Repeat | Pass::Cram => ReviewKind::Practice,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Pass::New => "new",
            Pass::Review => "review",
            Pass::Repeat => "again",
            Pass::Cram => "cram",
        }
    }
}

/// Cards still to show, by pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Remaining {
    pub new: usize,
    pub review: usize,
    pub repeat: usize,
    pub cram: usize,
}

impl Remaining {
    pub fn total(&self) -> usize {
        self.new + self.review + self.repeat + self.cram
    }
}

/// What the session adds up to so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Answers given, repeats included.
    pub answers: usize,
    /// First answers to a card in this session (not repeats).
    pub first_answers: usize,
    /// First answers graded 3 or more.
    pub first_correct: usize,
    /// Time spent answering, in milliseconds.
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone)]
struct Answered {
    pass: Pass,
    grade: Grade,
    /// Whether the answer sent the card to the back of the queue for a repeat.
    requeued: bool,
    event: Event,
    elapsed_ms: u64,
}

/// A showing still to come.
#[derive(Debug, Clone)]
struct Pending {
    card: CardId,
    pass: Pass,
    /// The answer typed for this showing before an undo took its grade back: it belongs to the
    /// answer that replaces the undone one.
    response: Option<String>,
}

impl Pending {
    fn new(card: CardId, pass: Pass) -> Pending {
        Pending {
            card,
            pass,
            response: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pending: VecDeque<Pending>,
    answered: Vec<Answered>,
}

impl Session {
    pub fn new(cards: impl IntoIterator<Item = (CardId, Pass)>) -> Session {
        Session {
            pending: cards
                .into_iter()
                .map(|(card, pass)| Pending::new(card, pass))
                .collect(),
            answered: Vec::new(),
        }
    }

    /// The card to show now, if any.
    pub fn current(&self) -> Option<(&CardId, Pass)> {
        self.pending.front().map(|p| (&p.card, p.pass))
    }

    /// The answer typed for the current card before an undo, kept for its new answer.
    pub fn kept_response(&self) -> Option<&str> {
        self.pending.front()?.response.as_deref()
    }

    /// Position of the current card (1-based) and the session's size as it stands now.
    pub fn position(&self) -> (usize, usize) {
        (
            self.answered.len() + 1,
            self.answered.len() + self.pending.len(),
        )
    }

    /// The current card was graded and `event` logged for it: move on.
    pub fn answered(&mut self, grade: Grade, event: Event, elapsed_ms: u64) {
        let Some(Pending { card, pass, .. }) = self.pending.pop_front() else {
            return;
        };
        let requeued = grade < Grade::GOOD;
        if requeued {
            self.pending.push_back(Pending::new(card, Pass::Repeat));
        }
        self.answered.push(Answered {
            pass,
            grade,
            requeued,
            event,
            elapsed_ms,
        });
    }

    /// Takes back the last answer: its card is shown again, as it was, and any repeat it caused
    /// is dropped. An answer typed for it is kept for its new answer (`kept_response`).
    /// Returns the logged entry to take back.
    pub fn undo(&mut self) -> Option<Event> {
        let last = self.answered.pop()?;
        if last.requeued {
            self.pending.pop_back();
        }
        self.pending.push_front(Pending {
            card: last.event.card.clone(),
            pass: last.pass,
            response: last.event.graded().and_then(|g| g.response.clone()),
        });
        Some(last.event)
    }

    /// Whether there is an answer to take back.
    pub fn can_undo(&self) -> bool {
        !self.answered.is_empty()
    }

    /// Drops the current card from the session, with any repeats of it. Returns its id.
    pub fn suspend_current(&mut self) -> Option<CardId> {
        let Pending { card, .. } = self.pending.pop_front()?;
        self.pending.retain(|p| p.card != card);
        Some(card)
    }

    /// Drops every pending showing of `card` (after it was suspended as a leech, say).
    pub fn drop_card(&mut self, card: &CardId) {
        self.pending.retain(|p| p.card != *card);
    }

    pub fn remaining(&self) -> Remaining {
        let mut left = Remaining::default();
        for pending in &self.pending {
            match pending.pass {
                Pass::New => left.new += 1,
                Pass::Review => left.review += 1,
                Pass::Repeat => left.repeat += 1,
                Pass::Cram => left.cram += 1,
            }
        }
        left
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            answers: self.answered.len(),
            ..Summary::default()
        };
        for a in &self.answered {
            summary.elapsed_ms += a.elapsed_ms;
            if a.pass != Pass::Repeat {
                summary.first_answers += 1;
                summary.first_correct += usize::from(a.grade >= Grade::PASS);
            }
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{self, Moment};
    use crate::model::Graded;

    fn id(s: &str) -> CardId {
        s.parse().unwrap()
    }

    fn g(q: u8) -> Grade {
        Grade::new(q).unwrap()
    }

    /// Answers the current card as the terminal layer would: log first, then tell the session.
    fn grade(s: &mut Session, q: u8) -> ReviewKind {
        grade_with(s, q, None)
    }

    fn grade_with(s: &mut Session, q: u8, response: Option<&str>) -> ReviewKind {
        let (card, pass) = s.current().map(|(c, p)| (c.clone(), p)).unwrap();
        let when = Moment {
            at: chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z").unwrap(),
            day_start_hour: 4,
            max_interval: crate::sm2::MAX_INTERVAL,
        };
        let graded = Graded {
            grade: g(q),
            elapsed_ms: Some(1000),
            response: response.map(str::to_owned),
            coverage: None,
            mock: None,
        };
        let event = answer::answer(
            &card,
            graded,
            pass.review_kind(),
            None,
            when,
            format!("e{}", s.position().0),
            &crate::memory::Model::default(),
        );
        s.answered(g(q), event, 1000);
        pass.review_kind()
    }

    #[test]
    fn a_card_below_four_comes_back_as_practice_until_graded_four() {
        let mut s = Session::new([(id("d/a"), Pass::Review), (id("d/b"), Pass::New)]);
        assert_eq!(grade(&mut s, 3), ReviewKind::Scheduled); // a: passes, but below 4
        assert_eq!(s.current(), Some((&id("d/b"), Pass::New)));
        assert_eq!(grade(&mut s, 5), ReviewKind::Scheduled);
        assert_eq!(s.current(), Some((&id("d/a"), Pass::Repeat)));
        assert_eq!(grade(&mut s, 1), ReviewKind::Practice);
        assert_eq!(s.current(), Some((&id("d/a"), Pass::Repeat)));
        assert_eq!(grade(&mut s, 4), ReviewKind::Practice);
        assert_eq!(s.current(), None);
        let summary = s.summary();
        assert_eq!(
            (
                summary.answers,
                summary.first_answers,
                summary.first_correct
            ),
            (4, 2, 2)
        );
        assert_eq!(summary.elapsed_ms, 4000);
    }

    #[test]
    fn undo_shows_the_card_again_and_drops_its_repeat() {
        let mut s = Session::new([(id("d/a"), Pass::New), (id("d/b"), Pass::New)]);
        grade(&mut s, 1);
        assert_eq!(
            s.remaining(),
            Remaining {
                new: 1,
                repeat: 1,
                ..Remaining::default()
            }
        );
        let undone = s.undo().unwrap();
        assert_eq!(undone.card, id("d/a"));
        assert_eq!(s.current(), Some((&id("d/a"), Pass::New)));
        assert_eq!(
            s.remaining(),
            Remaining {
                new: 2,
                ..Remaining::default()
            }
        );
        assert_eq!(s.summary(), Summary::default());
        assert!(s.undo().is_none());
    }

    #[test]
    fn an_undone_answers_typed_text_is_kept_for_the_new_answer() {
        let mut s = Session::new([(id("d/a"), Pass::New), (id("d/b"), Pass::New)]);
        assert_eq!(s.kept_response(), None);
        grade_with(&mut s, 5, Some("resources over HTTP"));
        grade(&mut s, 5);
        s.undo();
        assert_eq!(s.kept_response(), None, "d/b had no typed answer");
        s.undo();
        assert_eq!(s.current(), Some((&id("d/a"), Pass::New)));
        assert_eq!(s.kept_response(), Some("resources over HTTP"));
        grade(&mut s, 4);
        assert_eq!(s.current(), Some((&id("d/b"), Pass::New)));
        assert_eq!(
            s.kept_response(),
            None,
            "kept only for the showing it was typed for"
        );
    }

    #[test]
    fn undo_after_undo_walks_back_in_order() {
        let mut s = Session::new([
            (id("d/a"), Pass::New),
            (id("d/b"), Pass::New),
            (id("d/c"), Pass::New),
        ]);
        grade(&mut s, 5);
        grade(&mut s, 0);
        assert_eq!(s.undo().unwrap().card, id("d/b"));
        assert_eq!(s.undo().unwrap().card, id("d/a"));
        let order: Vec<_> = std::iter::from_fn(|| s.suspend_current()).collect();
        assert_eq!(order, [id("d/a"), id("d/b"), id("d/c")]);
    }

    #[test]
    fn suspending_drops_the_card_and_its_repeats() {
        let mut s = Session::new([(id("d/a"), Pass::Review), (id("d/b"), Pass::New)]);
        grade(&mut s, 0); // a will repeat
        assert_eq!(s.suspend_current(), Some(id("d/b")));
        assert_eq!(s.current(), Some((&id("d/a"), Pass::Repeat)));
        assert_eq!(s.suspend_current(), Some(id("d/a")));
        assert_eq!(s.current(), None);
    }

    #[test]
    fn cramming_is_practice_but_counts_first_answers() {
        let mut s = Session::new([(id("d/a"), Pass::Cram)]);
        assert_eq!(grade(&mut s, 2), ReviewKind::Practice);
        assert_eq!(s.current(), Some((&id("d/a"), Pass::Repeat)));
        let summary = s.summary();
        assert_eq!((summary.first_answers, summary.first_correct), (1, 0));
    }
}
