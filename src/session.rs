//! A review session as a pure state machine: which card to show, and what each grade means for
//! the log. The terminal layer asks it what to show and tells it what the user pressed.
//!
//! SM-2 step 7: a card graded below 4 comes back later in the same session until it is graded 4
//! or 5. Only the first answer of the session moves the schedule; the repeats are practice.

use std::collections::VecDeque;

use crate::model::{CardId, Grade, ReviewKind};

/// Why a card is in front of the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The card had never been reviewed.
    New,
    /// The card's due day has come.
    Review,
    /// The card was graded below 4 earlier in this session.
    Repeat,
}

impl Pass {
    /// How an answer in this pass is logged.
    pub fn review_kind(self) -> ReviewKind {
        match self {
            Pass::New | Pass::Review => ReviewKind::Scheduled,
            Pass::Repeat => ReviewKind::Practice,
        }
    }
}

/// Cards still to show, by pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Remaining {
    pub new: usize,
    pub review: usize,
    pub repeat: usize,
}

#[derive(Debug, Clone)]
pub struct Session {
    pending: VecDeque<(CardId, Pass)>,
    answered: usize,
    passed_first_time: usize,
    scheduled: usize,
}

impl Session {
    pub fn new(cards: impl IntoIterator<Item = (CardId, Pass)>) -> Session {
        Session {
            pending: cards.into_iter().collect(),
            answered: 0,
            passed_first_time: 0,
            scheduled: 0,
        }
    }

    /// The card to show now, if any.
    pub fn current(&self) -> Option<(&CardId, Pass)> {
        self.pending.front().map(|(id, pass)| (id, *pass))
    }

    /// Records the grade for the current card and moves on. Returns how it must be logged.
    pub fn grade(&mut self, grade: Grade) -> Option<ReviewKind> {
        let (card, pass) = self.pending.pop_front()?;
        self.answered += 1;
        if pass != Pass::Repeat {
            self.scheduled += 1;
            if grade >= Grade::PASS {
                self.passed_first_time += 1;
            }
        }
        if grade < Grade::GOOD {
            self.pending.push_back((card, Pass::Repeat));
        }
        Some(pass.review_kind())
    }

    /// Sets the current card aside for this session without answering it.
    pub fn skip(&mut self) {
        self.pending.pop_front();
    }

    pub fn remaining(&self) -> Remaining {
        let mut left = Remaining::default();
        for (_, pass) in &self.pending {
            match pass {
                Pass::New => left.new += 1,
                Pass::Review => left.review += 1,
                Pass::Repeat => left.repeat += 1,
            }
        }
        left
    }

    /// Answers given so far, repeats included.
    pub fn answered(&self) -> usize {
        self.answered
    }

    /// Scheduled reviews given so far, and how many of them were graded 3 or more.
    pub fn scheduled(&self) -> (usize, usize) {
        (self.scheduled, self.passed_first_time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> CardId {
        s.parse().unwrap()
    }

    fn g(q: u8) -> Grade {
        Grade::new(q).unwrap()
    }

    #[test]
    fn a_card_below_four_comes_back_as_practice_until_graded_four() {
        let mut s = Session::new([(id("d/a"), Pass::Review), (id("d/b"), Pass::New)]);
        assert_eq!(s.grade(g(3)), Some(ReviewKind::Scheduled)); // a: passes, but below 4
        assert_eq!(s.current(), Some((&id("d/b"), Pass::New)));
        assert_eq!(s.grade(g(5)), Some(ReviewKind::Scheduled));
        assert_eq!(s.current(), Some((&id("d/a"), Pass::Repeat)));
        assert_eq!(s.grade(g(1)), Some(ReviewKind::Practice));
        assert_eq!(s.current(), Some((&id("d/a"), Pass::Repeat)));
        assert_eq!(s.grade(g(4)), Some(ReviewKind::Practice));
        assert_eq!(s.current(), None);
        assert_eq!(s.answered(), 4);
        assert_eq!(s.scheduled(), (2, 2));
    }

    #[test]
    fn remaining_counts_each_pass() {
        let mut s = Session::new([
            (id("d/a"), Pass::Review),
            (id("d/b"), Pass::New),
            (id("d/c"), Pass::New),
        ]);
        s.grade(g(0));
        assert_eq!(
            s.remaining(),
            Remaining {
                new: 2,
                review: 0,
                repeat: 1
            }
        );
        assert_eq!(s.grade(g(5)), Some(ReviewKind::Scheduled));
        s.skip();
        assert_eq!(
            s.remaining(),
            Remaining {
                new: 0,
                review: 0,
                repeat: 1
            }
        );
    }
}
