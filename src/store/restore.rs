//! `hone restore`: going back to a backup by appending, never by rewriting. Only what this
//! machine wrote is touched: the entries of its own logs that the backup does not have are
//! retracted, the entries the backup has that its own logs lost are put back (with their own
//! stamps, so they replay in their old place), and damaged lines are settled with repairs
//! (`damage`). Other machines' logs stay as they are, so every machine that syncs the result
//! replays it the same way; and a restore is undone by restoring the backup it makes first.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::backup::Manifest;
use super::curriculum_write::encode_located;
use super::damage::RepairLine;
use super::files::parse_versioned_file;
use super::fsutil::append_synced;
use super::fsutil::io_error;
use super::log::{encode_lines, parse_one, read_log};
use super::records::StampRecord;
use super::{Store, StoreError, shown};
use crate::answer::{self, Moment};
use crate::model::{Event, Stamp};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub id: String,
    /// Entries this machine wrote after the backup, now taken back.
    pub retracted: usize,
    /// Answers among them.
    pub answers_taken_back: usize,
    /// Entries the backup has that this machine's logs had lost, now back.
    pub put_back: usize,
    /// Damaged lines of this machine's logs, now skipped.
    pub repaired: usize,
    /// The backup of the state before the restore, if there was anything to keep.
    pub safety: Option<String>,
}

/// One of this machine's logs as a restore sees it.
struct OwnLog {
    /// The entries that parse, in the order written.
    entries: Vec<Event>,
    /// Damaged lines no repair settles yet: number and hash.
    damaged: Vec<(u64, String)>,
    /// Bytes of complete lines.
    complete: u64,
}

/// Reads a log line by line, keeping what parses and noting what does not.
fn read_leniently(path: &Path) -> Result<OwnLog, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    let complete = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
    let mut entries = Vec::new();
    let damaged = super::damage::unsettled(&bytes[..complete], |number, raw| {
        match parse_one(path, number, raw) {
            Ok(event) => {
                entries.extend(event);
                true
            }
            Err(_) => false,
        }
    });
    Ok(OwnLog {
        entries,
        damaged,
        complete: complete as u64,
    })
}

impl Store {
    /// What restoring backup `id` would take back: the answers this machine recorded since.
    pub fn answers_since_backup(&mut self, id: &str) -> Result<usize, StoreError> {
        let (dir, _) = self.backup_dir(id)?;
        let name = format!("{}.jsonl", self.device()?);
        let kept = read_log(&dir.join("reviews").join(&name)).unwrap_or_default();
        let kept: HashSet<&str> = kept.iter().map(|e| e.id.as_str()).collect();
        let now = read_leniently(&self.paths.reviews.join(&name))?;
        Ok(now
            .entries
            .iter()
            .filter(|e| e.graded().is_some() && !kept.contains(e.id.as_str()))
            .count())
    }

    /// A backup's directory and manifest, checked.
    fn backup_dir(&self, id: &str) -> Result<(PathBuf, Manifest), StoreError> {
        let dir = self.paths.backups.join(id);
        let manifest_path = dir.join("manifest.json");
        if id.contains(['/', '\\']) || id.starts_with('.') || !manifest_path.is_file() {
            return Err(StoreError::Refused(format!(
                "no backup '{}'; `hone backup --list` lists them",
                crate::render::safe::visible(id)
            )));
        }
        let bytes = fs::read(&manifest_path).map_err(io_error(&manifest_path, "read"))?;
        let manifest: Manifest = parse_versioned_file(&manifest_path, &bytes, 1)?;
        for file in &manifest.files {
            let source = dir.join(&file.path);
            let unsafe_path = Path::new(&file.path)
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)));
            let size = fs::metadata(&source).map(|m| m.len()).ok();
            if unsafe_path || size != Some(file.bytes) {
                return Err(StoreError::Refused(format!(
                    "backup '{id}' is damaged ({} is not as its manifest says); nothing was restored",
                    shown(&source)
                )));
            }
        }
        Ok((dir, manifest))
    }

    /// Goes back to backup `id` as this module says, after backing up the current state.
    pub fn restore(
        &mut self,
        id: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<RestoreReport, StoreError> {
        let (dir, _) = self.backup_dir(id)?;
        let _lock = self.exclusive()?;
        let device = self.device()?;
        let name = format!("{device}.jsonl");
        // The backup must be whole: its logs are what this machine goes back to.
        let damaged_backup = |e: StoreError| {
            StoreError::Refused(format!(
                "backup '{id}' is damaged ({e}); nothing was restored"
            ))
        };
        let kept_reviews = read_log(&dir.join("reviews").join(&name)).map_err(damaged_backup)?;
        let kept_changes = self
            .backup_curriculum(&dir, &name)
            .map_err(damaged_backup)?;
        // Files of an older hone here are moved into a log first, so that the log says it all.
        if self.verify().is_ok() {
            self.move_legacy_curriculum()?;
        }
        let reviews_path = self.paths.reviews.join(&name);
        let curriculum_path = self.paths.curriculum.join(&name);
        let reviews = read_leniently(&reviews_path)?;
        let changes = super::curriculum::read_leniently(&curriculum_path)?;
        let verified = self.verify().is_ok();
        let safety = self
            .backup_as_it_is("before-restore", now, verified)?
            .map(|b| b.id);

        // Each new line is stamped after every stamp either side knows of.
        let latest = reviews
            .entries
            .iter()
            .chain(&kept_reviews)
            .filter_map(|e| e.stamp)
            .chain(changes.stamps())
            .chain(kept_changes.iter().filter_map(|(c, _)| c.stamp))
            .chain(self.cache.as_ref().and_then(|c| c.replay.latest))
            .max();
        let mut clock = latest.unwrap_or_default();
        let tick = |clock: &mut Stamp| {
            *clock = clock.next(now.timestamp_millis());
            *clock
        };
        let when = Moment {
            at: now,
            day_start_hour: 0,
            max_interval: crate::sm2::MAX_INTERVAL,
        };

        // The review log.
        let here: HashSet<&str> = reviews.entries.iter().map(|e| e.id.as_str()).collect();
        let back: Vec<Event> = kept_reviews
            .iter()
            .filter(|e| !here.contains(e.id.as_str()))
            .map(|e| Event {
                // A line from before stamps keeps its place by its moment.
                stamp: Some(e.stamp.unwrap_or_else(|| crate::replay::own_stamp(e))),
                ..e.clone()
            })
            .collect();
        let kept: HashSet<&str> = kept_reviews.iter().map(|e| e.id.as_str()).collect();
        let since: Vec<&Event> = reviews
            .entries
            .iter()
            .filter(|e| !kept.contains(e.id.as_str()))
            .collect();
        let mut by_card: std::collections::BTreeMap<&crate::model::CardId, Vec<String>> =
            Default::default();
        for event in &since {
            by_card
                .entry(&event.card)
                .or_default()
                .push(event.id.clone());
        }
        let mut added = back.clone();
        for (card, ids) in by_card {
            for chunk in ids.chunks(1000) {
                let mut retraction =
                    answer::retraction(card, chunk.to_vec(), when, self.new_review_id());
                retraction.stamp = Some(tick(&mut clock));
                added.push(retraction);
            }
        }
        let mut text = encode_lines(&reviews_path, added.iter())?;
        for (line, hash) in &reviews.damaged {
            text.push_str(&self.repair_line(
                super::records::LOG_SCHEMA,
                tick(&mut clock),
                now,
                *line,
                hash,
            ));
        }
        if !text.is_empty() {
            append_synced(
                &reviews_path,
                &self.paths.reviews,
                text.as_bytes(),
                Some(reviews.complete),
            )?;
        }

        // The curriculum log, the same way.
        let here: HashSet<&str> = changes.ids().collect();
        let kept_ids: HashSet<&str> = kept_changes.iter().map(|(c, _)| c.id.as_str()).collect();
        let back_changes: Vec<_> = kept_changes
            .iter()
            .filter(|(c, _)| !here.contains(c.id.as_str()))
            .cloned()
            .collect();
        let since_changes: Vec<String> = changes
            .ids()
            .filter(|id| !kept_ids.contains(id))
            .map(str::to_owned)
            .collect();
        let mut curriculum_text = encode_located(&curriculum_path, &back_changes)?;
        for chunk in since_changes.chunks(1000) {
            let retract = crate::curriculum::Change {
                id: self.new_review_id(),
                at: now,
                stamp: Some(tick(&mut clock)),
                what: crate::curriculum::What::Retract {
                    ids: chunk.to_vec(),
                },
            };
            curriculum_text.push_str(&encode_located(&curriculum_path, &[(retract, None)])?);
        }
        for (line, hash) in &changes.damaged {
            let schema = super::curriculum::CURRICULUM_SCHEMA;
            curriculum_text.push_str(&self.repair_line(schema, tick(&mut clock), now, *line, hash));
        }
        if !curriculum_text.is_empty() {
            append_synced(
                &curriculum_path,
                &self.paths.curriculum,
                curriculum_text.as_bytes(),
                Some(changes.complete),
            )?;
        }

        // The fitted parameters go back too: the fit the backup used is the latest again.
        self.restore_parameters(&dir, now)?;
        self.model = None;

        // The state is replayed from the logs from now on.
        match fs::remove_file(&self.paths.snapshot) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&self.paths.snapshot, "remove")(e)),
        }
        self.cache = None;
        Ok(RestoreReport {
            id: id.to_owned(),
            retracted: since.len() + since_changes.len(),
            answers_taken_back: since.iter().filter(|e| e.graded().is_some()).count(),
            put_back: back.len() + back_changes.len(),
            repaired: reviews.damaged.len() + changes.damaged.len(),
            safety,
        })
    }

    /// A repair of line `line` (hash `hash`) as a log line.
    fn repair_line(
        &mut self,
        schema: u32,
        stamp: Stamp,
        now: DateTime<FixedOffset>,
        line: u64,
        hash: &str,
    ) -> String {
        let repair = RepairLine {
            v: schema,
            id: self.new_review_id(),
            kind: "repair".to_owned(),
            hlc: (stamp.millis, stamp.counter) as StampRecord,
            at: now.to_rfc3339(),
            line,
            hash: hash.to_owned(),
        };
        let mut text = serde_json::to_string(&repair).unwrap_or_default();
        text.push('\n');
        text
    }
}
