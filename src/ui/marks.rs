//! The key points marked on an answer's screen, and the grade keys: shared by the review
//! and the mock screens.

use dialoguer::console::Key;

use crate::model::Grade;
use crate::points::{self, Coverage};
use crate::render::review::Checklist;

/// The key points marked so far on the answer's screen, and the point under the cursor.
pub(super) struct Marks {
    pub(super) covered: Vec<bool>,
    cursor: usize,
    /// A point was marked or Enter pressed: the marks say what the answer covered. A grade
    /// typed before that records no coverage, since nothing was checked.
    pub(super) checked: bool,
}

impl Marks {
    pub(super) fn new(points: usize) -> Marks {
        Marks {
            covered: vec![false; points],
            cursor: 0,
            checked: false,
        }
    }

    pub(super) fn checklist<'a>(&'a self, points: &'a [String]) -> Option<Checklist<'a>> {
        (!points.is_empty()).then_some(Checklist {
            points,
            covered: &self.covered,
            cursor: self.cursor,
        })
    }

    /// The grade the marks propose; `None` for a card without key points.
    pub(super) fn proposed(&self) -> Option<Grade> {
        let covered = self.covered.iter().filter(|c| **c).count();
        (!self.covered.is_empty()).then(|| points::proposed_grade(covered, self.covered.len()))
    }

    pub(super) fn up(&mut self) -> bool {
        self.cursor = self.cursor.saturating_sub(1);
        true
    }

    pub(super) fn down(&mut self) -> bool {
        self.cursor = (self.cursor + 1).min(self.covered.len().saturating_sub(1));
        true
    }

    /// Marks the point under the cursor covered, or not, and moves on to the next.
    pub(super) fn toggle(&mut self) -> bool {
        if let Some(mark) = self.covered.get_mut(self.cursor) {
            *mark = !*mark;
            self.checked = true;
        }
        self.down()
    }

    /// What the answer covered, when the points were checked.
    pub(super) fn coverage(&self, points: &[String]) -> Option<Coverage> {
        if !self.checked && self.covered.iter().all(|c| !c) {
            return None;
        }
        let positions: Vec<usize> = (1..=self.covered.len())
            .filter(|p| self.covered[p - 1])
            .collect();
        Coverage::new(points, &positions).ok()
    }
}

/// The grade a key stands for: 0-5, or Anki's again/hard/good/easy.
pub(super) fn grade_of(key: &Key) -> Option<Grade> {
    let value = match key {
        Key::Char(c @ '0'..='5') => c.to_digit(10)? as u8,
        Key::Char('a') => 1,
        Key::Char('h') => 3,
        Key::Char('g') => 4,
        Key::Char('e') => 5,
        _ => return None,
    };
    Grade::new(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_grades() {
        let grade = |c| grade_of(&Key::Char(c)).map(Grade::value);
        assert_eq!(
            [grade('0'), grade('5'), grade('6')],
            [Some(0), Some(5), None]
        );
        assert_eq!(
            [grade('a'), grade('h'), grade('g'), grade('e')],
            [Some(1), Some(3), Some(4), Some(5)]
        );
        assert_eq!(grade('x'), None);
    }
}
