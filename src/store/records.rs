//! The serde shapes of the files in the data dir, and their conversion to and from domain types.
//! Domain types never derive these formats; a change here is a schema change.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{CardId, CardState, Grade, Review, ReviewKind, StudyDay};
use crate::sm2::MIN_EASE;

/// Version of one review-log line; every line carries it as `v`.
pub const LOG_SCHEMA: u32 = 1;
/// Version of `local/snapshot.json`.
pub const SNAPSHOT_SCHEMA: u32 = 1;
/// Version of `local/device.json`.
pub const DEVICE_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StateRecord {
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
    pub due: NaiveDate,
    pub reviews: u32,
    pub lapses: u32,
    pub first_reviewed: NaiveDate,
    pub last_reviewed: NaiveDate,
}

impl From<&CardState> for StateRecord {
    fn from(s: &CardState) -> Self {
        StateRecord {
            repetitions: s.repetitions,
            ease: s.ease,
            interval_days: s.interval_days,
            due: s.due.date(),
            reviews: s.reviews,
            lapses: s.lapses,
            first_reviewed: s.first_reviewed.date(),
            last_reviewed: s.last_reviewed.date(),
        }
    }
}

impl StateRecord {
    pub fn to_state(self) -> Result<CardState, String> {
        if !self.ease.is_finite() || self.ease < MIN_EASE {
            return Err(format!(
                "ease {} is below the SM-2 minimum {MIN_EASE}",
                self.ease
            ));
        }
        Ok(CardState {
            repetitions: self.repetitions,
            ease: self.ease,
            interval_days: self.interval_days,
            due: StudyDay::from_date(self.due),
            reviews: self.reviews,
            lapses: self.lapses,
            first_reviewed: StudyDay::from_date(self.first_reviewed),
            last_reviewed: StudyDay::from_date(self.last_reviewed),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindRecord {
    Review,
    Practice,
}

/// One line of a review log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    pub v: u32,
    pub id: String,
    pub kind: KindRecord,
    pub card: String,
    pub at: DateTime<FixedOffset>,
    pub day: NaiveDate,
    pub grade: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<StateRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<StateRecord>,
}

/// Just the version of a line or file, read first so that a newer format is reported as such
/// rather than as damage.
#[derive(Deserialize)]
pub struct LineVersion {
    pub v: u32,
}

#[derive(Deserialize)]
pub struct FileVersion {
    pub schema: u32,
}

impl From<&Review> for LogLine {
    fn from(r: &Review) -> Self {
        LogLine {
            v: LOG_SCHEMA,
            id: r.id.clone(),
            kind: match r.kind {
                ReviewKind::Scheduled => KindRecord::Review,
                ReviewKind::Practice => KindRecord::Practice,
            },
            card: r.card.to_string(),
            at: r.at,
            day: r.day.date(),
            grade: r.grade.value(),
            before: r.before.as_ref().map(StateRecord::from),
            after: r.after.as_ref().map(StateRecord::from),
        }
    }
}

impl LogLine {
    pub fn into_review(self) -> Result<Review, String> {
        let card: CardId = self.card.parse()?;
        let grade =
            Grade::new(self.grade).ok_or_else(|| format!("grade {} is not 0-5", self.grade))?;
        let kind = match self.kind {
            KindRecord::Review => ReviewKind::Scheduled,
            KindRecord::Practice => ReviewKind::Practice,
        };
        let after = self.after.map(StateRecord::to_state).transpose()?;
        if kind == ReviewKind::Scheduled && after.is_none() {
            return Err("a review without the card's state after it".to_owned());
        }
        Ok(Review {
            id: self.id,
            kind,
            card,
            at: self.at,
            day: StudyDay::from_date(self.day),
            grade,
            before: self.before.map(StateRecord::to_state).transpose()?,
            after,
        })
    }
}

/// How far into a log the in-memory state (or the snapshot) has read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPosition {
    pub bytes: u64,
    pub lines: u64,
}

/// `local/snapshot.json`: every reviewed card's state, and how much of each log it reflects.
#[derive(Debug, Serialize, Deserialize)]
pub struct SnapshotFile {
    pub schema: u32,
    pub logs: BTreeMap<String, LogPosition>,
    pub cards: BTreeMap<String, StateRecord>,
}

/// `local/device.json`: this machine's id, which names its review log.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeviceFile {
    pub schema: u32,
    pub device: String,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn state(ease: f64) -> CardState {
        let day = StudyDay::from_date(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        CardState {
            repetitions: 3,
            ease,
            interval_days: 17,
            due: day.plus(17),
            reviews: 4,
            lapses: 1,
            first_reviewed: day,
            last_reviewed: day,
        }
    }

    proptest! {
        // The ease decides future intervals through ceil(I * EF): one ulp lost in a round trip
        // through the log could move a due day.
        #[test]
        fn a_log_line_round_trips_exactly(ease in MIN_EASE..10.0f64, grade in 0u8..=5, secs in 0i64..4_000_000_000) {
            let at = DateTime::from_timestamp(secs, 0).unwrap().fixed_offset();
            let review = Review {
                id: "abc".into(),
                kind: ReviewKind::Scheduled,
                card: "api/rest".parse().unwrap(),
                at,
                day: StudyDay::of(at, 4),
                grade: Grade::new(grade).unwrap(),
                before: Some(state(ease)),
                after: Some(state(ease)),
            };
            let text = serde_json::to_string(&LogLine::from(&review)).unwrap();
            let back = serde_json::from_str::<LogLine>(&text).unwrap().into_review().unwrap();
            prop_assert_eq!(back, review);
        }
    }

    #[test]
    fn an_ease_below_the_minimum_is_damage() {
        assert!(StateRecord::from(&state(1.2)).to_state().is_err());
        assert!(StateRecord::from(&state(f64::NAN)).to_state().is_err());
    }
}
