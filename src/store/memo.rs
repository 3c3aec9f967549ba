//! `local/due-count.json`: the last few answers to `hone due --count`, each with a fingerprint
//! of everything it was computed from, so a shell prompt can ask on every prompt without
//! loading the collection.
//!
//! Only a cache. A fingerprint names the question (what the caller passes: version, study day,
//! settings, filter) and every data file the count depends on, by size, times and inode; any
//! write, rename or append changes one of those. A memo that is missing, unreadable or does not
//! match means "compute again", and failing to write one is not an error. Nothing here decides
//! what is due.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Store;

/// How many different questions (filters, settings) are remembered at once.
const ENTRIES: usize = 8;

/// What a count depends on, as text compared for equality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(String);

#[derive(Serialize, Deserialize, Default)]
struct MemoFile {
    entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    inputs: String,
    count: usize,
}

impl Store {
    /// The fingerprint of `question` asked of the data dir as it is now, or `None` when there
    /// is nothing to remember in (no data dir yet) or a file cannot be looked at. Take it
    /// before loading what the count is computed from: then a count is never filed under a
    /// state older than the one it saw.
    pub fn fingerprint(&self, question: &str) -> Option<Fingerprint> {
        let mut text = String::from(question);
        for dir in [
            &self.paths.curriculum,
            &self.paths.decks,
            &self.paths.reviews,
            &self.parameters_dir(),
        ] {
            let mut names: Vec<_> = match fs::read_dir(dir) {
                Ok(entries) => entries
                    .map(|e| e.map(|e| e.file_name()))
                    .collect::<Result<_, _>>()
                    .ok()?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(_) => return None,
            };
            names.sort();
            for name in names {
                describe(&mut text, &dir.join(name))?;
            }
        }
        for file in [
            self.paths.root.join("plan.json"),
            self.paths.root.join("deck-settings.json"),
        ] {
            describe(&mut text, &file)?;
        }
        self.paths.local.is_dir().then_some(Fingerprint(text))
    }

    /// The count remembered for exactly these inputs.
    pub fn remembered_count(&self, inputs: &Fingerprint) -> Option<usize> {
        let bytes = fs::read(self.memo_path()).ok()?;
        let memo: MemoFile = serde_json::from_slice(&bytes).ok()?;
        memo.entries
            .into_iter()
            .find(|e| e.inputs == inputs.0)
            .map(|e| e.count)
    }

    /// Remembers a count computed from `inputs`, best effort.
    pub fn remember_count(&mut self, inputs: &Fingerprint, count: usize) {
        let path = self.memo_path();
        let mut memo: MemoFile = fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        memo.entries.retain(|e| e.inputs != inputs.0);
        memo.entries.insert(
            0,
            Entry {
                inputs: inputs.0.clone(),
                count,
            },
        );
        memo.entries.truncate(ENTRIES);
        let Ok(bytes) = serde_json::to_vec(&memo) else {
            return;
        };
        // No fsync: after a crash a lost or empty memo is only a slower next prompt.
        let temp = path.with_file_name(format!(
            "{}{}-{:016x}",
            super::fsutil::temp_prefix(&path),
            std::process::id(),
            self.unique()
        ));
        if fs::write(&temp, bytes)
            .and_then(|()| fs::rename(&temp, &path))
            .is_err()
        {
            let _ = fs::remove_file(&temp);
        }
    }

    fn memo_path(&self) -> std::path::PathBuf {
        self.paths.local.join("due-count.json")
    }
}

/// Appends what identifies one version of a file: its name, size, modification and change
/// times and inode. An atomic replacement always makes a new inode; an append changes the size.
fn describe(text: &mut String, path: &Path) -> Option<()> {
    let name = path.file_name()?.to_string_lossy();
    match fs::metadata(path) {
        Ok(meta) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let _ = write!(text, "\n{name} {} {modified}", meta.len());
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let _ = write!(
                    text,
                    " {}.{} {}:{}",
                    meta.ctime(),
                    meta.ctime_nsec(),
                    meta.dev(),
                    meta.ino()
                );
            }
            Some(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = write!(text, "\n{name} -");
            Some(())
        }
        Err(_) => None,
    }
}
