//! Bringing the in-memory state up to date with the logs: what is new is applied on top when it
//! comes after everything applied so far in the replay order (the common case: one device, or
//! another device's reviews synced in after this one's), else every log is replayed from the
//! start. Nothing here decides the order or the fold; that is `replay`.

use std::collections::BTreeMap;
use std::fs;

use super::fsutil::io_error;
use super::log::{parse_log, read_from, read_whole_log};
use super::records::LogPosition;
use super::{Cache, Store, StoreError, shown};
use crate::model::Event;
use crate::replay::{self, LogEntries, Moment, Replay};

/// What was read of one log past the position already applied.
struct Tail {
    name: String,
    from: LogPosition,
    events: Vec<Event>,
    /// Bytes and lines of complete lines read; an incomplete last line is left out.
    bytes: u64,
    lines: u64,
    torn: bool,
}

impl Tail {
    fn entries(&mut self) -> LogEntries<'_> {
        LogEntries {
            name: &self.name,
            clamp: self.from.last,
            events: std::mem::take(&mut self.events),
        }
    }
}

impl Store {
    /// Brings the cache up to date with the files. Call only under a lock.
    pub(super) fn refresh(&mut self) -> Result<(), StoreError> {
        if self.cache.is_none() {
            let cache = match self.read_snapshot() {
                Ok(cache) => cache,
                Err(StoreError::Corrupt { path, reason, .. }) => {
                    // The snapshot is derived from the logs: set the damaged one aside, intact,
                    // and rebuild. Only the logs are the truth.
                    let kept = self.set_aside(&path);
                    self.warnings.push(format!(
                        "{}: {reason}; {kept}; the state was rebuilt from the review logs",
                        shown(&path)
                    ));
                    Cache::default()
                }
                Err(e) => return Err(e),
            };
            self.cache = Some(cache);
        }
        let names = self.log_names()?;
        let cache = self.cache.get_or_insert_with(Cache::default);
        if cache.read.is_empty() && !names.is_empty() {
            // Nothing read yet (no snapshot): one replay, without what undos on top need.
            return self.replay_logs();
        }
        let vanished = cache.read.keys().any(|n| !names.contains(n));
        let mut shrunk = false;
        let mut grown = Vec::new();
        for name in &names {
            let path = self.paths.reviews.join(name);
            let size = fs::metadata(&path).map_err(io_error(&path, "read"))?.len();
            let from = cache.read.get(name).copied().unwrap_or_default();
            shrunk |= size < from.bytes;
            if size != from.bytes {
                grown.push((name, from));
            }
        }
        if vanished || shrunk {
            // A log was replaced behind our back: the snapshot no longer describes it, so start
            // over from the logs themselves.
            self.warnings.push(format!(
                "a review log in {} changed outside hone; rebuilt the state from the logs",
                shown(&self.paths.reviews)
            ));
            return self.replay_logs();
        }
        let mut tails = Vec::with_capacity(grown.len());
        for (name, from) in grown {
            tails.push(self.read_tail(name, from)?);
        }
        let cache = self.cache.get_or_insert_with(Cache::default);
        let entries: Vec<LogEntries> = tails.iter_mut().map(Tail::entries).collect();
        if !cache.apply_on_top(&entries) {
            return self.replay_logs();
        }
        let lasts: Vec<Option<Moment>> = entries.iter().map(LogEntries::last_moment).collect();
        drop(entries);
        for (tail, last) in tails.iter_mut().zip(lasts) {
            tail.from.last = last;
        }
        self.note_read(tails);
        Ok(())
    }

    /// Replays every log from its first entry, as when there is no snapshot.
    pub(super) fn replay_logs(&mut self) -> Result<(), StoreError> {
        let mut tails = Vec::new();
        for name in self.log_names()? {
            // A chunk at a time: a whole log is never in memory as bytes and entries at once.
            let whole = read_whole_log(&self.paths.reviews.join(&name))?;
            tails.push(Tail {
                name,
                from: LogPosition::default(),
                events: whole.events,
                bytes: whole.bytes,
                lines: whole.lines,
                torn: whole.torn,
            });
        }
        let mut entries: Vec<LogEntries> = tails.iter_mut().map(Tail::entries).collect();
        let (state, _) = replay::replay_all(&mut entries);
        let lasts: Vec<Option<Moment>> = entries.iter().map(LogEntries::last_moment).collect();
        entries.clear();
        let cache = self.cache.get_or_insert_with(Cache::default);
        let had_snapshot = !cache.snapshot.is_empty();
        cache.replay = Replay::new(state);
        cache.read.clear();
        cache.replayed_all = had_snapshot;
        for (tail, last) in tails.iter_mut().zip(lasts) {
            tail.from.last = last;
        }
        self.note_read(tails);
        Ok(())
    }

    /// Records how far each tail was read, and warns about incomplete last lines.
    fn note_read(&mut self, tails: Vec<Tail>) {
        let cache = self.cache.get_or_insert_with(Cache::default);
        cache.torn.clear();
        for tail in tails {
            let read = LogPosition {
                bytes: tail.from.bytes + tail.bytes,
                lines: tail.from.lines + tail.lines,
                last: tail.from.last,
            };
            if tail.torn {
                cache.torn.insert(tail.name.clone(), read.bytes);
                self.warnings.push(format!(
                    "{}:{}: ignored an incomplete last line, left by a write that was cut short; it was never acknowledged",
                    shown(&self.paths.reviews.join(&tail.name)),
                    read.lines + 1
                ));
            }
            cache.read.insert(tail.name, read);
        }
    }

    fn read_tail(&self, name: &str, from: LogPosition) -> Result<Tail, StoreError> {
        let path = self.paths.reviews.join(name);
        let bytes = read_from(&path, from.bytes)?;
        let (events, consumed, lines) = parse_log(&path, &bytes, from.lines)?;
        Ok(Tail {
            name: name.to_owned(),
            from,
            events,
            bytes: consumed,
            lines,
            torn: consumed < bytes.len() as u64,
        })
    }
}

impl Cache {
    /// Applies new entries on top of the state, if they all come after every entry applied so
    /// far in the replay order and every undo among them can be applied; returns whether it did.
    /// On `false` the state is half-updated and the logs must be replayed from the start.
    pub(super) fn apply_on_top(&mut self, entries: &[LogEntries<'_>]) -> bool {
        let latest_elsewhere = |log: &str| {
            self.read
                .iter()
                .filter(|(name, _)| name.as_str() != log)
                .filter_map(|(_, position)| position.last)
                .max()
        };
        let latest: BTreeMap<&str, Option<Moment>> = entries
            .iter()
            .map(|e| (e.name, latest_elsewhere(e.name)))
            .collect();
        for place in replay::in_order(entries) {
            let log = &entries[place.log];
            // Strictly later: an entry at the very moment of another log's last one may be a
            // copy of it, which only a replay from the start counts once.
            if latest[log.name].is_some_and(|latest| latest >= place.moment) {
                return false;
            }
            if self.replay.apply(&log.events[place.index]).is_err() {
                return false;
            }
        }
        true
    }
}
