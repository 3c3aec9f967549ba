//! Backups of the data dir in `local/backups/<id>/`: copies of the review and curriculum logs
//! (and hard links to the files of older hones, which are only ever replaced whole), with a
//! manifest. Made before imports, deck removals and restores, and at most every 30 minutes of
//! use; thinned to a bounded number. A backup is made only of logs that verify (every line
//! parses), except the one a restore makes of the state it repairs, which says it does not.
//!
//! Thinning keeps the 3 newest backups, the newest of each of the last 12 days, of each of the
//! last 10 weeks and of each of the last 9 months (as Anki keeps 12 daily, 10 weekly and 9
//! monthly backups): at most 34. It never deletes the newest backup whose logs verify: after a
//! damage, the last good copy of every line stays.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::files::{HasSchema, parse_versioned_file};
use super::fsutil::{create_dir_all, io_error, sync_dir, write_atomic};
use super::lock::Mode;
use super::{Store, StoreError};

/// Minutes of use between two automatic backups.
pub const BACKUP_EVERY_MINUTES: i64 = 30;
const KEEP_NEWEST: usize = 3;
const KEEP_DAYS: i64 = 12;
const KEEP_WEEKS: i64 = 10;
const KEEP_MONTHS: i32 = 9;
/// Version of a backup's `manifest.json`.
const MANIFEST_SCHEMA: u32 = 1;
const MANIFEST: &str = "manifest.json";

#[derive(Serialize, Deserialize)]
pub(super) struct Manifest {
    schema: u32,
    created: DateTime<Utc>,
    reason: String,
    pub files: Vec<ManifestFile>,
    /// Whether every log in it parsed when it was made; absent from older backups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
}

impl HasSchema for Manifest {
    fn schema(&self) -> u32 {
        self.schema
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct ManifestFile {
    /// Relative to the data dir, with `/`.
    pub path: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub id: String,
    pub created: DateTime<Utc>,
    pub reason: String,
    pub files: usize,
    pub bytes: u64,
    /// Whether its logs verified when it was made (`None`: a backup from an older hone).
    pub verified: Option<bool>,
}

impl Store {
    /// The files that make up the collection, relative to the data dir: everything but `local/`.
    fn collection_files(&self) -> Result<Vec<String>, StoreError> {
        let mut files = Vec::new();
        for (dir, exts) in [
            ("reviews", &[".jsonl"][..]),
            ("curriculum", &[".jsonl"][..]),
            ("parameters", &[".jsonl"][..]),
            ("decks", &[".jsonl", ".json"][..]),
        ] {
            let path = self.paths.root.join(dir);
            let entries = match fs::read_dir(&path) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_error(&path, "list")(e)),
            };
            for entry in entries {
                let name = entry
                    .map_err(io_error(&path, "list"))?
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                // Only regular files: copying a FIFO would wait forever.
                let regular = super::refresh::is_regular(&path.join(&name));
                if exts.iter().any(|ext| name.ends_with(ext)) && !name.starts_with('.') && regular {
                    files.push(format!("{dir}/{name}"));
                }
            }
        }
        for name in ["plan.json", "deck-settings.json"] {
            if self.paths.root.join(name).is_file() {
                files.push(name.to_owned());
            }
        }
        files.sort();
        Ok(files)
    }

    /// Every backup, oldest first. Incomplete ones (a crash while writing) are left out.
    pub fn backups(&self) -> Result<Vec<BackupInfo>, StoreError> {
        let dir = &self.paths.backups;
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(dir, "list")(e)),
        };
        let mut backups = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error(dir, "list"))?;
            let id = entry.file_name().to_string_lossy().into_owned();
            if id.starts_with('.') {
                continue;
            }
            let path = entry.path().join(MANIFEST);
            let Ok(bytes) = fs::read(&path) else { continue };
            let manifest: Manifest = parse_versioned_file(&path, &bytes, MANIFEST_SCHEMA)?;
            backups.push(BackupInfo {
                id,
                created: manifest.created,
                reason: manifest.reason,
                files: manifest.files.len(),
                bytes: manifest.files.iter().map(|f| f.bytes).sum(),
                verified: manifest.verified,
            });
        }
        backups.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        Ok(backups)
    }

    /// Backs up the collection now, unless there is nothing in it yet.
    pub fn backup(
        &mut self,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<BackupInfo>, StoreError> {
        if !self.paths.root.is_dir() {
            return Ok(None);
        }
        let _lock = self.exclusive()?;
        let made = self.backup_locked(reason, now)?;
        self.thin(now)?;
        Ok(made)
    }

    /// Backs up the collection if the newest backup is more than `BACKUP_EVERY_MINUTES` old.
    pub fn backup_if_due(
        &mut self,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<BackupInfo>, StoreError> {
        if !self.paths.root.is_dir() {
            return Ok(None);
        }
        let newest = self.backups()?.into_iter().map(|b| b.created).max();
        let due = newest
            .is_none_or(|t| (now.with_timezone(&Utc) - t).num_minutes() >= BACKUP_EVERY_MINUTES);
        if due {
            self.backup("periodic", now)
        } else {
            Ok(None)
        }
    }

    /// Whether every log parses (the review logs, and the curriculum with what it starts from).
    pub(super) fn verify(&mut self) -> Result<(), StoreError> {
        self.refresh()?;
        self.fold_curriculum(super::Load::Index).map(drop)
    }

    /// Backs up the collection, under the exclusive lock. Refused where the logs do not verify
    /// (a backup of damage would only push good backups out), unless `damaged_too`.
    pub(super) fn backup_locked(
        &mut self,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<BackupInfo>, StoreError> {
        self.verify()?;
        self.backup_as_it_is(reason, now, true)
    }

    /// Backs up the collection under the exclusive lock, its logs verified by the caller
    /// (read whole, every line parsed) so that they are not read again for it, and thins
    /// the backups.
    pub(super) fn backup_verified(
        &mut self,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<BackupInfo>, StoreError> {
        let made = self.backup_as_it_is(reason, now, true)?;
        self.thin(now)?;
        Ok(made)
    }

    /// Backs up the collection as it is, saying whether its logs verified.
    pub(super) fn backup_as_it_is(
        &mut self,
        reason: &str,
        now: DateTime<FixedOffset>,
        verified: bool,
    ) -> Result<Option<BackupInfo>, StoreError> {
        let files = self.collection_files()?;
        if files.is_empty() {
            return Ok(None);
        }
        let created = now.with_timezone(&Utc);
        let mut id = format!("{}-{reason}", created.format("%Y%m%dT%H%M%SZ"));
        let mut n = 1;
        while self.paths.backups.join(&id).exists() {
            n += 1;
            id = format!("{}-{reason}-{n}", created.format("%Y%m%dT%H%M%SZ"));
        }
        let temp = self
            .paths
            .backups
            .join(format!(".tmp-{id}-{:016x}", self.rng.next_u64()));
        let result = self.write_backup(&temp, &id, (reason, verified), created, &files);
        if result.is_err() {
            let _ = fs::remove_dir_all(&temp);
        }
        result
    }

    fn write_backup(
        &mut self,
        temp: &Path,
        id: &str,
        (reason, verified): (&str, bool),
        created: DateTime<Utc>,
        files: &[String],
    ) -> Result<Option<BackupInfo>, StoreError> {
        let mut manifest = Manifest {
            schema: MANIFEST_SCHEMA,
            created,
            reason: reason.to_owned(),
            files: Vec::new(),
            verified: Some(verified),
        };
        for relative in files {
            let from = self.paths.root.join(relative);
            let to = temp.join(relative);
            if let Some(parent) = to.parent() {
                create_dir_all(parent)?;
            }
            // Deck files, the plan and deck settings are only ever replaced whole (a new file
            // renamed over the old), never changed in place: a hard link keeps this version
            // as surely as a copy, in no space. Logs grow in place, so they are copied.
            let is_log = relative.starts_with("reviews/")
                || relative.starts_with("curriculum/")
                || relative.starts_with("parameters/");
            let linked = !is_log && fs::hard_link(&from, &to).is_ok();
            let bytes = if linked {
                fs::metadata(&to).map_err(io_error(&to, "back up"))?.len()
            } else {
                let bytes = fs::copy(&from, &to).map_err(io_error(&from, "back up"))?;
                fs::File::open(&to)
                    .and_then(|f| f.sync_all())
                    .map_err(io_error(&to, "sync"))?;
                bytes
            };
            manifest.files.push(ManifestFile {
                path: relative.clone(),
                bytes,
            });
        }
        let text = serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Io {
            action: "encode",
            path: temp.join(MANIFEST),
            source: io::Error::other(e),
        })?;
        write_atomic(&temp.join(MANIFEST), &text, self.rng.next_u64())?;
        let target = self.paths.backups.join(id);
        fs::rename(temp, &target).map_err(io_error(&target, "create"))?;
        sync_dir(&self.paths.backups)?;
        Ok(Some(BackupInfo {
            id: id.to_owned(),
            created,
            reason: reason.to_owned(),
            files: manifest.files.len(),
            bytes: manifest.files.iter().map(|f| f.bytes).sum(),
            verified: Some(verified),
        }))
    }

    /// Whether a backup's logs parse: as its manifest says, or, for a backup from an older hone,
    /// as reading them shows.
    fn backup_verifies(&self, backup: &BackupInfo) -> bool {
        if let Some(verified) = backup.verified {
            return verified;
        }
        let reviews = self.paths.backups.join(&backup.id).join("reviews");
        super::log::regular_jsonl_files(&reviews).is_ok_and(|(names, _)| {
            names
                .iter()
                .all(|name| super::log::read_log(&reviews.join(name)).is_ok())
        })
    }

    /// Deletes the backups the thinning rule does not keep, and leftovers of interrupted ones.
    fn thin(&mut self, now: DateTime<FixedOffset>) -> Result<(), StoreError> {
        let backups = self.backups()?;
        let last_good = backups
            .iter()
            .rev()
            .find(|b| self.backup_verifies(b))
            .map(|b| b.id.clone());
        for id in to_thin(&backups, now.with_timezone(&Utc)) {
            if Some(&id) == last_good.as_ref() {
                continue;
            }
            let path = self.paths.backups.join(&id);
            fs::remove_dir_all(&path).map_err(io_error(&path, "remove"))?;
        }
        if let Ok(entries) = fs::read_dir(&self.paths.backups) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
        Ok(())
    }

    pub(super) fn lock_for_doctor(&self) -> (Result<super::Lock, StoreError>, bool) {
        match self.locks.acquire(
            &self.paths.lock,
            Mode::Exclusive,
            std::time::Duration::from_millis(500),
        ) {
            Ok(lock) => (Ok(lock), true),
            Err(_) => (self.lock(Mode::Shared), false),
        }
    }
}

/// The backups the thinning rule drops, given all of them (any order) and the moment.
pub fn to_thin(backups: &[BackupInfo], now: DateTime<Utc>) -> Vec<String> {
    let mut newest_first: Vec<&BackupInfo> = backups.iter().collect();
    newest_first.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
    let mut keep: BTreeSet<&str> = newest_first
        .iter()
        .take(KEEP_NEWEST)
        .map(|b| b.id.as_str())
        .collect();
    let mut days = BTreeSet::new();
    let mut weeks = BTreeSet::new();
    let mut months = BTreeSet::new();
    for backup in &newest_first {
        let age_days = (now.date_naive() - backup.created.date_naive()).num_days();
        let date = backup.created.date_naive();
        if age_days < KEEP_DAYS && days.insert(date) {
            keep.insert(&backup.id);
        }
        if age_days < KEEP_WEEKS * 7 && weeks.insert(date.iso_week()) {
            keep.insert(&backup.id);
        }
        let months_ago = (now.year() - date.year()) * 12 + now.month() as i32 - date.month() as i32;
        if months_ago < KEEP_MONTHS && months.insert((date.year(), date.month())) {
            keep.insert(&backup.id);
        }
    }
    newest_first
        .iter()
        .filter(|b| !keep.contains(b.id.as_str()))
        .map(|b| b.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(id: &str, at: &str) -> BackupInfo {
        BackupInfo {
            id: id.into(),
            created: at.parse().unwrap(),
            reason: "periodic".into(),
            files: 1,
            bytes: 1,
            verified: Some(true),
        }
    }

    #[test]
    fn thinning_keeps_the_newest_and_one_per_day_week_and_month() {
        let now: DateTime<Utc> = "2026-06-30T12:00:00Z".parse().unwrap();
        let mut all = Vec::new();
        // Every 30 minutes for the last two days, then one a day back to last year.
        for i in 0..96 {
            all.push(backup(
                &format!("recent-{i:03}"),
                &(now - chrono::Duration::minutes(30 * i)).to_rfc3339(),
            ));
        }
        for d in 2..400 {
            all.push(backup(
                &format!("old-{d:03}"),
                &(now - chrono::Duration::days(d)).to_rfc3339(),
            ));
        }
        let dropped = to_thin(&all, now);
        let kept: Vec<&BackupInfo> = all.iter().filter(|b| !dropped.contains(&b.id)).collect();
        assert!(
            kept.len()
                <= KEEP_NEWEST + KEEP_DAYS as usize + KEEP_WEEKS as usize + KEEP_MONTHS as usize,
            "{}",
            kept.len()
        );
        for id in ["recent-000", "recent-001", "recent-002"] {
            assert!(kept.iter().any(|b| b.id == id), "{id} is among the newest");
        }
        for d in 0..KEEP_DAYS {
            let day = (now - chrono::Duration::days(d)).date_naive();
            assert!(
                kept.iter().any(|b| b.created.date_naive() == day),
                "one from {day}"
            );
        }
        assert!(
            kept.iter()
                .any(|b| b.created < now - chrono::Duration::days(200)),
            "a monthly one"
        );
        assert!(
            !kept
                .iter()
                .any(|b| b.created < now - chrono::Duration::days(300)),
            "nothing older than 9 months"
        );
    }

    #[test]
    fn a_few_backups_are_all_kept() {
        let now: DateTime<Utc> = "2026-06-30T12:00:00Z".parse().unwrap();
        let all = [
            backup("a", "2026-06-30T10:00:00Z"),
            backup("b", "2026-06-29T10:00:00Z"),
        ];
        assert!(to_thin(&all, now).is_empty());
    }
}
