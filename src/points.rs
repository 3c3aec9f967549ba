//! Key points: what an answer covered, the grade that coverage proposes, and how a point keeps
//! its identity when its card changes. Pure: no I/O, no clock.
//!
//! A point is known by a short hash of its normalized text (case, punctuation and spacing do
//! not count), so reordering a card's points keeps each one's history, and rewording one starts
//! a new history.

use std::fmt;
use std::str::FromStr;

use crate::deck::parse::normalized_point;
use crate::model::{Grade, stable_hash};

/// A key point's identity: 32 bits of FNV-1a over its normalized text, written as 8 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PointKey(u32);

impl PointKey {
    pub fn of(point: &str) -> PointKey {
        PointKey(stable_hash(normalized_point(point).as_bytes()) as u32)
    }
}

impl fmt::Display for PointKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

impl FromStr for PointKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "'{}' is not a point key (8 hex digits)",
                s.escape_debug()
            ));
        }
        u32::from_str_radix(s, 16)
            .map(PointKey)
            .map_err(|e| e.to_string())
    }
}

/// Which of a card's key points an answer covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The card's points when it was answered, in their order then.
    pub points: Vec<PointKey>,
    /// 1-based positions in `points`, ascending, each once.
    pub covered: Vec<usize>,
}

impl Coverage {
    /// The coverage of `points` by the 1-based positions `covered`, which must each name a
    /// point, once.
    pub fn new(points: &[String], covered: &[usize]) -> Result<Coverage, String> {
        let keys = points.iter().map(|p| PointKey::of(p)).collect();
        Coverage::of_keys(keys, covered)
    }

    /// As [`Coverage::new`], from the points' keys.
    pub fn of_keys(points: Vec<PointKey>, covered: &[usize]) -> Result<Coverage, String> {
        if points.is_empty() {
            return Err("the card has no key points to cover".to_owned());
        }
        let mut sorted = covered.to_vec();
        sorted.sort_unstable();
        if let Some(&bad) = sorted.iter().find(|&&n| n == 0 || n > points.len()) {
            return Err(format!(
                "point {bad} does not exist: the card has points 1 to {}",
                points.len()
            ));
        }
        if let Some(pair) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("point {} is named twice", pair[0]));
        }
        Ok(Coverage {
            points,
            covered: sorted,
        })
    }

    /// Whether the point at 1-based `position` was covered.
    pub fn covers(&self, position: usize) -> bool {
        self.covered.binary_search(&position).is_ok()
    }

    /// The 1-based positions of the points not covered.
    pub fn missed(&self) -> impl Iterator<Item = usize> + '_ {
        (1..=self.points.len()).filter(|p| !self.covers(*p))
    }

    /// The grade this coverage proposes.
    pub fn proposed_grade(&self) -> Grade {
        proposed_grade(self.covered.len(), self.points.len())
    }
}

/// The grade that covering `covered` of `total` key points proposes:
///
/// | covered            | grade |
/// | ------------------ | ----- |
/// | all                | 5     |
/// | at least 3 in 4    | 4     |
/// | at least half      | 3     |
/// | some, under half   | 2     |
/// | none               | 1     |
///
/// Monotone in `covered`: covering more never proposes less. Half the points is the lowest
/// pass (SM-2's 3), as an interviewer who heard half of what they listen for would accept the
/// answer with doubts; none proposes 1, not 0, since the points were familiar once seen.
pub fn proposed_grade(covered: usize, total: usize) -> Grade {
    let value = if total == 0 || covered >= total {
        5
    } else if covered * 4 >= total * 3 {
        4
    } else if covered * 2 >= total {
        3
    } else if covered > 0 {
        2
    } else {
        1
    };
    Grade::new(value).unwrap_or(Grade::PASS)
}

/// The share of a card's key points an answer reached: the points it covered when they were
/// checked, else what its grade stands for in the table of [`proposed_grade`] read backwards
/// (5: all, 4: three in four, 3: half, 2: a quarter, 0 and 1: none).
pub fn answered_share(grade: Grade, coverage: Option<&Coverage>) -> f64 {
    match coverage {
        Some(c) if !c.points.is_empty() => c.covered.len() as f64 / c.points.len() as f64,
        _ => match grade.value() {
            5 => 1.0,
            4 => 0.75,
            3 => 0.5,
            2 => 0.25,
            _ => 0.0,
        },
    }
}

/// Parses `--covered 1,3,4`: 1-based positions separated by commas (spaces allowed); `none`
/// or an empty list for an answer that covered nothing.
pub fn parse_positions(text: &str) -> Result<Vec<usize>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|part| {
            let part = part.trim();
            part.parse::<usize>().map_err(|_| {
                format!(
                    "'{}' is not a point number: write positions like 1,3,4",
                    part.escape_debug()
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_is_the_coverage_or_what_the_grade_stands_for() {
        let g = |q| Grade::new(q).unwrap();
        let shares: Vec<f64> = (0..=5).map(|q| answered_share(g(q), None)).collect();
        assert_eq!(shares, [0.0, 0.0, 0.25, 0.5, 0.75, 1.0]);
        let keys = vec![PointKey(1), PointKey(2), PointKey(3), PointKey(4)];
        let coverage = Coverage::of_keys(keys, &[1, 3, 4]).unwrap();
        assert_eq!(answered_share(g(2), Some(&coverage)), 0.75);
        // Read backwards, a share proposes the grade it stands for.
        for (covered, q) in [(4, 5), (3, 4), (2, 3), (1, 2), (0, 1)] {
            assert_eq!(proposed_grade(covered, 4).value(), q);
        }
    }

    fn grade(covered: usize, total: usize) -> u8 {
        proposed_grade(covered, total).value()
    }

    #[test]
    fn the_mapping_from_coverage_to_grade() {
        assert_eq!(
            (0..=3).map(|k| grade(k, 3)).collect::<Vec<_>>(),
            [1, 2, 3, 5]
        );
        assert_eq!(
            (0..=4).map(|k| grade(k, 4)).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            (0..=5).map(|k| grade(k, 5)).collect::<Vec<_>>(),
            [1, 2, 2, 3, 4, 5]
        );
        assert_eq!((0..=2).map(|k| grade(k, 2)).collect::<Vec<_>>(), [1, 3, 5]);
    }

    #[test]
    fn the_mapping_is_monotone_all_is_five_and_none_at_most_one() {
        for total in 1..=12 {
            let grades: Vec<u8> = (0..=total).map(|k| grade(k, total)).collect();
            assert!(
                grades.windows(2).all(|w| w[0] <= w[1]),
                "{total}: {grades:?}"
            );
            assert_eq!(grades[total], 5);
            assert!(grades[0] <= 1);
        }
    }

    #[test]
    fn positions_parse_and_are_checked_against_the_card() {
        assert_eq!(parse_positions("1,3, 4"), Ok(vec![1, 3, 4]));
        assert_eq!(parse_positions("none"), Ok(vec![]));
        assert_eq!(parse_positions(""), Ok(vec![]));
        assert!(
            parse_positions("1,x")
                .unwrap_err()
                .contains("'x' is not a point number")
        );
        let points = ["a", "b", "c"].map(String::from);
        assert_eq!(Coverage::new(&points, &[3, 1]).unwrap().covered, [1, 3]);
        assert!(
            Coverage::new(&points, &[4])
                .unwrap_err()
                .contains("points 1 to 3")
        );
        assert!(Coverage::new(&points, &[0]).is_err());
        assert!(
            Coverage::new(&points, &[2, 2])
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            Coverage::new(&[], &[])
                .unwrap_err()
                .contains("no key points")
        );
    }

    #[test]
    fn a_point_keeps_its_key_through_case_and_punctuation_not_rewording() {
        let key = PointKey::of("Retries need an idempotency key");
        assert_eq!(key, PointKey::of("retries need an  idempotency key."));
        assert_ne!(key, PointKey::of("retries need a dedupe key"));
        assert_eq!(key.to_string().parse::<PointKey>(), Ok(key));
        assert!("xyz".parse::<PointKey>().is_err());
    }

    /// Keys are in every log: the hash must never change between releases.
    #[test]
    fn point_keys_are_pinned() {
        assert_eq!(
            PointKey::of("resources named by URLs, manipulated with HTTP methods").to_string(),
            "b0325064"
        );
    }

    #[test]
    fn missed_points_are_the_rest() {
        let points = ["a", "b", "c", "d"].map(String::from);
        let coverage = Coverage::new(&points, &[2, 4]).unwrap();
        assert_eq!(coverage.missed().collect::<Vec<_>>(), [1, 3]);
        assert_eq!(coverage.proposed_grade().value(), 3);
    }
}
