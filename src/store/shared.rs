//! A data dir shared between machines through git, Syncthing or a shared folder: the files that
//! tell those tools what to leave alone, and what `hone sync` asks of the store: the files to
//! commit, folding in logs as another machine's commit holds them, and saving every log line
//! before git may touch the work tree.
//!
//! Every synced file is a log written by one machine only (its own): the review and curriculum
//! logs, and the logs of fitted FSRS parameters; `local/` is this machine's own and never
//! synced.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

use super::curriculum::read_changes;
use super::fsutil::{append_synced, io_error, write_atomic};
use super::log::{parse_log, read_log, read_whole_log_bytes, regular_jsonl_files};
use super::{Store, StoreError};

/// The files written beside the data, each only if missing, so that a user's edits stay.
const SYNC_FILES: [(&str, &str); 2] = [
    (
        ".gitignore",
        "# Written by hone. local/ is this machine's own (device id, lock, snapshot cache, backups)\n\
         # and must not be synced. hone sync commits only the logs, whatever this file says.\n\
         local/\n",
    ),
    (
        ".stignore",
        "// Written by hone. local/ is this machine's own (device id, lock, snapshot cache,\n\
         // backups) and must not be synced; everything else is.\n\
         local\n",
    ),
];

/// What folding in another machine's logs did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Received {
    /// Entries new here.
    pub entries: usize,
}

/// Every line of every log, by path relative to the data dir: what a recovery puts back.
pub struct SavedLines(BTreeMap<String, Vec<Vec<u8>>>);

impl Store {
    /// Writes `.gitignore` and `.stignore` into the data dir where missing.
    pub(super) fn write_sync_files(&mut self) -> Result<(), StoreError> {
        for (name, text) in SYNC_FILES {
            let path = self.paths.root.join(name);
            match fs::symlink_metadata(&path) {
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    write_atomic(&path, text.as_bytes(), self.unique())?;
                }
                Err(e) => return Err(io_error(&path, "read")(e)),
            }
        }
        Ok(())
    }

    /// Under the exclusive lock: creates the data dir if needed, moves the files of an older
    /// hone into a log, and sets aside incomplete last lines of this machine's logs, so that a
    /// commit never holds half an entry. Returns this machine's device id.
    pub fn prepare_for_sync(&mut self) -> Result<String, StoreError> {
        let _lock = self.exclusive()?;
        let device = self.device()?;
        self.verify()?;
        self.move_legacy_curriculum()?;
        let name = format!("{device}.jsonl");
        for dir in [self.paths.reviews.clone(), self.paths.curriculum.clone()] {
            let path = dir.join(&name);
            let extent = read_whole_log_bytes(&path)?;
            if extent.torn {
                super::log::set_aside_torn_tail(&path, extent.bytes, &self.paths.torn, &name)?;
            }
        }
        self.cache = None;
        self.torn_curriculum.clear();
        Ok(device)
    }

    /// The files a sync commits, relative to the data dir: every log, and the files of older
    /// hones (whose removal, once moved into a log, is committed too).
    pub fn synced_files(&mut self) -> Result<Vec<String>, StoreError> {
        let mut files = Vec::new();
        for (dir, name) in [
            (self.paths.reviews.clone(), "reviews"),
            (self.paths.curriculum.clone(), "curriculum"),
            (self.parameters_dir(), "parameters"),
        ] {
            let (names, _) = regular_jsonl_files(&dir)?;
            files.extend(names.into_iter().map(|n| format!("{name}/{n}")));
        }
        files.extend(["decks", "plan.json", "deck-settings.json"].map(str::to_owned));
        Ok(files)
    }

    /// Folds in logs as another machine's commit holds them (path relative to the data dir,
    /// bytes). Everything is checked before anything is written: a line that does not parse or
    /// an id with other content here refuses the whole. A log that ours is the start of grows
    /// by its new bytes, exactly, so both machines' files stay the same; one that parted from
    /// ours (a restore) has its new entries put in a log of its own, as a merge does.
    pub fn integrate(&mut self, logs: &[(String, Vec<u8>)]) -> Result<Received, StoreError> {
        let _lock = self.exclusive()?;
        let mut appends: Vec<(std::path::PathBuf, Vec<u8>, u64)> = Vec::new();
        let mut diverged = Vec::new();
        let mut parameters = Vec::new();
        for (relative, bytes) in logs {
            let Some((kind, name)) = relative.split_once('/') else {
                continue;
            };
            if kind == "parameters" {
                parameters.push((name.to_owned(), bytes.clone()));
                continue;
            }
            let dir = match kind {
                "reviews" => self.paths.reviews.clone(),
                "curriculum" => self.paths.curriculum.clone(),
                _ => continue,
            };
            let path = dir.join(name);
            let complete = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
            let theirs = &bytes[..complete];
            // A line that does not parse is refused here, before anything is written.
            let label = Path::new("the remote's").join(relative);
            match kind {
                "reviews" => parse_log(&label, theirs, 0).map(drop)?,
                _ => super::curriculum::parse_bytes(&label, theirs).map(drop)?,
            }
            let ours = match fs::read(&path) {
                Ok(ours) => ours,
                Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(io_error(&path, "read")(e)),
            };
            let ours_complete = memchr::memrchr(b'\n', &ours).map_or(0, |i| i + 1);
            let ours = &ours[..ours_complete];
            if let Some(tail) = theirs.strip_prefix(ours) {
                if !tail.is_empty() {
                    appends.push((path, tail.to_vec(), ours.len() as u64));
                }
            } else if !ours.starts_with(theirs) {
                diverged.push(relative.clone());
            }
        }
        // Ids with other content, anywhere: refused before anything is written.
        let mut received = Received::default();
        let known = self.known_ids()?;
        for (path, tail, _) in &appends {
            let is_review = path.starts_with(&self.paths.reviews);
            for id in ids_in(path, tail, is_review)? {
                received.entries += usize::from(!known.contains(&id));
            }
        }
        if !diverged.is_empty() {
            // Entries of logs that parted from ours go in through a merge of those logs alone.
            let temp = self.paths.local.join("sync-incoming");
            let _ = fs::remove_dir_all(&temp);
            for (relative, bytes) in logs.iter().filter(|(r, _)| diverged.contains(r)) {
                let path = temp.join(relative);
                if let Some(parent) = path.parent() {
                    super::fsutil::create_dir_all(parent)?;
                }
                fs::write(&path, bytes).map_err(io_error(&path, "write"))?;
            }
            let merged = self.merge_locked(&temp);
            let _ = fs::remove_dir_all(&temp);
            received.entries += merged?.added;
        }
        // Fitted parameters are checked first too: a line that does not parse refuses the whole.
        for (name, bytes) in &parameters {
            let label = Path::new("the remote's parameters").join(name);
            super::parameters::parse_parameters(&label, bytes)?;
        }
        for (path, tail, from) in appends {
            let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
            append_synced(&path, &dir, &tail, Some(from))?;
        }
        self.take_parameters(&parameters)?;
        self.cache = None;
        self.torn_curriculum.clear();
        Ok(received)
    }

    /// The ids of every entry of every log here.
    fn known_ids(&mut self) -> Result<HashSet<String>, StoreError> {
        let mut ids = HashSet::new();
        for dir in [self.paths.reviews.clone(), self.paths.curriculum.clone()] {
            let (names, _) = regular_jsonl_files(&dir)?;
            for name in names {
                let path = dir.join(name);
                if dir == self.paths.reviews {
                    ids.extend(read_log(&path)?.into_iter().map(|e| e.id));
                } else {
                    ids.extend(read_changes(&path)?.into_iter().map(|c| c.id));
                }
            }
        }
        Ok(ids)
    }

    /// Every line of every log, before git may touch the work tree.
    pub fn save_log_lines(&mut self) -> Result<SavedLines, StoreError> {
        let _lock = self.exclusive()?;
        let mut saved = BTreeMap::new();
        for (dir, kind) in [
            (self.paths.reviews.clone(), "reviews"),
            (self.paths.curriculum.clone(), "curriculum"),
            (self.parameters_dir(), "parameters"),
        ] {
            let (names, _) = regular_jsonl_files(&dir)?;
            for name in names {
                let path = dir.join(&name);
                let bytes = fs::read(&path).map_err(io_error(&path, "read"))?;
                let lines = super::lines::lines(&bytes)
                    .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                    .map(<[u8]>::to_vec)
                    .collect();
                saved.insert(format!("{kind}/{name}"), lines);
            }
        }
        Ok(SavedLines(saved))
    }

    /// Appends back every saved line that a log no longer has (git rewrote it with an older
    /// copy), in the order it had them. Returns how many lines came back.
    pub fn put_back_lines(&mut self, saved: &SavedLines) -> Result<usize, StoreError> {
        let _lock = self.exclusive()?;
        let mut put_back = 0;
        for (relative, lines) in &saved.0 {
            let path = self.paths.root.join(relative);
            let now = fs::read(&path).unwrap_or_default();
            let complete = memchr::memrchr(b'\n', &now).map_or(0, |i| i + 1);
            let have: HashSet<&[u8]> = super::lines::lines(&now[..complete]).collect();
            let mut missing = Vec::new();
            for line in lines.iter().filter(|l| !have.contains(l.as_slice())) {
                missing.extend_from_slice(line);
                missing.push(b'\n');
                put_back += 1;
            }
            if !missing.is_empty() {
                let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                append_synced(&path, &dir, &missing, Some(complete as u64))?;
            }
        }
        self.cache = None;
        Ok(put_back)
    }
}

/// The ids of the entries in `bytes` of a log (review or curriculum).
fn ids_in(path: &Path, bytes: &[u8], review: bool) -> Result<Vec<String>, StoreError> {
    if review {
        Ok(parse_log(path, bytes, 0)?
            .0
            .into_iter()
            .map(|e| e.id)
            .collect())
    } else {
        Ok(super::curriculum::parse_bytes(path, bytes)?
            .into_iter()
            .map(|c| c.id)
            .collect())
    }
}
