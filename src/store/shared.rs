//! A data dir shared between machines through git, Syncthing or a shared folder: the files that
//! tell those tools what to leave alone, and the steps `hone sync` takes under the lock.
//!
//! Every synced file is written by one machine only (its own review log), or is one the user
//! changes on purpose (imported decks, the plan, deck settings); `local/` is this machine's own.

use std::collections::BTreeMap;
use std::fs;
use std::io;

use super::fsutil::{io_error, write_atomic};
use super::{Store, StoreError};

/// The files written beside the data, each only if missing, so that a user's edits stay.
const SYNC_FILES: [(&str, &str); 3] = [
    (
        ".gitignore",
        "# Written by hone. local/ is this machine's own (device id, lock, snapshot cache, backups)\n\
         # and must not be synced; everything else is.\n\
         local/\n",
    ),
    (
        ".stignore",
        "// Written by hone. local/ is this machine's own (device id, lock, snapshot cache,\n\
         // backups) and must not be synced; everything else is.\n\
         local\n",
    ),
    (
        ".gitattributes",
        "# Written by hone. Files two machines may both change are taken whole from the machine\n\
         # that syncs last (hone sync rebases in favour of its own commits), never mixed line by\n\
         # line. Review logs need nothing: each machine appends only to its own.\n\
         plan.json -merge\n\
         deck-settings.json -merge\n\
         decks/*.jsonl -merge\n",
    ),
];

impl Store {
    /// Writes `.gitignore`, `.stignore` and `.gitattributes` into the data dir where missing.
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

    /// Creates the data dir and its sync files if needed, and returns this machine's device id.
    pub fn prepare_for_sync(&mut self) -> Result<String, StoreError> {
        let _lock = self.exclusive()?;
        self.device()
    }

    /// Under the exclusive lock: brings the state up to date and sets aside an incomplete last
    /// line of this machine's log, so that a commit never holds half an entry.
    pub fn settle_own_log(&mut self) -> Result<(), StoreError> {
        self.refresh()?;
        let name = format!("{}.jsonl", self.device()?);
        let torn = self.cache.as_ref().and_then(|c| c.torn.get(&name).copied());
        if let Some(start) = torn {
            let path = self.paths.reviews.join(&name);
            super::log::set_aside_torn_tail(&path, start, &self.paths.torn, &name)?;
            self.refresh()?;
        }
        Ok(())
    }

    /// How many complete lines each review log holds, as the state reflects them (brought up
    /// to date first).
    pub fn log_line_counts(&mut self) -> Result<BTreeMap<String, u64>, StoreError> {
        let _lock = self.shared()?;
        self.refresh()?;
        Ok(self
            .cache
            .as_ref()
            .map(|c| c.read.iter().map(|(n, p)| (n.clone(), p.lines)).collect())
            .unwrap_or_default())
    }
}
