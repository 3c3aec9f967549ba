//! The review logs: `reviews/<device>.jsonl`, one JSON line per entry, appended and fsynced.
//! Reading them and appending to this device's one; no command ever rewrites or shortens a log
//! (a torn last line, never acknowledged, is the one thing cut off, and kept aside).

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use rand::Rng;

use super::damage::Damage;
use super::files::{newer, parse_versioned_file};
use super::fsutil::{create_dir_all, io_error, sync_dir, write_atomic};
use super::lock::Mode;
use super::records::{
    DEVICE_SCHEMA, DeviceFile, LOG_SCHEMA, LineVersion, LogLine, LogPosition, tail_of,
};
use super::{Cache, Store, StoreError, shown};
use crate::answer::{self, Moment};
use crate::model::{CardId, Event};
use crate::replay::{self, LogEntries};

/// At most this many ids go into one retraction, so that no log line grows without bound.
const RETRACT_CHUNK: usize = 1000;

impl Store {
    /// Every entry of every log that counts, in replay order, once each, as the replay sees it
    /// (`replay::history`).
    pub fn log(&mut self) -> Result<Vec<Event>, StoreError> {
        if !self.paths.reviews.exists() {
            return Ok(Vec::new());
        }
        let _lock = self.lock(Mode::Shared)?;
        let model = self.model()?;
        let (names, logs) = self.read_all_logs()?;
        let entries = Self::entries_of(&names, logs);
        match replay::history(entries, &model) {
            Ok(history) => Ok(history.into_iter().map(|(_, event)| event).collect()),
            Err(conflict) => Err(self.conflict_error(&names, &conflict)),
        }
    }

    /// The log names and each log's entries, in the order written.
    fn read_all_logs(&mut self) -> Result<(Vec<String>, Vec<Vec<Event>>), StoreError> {
        let names = self.log_names()?;
        let mut logs = Vec::with_capacity(names.len());
        for name in &names {
            logs.push(read_log(&self.paths.reviews.join(name))?);
        }
        Ok((names, logs))
    }

    fn entries_of(names: &[String], logs: Vec<Vec<Event>>) -> Vec<LogEntries<'_>> {
        names
            .iter()
            .zip(logs)
            .map(|(name, events)| LogEntries {
                name,
                clamp: None,
                events,
            })
            .collect()
    }

    /// Writes every distinct log entry in replay order, one JSON line each, as written (a
    /// retracted or undone entry too), plus the device whose log it is in, for `merge`.
    pub fn write_history(&mut self, out: &mut dyn Write) -> Result<usize, anyhow::Error> {
        if !self.paths.reviews.exists() {
            return Ok(0);
        }
        let _lock = self.lock(Mode::Shared)?;
        let (names, logs) = self.read_all_logs()?;
        let entries = Self::entries_of(&names, logs);
        let places = match replay::distinct_in_order(&entries) {
            Ok(places) => places,
            Err(conflict) => return Err(self.conflict_error(&names, &conflict).into()),
        };
        let history = replay::take_in_order(entries, &places);
        for (log, event) in &history {
            let mut line = LogLine::from(event);
            line.device = Some(device_of(&names[*log]).to_owned());
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
        Ok(history.len())
    }

    /// Takes back, with appended retractions, every entry that counts for the cards `forgets`
    /// selects, so that they start over as new on every machine. Returns how many entries that
    /// took back.
    pub fn forget(
        &mut self,
        forgets: impl Fn(&CardId) -> bool,
        when: Moment,
    ) -> Result<usize, anyhow::Error> {
        self.record(|_, store| {
            let mut by_card: BTreeMap<CardId, Vec<String>> = BTreeMap::new();
            for event in store.log()? {
                if forgets(&event.card) {
                    by_card.entry(event.card).or_default().push(event.id);
                }
            }
            let mut events = Vec::new();
            let mut count = 0;
            for (card, ids) in by_card {
                count += ids.len();
                // Lines of bounded length, whatever the history.
                for chunk in ids.chunks(RETRACT_CHUNK) {
                    let id = store.new_review_id();
                    events.push(answer::retraction(&card, chunk.to_vec(), when, id));
                }
            }
            Ok((events, count))
        })
    }

    /// Every log entry for `card` that counts, in replay order.
    pub fn history(&mut self, card: &CardId) -> Result<Vec<Event>, StoreError> {
        let mut log = self.log()?;
        log.retain(|e| &e.card == card);
        Ok(log)
    }

    /// Every entry of this machine's own log, in the order written.
    pub fn own_log(&mut self) -> Result<Vec<Event>, StoreError> {
        if !self.paths.device.exists() {
            return Ok(Vec::new());
        }
        let _lock = self.lock(Mode::Shared)?;
        let name = format!("{}.jsonl", self.device()?);
        read_log(&self.paths.reviews.join(name))
    }

    /// The review logs, by file name: every `*.jsonl` in `reviews/` that is a regular file. Any
    /// other thing of that name (a FIFO would block every reader) is skipped, with a warning.
    pub(super) fn log_names(&mut self) -> Result<Vec<String>, StoreError> {
        let (names, skipped) = regular_jsonl_files(&self.paths.reviews)?;
        for name in skipped {
            self.warnings.push(format!(
                "skipped {}: not a regular file",
                shown(&self.paths.reviews.join(name))
            ));
        }
        Ok(names)
    }

    /// This device's id, created on first use. Call only under the exclusive lock, or when the
    /// device file is known to exist.
    pub(super) fn device(&mut self) -> Result<String, StoreError> {
        if let Some(device) = &self.device {
            return Ok(device.clone());
        }
        let path = &self.paths.device;
        let device = match fs::read(path) {
            Ok(bytes) => parse_versioned_file::<DeviceFile>(path, &bytes, DEVICE_SCHEMA)?.device,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let device = format!("{:016x}", self.rng.next_u64());
                let file = DeviceFile {
                    schema: DEVICE_SCHEMA,
                    device: device.clone(),
                };
                let bytes = serde_json::to_vec(&file).unwrap_or_default();
                write_atomic(path, &bytes, self.rng.next_u64())?;
                device
            }
            Err(e) => return Err(io_error(path, "read")(e)),
        };
        if device.is_empty()
            || !device
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(StoreError::corrupt(
                path,
                None,
                "the device id must be letters, digits and '-'",
            ));
        }
        self.device = Some(device.clone());
        Ok(device)
    }

    /// Stamps entries, appends them to this device's log and fsyncs it. Call only under the
    /// exclusive lock, after `refresh`. On failure the log is cut back to where it was, so no
    /// partial line stays.
    pub(super) fn append(&mut self, events: &[Event]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let name = format!("{}.jsonl", self.device()?);
        let path = self.paths.reviews.join(&name);
        let cache = self.cache.get_or_insert_with(Cache::default);
        // Each entry after everything this machine has seen: the hybrid logical clock.
        let mut clock = cache.replay.latest.unwrap_or_default();
        let events: Vec<Event> = events
            .iter()
            .map(|event| {
                clock = clock.next(event.at.timestamp_millis());
                Event {
                    stamp: Some(clock),
                    ..event.clone()
                }
            })
            .collect();
        let text = encode_lines(&path, events.iter())?;
        let position = cache.read.get(&name).copied().unwrap_or_default();
        if let Some(&start) = cache.torn.get(&name) {
            set_aside_torn_tail(&path, start, &self.paths.torn, &name)?;
        }
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_error(&path, "open"))?;
        let written = file
            .write_all(text.as_bytes())
            .map_err(io_error(&path, "append to"))
            .and_then(|()| file.sync_data().map_err(io_error(&path, "sync")));
        if let Err(e) = written {
            let _ = file.set_len(position.bytes).and_then(|()| file.sync_data());
            return Err(e);
        }
        if !existed {
            sync_dir(&self.paths.reviews)?;
        }
        cache.torn.remove(&name);
        let entries = [LogEntries {
            name: &name,
            clamp: position.last_stamp(),
            events,
        }];
        let on_top = cache.apply_on_top(&entries);
        let mut read = LogPosition {
            bytes: position.bytes + text.len() as u64,
            lines: position.lines + entries[0].events.len() as u64,
            last: None,
            tail: super::refresh::last_line(text.as_bytes()).map(tail_of),
        };
        read.set_last(entries[0].last_stamp());
        cache.read.insert(name, read);
        // The entries are saved whatever happens now: a replay that fails here is done again
        // by the next refresh.
        if !on_top && self.replay_logs().is_err() {
            self.cache = None;
        }
        Ok(())
    }
}

/// The device whose entries a log holds, from its name: `<device>.jsonl`, or a copy of it that
/// a sync tool left (`<device>.sync-conflict-….jsonl`) or a merge made (`<device>-<16 hex>`).
/// Every machine names an entry's device the same way, whichever copies it has.
pub(super) fn device_of(log_name: &str) -> &str {
    let stem = log_name.strip_suffix(".jsonl").unwrap_or(log_name);
    let stem = stem.split_once('.').map_or(stem, |(device, _)| device);
    match stem.rsplit_once('-') {
        Some((device, side))
            if !device.is_empty()
                && side.len() == 16
                && side.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            device
        }
        _ => stem,
    }
}

/// Entries as log lines, each ending in a newline.
pub(super) fn encode_lines<'a>(
    path: &Path,
    events: impl Iterator<Item = &'a Event>,
) -> Result<String, StoreError> {
    let mut text = String::new();
    for event in events {
        let line = serde_json::to_string(&LogLine::from(event)).map_err(|e| StoreError::Io {
            action: "encode",
            path: path.to_path_buf(),
            source: io::Error::other(e),
        })?;
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}

pub(super) fn read_from(path: &Path, offset: u64) -> Result<Vec<u8>, StoreError> {
    let mut file = File::open(path).map_err(io_error(path, "read"))?;
    file.seek(SeekFrom::Start(offset))
        .map_err(io_error(path, "read"))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(io_error(path, "read"))?;
    Ok(bytes)
}

/// Parses the complete lines of a log chunk that starts after `lines_before` lines. Returns the
/// entries, the bytes consumed (up to the last newline) and the lines consumed.
pub(super) fn parse_log(
    path: &Path,
    bytes: &[u8],
    lines_before: u64,
) -> Result<(Vec<Event>, u64, u64), StoreError> {
    let complete = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    let mut events = Vec::new();
    let mut number = lines_before;
    let mut damage = Damage::default();
    for raw in super::lines::lines(&bytes[..complete]) {
        number += 1;
        events.extend(damage.line(number, raw, || parse_line(path, number, raw))?);
    }
    damage.check()?;
    Ok((events, complete as u64, number - lines_before))
}

/// Every entry of a whole log file, read a chunk at a time. An incomplete last line (a write
/// cut short) was never acknowledged and is left out, as `parse_log` does.
pub(super) fn read_log(path: &Path) -> Result<Vec<Event>, StoreError> {
    Ok(read_whole_log(path)?.events)
}

/// A whole log as `read_log` reads it, with how far its complete lines go.
pub(super) struct WholeLog {
    pub events: Vec<Event>,
    /// Bytes and lines of the complete lines.
    pub bytes: u64,
    pub lines: u64,
    /// The last complete line, newline included.
    pub last_line: Option<Vec<u8>>,
    /// Whether an incomplete last line follows them.
    pub torn: bool,
}

pub(super) fn read_whole_log(path: &Path) -> Result<WholeLog, StoreError> {
    let mut whole = WholeLog {
        events: Vec::new(),
        bytes: 0,
        lines: 0,
        last_line: None,
        torn: false,
    };
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(whole),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    // Each line is parsed when the next one begins, so the last one can be told apart.
    let mut pending = Vec::new();
    let mut started = false;
    let mut damage = Damage::default();
    let ended = super::lines::for_each_line(path, file, |line| {
        if started {
            whole.lines += 1;
            whole.bytes += pending.len() as u64 + 1;
            let number = whole.lines;
            let parsed = damage.line(number, &pending, || parse_line(path, number, &pending))?;
            whole.events.extend(parsed);
        }
        started = true;
        pending.clear();
        pending.extend_from_slice(line);
        Ok(())
    })?;
    if started {
        if ended {
            whole.lines += 1;
            whole.bytes += pending.len() as u64 + 1;
            let number = whole.lines;
            let parsed = damage.line(number, &pending, || parse_line(path, number, &pending))?;
            whole.events.extend(parsed);
            pending.push(b'\n');
            whole.last_line = Some(pending);
        } else {
            whole.torn = true;
        }
    }
    damage.check()?;
    Ok(whole)
}

/// How far the complete lines of a log go, and whether an incomplete one follows.
pub(super) struct Extent {
    pub bytes: u64,
    pub torn: bool,
}

/// The extent of any log, without parsing it.
pub(super) fn read_whole_log_bytes(path: &Path) -> Result<Extent, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    let complete = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
    Ok(Extent {
        bytes: complete as u64,
        torn: complete < bytes.len(),
    })
}

/// One log line: an entry, nothing for a blank line, or the error that names it.
pub(super) fn parse_one(path: &Path, number: u64, raw: &[u8]) -> Result<Option<Event>, StoreError> {
    parse_line(path, number, raw)
}

fn parse_line(path: &Path, number: u64, raw: &[u8]) -> Result<Option<Event>, StoreError> {
    parse_record(path, number, raw, |line| line.into_event())
}

/// One line of a log or an exported history, turned into an entry by `into`.
pub(super) fn parse_record<T>(
    path: &Path,
    number: u64,
    raw: &[u8],
    into: impl FnOnce(LogLine) -> Result<T, String>,
) -> Result<Option<T>, StoreError> {
    let corrupt = |reason: String| StoreError::corrupt(path, Some(number), reason);
    let text = std::str::from_utf8(raw).map_err(|_| corrupt("not valid UTF-8".to_owned()))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let line: LogLine = match serde_json::from_str(text) {
        Ok(line) => line,
        Err(e) => {
            if let Ok(version) = serde_json::from_str::<LineVersion>(text)
                && version.v > LOG_SCHEMA
            {
                return Err(newer(path, Some(number), version.v, LOG_SCHEMA));
            }
            return Err(StoreError::bad_json::<LogLine>(
                path,
                number,
                "not a review record",
                raw,
                &e,
            ));
        }
    };
    if line.v > LOG_SCHEMA {
        return Err(newer(path, Some(number), line.v, LOG_SCHEMA));
    }
    into(line).map(Some).map_err(corrupt)
}

/// The `*.jsonl` files in `dir` that are regular files, sorted, and the names of those that are
/// something else.
pub(super) fn regular_jsonl_files(dir: &Path) -> Result<(Vec<String>, Vec<String>), StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(io_error(dir, "list")(e)),
    };
    let (mut names, mut skipped) = (Vec::new(), Vec::new());
    for entry in entries {
        let entry = entry.map_err(io_error(dir, "list"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".jsonl") || name.starts_with('.') {
            continue;
        }
        if super::refresh::is_regular(&entry.path()) {
            names.push(name);
        } else {
            skipped.push(name);
        }
    }
    names.sort();
    skipped.sort();
    Ok((names, skipped))
}

/// The line number of the `index`th entry (0-based, blank lines skipped) of a log, for errors.
pub(super) fn line_of_entry(path: &Path, index: usize) -> Option<u64> {
    let file = File::open(path).ok()?;
    let (mut number, mut entries, mut found) = (0u64, 0usize, None);
    let _ = super::lines::for_each_line(path, file, |line| {
        number += 1;
        if found.is_none() && !line.iter().all(u8::is_ascii_whitespace) {
            if entries == index {
                found = Some(number);
            }
            entries += 1;
        }
        Ok(())
    });
    found
}

/// Moves an incomplete last line out of a log (into `torn_dir`, for inspection) and cuts the log
/// back to its last complete line, so the next append starts on a line of its own.
pub(super) fn set_aside_torn_tail(
    log: &Path,
    start: u64,
    torn_dir: &Path,
    name: &str,
) -> Result<(), StoreError> {
    let fragment = read_from(log, start)?;
    create_dir_all(torn_dir)?;
    let kept = torn_dir.join(format!("{name}.{start}"));
    fs::write(&kept, &fragment).map_err(io_error(&kept, "write"))?;
    let file = OpenOptions::new()
        .write(true)
        .open(log)
        .map_err(io_error(log, "open"))?;
    file.set_len(start).map_err(io_error(log, "truncate"))?;
    file.sync_data().map_err(io_error(log, "sync"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{self, Moment};
    use crate::model::{Grade, Graded, ReviewKind};

    fn some_log() -> Vec<u8> {
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap();
        let when = Moment {
            at,
            day_start_hour: 4,
            max_interval: crate::sm2::MAX_INTERVAL,
        };
        let mut bytes = Vec::new();
        let mut before = None;
        for (i, card) in ["api/rest", "sql/joins", "api/rest"].iter().enumerate() {
            let graded = Graded {
                grade: Grade::new(4).unwrap(),
                elapsed_ms: Some(900),
                response: Some("a \"quoted\"\nanswer".to_owned()),
                coverage: None,
                mock: None,
            };
            let card = card.parse().unwrap();
            let event = answer::answer(
                &card,
                graded,
                ReviewKind::Scheduled,
                before.as_ref(),
                when,
                format!("{i:032x}"),
                &crate::memory::Model::default(),
            );
            before = event.after().copied();
            let event = Event {
                stamp: Some(crate::model::Stamp {
                    millis: at.timestamp_millis(),
                    counter: i as u32,
                }),
                ..event
            };
            serde_json::to_writer(&mut bytes, &LogLine::from(&event)).unwrap();
            bytes.push(b'\n');
        }
        bytes
    }

    #[test]
    fn an_entry_is_named_after_its_device_whichever_copy_of_the_log_holds_it() {
        for name in [
            "0123456789abcdef.jsonl",
            "0123456789abcdef.sync-conflict-20260308-101010-ABCDEFG.jsonl",
            "0123456789abcdef-af63f54c86021707.jsonl",
        ] {
            assert_eq!(device_of(name), "0123456789abcdef", "{name}");
        }
        assert_eq!(device_of("laptop.jsonl"), "laptop");
    }

    #[test]
    fn a_log_read_whole_or_a_chunk_at_a_time_gives_the_same_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        let log = some_log();
        for (cut, entries) in [
            (log.len(), 3),
            (log.len() - 1, 2),
            (log.len() - 40, 2),
            (0, 0),
        ] {
            // A file cut short by a crash: its last line is incomplete.
            std::fs::write(&path, &log[..cut]).unwrap();
            let (whole, bytes, lines) = parse_log(&path, &log[..cut], 0).unwrap();
            assert_eq!(whole.len(), entries, "cut at {cut}");
            assert_eq!(read_log(&path).unwrap(), whole, "cut at {cut}");
            let chunked = read_whole_log(&path).unwrap();
            assert_eq!(
                (chunked.bytes, chunked.lines),
                (bytes, lines),
                "cut at {cut}"
            );
            assert_eq!(chunked.torn, bytes < cut as u64, "cut at {cut}");
        }
        assert_eq!(read_log(&path.with_extension("gone")).unwrap(), vec![]);
    }
}
