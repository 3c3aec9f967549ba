//! Changing the curriculum: each command's change (an import, a plan, a deck in or out of
//! reviews, a priority, a removal) decided on the curriculum as it is under the exclusive lock,
//! and appended to this machine's curriculum log, fsynced. Reading and folding the logs live in
//! `curriculum`.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::Load;
use super::curriculum_line::{CardLine, ChangeLine};
use super::fsutil::{append_synced, append_synced_with, io_error, sync_dir};
use super::log::set_aside_torn_tail;
use super::{Store, StoreError, shown};
use crate::curriculum::{self, Change, Curriculum, ImportCounts, Located, Step, What};
use crate::model::{Deck, DeckId, Stamp};
use crate::plan::Plan;

/// Bytes an import encodes before writing them.
const APPEND_BUFFER_BYTES: usize = 1024 * 1024;

impl Store {
    /// Records changes to the curriculum: `decide` sees the curriculum as it is now (read
    /// whole, under the exclusive lock, so no other process changes it in between) and returns
    /// what to change; the changes are fsynced when this returns `Ok`.
    pub fn change_curriculum<T>(
        &mut self,
        at: DateTime<FixedOffset>,
        decide: impl FnOnce(&Curriculum, &mut Self) -> Result<(Vec<What>, T), anyhow::Error>,
    ) -> Result<T, anyhow::Error> {
        let _lock = self.exclusive()?;
        // Nothing is written where the review logs do not verify.
        self.refresh()?;
        self.move_legacy_curriculum()?;
        let curriculum = self.fold_curriculum(Load::Full)?;
        let (whats, value) = decide(&curriculum, self)?;
        self.append_changes(curriculum.latest, at, whats)?;
        Ok(value)
    }

    /// The interview plan, if one is set.
    pub fn plan(&mut self) -> Result<Option<Plan>, StoreError> {
        Ok(self.curriculum(Load::Index)?.plan)
    }

    /// Sets (`Some`) or clears (`None`) the interview plan.
    pub fn set_plan(
        &mut self,
        at: DateTime<FixedOffset>,
        plan: Option<Plan>,
    ) -> Result<(), anyhow::Error> {
        let interview = plan.map(|p| p.interview);
        self.change_curriculum(at, |current, _| {
            let unchanged = current.plan.map(|p| p.interview) == interview;
            Ok((
                if unchanged {
                    vec![]
                } else {
                    vec![What::Plan { interview }]
                },
                (),
            ))
        })
    }

    /// Leaves `deck` out of reviews (`enabled` false) or brings it back.
    pub fn set_deck_enabled(
        &mut self,
        at: DateTime<FixedOffset>,
        deck: &DeckId,
        enabled: bool,
    ) -> Result<(), anyhow::Error> {
        self.change_curriculum(at, |current, _| {
            let unchanged = current.disabled.contains(deck) != enabled;
            let what = What::Enable {
                deck: deck.clone(),
                enabled,
            };
            Ok((if unchanged { vec![] } else { vec![what] }, ()))
        })
    }

    /// Sets a deck's priority for new cards (0: the default).
    pub fn set_deck_priority(
        &mut self,
        at: DateTime<FixedOffset>,
        deck: &DeckId,
        priority: impl FnOnce(&Curriculum) -> i32,
    ) -> Result<i32, anyhow::Error> {
        self.change_curriculum(at, |current, _| {
            let priority = priority(current);
            let now = current.priority.get(deck).copied().unwrap_or(0);
            let what = What::Priority {
                deck: deck.clone(),
                priority,
            };
            Ok((if now == priority { vec![] } else { vec![what] }, priority))
        })
    }

    /// Removes an imported deck from every list and queue; its cards and their history stay.
    /// Returns whether there was such a deck.
    pub fn remove_imported_deck(
        &mut self,
        at: DateTime<FixedOffset>,
        deck: &DeckId,
    ) -> Result<bool, anyhow::Error> {
        self.change_curriculum(at, |current, _| {
            let there = current.decks.get(deck).is_some_and(|d| !d.removed);
            let remove = What::Remove { deck: deck.clone() };
            Ok((if there { vec![remove] } else { vec![] }, there))
        })
    }

    /// Imports `deck` over the one with its id (backed up first), or with `dry_run` only says
    /// what that would do. One exclusive lock from reading the old deck to writing the new.
    pub fn import_deck(
        &mut self,
        at: DateTime<FixedOffset>,
        deck: &Deck,
        dry_run: bool,
    ) -> Result<ImportCounts, anyhow::Error> {
        if dry_run {
            let current = self.curriculum(Load::Full)?;
            return Ok(curriculum::plan_import(current.decks.get(&deck.id), deck).1);
        }
        let _lock = self.exclusive()?;
        // Nothing is written where the logs do not verify. One reading of them, whole and with
        // their text, verifies them for the backup and is what the file is compared with.
        self.refresh()?;
        let current = self.fold_curriculum(Load::Full)?;
        self.backup_verified("import", at)?;
        // Moving the files of an older hone into the log changes where those changes are
        // written, not what they fold to.
        self.move_legacy_curriculum()?;
        let (steps, counts) = curriculum::plan_import(current.decks.get(&deck.id), deck);
        let latest = current.latest;
        drop(current);
        self.append_import(latest, at, steps, deck)?;
        Ok(counts)
    }

    /// Moves the files from before the curriculum logs into this machine's log, stamped at the
    /// origin, then removes them. Only into a log not started yet, so the origin stays first.
    /// A crash between the two steps leaves the files and identical changes: the same fold.
    pub(super) fn move_legacy_curriculum(&mut self) -> Result<(), StoreError> {
        let own = self.own_curriculum_path()?;
        let changes = self.legacy_curriculum()?;
        if changes.is_empty() {
            return Ok(());
        }
        if own.exists() {
            // Files from before the logs that came back (a sync tool, a restore by hand) into a
            // data dir that has moved on: the logs stay the truth.
            self.warnings.push(format!(
                "ignored the deck files of an older hone in {} (this data dir keeps decks in {}); import them again if they are wanted",
                shown(&self.paths.decks),
                shown(&self.paths.curriculum)
            ));
            return Ok(());
        }
        let text = encode_changes(&own, &changes)?;
        append_synced(&own, &self.paths.curriculum, text.as_bytes(), None)?;
        for path in self.legacy_curriculum_files()? {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&path, "remove")(e)),
            }
        }
        sync_dir(&self.paths.root)?;
        if self.paths.decks.is_dir() {
            sync_dir(&self.paths.decks)?;
        }
        Ok(())
    }

    /// The files from before the curriculum logs that exist.
    pub(super) fn legacy_curriculum_files(&self) -> Result<Vec<std::path::PathBuf>, StoreError> {
        let mut files = super::legacy::legacy_deck_files(&self.paths.decks)?;
        for name in ["plan.json", "deck-settings.json"] {
            let path = self.paths.root.join(name);
            if path.exists() {
                files.push(path);
            }
        }
        Ok(files)
    }

    fn own_curriculum_path(&mut self) -> Result<std::path::PathBuf, StoreError> {
        let device = self.device()?;
        Ok(self.paths.curriculum.join(format!("{device}.jsonl")))
    }

    /// Sets aside the incomplete last line a crash left in this machine's curriculum log at
    /// `path`, if the last reading found one, before anything is appended after it.
    fn set_aside_torn_curriculum(&mut self, path: &Path) -> Result<(), StoreError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(start) = self.torn_curriculum.remove(&name) {
            set_aside_torn_tail(path, start, &self.paths.torn, &name)?;
        }
        Ok(())
    }

    /// Stamps an import's changes after `latest` and appends them to this machine's
    /// curriculum log, encoding each line from the incoming deck as it is written: the lines
    /// of a large import are never in memory together.
    fn append_import(
        &mut self,
        latest: Option<Stamp>,
        at: DateTime<FixedOffset>,
        steps: Vec<Step>,
        deck: &Deck,
    ) -> Result<(), StoreError> {
        if steps.is_empty() {
            return Ok(());
        }
        let path = self.own_curriculum_path()?;
        self.set_aside_torn_curriculum(&path)?;
        let mut clock = latest.unwrap_or_default();
        let at_json = serde_json::value::to_raw_value(&at).map_err(|e| StoreError::Io {
            action: "encode",
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        let rng = &mut self.rng;
        append_synced_with(&path, &self.paths.curriculum, None, |file| {
            let mut out = io::BufWriter::with_capacity(APPEND_BUFFER_BYTES, file);
            for step in steps {
                clock = clock.next(at.timestamp_millis());
                let id = super::fresh_id(rng);
                match step {
                    Step::Card(index) => {
                        let line = CardLine::new(&id, clock, &at_json, &deck.cards[index], index);
                        serde_json::to_writer(&mut out, &line)?;
                    }
                    Step::Other(what) => {
                        let change = Change {
                            id,
                            at,
                            stamp: Some(clock),
                            what: *what,
                        };
                        serde_json::to_writer(&mut out, &ChangeLine::from(&change))?;
                    }
                }
                out.write_all(b"\n")?;
            }
            out.flush()
        })
    }

    /// Stamps changes after `latest` and appends them to this machine's curriculum log.
    fn append_changes(
        &mut self,
        latest: Option<Stamp>,
        at: DateTime<FixedOffset>,
        whats: Vec<What>,
    ) -> Result<(), StoreError> {
        if whats.is_empty() {
            return Ok(());
        }
        let path = self.own_curriculum_path()?;
        let mut clock = latest.unwrap_or_default();
        let changes: Vec<Change> = whats
            .into_iter()
            .map(|what| {
                clock = clock.next(at.timestamp_millis());
                Change {
                    id: self.new_review_id(),
                    at,
                    stamp: Some(clock),
                    what,
                }
            })
            .collect();
        let text = encode_changes(&path, &changes)?;
        self.set_aside_torn_curriculum(&path)?;
        append_synced(&path, &self.paths.curriculum, text.as_bytes(), None)
    }
}

/// Changes as log lines, each ending in a newline.
pub(super) fn encode_located(path: &Path, changes: &[Located]) -> Result<String, StoreError> {
    let changes: Vec<Change> = changes.iter().map(|(c, _)| c.clone()).collect();
    encode_changes(path, &changes)
}

/// Changes as log lines, each ending in a newline.
pub(super) fn encode_changes(path: &Path, changes: &[Change]) -> Result<String, StoreError> {
    let mut text = String::new();
    for change in changes {
        let line =
            serde_json::to_string(&ChangeLine::from(change)).map_err(|e| StoreError::Io {
                action: "encode",
                path: path.to_path_buf(),
                source: io::Error::other(e),
            })?;
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}
