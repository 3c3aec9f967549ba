//! `local/snapshot.json`: every card's state, and how much of each log it reflects. A checkpoint,
//! always derivable from the logs; written atomically by writers under the exclusive lock.
//!
//! One JSON document laid out one card per line, so that it loads with a split and a few number
//! parses per card instead of a general JSON parser (that was half the time of loading 100,000
//! cards):
//!
//! ```text
//! {"schema":5,"model":"3f9a...","logs":{...},"suspended":[...],"active_days":[...],"card_count":2,"cards":[
//! ["api/rest",3,2.5,14,"2026-03-05",5,0,"2026-01-06","2026-02-19",1106981683,1083871068],
//! ["sql/joins",0,2.18,1,"2026-03-03",4,1,"2026-02-01","2026-03-02",1054280253,1090309325]
//! ]}
//! ```
//!
//! A row is `[id, repetitions, ease, interval_days, due, reviews, lapses, first_reviewed,
//! last_reviewed, stability, difficulty]`, sorted by id; stability and difficulty are the bits
//! of their f32 (`f32::to_bits`), exact and read with the same few digit steps as a count (a
//! float parse per card was a tenth of loading a large snapshot). `model` is the fingerprint of the model
//! the reviews were folded with (`memory::Model`: scheduler, retention, parameters). A snapshot
//! in an older format, or folded with another model, is only an outdated cache: it is rebuilt
//! from the logs.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use rand::Rng;

use super::files::{emptiness, newer, not_readable};
use super::fsutil::{io_error, remove_stale_temps, write_atomic};
use super::records::{LogPosition, SNAPSHOT_SCHEMA, SnapshotHeader, StateRecord, day};
use super::{Cache, Store, StoreError};
use crate::memory::{Memory, Model};
use crate::model::{CardId, CardState, ReviewState, StudyDay};
use crate::replay::Replay;

/// What a snapshot holds: the state, the log positions it reflects, and the fingerprint of the
/// model it was folded with.
pub(super) type Snapshot = (ReviewState, BTreeMap<String, LogPosition>, String);

/// How a snapshot names the model its reviews were folded with.
pub(super) fn model_key(model: &Model) -> String {
    format!("{:016x}", model.fingerprint())
}

/// Where the header line ends and the card rows begin.
const ROWS_START: &[u8] = b",\"cards\":[";
const ROWS_END: &[u8] = b"]}";

/// Reads a snapshot; `None` if it is in an older format, to be rebuilt from the logs.
pub(super) fn parse_snapshot(path: &Path, bytes: &[u8]) -> Result<Option<Snapshot>, StoreError> {
    let corrupt = |line: Option<u64>, reason: String| StoreError::corrupt(path, line, reason);
    if let Some(reason) = emptiness(bytes) {
        return Err(corrupt(None, reason.to_owned()));
    }
    let mut lines = super::lines::lines(bytes);
    let first = lines.next().unwrap_or_default();
    let header = match first.strip_suffix(ROWS_START) {
        Some(head) => serde_json::from_slice::<SnapshotHeader>(&[head, b"}"].concat()),
        None => serde_json::from_slice::<SnapshotHeader>(bytes),
    };
    let header = match header {
        Ok(header) => header,
        Err(e) => {
            return match serde_json::from_slice::<super::records::FileVersion>(bytes) {
                Ok(v) if (1..SNAPSHOT_SCHEMA).contains(&v.schema) => Ok(None),
                _ => Err(not_readable::<serde::de::IgnoredAny>(
                    path,
                    bytes,
                    SNAPSHOT_SCHEMA,
                    e,
                )),
            };
        }
    };
    match header.schema {
        0 => return Err(corrupt(None, "format version 0 does not exist".to_owned())),
        v if v > SNAPSHOT_SCHEMA => return Err(newer(path, None, v, SNAPSHOT_SCHEMA)),
        v if v < SNAPSHOT_SCHEMA => return Ok(None),
        _ => {}
    }
    if !first.ends_with(ROWS_START) {
        return Err(corrupt(Some(1), "the card rows are missing".to_owned()));
    }

    let mut state = ReviewState::default();
    // A damaged count must not make us allocate without bound; a row takes 40 bytes or more.
    state.cards.reserve(header.card_count.min(bytes.len() / 40));
    let mut number = 1u64;
    let mut ended = false;
    // Whether the last row ended with a comma; `None` before the first row.
    let mut last_comma = None;
    for line in lines.by_ref() {
        number += 1;
        if line == ROWS_END {
            ended = last_comma != Some(true);
            break;
        }
        if line.is_empty() {
            break; // the end of the file, before the rows were closed
        }
        if last_comma == Some(false) {
            return Err(corrupt(
                Some(number),
                "a comma is missing before this row".to_owned(),
            ));
        }
        let (row, comma) = match line.strip_suffix(b",") {
            Some(row) => (row, true),
            None => (line, false),
        };
        last_comma = Some(comma);
        let (id, card) = parse_row(row).map_err(|e| corrupt(Some(number), e))?;
        if let Some(_earlier) = state.cards.insert(id, card) {
            return Err(corrupt(Some(number), "a card listed twice".to_owned()));
        }
    }
    let rest_is_blank = lines.all(|l| l.iter().all(u8::is_ascii_whitespace));
    if !ended || !rest_is_blank || state.cards.len() != header.card_count {
        return Err(corrupt(
            None,
            format!(
                "cut short, as by a crash or a full disk: the header promises {} cards, {} were read",
                header.card_count,
                state.cards.len()
            ),
        ));
    }
    for id in &header.suspended {
        let card = id.parse().map_err(|e| corrupt(Some(1), e))?;
        state.suspended.insert(card);
    }
    state.active_days = header
        .active_days
        .into_iter()
        .map(StudyDay::from_date)
        .collect();
    Ok(Some((state, header.logs, header.model)))
}

/// A quoted string in a row. Ids and dates never hold quotes, commas or escapes; a field that
/// does is damage.
fn string(field: &[u8]) -> Result<&str, String> {
    field
        .strip_prefix(b"\"")
        .and_then(|f| f.strip_suffix(b"\""))
        .filter(|f| !f.iter().any(|&b| b == b'"' || b == b'\\'))
        .and_then(|f| std::str::from_utf8(f).ok())
        .ok_or_else(|| format!("expected a string, found {}", field.escape_ascii()))
}

/// One card row: `["deck/card",3,2.5,14,"2026-03-05",5,0,"2026-01-06","2026-02-19",1106981683,1083871068]`.
fn parse_row(row: &[u8]) -> Result<(CardId, CardState), String> {
    let inner = row
        .strip_prefix(b"[")
        .and_then(|r| r.strip_suffix(b"]"))
        .ok_or_else(|| "not a card row".to_owned())?;
    let mut fields = inner.split(|&b| b == b',');
    let mut next = || {
        fields
            .next()
            .ok_or_else(|| "a card row has 11 fields".to_owned())
    };
    let number = |field: &[u8]| -> Result<u32, String> {
        let digits = !field.is_empty() && field.iter().all(u8::is_ascii_digit);
        digits
            .then(|| {
                field.iter().try_fold(0u32, |n, &d| {
                    n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
                })
            })
            .flatten()
            .ok_or_else(|| format!("expected a count, found {}", field.escape_ascii()))
    };
    let date = |field: &[u8]| -> Result<chrono::NaiveDate, String> {
        let text = string(field)?;
        day::parse(text).ok_or_else(|| format!("'{}' is not a date", text.escape_debug()))
    };
    let ease = |field: &[u8]| -> Result<f64, String> {
        std::str::from_utf8(field)
            .ok()
            .and_then(|e| e.parse().ok())
            .ok_or_else(|| format!("expected an ease, found {}", field.escape_ascii()))
    };
    let float = |field: &[u8]| -> Result<f32, String> {
        let value = f32::from_bits(number(field)?);
        if value.is_finite() {
            Ok(value)
        } else {
            Err(format!(
                "expected a memory state, found {}",
                field.escape_ascii()
            ))
        }
    };
    let id: CardId = string(next()?)?.parse()?;
    let record = StateRecord {
        repetitions: number(next()?)?,
        ease: ease(next()?)?,
        interval_days: number(next()?)?,
        due: date(next()?)?,
        reviews: number(next()?)?,
        lapses: number(next()?)?,
        first_reviewed: date(next()?)?,
        last_reviewed: date(next()?)?,
        stability: None,
        difficulty: None,
    };
    let memory = Memory {
        stability: float(next()?)?,
        difficulty: float(next()?)?,
    };
    if fields.next().is_some() {
        return Err("a card row has 11 fields".to_owned());
    }
    let mut state = record.to_state()?;
    state.memory = Some(memory);
    Ok((id, state))
}

pub(super) fn encode(
    state: &ReviewState,
    logs: &BTreeMap<String, LogPosition>,
    model: &Model,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut suspended: Vec<String> = state.suspended.iter().map(CardId::to_string).collect();
    suspended.sort();
    let header = SnapshotHeader {
        schema: SNAPSHOT_SCHEMA,
        model: model_key(model),
        logs: logs.clone(),
        suspended,
        active_days: state.active_days.iter().map(|d| d.date()).collect(),
        card_count: state.cards.len(),
    };
    let mut bytes = serde_json::to_vec(&header)?;
    bytes.pop(); // the header's closing brace: the rows come before it
    bytes.extend_from_slice(ROWS_START);
    bytes.push(b'\n');
    let mut cards: Vec<(&CardId, &CardState)> = state.cards.iter().collect();
    cards.sort_unstable_by_key(|(id, _)| *id);
    for (i, (id, s)) in cards.iter().enumerate() {
        let r = StateRecord::from(*s);
        write!(bytes, "[\"{id}\",{},", r.repetitions).map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut bytes, &r.ease)?;
        let end = if i + 1 < cards.len() { ",\n" } else { "\n" };
        // Every replayed state has a memory state; one without (never the case) reads back as
        // a new card's first review would leave it, rather than as damage.
        let memory = s.memory.unwrap_or(Memory {
            stability: crate::memory::DEFAULT_PARAMETERS[2],
            difficulty: 5.0,
        });
        write!(
            bytes,
            ",{},\"{}\",{},{},\"{}\",\"{}\",{},{}]{end}",
            r.interval_days,
            r.due,
            r.reviews,
            r.lapses,
            r.first_reviewed,
            r.last_reviewed,
            memory.stability.to_bits(),
            memory.difficulty.to_bits()
        )
        .map_err(serde_json::Error::io)?;
    }
    bytes.extend_from_slice(ROWS_END);
    bytes.push(b'\n');
    Ok(bytes)
}

impl Store {
    /// The snapshot as a cache whose reviews are folded with `model`; an empty one if there is
    /// none, or if it was folded with another model (the scheduler, the retention or the
    /// parameters changed): then the logs are replayed.
    pub(super) fn read_snapshot(&self, model: &Model) -> Result<Cache, StoreError> {
        let path = &self.paths.snapshot;
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Cache::with_model(model.clone()));
            }
            Err(e) => return Err(io_error(path, "read")(e)),
        };
        let Some((state, logs, folded_with)) = parse_snapshot(path, &bytes)? else {
            return Ok(Cache::with_model(model.clone())); // an older format: rebuilt from the logs
        };
        if folded_with != model_key(model) {
            // Replayed from the logs; noting the positions it held makes the replay count as a
            // reorder, so the snapshot is written again at once rather than after 256 KiB.
            return Ok(Cache {
                snapshot: logs,
                snapshot_bytes: bytes.len() as u64,
                ..Cache::with_model(model.clone())
            });
        }
        let latest = logs.values().filter_map(LogPosition::last_stamp).max();
        Ok(Cache {
            replay: Replay::new(state, latest, model.clone()),
            read: logs.clone(),
            snapshot: logs,
            torn: BTreeMap::new(),
            snapshot_bytes: bytes.len() as u64,
            replayed_all: false,
        })
    }

    /// Writes the snapshot of the cache. Call only under the exclusive lock, after `refresh`.
    pub(super) fn write_snapshot(&mut self) -> Result<(), StoreError> {
        let Some(cache) = self.cache.as_mut() else {
            return Ok(());
        };
        let bytes = encode(&cache.replay.state, &cache.read, &cache.replay.model).map_err(|e| {
            StoreError::Io {
                action: "encode",
                path: self.paths.snapshot.clone(),
                source: io::Error::other(e),
            }
        })?;
        remove_stale_temps(&self.paths.snapshot);
        write_atomic(&self.paths.snapshot, &bytes, self.rng.next_u64())?;
        cache.snapshot = cache.read.clone();
        cache.snapshot_bytes = bytes.len() as u64;
        cache.replayed_all = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::floats::{f32_in, f64_in};
    use crate::model::CardState;

    fn day(n: u32) -> StudyDay {
        StudyDay::from_date(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).plus(n)
    }

    fn any_state() -> impl Strategy<Value = ReviewState> {
        let card = (0u8..40).prop_map(|n| {
            format!("deck-{}/card-{n}", n % 3)
                .parse::<CardId>()
                .unwrap()
        });
        let card_state = (
            (0u32..30, f64_in(1.3, 4.0), 0u32..5000),
            (0u32..4000, 0u32..100, 0u32..20),
            (f32_in(0.001, 36500.0), f32_in(1.0, 10.0)),
        )
            .prop_map(
                |(
                    (repetitions, ease, interval_days),
                    (due, reviews, lapses),
                    (stability, difficulty),
                )| CardState {
                    repetitions,
                    ease,
                    interval_days,
                    due: day(due),
                    reviews,
                    lapses,
                    first_reviewed: day(0),
                    last_reviewed: day(due / 2),
                    memory: Some(Memory {
                        stability,
                        difficulty,
                    }),
                },
            );
        (
            proptest::collection::btree_map(card.clone(), card_state, 0..30),
            proptest::collection::btree_set(card, 0..5),
            proptest::collection::btree_set((0u32..3000).prop_map(day), 0..20),
        )
            .prop_map(|(cards, suspended, active_days)| ReviewState {
                cards: cards.into_iter().collect(),
                suspended: suspended.into_iter().collect(),
                active_days,
            })
    }

    proptest! {
        #[test]
        fn a_snapshot_round_trips_exactly(state in any_state(), bytes in 0u64..1_000_000, lines in 0u64..10_000) {
            let logs = BTreeMap::from([("abc.jsonl".to_owned(), LogPosition { bytes, lines, last: Some((bytes as i64, 3)), tail: Some((lines, bytes)) })]);
            let encoded = encode(&state, &logs, &Model::default()).unwrap();
            serde_json::from_slice::<serde_json::Value>(&encoded).expect("one JSON document");
            let (back, back_logs, model) = parse(&encoded).unwrap().unwrap();
            prop_assert_eq!(model, model_key(&Model::default()));
            prop_assert_eq!(back, state);
            prop_assert_eq!(back_logs, logs);
        }

        #[test]
        fn a_snapshot_cut_anywhere_is_refused(state in any_state(), cut in f64_in(0.0, 1.0)) {
            let encoded = encode(&state, &BTreeMap::new(), &Model::default()).unwrap();
            // Everything but the final newline matters.
            let at = ((encoded.len() - 1) as f64 * cut) as usize;
            prop_assert!(parse(&encoded[..at]).is_err(), "{}", String::from_utf8_lossy(&encoded[..at]));
        }
    }

    fn parse(bytes: &[u8]) -> Result<Option<Snapshot>, StoreError> {
        parse_snapshot(Path::new("snapshot.json"), bytes)
    }

    const HEADER: &str = r#"{"schema":5,"model":"0123456789abcdef","logs":{},"suspended":[],"active_days":[],"card_count":2,"cards":["#;
    const ROW_A: &str =
        r#"["api/rest",3,2.5,14,"2026-03-05",5,0,"2026-01-06","2026-02-19",1106981683,1083871068]"#;
    const ROW_B: &str = r#"["sql/joins",0,2.18,1,"2026-03-03",4,1,"2026-02-01","2026-03-02",1054280253,1090309325]"#;

    /// The line and reason of the damage `text` holds.
    fn damage(text: &str) -> (Option<u64>, String) {
        match parse(text.as_bytes()) {
            Err(StoreError::Corrupt { line, reason, .. }) => (line, reason),
            other => panic!("{text}: expected damage, got {other:?}"),
        }
    }

    #[test]
    fn the_documented_layout_reads() {
        let text = format!("{HEADER}\n{ROW_A},\n{ROW_B}\n]}}\n");
        let (state, _, model) = parse(text.as_bytes()).unwrap().unwrap();
        assert_eq!(state.cards.len(), 2);
        assert_eq!(model, "0123456789abcdef");
        let joins = &state.cards[&"sql/joins".parse::<CardId>().unwrap()];
        assert_eq!((joins.ease, joins.reviews, joins.lapses), (2.18, 4, 1));
        assert_eq!(
            joins.memory,
            Some(Memory {
                stability: 0.42,
                difficulty: 7.9
            })
        );
        let again = encode(&state, &BTreeMap::new(), &Model::default()).unwrap();
        let text = text.replace("0123456789abcdef", &model_key(&Model::default()));
        assert_eq!(again, text.as_bytes());
    }

    #[test]
    fn an_older_snapshot_is_an_outdated_cache_and_a_newer_one_is_refused() {
        let v1 = r#"{"schema":1,"logs":{},"cards":{"api/rest":{"repetitions":1}}}"#;
        assert!(parse(v1.as_bytes()).unwrap().is_none());
        // Version 2 rows, recorded before reviews from several machines were replayed in one
        // order: rebuilt too.
        for older in [2, 3, 4] {
            let text = format!(
                "{}\n{ROW_A}\n]}}\n",
                HEADER.replace("\"schema\":5", &format!("\"schema\":{older}"))
            );
            assert!(parse(text.as_bytes()).unwrap().is_none(), "{older}");
        }
        let v6 = format!("{}\n]}}\n", HEADER.replace("\"schema\":5", "\"schema\":6"));
        assert!(matches!(
            parse(v6.as_bytes()),
            Err(StoreError::NewerSchema { found: 6, .. })
        ));
    }

    #[test]
    fn damaged_rows_are_refused_with_their_line() {
        let cases = [
            (format!("{HEADER}\n{ROW_A},\n{ROW_B}\n"), None, "cut short"),
            (
                format!("{HEADER}\n{ROW_A},\n{ROW_B},\n]}}\n"),
                None,
                "cut short",
            ),
            (
                format!("{HEADER}\n{ROW_A}\n{ROW_B}\n]}}\n"),
                Some(3),
                "comma is missing",
            ),
            (
                format!("{HEADER}\n{ROW_A},\n{ROW_A}\n]}}\n"),
                Some(3),
                "listed twice",
            ),
            (
                format!("{HEADER}\n{ROW_A}\n]}}\n"),
                None,
                "promises 2 cards, 1 were read",
            ),
            (
                format!("{HEADER}\n{ROW_A},\n{ROW_B}\n]}}\nmore"),
                None,
                "cut short",
            ),
            (
                format!(
                    "{HEADER}\n{ROW_A},\n{}\n]}}\n",
                    ROW_B.replace(",1090309325]", "]")
                ),
                Some(3),
                "11 fields",
            ),
            (
                format!(
                    "{HEADER}\n{},\n{ROW_B}\n]}}\n",
                    ROW_A.replace("2026-03-05", "2026-02-30")
                ),
                Some(2),
                "not a date",
            ),
            (
                format!("{HEADER}\n{},\n{ROW_B}\n]}}\n", ROW_A.replace("2.5", "1.1")),
                Some(2),
                "below the SM-2 minimum",
            ),
            (
                format!(
                    "{HEADER}\n{},\n{ROW_B}\n]}}\n",
                    ROW_A.replace("api/rest", "api/re\\\"st")
                ),
                Some(2),
                "expected a string",
            ),
            (
                format!("{HEADER}\n{ROW_A},\n{}\n]}}\n", ROW_B.replace("]", ",0]")),
                Some(3),
                "11 fields",
            ),
            (
                r#"{"schema":5,"model":"","logs":{},"suspended":[],"active_days":[],"card_count":0}"#
                    .to_owned(),
                Some(1),
                "rows are missing",
            ),
            (
                format!(
                    "{HEADER}\n{ROW_A},\n{}\n]}}\n",
                    ROW_B.replace(",4,", ",four,")
                ),
                Some(3),
                "expected a count",
            ),
        ];
        for (text, line, reason) in cases {
            let (found_line, found) = damage(&text);
            assert!(found.contains(reason), "{text:?}: {found}");
            if line.is_some() {
                assert_eq!(found_line, line, "{text}: {found}");
            }
        }
    }
}
