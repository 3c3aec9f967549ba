//! The data dir: the only code that knows the files on disk, their JSON and their versions.
//!
//! Layout (see ARCHITECTURE.md):
//! - `reviews/<device>.jsonl`: append-only review logs, one per device, the source of truth;
//! - `curriculum/<device>.jsonl`: append-only logs of changes to what is studied (imported decks
//!   card by card, decks in or out of reviews, the interview plan), one per device;
//! - `decks/`, `deck-settings.json`, `plan.json`: the same, as older hones kept them; read, and
//!   moved into a curriculum log by the first change;
//! - `parameters/<device>.jsonl`: the FSRS parameters `hone optimize` fitted, appended;
//! - `local/snapshot.json`: every card's state, a checkpoint derived from the logs;
//! - `local/due-count.json`: recent `due --count` results with their inputs (`memo`);
//! - `local/device.json`, `local/lock`, `local/torn/`, `local/damaged/`, `local/backups/`: this
//!   machine's own files.
//!
//! An answer is acknowledged only after its log line is fsynced. The snapshot may lag behind the
//! logs (it records how many bytes of each it reflects); loading replays the rest. A damaged
//! snapshot is set aside and rebuilt from the logs; a damaged log line is reported and refused.
//! Nothing here decides what to review or how to schedule it.

mod backup;
pub mod config;
mod curriculum;
mod curriculum_index;
mod curriculum_line;
mod curriculum_write;
mod damage;
mod doctor;
mod files;
mod fsutil;
mod legacy;
mod lines;
mod lock;
mod log;
mod memo;
mod merge;
mod parameters;
mod records;
mod refresh;
mod restore;
mod shared;
mod snapshot;

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::memory::{Model, Scheduler};
use crate::model::{Event, ReviewState};
use crate::replay::Replay;
pub use backup::{BACKUP_EVERY_MINUTES, BackupInfo};
pub use doctor::{Check, Status};
use fsutil::{create_dir_all, io_error, sync_dir};
pub(crate) use lock::Lock;
use lock::{LockState, Mode};
pub use memo::Fingerprint;
pub use merge::MergeReport;
pub use parameters::Fitted;
use records::LogPosition;
pub use restore::RestoreReport;

/// Once the logs hold this many bytes the snapshot does not reflect (or as many as the snapshot
/// itself holds, if that is more), a writer rewrites it. Loading then never replays more than
/// about as much as it parses, and rewriting a large snapshot is paid for by at least as many
/// bytes of answers: O(1) per answer.
const CHECKPOINT_BYTES: u64 = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {}: {source}", shown(path))]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("{}{}: {reason}; the file was left untouched", shown(path), position(*line, *column))]
    Corrupt {
        path: PathBuf,
        line: Option<u64>,
        /// In characters, where the damage is known to that precision.
        column: Option<u64>,
        reason: String,
    },
    #[error(
        "{}{} was written by a newer hone (format version {found}; this hone reads up to {supported}); upgrade hone to use this data dir; the file was left untouched",
        shown(path), line.map(|l| format!(":{l}")).unwrap_or_default()
    )]
    NewerSchema {
        path: PathBuf,
        line: Option<u64>,
        found: u32,
        supported: u32,
    },
    #[error("data dir busy: another hone process held {} for {}s; try again", shown(path), waited.as_secs_f32())]
    Busy { path: PathBuf, waited: Duration },
    #[error("{0}")]
    Refused(String),
}

/// `:line` or `:line:column`, after a file name.
fn position(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        (None, _) => String::new(),
    }
}

impl StoreError {
    /// Damage in `path`, at `line` if it is known.
    pub(crate) fn corrupt(path: &Path, line: Option<u64>, reason: impl Into<String>) -> Self {
        StoreError::Corrupt {
            path: path.to_path_buf(),
            line,
            column: None,
            reason: reason.into(),
        }
    }

    /// JSON that did not parse as a `T`, starting at line `first_line` of `path`: one position
    /// (the file's line and column), the field a wrong value is in, and words instead of the
    /// parser's own message, which carries a second position counted from the start of the JSON.
    pub(crate) fn bad_json<T: serde::de::DeserializeOwned>(
        path: &Path,
        first_line: u64,
        what: &str,
        json: &[u8],
        error: &serde_json::Error,
    ) -> Self {
        let text = String::from_utf8_lossy(json);
        // Parsed again, on this error path only, to learn the name of the field.
        let problem = crate::input::from_json::<T>(&text)
            .err()
            .unwrap_or_else(|| crate::input::json_problem(error, &text));
        StoreError::Corrupt {
            path: path.to_path_buf(),
            line: Some(first_line + problem.line as u64 - 1),
            column: Some(problem.column as u64),
            reason: format!("{what}: {}", problem.words),
        }
    }
}

/// A path as it may be shown on a terminal: control characters escaped.
pub fn shown(path: &Path) -> String {
    crate::render::safe::visible(&path.display().to_string()).into_owned()
}

/// How much of each card to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Ids, kinds, tags, points and retirement: what queues, counts and statistics need.
    Index,
    /// Everything, question and answer text included.
    Full,
}

struct Paths {
    root: PathBuf,
    reviews: PathBuf,
    curriculum: PathBuf,
    decks: PathBuf,
    local: PathBuf,
    snapshot: PathBuf,
    device: PathBuf,
    lock: PathBuf,
    torn: PathBuf,
    damaged: PathBuf,
    backups: PathBuf,
}

impl Paths {
    fn new(root: PathBuf) -> Self {
        let local = root.join("local");
        Paths {
            reviews: root.join("reviews"),
            curriculum: root.join("curriculum"),
            decks: root.join("decks"),
            snapshot: local.join("snapshot.json"),
            device: local.join("device.json"),
            lock: local.join("lock"),
            torn: local.join("torn"),
            damaged: local.join("damaged"),
            backups: local.join("backups"),
            local,
            root,
        }
    }
}

/// What has been read of the logs, kept between locks so each refresh reads only what is new.
#[derive(Default)]
struct Cache {
    replay: Replay,
    /// Per log file name: how much has been applied to `state`.
    read: BTreeMap<String, LogPosition>,
    /// Per log file name: how much the snapshot on disk reflects.
    snapshot: BTreeMap<String, LogPosition>,
    /// Per log file name: where an incomplete last line (a write cut short by a crash) starts.
    torn: BTreeMap<String, u64>,
    /// Size of the snapshot file last read or written.
    snapshot_bytes: u64,
    /// Whether the logs were replayed from the start in a new order, so that the snapshot on
    /// disk, though true to the positions it records, cannot be carried forward.
    replayed_all: bool,
}

impl Cache {
    /// An empty cache whose reviews will be folded with `model`.
    fn with_model(model: Model) -> Cache {
        Cache {
            replay: Replay::new(ReviewState::default(), None, model),
            ..Cache::default()
        }
    }

    /// Whether the snapshot lags far enough behind the logs to be rewritten.
    fn checkpoint_due(&self) -> bool {
        self.replayed_all || self.unsnapshotted_bytes() >= CHECKPOINT_BYTES.max(self.snapshot_bytes)
    }

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
    locks: LockState,
    rng: StdRng,
    cache: Option<Cache>,
    device: Option<String>,
    warnings: Vec<String>,
    /// Whether leftovers of interrupted writes were removed in this process.
    cleaned: bool,
    /// Per curriculum log: where an incomplete last line starts.
    torn_curriculum: BTreeMap<String, u64>,
    /// The scheduler and desired retention of the settings.
    schedule: (Scheduler, f32),
    /// The model reviews are folded with, once the fitted parameters have been read.
    model: Option<Model>,
}

impl Store {
    /// A store rooted at `root`. Nothing is read or created until it is needed; `seed` makes
    /// review ids, device ids and temporary names unique.
    pub fn new(root: PathBuf, lock_timeout: Duration, seed: u64) -> Store {
        Store {
            paths: Paths::new(root),
            lock_timeout,
            locks: LockState::default(),
            rng: StdRng::seed_from_u64(seed),
            cache: None,
            device: None,
            warnings: Vec::new(),
            cleaned: false,
            torn_curriculum: BTreeMap::new(),
            schedule: (Scheduler::Sm2, crate::memory::DEFAULT_RETENTION),
            model: None,
        }
    }

    /// The scheduler and desired retention to fold reviews with (the settings'); the FSRS
    /// parameters come from the data dir.
    pub fn set_schedule(&mut self, scheduler: Scheduler, desired_retention: f32) {
        if self.schedule != (scheduler, desired_retention) {
            self.schedule = (scheduler, desired_retention);
            self.model = None;
            self.cache = None;
        }
    }

    /// The model reviews are folded with: the settings' scheduler and retention, and the
    /// parameters fitted last (FSRS's defaults if none were).
    pub fn model(&mut self) -> Result<Model, StoreError> {
        if let Some(model) = &self.model {
            return Ok(model.clone());
        }
        let (scheduler, retention) = self.schedule;
        let model = match self.fitted()? {
            Some(fit) => Model::new(scheduler, retention, &fit.parameters)
                .map_err(|e| StoreError::corrupt(&fit.path, Some(fit.line), e.to_string()))?,
            None => Model::default().with(scheduler, retention),
        };
        self.model = Some(model.clone());
        Ok(model)
    }

    pub fn root(&self) -> &Path {
        &self.paths.root
    }

    /// Problems that were worked around and that the user should hear about, each once;
    /// drained on read.
    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.retain(|w| seen.insert(w.clone()));
        warnings
    }

    /// Whether there are warnings not yet taken.
    pub fn has_warnings(&self) -> bool {
        !self.warnings.is_empty()
    }

    /// Adds a warning about the data dir, shown with the others.
    pub fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// A fresh id for a review: 128 random bits, so ids from two devices never collide.
    pub fn new_review_id(&mut self) -> String {
        fresh_id(&mut self.rng)
    }

    fn lock(&self, mode: Mode) -> Result<Lock, StoreError> {
        self.locks
            .acquire(&self.paths.lock, mode, self.lock_timeout)
    }

    /// Everything the review logs say, as of now.
    pub fn state(&mut self) -> Result<&ReviewState, StoreError> {
        if self.paths.root.exists() {
            {
                let _lock = self.lock(Mode::Shared)?;
                self.refresh()?;
            }
            if self.cache.as_ref().is_some_and(Cache::checkpoint_due) {
                self.checkpoint_if_free();
            }
        }
        Ok(&self.cache.get_or_insert_with(Cache::default).replay.state)
    }

    /// A reader that had to replay much of the logs (a snapshot from an older hone, reviews
    /// synced from another machine) writes the snapshot, so the next one does not have to. Only
    /// if the exclusive lock is free at once: a reader never waits for it, and never fails
    /// because the snapshot could not be written (a read-only data dir, a full disk).
    fn checkpoint_if_free(&mut self) {
        if self.locks.is_held() {
            return; // a nested reader never upgrades its caller's lock
        }
        let Ok(_lock) = self
            .locks
            .acquire(&self.paths.lock, Mode::Exclusive, Duration::ZERO)
        else {
            return;
        };
        if self.refresh().is_ok() {
            let _ = self.write_snapshot();
        }
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
        self.remove_leftovers();
        self.refresh()?;
        let replay = std::mem::take(&mut self.cache.get_or_insert_with(Cache::default).replay);
        let decided = decide(&replay.state, self);
        if let Some(cache) = self.cache.as_mut() {
            cache.replay = replay;
        }
        let (events, value) = decided?;
        self.append(&events)?;
        // The entries are durable now: the command has succeeded, whatever happens to the
        // snapshot, which only saves the next reader some replaying.
        if self.cache.as_ref().is_some_and(Cache::checkpoint_due)
            && let Err(e) = self.write_snapshot()
        {
            self.warnings.push(format!(
                "the answer is saved, but the snapshot could not be written ({e}); the next command replays the log"
            ));
        }
        Ok(value)
    }

    /// Proves that answers can be saved, before a session asks for the first one: creates the
    /// directories, takes the lock, and writes, fsyncs and removes a small file beside the logs.
    pub fn check_writable(&mut self) -> Result<(), StoreError> {
        self.prepare_dirs()?;
        let _lock = self.lock(Mode::Exclusive)?;
        self.remove_leftovers();
        self.refresh()?;
        self.device()?;
        let probe = self
            .paths
            .reviews
            .join(format!(".probe-{:016x}", self.rng.next_u64()));
        let result = (|| {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&probe)
                .map_err(io_error(&probe, "create"))?;
            file.write_all(&[b'\n'; 4096])
                .map_err(io_error(&probe, "write"))?;
            file.sync_all().map_err(io_error(&probe, "sync"))
        })();
        let removed = fs::remove_file(&probe);
        result?;
        removed.map_err(io_error(&probe, "remove"))?;
        sync_dir(&self.paths.reviews)
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
            .is_some_and(|c| c.replayed_all || c.unsnapshotted_bytes() > 0)
        {
            self.write_snapshot()?;
        }
        Ok(())
    }

    /// `checkpoint` at the end of a batch of answers already saved: a failure is a warning,
    /// since the answers are durable and the next reader can replay the log.
    pub fn checkpoint_or_warn(&mut self) {
        if let Err(e) = self.checkpoint() {
            self.warnings.push(format!(
                "the answers are saved, but the snapshot could not be written ({e}); the next command replays the log"
            ));
        }
    }

    /// The id of an answer given with the idempotency key `key`: the same for the same key on
    /// this machine, and unlike any other machine's.
    pub fn keyed_id(&mut self, key: &str) -> Result<String, StoreError> {
        let device = self.device()?;
        let seed = format!("{device}\0{key}");
        let again = format!("{key}\0{device}");
        Ok(format!(
            "k-{:016x}{:016x}",
            crate::model::stable_hash(seed.as_bytes()),
            crate::model::stable_hash(again.as_bytes())
        ))
    }

    fn prepare_dirs(&self) -> Result<(), StoreError> {
        for dir in [&self.paths.reviews, &self.paths.local] {
            if !dir.is_dir() {
                create_dir_all(dir)?;
            }
        }
        Ok(())
    }

    /// Removes what interrupted writes left behind (temporary files and write probes) and
    /// writes the sync files if missing (`shared`). Call only under the exclusive lock, when no
    /// other writer can be mid-write; once per process is enough.
    fn remove_leftovers(&mut self) {
        if std::mem::replace(&mut self.cleaned, true) {
            return;
        }
        // A convenience for syncing, not worth failing an answer over (a read-only data dir).
        let _ = self.write_sync_files();
        for dir in [
            &self.paths.root,
            &self.paths.local,
            &self.paths.reviews,
            &self.paths.curriculum,
            &self.paths.decks,
        ] {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') && (name.contains(".tmp-") || name.starts_with(".probe-"))
                {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    /// Moves a damaged file into `local/damaged/`, intact, and says where it went.
    fn set_aside(&mut self, path: &Path) -> String {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = self
            .paths
            .damaged
            .join(format!("{name}.{:016x}", self.rng.next_u64()));
        match create_dir_all(&self.paths.damaged)
            .and_then(|()| fs::rename(path, &target).map_err(io_error(path, "move")))
        {
            Ok(()) => format!("set aside, intact, as {}", shown(&target)),
            Err(_) => "left in place (the data dir cannot be written)".to_owned(),
        }
    }

    pub(crate) fn exclusive(&mut self) -> Result<Lock, StoreError> {
        self.prepare_dirs()?;
        let lock = self.lock(Mode::Exclusive)?;
        self.remove_leftovers();
        Ok(lock)
    }

    /// The shared lock, for a command that reads several things as one view; none needed
    /// (and none taken) when there is no data dir yet.
    pub(crate) fn shared_if_there(&self) -> Result<Option<Lock>, StoreError> {
        if self.paths.root.is_dir() {
            self.lock(Mode::Shared).map(Some)
        } else {
            Ok(None)
        }
    }

    pub(crate) fn unique(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

/// 128 random bits from `rng`, as the id of a log entry: 32 lowercase hex digits.
fn fresh_id(rng: &mut StdRng) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(32);
    for word in [rng.next_u64(), rng.next_u64()] {
        for shift in (0..16).rev() {
            id.push(char::from(HEX[(word >> (shift * 4)) as usize & 0xf]));
        }
    }
    id
}

/// Entry points for the fuzzers and their regression tests: every loader of bytes from disk.
#[doc(hidden)]
pub mod fuzzing {
    use std::path::Path;

    /// Parses a review log the way loading does.
    pub fn log(bytes: &[u8]) {
        let _ = super::log::parse_log(Path::new("fuzz.jsonl"), bytes, 0);
    }

    /// Parses a snapshot the way loading does.
    pub fn snapshot(bytes: &[u8]) {
        let _ = super::snapshot::parse_snapshot(Path::new("snapshot.json"), bytes);
    }

    /// Parses an imported deck file, a plan, deck settings and a config file.
    pub fn other_files(bytes: &[u8]) {
        super::legacy::fuzz_deck_file(bytes);
        super::curriculum::fuzz_curriculum_log(bytes);
        if let Ok(text) = std::str::from_utf8(bytes) {
            let _ = super::config::parse(Path::new("config.toml"), text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_are_the_two_next_numbers_in_hex() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut again = StdRng::seed_from_u64(7);
        for _ in 0..100 {
            let expected = format!("{:016x}{:016x}", again.next_u64(), again.next_u64());
            assert_eq!(fresh_id(&mut rng), expected);
        }
    }
}
