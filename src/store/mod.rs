//! The data dir: the only code that knows the files on disk, their JSON and their versions.
//!
//! Layout (see ARCHITECTURE.md):
//! - `reviews/<device>.jsonl`: append-only review logs, one per device, the source of truth;
//! - `decks/<deck>.json`: imported decks;
//! - `plan.json`: the interview date, if one is set;
//! - `local/snapshot.json`: every card's state, a checkpoint derived from the logs;
//! - `local/device.json`, `local/lock`, `local/torn/`: this machine's own files.
//!
//! An answer is acknowledged only after its log line is fsynced. The snapshot may lag behind the
//! logs (it records how many bytes of each it reflects); loading replays the rest. Nothing here
//! decides what to review or how to schedule it.

mod fsutil;
mod lock;
mod records;

pub mod config;
pub mod decks;
mod plan;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::model::{CardId, Event, ReviewState, StudyDay};
use fsutil::{create_dir_all, io_error, remove_stale_temps, sync_dir, write_atomic};
pub(crate) use lock::Lock;
use lock::Mode;
use records::{
    DEVICE_SCHEMA, DeviceFile, FileVersion, LOG_SCHEMA, LineVersion, LogLine, LogPosition,
    SNAPSHOT_SCHEMA, SnapshotFile, StateRecord,
};

/// Once the logs hold this many bytes the snapshot does not reflect, a writer rewrites it, so
/// that loading never replays more than about this much.
const CHECKPOINT_BYTES: u64 = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{}{}: {reason}; the file was left untouched", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Corrupt {
        path: PathBuf,
        line: Option<u64>,
        reason: String,
    },
    #[error(
        "{}{} was written by a newer hone (format version {found}; this hone reads up to {supported}); upgrade hone to use this data dir; the file was left untouched",
        path.display(), line.map(|l| format!(":{l}")).unwrap_or_default()
    )]
    NewerSchema {
        path: PathBuf,
        line: Option<u64>,
        found: u32,
        supported: u32,
    },
    #[error("data dir busy: another hone process held {} for {}s; try again", path.display(), waited.as_secs_f32())]
    Busy { path: PathBuf, waited: Duration },
}

struct Paths {
    root: PathBuf,
    reviews: PathBuf,
    decks: PathBuf,
    local: PathBuf,
    snapshot: PathBuf,
    device: PathBuf,
    lock: PathBuf,
    torn: PathBuf,
}

impl Paths {
    fn new(root: PathBuf) -> Self {
        let local = root.join("local");
        Paths {
            reviews: root.join("reviews"),
            decks: root.join("decks"),
            snapshot: local.join("snapshot.json"),
            device: local.join("device.json"),
            lock: local.join("lock"),
            torn: local.join("torn"),
            local,
            root,
        }
    }
}

/// What has been read of the logs, kept between locks so each refresh reads only what is new.
#[derive(Default)]
struct Cache {
    state: ReviewState,
    /// Per log file name: how much has been applied to `state`.
    read: BTreeMap<String, LogPosition>,
    /// Per log file name: how much the snapshot on disk reflects.
    snapshot: BTreeMap<String, LogPosition>,
    /// Per log file name: where an incomplete last line (a write cut short by a crash) starts.
    torn: BTreeMap<String, u64>,
}

impl Cache {
    fn unsnapshotted_bytes(&self) -> u64 {
        self.read
            .iter()
            .map(|(name, pos)| {
                pos.bytes
                    - self
                        .snapshot
                        .get(name)
                        .map_or(0, |s| s.bytes.min(pos.bytes))
            })
            .sum()
    }
}

pub struct Store {
    paths: Paths,
    lock_timeout: Duration,
    rng: StdRng,
    cache: Option<Cache>,
    device: Option<String>,
    warnings: Vec<String>,
}

impl Store {
    /// A store rooted at `root`. Nothing is read or created until it is needed; `seed` makes
    /// review ids, device ids and temporary names unique.
    pub fn new(root: PathBuf, lock_timeout: Duration, seed: u64) -> Store {
        Store {
            paths: Paths::new(root),
            lock_timeout,
            rng: StdRng::seed_from_u64(seed),
            cache: None,
            device: None,
            warnings: Vec::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.paths.root
    }

    /// Problems that were worked around and that the user should hear about; drained on read.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// A fresh id for a review: 128 random bits, so ids from two devices never collide.
    pub fn new_review_id(&mut self) -> String {
        format!("{:016x}{:016x}", self.rng.next_u64(), self.rng.next_u64())
    }

    fn lock(&self, mode: Mode) -> Result<Lock, StoreError> {
        Lock::acquire(&self.paths.lock, mode, self.lock_timeout)
    }

    /// Everything the review logs say, as of now.
    pub fn state(&mut self) -> Result<&ReviewState, StoreError> {
        if self.paths.root.exists() {
            let _lock = self.lock(Mode::Shared)?;
            self.refresh()?;
        }
        Ok(&self.cache.get_or_insert_with(Cache::default).state)
    }

    /// Records log entries durably. `decide` sees the current state (another process may have
    /// written since the last look) and returns the entries to log; they are on disk, fsynced,
    /// when this returns `Ok`, and only then are they reflected in `state`.
    pub fn record<T>(
        &mut self,
        decide: impl FnOnce(&ReviewState, &mut Self) -> Result<(Vec<Event>, T), anyhow::Error>,
    ) -> Result<T, anyhow::Error> {
        self.prepare_dirs()?;
        let _lock = self.lock(Mode::Exclusive)?;
        self.refresh()?;
        let state = std::mem::take(&mut self.cache.get_or_insert_with(Cache::default).state);
        let decided = decide(&state, self);
        if let Some(cache) = self.cache.as_mut() {
            cache.state = state;
        }
        let (events, value) = decided?;
        self.append(&events)?;
        if self
            .cache
            .as_ref()
            .is_some_and(|c| c.unsnapshotted_bytes() >= CHECKPOINT_BYTES)
        {
            self.write_snapshot()?;
        }
        Ok(value)
    }

    /// Rewrites the snapshot if the logs hold anything it does not reflect. Call when a batch of
    /// work ends, so the next process starts from a short replay.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        if !self.paths.reviews.is_dir() {
            return Ok(());
        }
        let _lock = self.lock(Mode::Exclusive)?;
        self.refresh()?;
        if self
            .cache
            .as_ref()
            .is_some_and(|c| c.unsnapshotted_bytes() > 0)
        {
            self.write_snapshot()?;
        }
        Ok(())
    }

    /// Every entry of every log, oldest first (entries at the same moment in log order).
    pub fn log(&mut self) -> Result<Vec<Event>, StoreError> {
        let mut found = Vec::new();
        if !self.paths.reviews.exists() {
            return Ok(found);
        }
        let _lock = self.lock(Mode::Shared)?;
        for name in self.log_names()? {
            let path = self.paths.reviews.join(&name);
            let bytes = fs::read(&path).map_err(io_error(&path, "read"))?;
            found.extend(parse_log(&path, &bytes, 0)?.0);
        }
        found.sort_by_key(|e| e.at);
        Ok(found)
    }

    /// Writes every log entry, oldest first, one JSON line each in the log's own format.
    pub fn write_history(&mut self, out: &mut dyn Write) -> Result<usize, anyhow::Error> {
        let log = self.log()?;
        for event in &log {
            serde_json::to_writer(&mut *out, &LogLine::from(event))?;
            out.write_all(b"\n")?;
        }
        Ok(log.len())
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
            let mut text = String::new();
            for event in kept {
                let line =
                    serde_json::to_string(&LogLine::from(event)).map_err(|e| StoreError::Io {
                        action: "encode",
                        path: path.clone(),
                        source: io::Error::other(e),
                    })?;
                text.push_str(&line);
                text.push('\n');
            }
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
        let path = self.paths.reviews.join(name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&path, "read")(e)),
        };
        Ok(parse_log(&path, &bytes, 0)?.0)
    }

    fn prepare_dirs(&self) -> Result<(), StoreError> {
        for dir in [&self.paths.reviews, &self.paths.local] {
            if !dir.is_dir() {
                create_dir_all(dir)?;
            }
        }
        Ok(())
    }

    fn log_names(&self) -> Result<Vec<String>, StoreError> {
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

    /// Brings the cache up to date with the files. Call only under a lock.
    fn refresh(&mut self) -> Result<(), StoreError> {
        if self.cache.is_none() {
            self.cache = Some(self.read_snapshot()?);
        }
        let names = self.log_names()?;
        let cache = self.cache.get_or_insert_with(Cache::default);
        let vanished = cache.read.keys().any(|n| !names.contains(n));
        let mut shrunk = false;
        let mut sizes = Vec::with_capacity(names.len());
        for name in &names {
            let path = self.paths.reviews.join(name);
            let size = fs::metadata(&path).map_err(io_error(&path, "read"))?.len();
            shrunk |= size < cache.read.get(name).map_or(0, |p| p.bytes);
            sizes.push(size);
        }
        if vanished || shrunk {
            // A log was replaced behind our back: the snapshot no longer describes it, so start
            // over from the logs themselves.
            self.warnings.push(format!(
                "a review log in {} changed outside hone; rebuilt the state from the logs",
                self.paths.reviews.display()
            ));
            *cache = Cache::default();
        }
        cache.torn.clear();
        for (name, size) in names.iter().zip(sizes) {
            let position = cache.read.get(name).copied().unwrap_or_default();
            if size == position.bytes {
                continue;
            }
            let path = self.paths.reviews.join(name);
            let tail = read_from(&path, position.bytes)?;
            let (events, consumed, lines) = parse_log(&path, &tail, position.lines)?;
            for event in &events {
                cache.state.apply(event);
            }
            let read = LogPosition {
                bytes: position.bytes + consumed,
                lines: position.lines + lines,
            };
            cache.read.insert(name.clone(), read);
            if consumed < tail.len() as u64 {
                cache.torn.insert(name.clone(), read.bytes);
                self.warnings.push(format!(
                    "{}:{}: ignored an incomplete last line, left by a write that was cut short; it was never acknowledged",
                    path.display(),
                    read.lines + 1
                ));
            }
        }
        Ok(())
    }

    fn read_snapshot(&self) -> Result<Cache, StoreError> {
        let path = &self.paths.snapshot;
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Cache::default()),
            Err(e) => return Err(io_error(path, "read")(e)),
        };
        let file: SnapshotFile = parse_versioned_file(path, &bytes, SNAPSHOT_SCHEMA)?;
        let corrupt = |id: &str, reason: String| StoreError::Corrupt {
            path: path.clone(),
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
        Ok(Cache {
            state,
            read: file.logs.clone(),
            snapshot: file.logs,
            torn: BTreeMap::new(),
        })
    }

    /// Writes the snapshot of the cache. Call only under the exclusive lock, after `refresh`.
    fn write_snapshot(&mut self) -> Result<(), StoreError> {
        let Some(cache) = self.cache.as_mut() else {
            return Ok(());
        };
        let file = SnapshotFile {
            schema: SNAPSHOT_SCHEMA,
            logs: cache.read.clone(),
            cards: cache
                .state
                .cards
                .iter()
                .map(|(id, s)| (id.to_string(), StateRecord::from(s)))
                .collect(),
            suspended: cache
                .state
                .suspended
                .iter()
                .map(CardId::to_string)
                .collect(),
            active_days: cache.state.active_days.iter().map(|d| d.date()).collect(),
        };
        let mut bytes = serde_json::to_vec(&file).map_err(|e| StoreError::Io {
            action: "encode",
            path: self.paths.snapshot.clone(),
            source: io::Error::other(e),
        })?;
        bytes.push(b'\n');
        remove_stale_temps(&self.paths.snapshot);
        write_atomic(&self.paths.snapshot, &bytes, self.rng.next_u64())?;
        cache.snapshot = cache.read.clone();
        Ok(())
    }

    /// This device's id, created on first use. Call only under the exclusive lock.
    fn device(&mut self) -> Result<String, StoreError> {
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
    fn append(&mut self, events: &[Event]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let name = format!("{}.jsonl", self.device()?);
        let path = self.paths.reviews.join(&name);
        let mut text = String::new();
        for event in events {
            let line =
                serde_json::to_string(&LogLine::from(event)).map_err(|e| StoreError::Io {
                    action: "encode",
                    path: path.clone(),
                    source: io::Error::other(e),
                })?;
            text.push_str(&line);
            text.push('\n');
        }
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
        for event in events {
            cache.state.apply(event);
        }
        cache.read.insert(
            name,
            LogPosition {
                bytes: position.bytes + text.len() as u64,
                lines: position.lines + events.len() as u64,
            },
        );
        Ok(())
    }

    pub(crate) fn decks_dir(&self) -> &Path {
        &self.paths.decks
    }

    pub(crate) fn exclusive(&self) -> Result<Lock, StoreError> {
        self.prepare_dirs()?;
        self.lock(Mode::Exclusive)
    }

    pub(crate) fn shared(&self) -> Result<Lock, StoreError> {
        self.lock(Mode::Shared)
    }

    pub(crate) fn unique(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

fn read_from(path: &Path, offset: u64) -> Result<Vec<u8>, StoreError> {
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
fn parse_log(
    path: &Path,
    bytes: &[u8],
    lines_before: u64,
) -> Result<(Vec<Event>, u64, u64), StoreError> {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut events = Vec::new();
    let mut number = lines_before;
    let lines = match complete {
        0 => None,
        _ => Some(bytes[..complete - 1].split(|&b| b == b'\n')),
    };
    for raw in lines.into_iter().flatten() {
        number += 1;
        let corrupt = |reason: String| StoreError::Corrupt {
            path: path.to_path_buf(),
            line: Some(number),
            reason,
        };
        let text = std::str::from_utf8(raw).map_err(|_| corrupt("not valid UTF-8".to_owned()))?;
        if text.trim().is_empty() {
            continue;
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
        events.push(line.into_event().map_err(corrupt)?);
    }
    Ok((events, complete as u64, number - lines_before))
}

fn newer(path: &Path, line: Option<u64>, found: u32, supported: u32) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_path_buf(),
        line,
        found,
        supported,
    }
}

/// Parses a whole JSON file that carries `"schema": N`, telling a newer format from damage.
fn parse_versioned_file<T: serde::de::DeserializeOwned + HasSchema>(
    path: &Path,
    bytes: &[u8],
    supported: u32,
) -> Result<T, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: None,
        reason,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(corrupt("the file is empty".to_owned()));
    }
    if bytes.iter().all(|&b| b == 0) {
        return Err(corrupt("the file holds only zero bytes".to_owned()));
    }
    match serde_json::from_slice::<T>(bytes) {
        Ok(file) if file.schema() > supported => Err(newer(path, None, file.schema(), supported)),
        Ok(file) => Ok(file),
        Err(e) => match serde_json::from_slice::<FileVersion>(bytes) {
            Ok(v) if v.schema > supported => Err(newer(path, None, v.schema, supported)),
            _ => Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                line: Some(e.line() as u64),
                reason: format!("not a valid hone file: {e}"),
            }),
        },
    }
}

trait HasSchema {
    fn schema(&self) -> u32;
}

impl HasSchema for SnapshotFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

impl HasSchema for DeviceFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

/// Moves an incomplete last line out of a log (into `torn_dir`, for inspection) and cuts the log
/// back to its last complete line, so the next append starts on a line of its own.
fn set_aside_torn_tail(
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
