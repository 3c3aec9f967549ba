//! `local/snapshot.json`: every card's state, and how much of each log it reflects. A checkpoint,
//! always derivable from the logs; written atomically by writers under the exclusive lock.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use super::files::parse_versioned_file;
use rand::Rng;

use super::fsutil::{io_error, remove_stale_temps, write_atomic};
use super::records::{LogPosition, SNAPSHOT_SCHEMA, SnapshotFile, StateRecord};
use super::{Cache, Store, StoreError};
use crate::model::{CardId, ReviewState, StudyDay};

/// A snapshot's state and the log positions it reflects.
pub(super) fn parse_snapshot(
    path: &Path,
    bytes: &[u8],
) -> Result<(ReviewState, BTreeMap<String, LogPosition>), StoreError> {
    let file: SnapshotFile = parse_versioned_file(path, bytes, SNAPSHOT_SCHEMA)?;
    let corrupt = |id: &str, reason: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: None,
        reason: format!("card '{}': {reason}", id.escape_debug()),
    };
    let mut state = ReviewState::default();
    for (id, record) in file.cards {
        let card: CardId = id.parse().map_err(|e| corrupt(&id, e))?;
        state
            .cards
            .insert(card, record.to_state().map_err(|e| corrupt(&id, e))?);
    }
    for id in file.suspended {
        state
            .suspended
            .insert(id.parse().map_err(|e| corrupt(&id, e))?);
    }
    state.active_days = file
        .active_days
        .into_iter()
        .map(StudyDay::from_date)
        .collect();
    Ok((state, file.logs))
}

pub(super) fn encode(
    state: &ReviewState,
    logs: &BTreeMap<String, LogPosition>,
) -> Result<Vec<u8>, serde_json::Error> {
    let file = SnapshotFile {
        schema: SNAPSHOT_SCHEMA,
        logs: logs.clone(),
        cards: state
            .cards
            .iter()
            .map(|(id, s)| (id.to_string(), StateRecord::from(s)))
            .collect(),
        suspended: {
            let mut ids: Vec<String> = state.suspended.iter().map(CardId::to_string).collect();
            ids.sort();
            ids
        },
        active_days: state.active_days.iter().map(|d| d.date()).collect(),
    };
    let mut bytes = serde_json::to_vec(&file)?;
    bytes.push(b'\n');
    Ok(bytes)
}

impl Store {
    pub(super) fn read_snapshot(&self) -> Result<Cache, StoreError> {
        let path = &self.paths.snapshot;
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Cache::default()),
            Err(e) => return Err(io_error(path, "read")(e)),
        };
        let (state, logs) = parse_snapshot(path, &bytes)?;
        Ok(Cache {
            state,
            read: logs.clone(),
            snapshot: logs,
            torn: BTreeMap::new(),
            snapshot_bytes: bytes.len() as u64,
        })
    }

    /// Writes the snapshot of the cache. Call only under the exclusive lock, after `refresh`.
    pub(super) fn write_snapshot(&mut self) -> Result<(), StoreError> {
        let Some(cache) = self.cache.as_mut() else {
            return Ok(());
        };
        let bytes = encode(&cache.state, &cache.read).map_err(|e| StoreError::Io {
            action: "encode",
            path: self.paths.snapshot.clone(),
            source: io::Error::other(e),
        })?;
        remove_stale_temps(&self.paths.snapshot);
        write_atomic(&self.paths.snapshot, &bytes, self.rng.next_u64())?;
        cache.snapshot = cache.read.clone();
        cache.snapshot_bytes = bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
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
            0u32..30,
            1.3f64..4.0,
            0u32..5000,
            0u32..4000,
            0u32..100,
            0u32..20,
        )
            .prop_map(
                |(repetitions, ease, interval_days, due, reviews, lapses)| CardState {
                    repetitions,
                    ease,
                    interval_days,
                    due: day(due),
                    reviews,
                    lapses,
                    first_reviewed: day(0),
                    last_reviewed: day(due / 2),
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
            let logs = BTreeMap::from([("abc.jsonl".to_owned(), LogPosition { bytes, lines })]);
            let encoded = encode(&state, &logs).unwrap();
            let (back, back_logs) = parse_snapshot(Path::new("snapshot.json"), &encoded).unwrap();
            prop_assert_eq!(back, state);
            prop_assert_eq!(back_logs, logs);
        }
    }
}
