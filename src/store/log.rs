//! The review logs: `reviews/<device>.jsonl`, one JSON line per entry, appended and fsynced.
//! Reading them, appending to this device's one, and the rare rewrite of `--purge`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use rand::Rng;

use super::files::{newer, parse_versioned_file};
use super::fsutil::{create_dir_all, io_error, sync_dir, write_atomic};
use super::lock::Mode;
use super::records::{DEVICE_SCHEMA, DeviceFile, LOG_SCHEMA, LineVersion, LogLine, LogPosition};
use super::{Cache, Store, StoreError};
use crate::model::{CardId, Event};
use crate::replay::{self, LogEntries};

/// Entries in replay order, each with the index of its log.
type History = Vec<(usize, Event)>;

impl Store {
    /// Every entry of every log in replay order, once each, reviews with the states the replay
    /// computes (`replay::history`).
    pub fn log(&mut self) -> Result<Vec<Event>, StoreError> {
        let (_, history) = self.history_by_log()?;
        Ok(history.into_iter().map(|(_, event)| event).collect())
    }

    /// The log names, and every entry in replay order with the index of its log's name.
    fn history_by_log(&mut self) -> Result<(Vec<String>, History), StoreError> {
        if !self.paths.reviews.exists() {
            return Ok((Vec::new(), Vec::new()));
        }
        let _lock = self.lock(Mode::Shared)?;
        let names = self.log_names()?;
        let mut logs = Vec::with_capacity(names.len());
        for name in &names {
            logs.push(LogEntries {
                name,
                clamp: None,
                events: read_log(&self.paths.reviews.join(name))?,
            });
        }
        let history = replay::history(logs);
        Ok((names, history))
    }

    /// Writes every log entry in replay order, one JSON line each in the log's own format plus
    /// the device whose log it is in, for `merge`.
    pub fn write_history(&mut self, out: &mut dyn Write) -> Result<usize, anyhow::Error> {
        let (names, history) = self.history_by_log()?;
        for (log, event) in &history {
            let mut line = LogLine::from(event);
            line.device = names[*log].strip_suffix(".jsonl").map(str::to_owned);
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
        Ok(history.len())
    }

    /// Deletes, for good, every log entry for the cards `purged` selects, from every log, and the
    /// snapshot, which is rebuilt from what remains. Returns how many entries went.
    pub fn purge(&mut self, purged: impl Fn(&CardId) -> bool) -> Result<usize, StoreError> {
        let _lock = self.lock(Mode::Exclusive)?;
        let mut removed = 0;
        for name in self.log_names()? {
            let path = self.paths.reviews.join(&name);
            let bytes = fs::read(&path).map_err(io_error(&path, "read"))?;
            let (events, _, _) = parse_log(&path, &bytes, 0)?;
            let kept: Vec<&Event> = events.iter().filter(|e| !purged(&e.card)).collect();
            if kept.len() == events.len() {
                continue;
            }
            removed += events.len() - kept.len();
            let text = encode_lines(&path, kept.into_iter())?;
            write_atomic(&path, text.as_bytes(), self.rng.next_u64())?;
        }
        if removed > 0 {
            match fs::remove_file(&self.paths.snapshot) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&self.paths.snapshot, "remove")(e)),
            }
            self.cache = None;
        }
        Ok(removed)
    }

    /// Every log entry for `card`, oldest first.
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

    pub(super) fn log_names(&self) -> Result<Vec<String>, StoreError> {
        let entries = match fs::read_dir(&self.paths.reviews) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.paths.reviews, "list")(e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error(&self.paths.reviews, "list"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".jsonl") && !name.starts_with('.') {
                names.push(name);
            }
        }
        names.sort();
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
            return Err(StoreError::Corrupt {
                path: path.clone(),
                line: None,
                reason: "the device id must be letters, digits and '-'".to_owned(),
            });
        }
        self.device = Some(device.clone());
        Ok(device)
    }

    /// Appends entries to this device's log and fsyncs it. Call only under the exclusive lock,
    /// after `refresh`. On failure the log is cut back to where it was, so no partial line stays.
    pub(super) fn append(&mut self, events: &[Event]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let name = format!("{}.jsonl", self.device()?);
        let path = self.paths.reviews.join(&name);
        let text = encode_lines(&path, events.iter())?;
        let cache = self.cache.get_or_insert_with(Cache::default);
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
            clamp: position.last,
            events: events.to_vec(),
        }];
        let on_top = cache.apply_on_top(&entries);
        let read = LogPosition {
            bytes: position.bytes + text.len() as u64,
            lines: position.lines + events.len() as u64,
            last: entries[0].last_moment(),
        };
        cache.read.insert(name, read);
        // The entries are saved whatever happens now: a replay that fails here is done again
        // by the next refresh.
        if !on_top && self.replay_logs().is_err() {
            self.cache = None;
        }
        Ok(())
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
    for raw in super::lines::lines(&bytes[..complete]) {
        number += 1;
        events.extend(parse_line(path, number, raw)?);
    }
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
    /// Whether an incomplete last line follows them.
    pub torn: bool,
}

pub(super) fn read_whole_log(path: &Path) -> Result<WholeLog, StoreError> {
    let mut whole = WholeLog {
        events: Vec::new(),
        bytes: 0,
        lines: 0,
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
    let ended = super::lines::for_each_line(path, file, |line| {
        if started {
            whole.lines += 1;
            whole.bytes += pending.len() as u64 + 1;
            whole
                .events
                .extend(parse_line(path, whole.lines, &pending)?);
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
            whole
                .events
                .extend(parse_line(path, whole.lines, &pending)?);
        } else {
            whole.torn = true;
        }
    }
    Ok(whole)
}

/// One log line: an entry, nothing for a blank line, or the error that names it.
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
    let corrupt = |reason: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: Some(number),
        reason,
    };
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
            return Err(corrupt(format!("not a review record: {e}")));
        }
    };
    if line.v > LOG_SCHEMA {
        return Err(newer(path, Some(number), line.v, LOG_SCHEMA));
    }
    into(line).map(Some).map_err(corrupt)
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
        };
        let mut bytes = Vec::new();
        let mut before = None;
        for (i, card) in ["api/rest", "sql/joins", "api/rest"].iter().enumerate() {
            let graded = Graded {
                grade: Grade::new(4).unwrap(),
                elapsed_ms: Some(900),
                response: Some("a \"quoted\"\nanswer".to_owned()),
            };
            let card = card.parse().unwrap();
            let event = answer::answer(
                &card,
                graded,
                ReviewKind::Scheduled,
                before.as_ref(),
                when,
                format!("{i:032x}"),
            );
            before = event.after().copied();
            serde_json::to_writer(&mut bytes, &LogLine::from(&event)).unwrap();
            bytes.push(b'\n');
        }
        bytes
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
