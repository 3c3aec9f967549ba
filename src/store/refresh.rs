//! Bringing the in-memory state up to date with the logs: what is new is applied on top when it
//! comes after everything applied so far in the replay order (the common case: one device, or
//! another device's reviews synced in after this one's), else every log is replayed from the
//! start. Before anything is read on top, each log's fingerprint is checked: a log rewritten
//! behind hone's back (a sync tool, an editor) is replayed whole, never trusted by its length.
//! Nothing here decides the order or the fold; that is `replay`.

use std::fs;
use std::path::Path;

use super::fsutil::io_error;
use super::log::{parse_log, read_from, read_whole_log};
use super::records::{LogPosition, tail_of};
use super::{Cache, Store, StoreError, shown};
use crate::model::{Event, Stamp};
use crate::replay::{self, Conflict, LogEntries, Replay};

/// What was read of one log past the position already applied.
struct Tail {
    name: String,
    from: LogPosition,
    events: Vec<Event>,
    /// Bytes and lines of complete lines read; an incomplete last line is left out.
    bytes: u64,
    lines: u64,
    /// The last complete line read, for the fingerprint.
    last_line: Option<Vec<u8>>,
    torn: bool,
}

impl Tail {
    fn entries(&mut self) -> LogEntries<'_> {
        LogEntries {
            name: &self.name,
            clamp: self.from.last_stamp(),
            events: std::mem::take(&mut self.events),
        }
    }
}

/// Why the logs must be replayed from the start.
enum Rebuild {
    /// A log shrank, vanished or was rewritten: the state read from it cannot be trusted.
    Changed(String),
    /// New entries do not all come after those applied (or one is a retraction).
    Reorder,
}

impl Store {
    /// Brings the cache up to date with the files. Call only under a lock.
    pub(super) fn refresh(&mut self) -> Result<(), StoreError> {
        if self.cache.is_none() {
            let model = self.model()?;
            let cache = match self.read_snapshot(&model) {
                Ok(cache) => cache,
                Err(StoreError::Corrupt { path, reason, .. }) => {
                    // The snapshot is derived from the logs: set the damaged one aside, intact,
                    // and rebuild. Only the logs are the truth.
                    let kept = self.set_aside(&path);
                    self.warnings.push(format!(
                        "{}: {reason}; {kept}; the state was rebuilt from the review logs",
                        shown(&path)
                    ));
                    Cache::with_model(model)
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
        let read = cache.read.clone();
        let mut tails = Vec::new();
        let mut rebuild = read
            .keys()
            .find(|n| !names.contains(n))
            .map(|gone| Rebuild::Changed(format!("{gone} is gone")));
        for name in &names {
            if rebuild.is_some() {
                break;
            }
            let from = read.get(name).copied().unwrap_or_default();
            match self.read_tail(name, from)? {
                Ok(Some(tail)) => tails.push(tail),
                Ok(None) => {}
                Err(changed) => rebuild = Some(Rebuild::Changed(changed)),
            }
        }
        if rebuild.is_none() {
            let cache = self.cache.get_or_insert_with(Cache::default);
            let mut entries: Vec<LogEntries> = tails.iter_mut().map(Tail::entries).collect();
            if cache.apply_on_top(&entries) {
                let lasts: Vec<Option<Stamp>> =
                    entries.iter().map(LogEntries::last_stamp).collect();
                entries.clear();
                for (tail, last) in tails.iter_mut().zip(lasts) {
                    tail.from.set_last(last);
                }
                self.note_read(tails);
                return Ok(());
            }
            rebuild = Some(Rebuild::Reorder);
        }
        if let Some(Rebuild::Changed(what)) = rebuild {
            self.warnings.push(format!(
                "{what} (changed outside hone: a sync tool, an editor, a restore by hand); rebuilt the state from every log in {}",
                shown(&self.paths.reviews)
            ));
        }
        self.replay_logs()
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
                last_line: whole.last_line,
                torn: whole.torn,
            });
        }
        let model = self.model()?;
        let mut entries: Vec<LogEntries> = tails.iter_mut().map(Tail::entries).collect();
        let replayed = match replay::replay_all(&mut entries, &model) {
            Ok(replayed) => replayed,
            Err(conflict) => {
                let names: Vec<String> = tails.iter().map(|t| t.name.clone()).collect();
                return Err(self.conflict_error(&names, &conflict));
            }
        };
        let lasts: Vec<Option<Stamp>> = entries.iter().map(LogEntries::last_stamp).collect();
        entries.clear();
        let cache = self.cache.get_or_insert_with(Cache::default);
        let had_snapshot = !cache.snapshot.is_empty();
        cache.replay = Replay::new(replayed.state, replayed.latest, model);
        cache.read.clear();
        cache.replayed_all = had_snapshot;
        for (tail, last) in tails.iter_mut().zip(lasts) {
            tail.from.set_last(last);
        }
        self.note_read(tails);
        Ok(())
    }

    /// The error for two entries with one id and different content, naming both lines.
    pub(super) fn conflict_error(&self, names: &[String], conflict: &Conflict) -> StoreError {
        let at = |place: &replay::Place| {
            let path = self.paths.reviews.join(&names[place.log]);
            let line = super::log::line_of_entry(&path, place.index)
                .map_or(String::new(), |l| format!(":{l}"));
            format!("{}{line}", shown(&path))
        };
        StoreError::Refused(format!(
            "{} and {} hold entry {} with different content: one of them was edited; nothing was changed (put the edited line back as it was, or move that log out of {})",
            at(&conflict.first),
            at(&conflict.second),
            crate::render::safe::visible(&conflict.id),
            shown(&self.paths.reviews)
        ))
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
                tail: tail.last_line.as_deref().map(tail_of).or(tail.from.tail),
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

    /// What a log holds past `from`: `Ok(None)` when nothing; `Err` with what changed when the
    /// bytes before `from` are not the ones read (the log shrank or was rewritten).
    fn read_tail(
        &self,
        name: &str,
        from: LogPosition,
    ) -> Result<Result<Option<Tail>, String>, StoreError> {
        let path = self.paths.reviews.join(name);
        let size = fs::metadata(&path).map_err(io_error(&path, "read"))?.len();
        if size < from.bytes {
            return Ok(Err(format!("{name} is shorter than before")));
        }
        let (check_len, check_hash) = from.tail.unwrap_or((0, 0));
        if size == from.bytes && check_len == 0 {
            return Ok(Ok(None));
        }
        let start = from.bytes.saturating_sub(check_len);
        let bytes = read_from(&path, start)?;
        let check_len = (from.bytes - start) as usize;
        let Some((check, bytes)) = bytes.split_at_checked(check_len) else {
            return Ok(Err(format!("{name} is shorter than before")));
        };
        if check_len > 0 && crate::model::stable_hash(check) != check_hash {
            return Ok(Err(format!("{name} was rewritten")));
        }
        if bytes.is_empty() {
            return Ok(Ok(None));
        }
        let (events, consumed, lines) = parse_log(&path, bytes, from.lines)?;
        Ok(Ok(Some(Tail {
            name: name.to_owned(),
            from,
            events,
            bytes: consumed,
            lines,
            last_line: last_line(&bytes[..consumed as usize]).map(<[u8]>::to_vec),
            torn: consumed < bytes.len() as u64,
        })))
    }
}

/// The last line of complete lines (newline included), if there is one.
pub(super) fn last_line(bytes: &[u8]) -> Option<&[u8]> {
    let body = bytes.strip_suffix(b"\n")?;
    let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
    Some(&bytes[start..])
}

impl Cache {
    /// Applies new entries on top of the state, if they all come after every entry applied so
    /// far in the replay order and each can be applied with the result a replay from the start
    /// gives; returns whether it did. On `false` the state is half-updated and the logs must be
    /// replayed from the start.
    pub(super) fn apply_on_top(&mut self, entries: &[LogEntries<'_>]) -> bool {
        for place in replay::in_order(entries) {
            let event = &entries[place.log].events[place.index];
            if self.replay.apply(event, place.stamp).is_err() {
                return false;
            }
        }
        true
    }
}

/// Whether `path` is a regular file (a FIFO or a device would block or never end).
pub(super) fn is_regular(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file())
}
