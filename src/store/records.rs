//! The serde shapes of the files in the data dir, and their conversion to and from domain types.
//! Domain types never derive these formats; a change here is a schema change.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::mock::MockAnswer;
use crate::model::{Action, CardId, CardState, Event, Grade, Graded, Stamp, StudyDay};
use crate::points::{Coverage, PointKey};
use crate::sm2::{self, MIN_EASE};

/// Version of one review-log line; every line carries it as `v`. Version 2 adds the stamp
/// (`hlc`), the interval cap of a review, the cause of an automatic suspension and
/// retractions; version 1 lines stay valid and take their place in the order from their moment.
pub const LOG_SCHEMA: u32 = 2;
/// Version of `local/snapshot.json`. Older ones are outdated caches, rebuilt from the logs: 2 kept
/// cards in rows, 3 replays the logs of every device in one order (`replay`), 4 orders them by
/// stamp, schedules a card once a study day and records a fingerprint of each log's tail; 5 adds
/// each card's memory state and the fingerprint of the model it was folded with.
pub const SNAPSHOT_SCHEMA: u32 = 5;
/// Version of `local/device.json`.
pub const DEVICE_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StateRecord {
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
    #[serde(with = "day")]
    pub due: NaiveDate,
    pub reviews: u32,
    pub lapses: u32,
    #[serde(with = "day")]
    pub first_reviewed: NaiveDate,
    #[serde(with = "day")]
    pub last_reviewed: NaiveDate,
    /// The memory state, written since hone computes one (older lines have none; the replay
    /// computes it either way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f32>,
}

/// Dates as `YYYY-MM-DD`, read by hand: chrono's general parser was a tenth of the time it takes
/// to load a large snapshot. Anything else falls back to it.
pub(super) mod day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&date.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        // Cow: a string with JSON escapes in it cannot be borrowed from the input.
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{}' is not a date (YYYY-MM-DD)",
                text.escape_debug()
            ))
        })
    }

    pub fn parse(text: &str) -> Option<NaiveDate> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            b.get(range)?.iter().try_fold(0u32, |n, d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        let fast = || {
            if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
                return None;
            }
            let year = i32::try_from(digits(0..4)?).ok()?;
            NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
        };
        // Anything unusual goes to chrono, so both always agree.
        fast().or_else(|| text.parse().ok())
    }
}

/// Timestamps as hone writes them (`2026-11-23T09:00:00+01:00`, with or without a fraction of
/// a second), read by hand: chrono's general parser was a tenth of the time it takes to read a
/// long log. Anything else falls back to it, so both always agree.
pub(super) mod moment {
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{}' is not an RFC 3339 timestamp",
                text.escape_debug()
            ))
        })
    }

    pub fn parse(text: &str) -> Option<DateTime<FixedOffset>> {
        fast(text.as_bytes()).or_else(|| text.parse().ok())
    }

    fn fast(b: &[u8]) -> Option<DateTime<FixedOffset>> {
        let number = |at: usize, len: usize| -> Option<u32> {
            b.get(at..at + len)?.iter().try_fold(0u32, |n, d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        let punctuated = b.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':';
        if !punctuated {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(
            i32::try_from(number(0, 4)?).ok()?,
            number(5, 2)?,
            number(8, 2)?,
        )?;
        let mut at = 19;
        let mut nanos = 0;
        if b[at] == b'.' {
            let digits = b[at + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            nanos = number(at + 1, digits)? * 10u32.pow(9 - digits as u32);
            at += 1 + digits;
        }
        let offset = match b.get(at..)? {
            b"Z" => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (hours, minutes) = (number(at + 1, 2)?, number(at + 4, 2)?);
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
                if *sign == b'-' { -seconds } else { seconds }
            }
            _ => return None,
        };
        // Leap seconds (:60) and anything unusual are left to chrono.
        let time =
            NaiveTime::from_hms_nano_opt(number(11, 2)?, number(14, 2)?, number(17, 2)?, nanos)
                .filter(|_| number(17, 2) < Some(60))?;
        FixedOffset::east_opt(offset)?
            .from_local_datetime(&date.and_time(time))
            .single()
    }
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
            stability: s.memory.map(|m| m.stability),
            difficulty: s.memory.map(|m| m.difficulty),
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
            memory: match (self.stability, self.difficulty) {
                (Some(stability), Some(difficulty))
                    if stability.is_finite() && difficulty.is_finite() =>
                {
                    Some(crate::memory::Memory {
                        stability,
                        difficulty,
                    })
                }
                _ => None,
            },
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindRecord {
    Review,
    Practice,
    Undo,
    Suspend,
    Unsuspend,
    Retract,
}

/// A stamp as a log line holds it: `[millis, counter]`.
pub type StampRecord = (i64, u32);

/// One line of a review log. Which optional fields are present depends on `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    pub v: u32,
    pub id: String,
    pub kind: KindRecord,
    pub card: String,
    #[serde(deserialize_with = "moment::deserialize")]
    pub at: DateTime<FixedOffset>,
    /// The entry's place in the replay order; absent from version 1 lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hlc: Option<StampRecord>,
    #[serde(with = "day")]
    pub day: NaiveDate,
    /// The day-start hour that decided `day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_start: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// For an answer whose key points were checked: each point's key, in the card's order then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<String>>,
    /// With `points`: the 1-based positions of the points the answer covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered: Option<Vec<usize>>,
    /// For an answer given in a mock interview: the mock, the question's place and its clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mock: Option<MockRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<StateRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<StateRecord>,
    /// For an undo: the id of the entry taken back, and its kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone: Option<KindRecord>,
    /// For a review: the interval cap in force, when it is not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_interval: Option<u32>,
    /// For an automatic suspension: the review that made the card a leech.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// For a retraction: the ids of the entries taken back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracts: Option<Vec<String>>,
    /// In an exported history only: the device whose log the entry comes from, so that `hone
    /// merge` can put it back in a log of that name. Never written to a log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// A mock interview's part of an answer's log line. Older hones ignore it, and read the entry
/// as the practice answer it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockRecord {
    pub id: String,
    #[serde(deserialize_with = "moment::deserialize")]
    pub started: DateTime<FixedOffset>,
    pub minutes: u32,
    /// The question's place in the mock, from 1.
    pub question: u32,
    /// The questions the mock planned.
    pub questions: u32,
    /// The question's time budget.
    pub seconds: u32,
    /// Time from showing the question to revealing the answer.
    pub used_ms: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}

impl From<&MockAnswer> for MockRecord {
    fn from(m: &MockAnswer) -> Self {
        MockRecord {
            id: m.id.clone(),
            started: m.started,
            minutes: m.minutes,
            question: m.question,
            questions: m.questions,
            seconds: m.seconds,
            used_ms: m.used_ms,
            timed_out: m.timed_out,
        }
    }
}

impl MockRecord {
    fn into_mock(self) -> Result<MockAnswer, String> {
        let mock = MockAnswer {
            id: self.id,
            started: self.started,
            minutes: self.minutes,
            question: self.question,
            questions: self.questions,
            seconds: self.seconds,
            used_ms: self.used_ms,
            timed_out: self.timed_out,
        };
        match mock.problem() {
            Some(problem) => Err(format!("'mock': {problem}")),
            None => Ok(mock),
        }
    }
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

impl From<&Event> for LogLine {
    fn from(e: &Event) -> Self {
        let mut line = LogLine {
            v: LOG_SCHEMA,
            id: e.id.clone(),
            kind: KindRecord::Review,
            card: e.card.to_string(),
            at: e.at,
            hlc: e.stamp.map(|s| (s.millis, s.counter)),
            day: e.day.date(),
            day_start: e.day_start_hour,
            grade: None,
            elapsed_ms: None,
            response: None,
            points: None,
            covered: None,
            mock: None,
            before: None,
            after: None,
            undoes: None,
            undone: None,
            max_interval: None,
            cause: None,
            retracts: None,
            device: None,
        };
        if let Some(graded) = e.graded() {
            line.grade = Some(graded.grade.value());
            line.elapsed_ms = graded.elapsed_ms;
            line.response = graded.response.clone();
            if let Some(coverage) = &graded.coverage {
                line.points = Some(coverage.points.iter().map(ToString::to_string).collect());
                line.covered = Some(coverage.covered.clone());
            }
            line.mock = graded.mock.as_ref().map(MockRecord::from);
        }
        match &e.action {
            Action::Review {
                before,
                after,
                max_interval,
                ..
            } => {
                line.before = before.as_ref().map(StateRecord::from);
                line.after = Some(StateRecord::from(after));
                line.max_interval = Some(*max_interval).filter(|&m| m != sm2::MAX_INTERVAL);
            }
            Action::Practice { .. } => line.kind = KindRecord::Practice,
            Action::UndoReview { undoes, restored } => {
                line.kind = KindRecord::Undo;
                line.undoes = Some(undoes.clone());
                line.undone = Some(KindRecord::Review);
                line.after = restored.as_ref().map(StateRecord::from);
            }
            Action::UndoPractice { undoes } => {
                line.kind = KindRecord::Undo;
                line.undoes = Some(undoes.clone());
                line.undone = Some(KindRecord::Practice);
            }
            Action::Suspend { cause } => {
                line.kind = KindRecord::Suspend;
                line.cause = cause.clone();
            }
            Action::Unsuspend => line.kind = KindRecord::Unsuspend,
            Action::Retract { ids } => {
                line.kind = KindRecord::Retract;
                line.retracts = Some(ids.clone());
            }
        }
        line
    }
}

/// The coverage a line records: both fields or neither.
fn coverage(
    points: Option<&[String]>,
    covered: Option<&[usize]>,
) -> Result<Option<Coverage>, String> {
    match (points, covered) {
        (None, None) => Ok(None),
        (Some(points), Some(covered)) => {
            let keys = points
                .iter()
                .map(|p| p.parse::<PointKey>())
                .collect::<Result<Vec<_>, _>>()?;
            Coverage::of_keys(keys, covered)
                .map(Some)
                .map_err(|e| format!("'covered': {e}"))
        }
        _ => Err("'points' and 'covered' come together".to_owned()),
    }
}

impl LogLine {
    pub fn into_event(self) -> Result<Event, String> {
        let card: CardId = self.card.parse()?;
        let mock = self.mock.clone();
        let graded = || -> Result<Graded, String> {
            let grade = self.grade.ok_or("an answer without a grade")?;
            Ok(Graded {
                grade: Grade::new(grade).ok_or_else(|| format!("grade {grade} is not 0-5"))?,
                elapsed_ms: self.elapsed_ms,
                response: self.response.clone(),
                coverage: coverage(self.points.as_deref(), self.covered.as_deref())?,
                mock: mock.map(MockRecord::into_mock).transpose()?,
            })
        };
        let state = |record: Option<StateRecord>| record.map(StateRecord::to_state).transpose();
        if self.v >= 2 && self.hlc.is_none() {
            return Err("an entry without its stamp (`hlc`)".to_owned());
        }
        let stamp = match self.hlc {
            Some((millis, counter)) if millis >= 0 => Some(Stamp { millis, counter }),
            Some(_) => return Err("a stamp before 1970".to_owned()),
            None => None,
        };
        let action = match (self.kind, self.undone) {
            (KindRecord::Review, _) => Action::Review {
                answer: graded()?,
                before: state(self.before)?,
                after: state(self.after)?.ok_or("a review without the card's state after it")?,
                max_interval: match self.max_interval {
                    Some(0) => return Err("an interval cap of 0 days".to_owned()),
                    Some(days) => days,
                    None => sm2::MAX_INTERVAL,
                },
            },
            (KindRecord::Practice, _) => Action::Practice { answer: graded()? },
            (KindRecord::Undo, Some(KindRecord::Review)) => Action::UndoReview {
                undoes: self.undoes.ok_or("an undo without the id it undoes")?,
                restored: state(self.after)?,
            },
            (KindRecord::Undo, Some(KindRecord::Practice)) => Action::UndoPractice {
                undoes: self.undoes.ok_or("an undo without the id it undoes")?,
            },
            (KindRecord::Undo, _) => {
                return Err("an undo of something that is not an answer".to_owned());
            }
            (KindRecord::Suspend, _) => Action::Suspend { cause: self.cause },
            (KindRecord::Unsuspend, _) => Action::Unsuspend,
            (KindRecord::Retract, _) => Action::Retract {
                ids: self
                    .retracts
                    .ok_or("a retraction without the ids it retracts")?,
            },
        };
        if self.mock.is_some() && !matches!(action, Action::Review { .. } | Action::Practice { .. })
        {
            return Err("a mock interview's part on an entry that is not an answer".to_owned());
        }
        if self.day_start.is_some_and(|h| h > 23) {
            return Err("a day-start hour above 23".to_owned());
        }
        Ok(Event {
            id: self.id,
            card,
            at: self.at,
            day: StudyDay::from_date(self.day),
            day_start_hour: self.day_start,
            stamp,
            action,
        })
    }
}

/// How far into a log the in-memory state (or the snapshot) has read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPosition {
    pub bytes: u64,
    pub lines: u64,
    /// The stamp the last entry read counts at in the replay order (`replay`): the clamp for
    /// the next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<StampRecord>,
    /// The fingerprint of the bytes just before `bytes`: how many (the last line read, at
    /// most 4 KiB of it) and their FNV-1a hash. A log whose bytes there differ was rewritten,
    /// and nothing read from it before can be trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail: Option<(u64, u64)>,
}

impl LogPosition {
    pub fn last_stamp(&self) -> Option<Stamp> {
        self.last.map(|(millis, counter)| Stamp { millis, counter })
    }

    pub fn set_last(&mut self, stamp: Option<Stamp>) {
        self.last = stamp.map(|s| (s.millis, s.counter));
    }
}

/// At most this many bytes of a log's last line go into its fingerprint.
pub const TAIL_BYTES: usize = 4096;

/// The fingerprint of a log whose last line read is `line` (newline included).
pub fn tail_of(line: &[u8]) -> (u64, u64) {
    let kept = &line[line.len().saturating_sub(TAIL_BYTES)..];
    (kept.len() as u64, crate::model::stable_hash(kept))
}

/// The first line of `local/snapshot.json`: how much of each log it reflects, the suspended
/// cards, the study days with answers, and how many card rows follow.
#[derive(Debug, Serialize, Deserialize)]
pub struct SnapshotHeader {
    pub schema: u32,
    /// The fingerprint of the model the reviews were folded with.
    pub model: String,
    pub logs: BTreeMap<String, LogPosition>,
    pub suspended: Vec<String>,
    /// Study days with at least one answer, for streaks.
    pub active_days: Vec<NaiveDate>,
    pub card_count: usize,
}

/// `local/device.json`: this machine's id, which names its review log.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeviceFile {
    pub schema: u32,
    pub device: String,
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
