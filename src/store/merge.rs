//! `hone merge`: folding in the logs of another data dir (review and curriculum logs), or a
//! history `hone export --history` wrote. An entry already here (the same id, in any log) is
//! skipped; the same id with other content is a conflict, and the merge is refused whole before
//! anything is written. New entries go into a log named after the device they come from, so
//! that two data dirs that merge each other end with the same logs, and so the same state.
//! A data dir's fitted FSRS parameters come along the same way. Only log files are written
//! here, and only by appending.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::fsutil::append_synced;
use super::fsutil::io_error;
use super::log::{encode_lines, line_of_entry, parse_record, read_log, regular_jsonl_files};
use super::{Store, StoreError, shown};
use crate::curriculum::Change;
use crate::model::{Event, stable_hash};
use crate::replay::{Entry, same_entry};

/// What a merge did.
#[derive(Debug, Default)]
pub struct MergeReport {
    /// Entries saved here.
    pub added: usize,
    /// Entries the source holds that were here already.
    pub already: usize,
    /// The logs entries were saved to, each once.
    pub logs: Vec<String>,
}

/// One log's worth of entries from the source, in the order that log has them, with where
/// they come from for errors.
struct Incoming<E> {
    name: String,
    entries: Vec<E>,
    /// The file they were read from, and whether it is one log (lines count entries) or an
    /// exported history (lines are named by the entry's place in the file).
    from: PathBuf,
    lines: Vec<u64>,
}

/// Entries that can be merged: review entries and curriculum changes.
trait Mergeable: Entry + Clone {
    fn same(&self, other: &Self) -> bool;
}

impl Mergeable for Event {
    fn same(&self, other: &Self) -> bool {
        same_entry(self, other)
    }
}

impl Mergeable for Change {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

/// What merging one kind of log plans to write: per log name, the entries to append.
struct Plan<E> {
    appends: BTreeMap<String, Vec<E>>,
    added: usize,
    already: usize,
}

/// Decides where each new incoming entry goes, given the logs here (`ours`: name to entries).
/// `Err` names the first entry whose id is here with other content.
fn plan<E: Mergeable>(
    ours: &BTreeMap<String, Vec<E>>,
    incoming: &[Incoming<E>],
) -> Result<Plan<E>, (String, usize, String)> {
    let mut known: HashMap<&str, (&str, usize)> = HashMap::new();
    for (name, entries) in ours {
        for (i, e) in entries.iter().enumerate() {
            known.entry(e.id()).or_insert((name, i));
        }
    }
    let mut plan = Plan {
        appends: BTreeMap::new(),
        added: 0,
        already: 0,
    };
    let mut taken: HashMap<String, &E> = HashMap::new();
    for log in incoming {
        let mut fresh = Vec::new();
        for (i, entry) in log.entries.iter().enumerate() {
            if let Some(&(name, j)) = known.get(entry.id()) {
                if !ours[name][j].same(entry) {
                    return Err((log.name.clone(), i, name.to_owned()));
                }
                plan.already += 1;
            } else if let Some(first) = taken.get(entry.id()) {
                if !first.same(entry) {
                    return Err((log.name.clone(), i, String::new()));
                }
                plan.already += 1;
            } else {
                taken.insert(entry.id().to_owned(), entry);
                fresh.push(entry.clone());
            }
        }
        if fresh.is_empty() {
            continue;
        }
        plan.added += fresh.len();
        // Our copy of a log that is the start of theirs grows into theirs; one that went
        // another way (a restored backup used on two machines) gets a log of its own, named
        // by where the two part, so that merging the same source again finds it.
        let name = match ours.get(&log.name) {
            Some(here) => match parting(here, &log.entries) {
                None => log.name.clone(),
                Some(at) => side_name(&log.name, log.entries[at].id()),
            },
            None => log.name.clone(),
        };
        plan.appends.entry(name).or_default().extend(fresh);
    }
    Ok(plan)
}

/// Where `theirs` stops following `ours` entry by entry: `None` if ours is its start.
fn parting<E: Entry>(ours: &[E], theirs: &[E]) -> Option<usize> {
    let common = ours
        .iter()
        .zip(theirs)
        .take_while(|(a, b)| a.id() == b.id())
        .count();
    (common < ours.len()).then_some(common.min(theirs.len().saturating_sub(1)))
}

/// A log name for entries that belong beside `name` but not in it: the same on every machine
/// and in every release (FNV-1a of the id of the first entry that parts from ours).
fn side_name(name: &str, parting_id: &str) -> String {
    let stem = name.strip_suffix(".jsonl").unwrap_or(name);
    format!("{stem}-{:016x}.jsonl", stable_hash(parting_id.as_bytes()))
}

/// Whether `stem` can name a log: letters, digits, '-' and '_', as device ids are.
fn log_stem(stem: &str) -> Option<String> {
    let ok = !stem.is_empty()
        && stem.len() <= 100
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| format!("{stem}.jsonl"))
}

impl Store {
    /// Saves every entry of `source` (a data dir, one of its review logs, or an exported
    /// history) that is not here yet. Backs the data dir up first.
    pub fn merge(
        &mut self,
        source: &Path,
        now: DateTime<FixedOffset>,
    ) -> Result<MergeReport, StoreError> {
        if let (Ok(a), Ok(b)) = (source.canonicalize(), self.paths.root.canonicalize())
            && a == b
        {
            return Err(StoreError::Refused(format!(
                "{} is this data dir; name another one",
                shown(source)
            )));
        }
        let _lock = self.exclusive()?;
        self.verify()?;
        self.merge_from(source, Some(now))
    }

    /// Saves every entry of an exported history read whole beforehand (from stdin, which may
    /// be slow: it is read before the lock is taken), named `label` in messages.
    pub fn merge_history(
        &mut self,
        label: &Path,
        history: &[u8],
        now: DateTime<FixedOffset>,
    ) -> Result<MergeReport, StoreError> {
        let incoming = read_history(label, history, None)?;
        let _lock = self.exclusive()?;
        self.verify()?;
        self.merge_incoming(label, (incoming, Vec::new()), Vec::new(), Some(now))
    }

    /// Merges the logs of a directory, under the exclusive lock, without a backup: the part of
    /// a sync that takes in logs that parted from ours.
    pub(super) fn merge_locked(&mut self, source: &Path) -> Result<MergeReport, StoreError> {
        self.merge_from(source, None)
    }

    /// The merge itself, under the exclusive lock; backed up first when `backup_at` is given.
    fn merge_from(
        &mut self,
        source: &Path,
        backup_at: Option<DateTime<FixedOffset>>,
    ) -> Result<MergeReport, StoreError> {
        let incoming = read_source(source)?;
        // A data dir's fitted parameters come along, each fit once; checked before anything
        // is written, like every entry.
        let parameters = if source.is_dir() {
            Self::parameters_logs_in(source)?
        } else {
            Vec::new()
        };
        for (name, bytes) in &parameters {
            super::parameters::parse_parameters(&source.join("parameters").join(name), bytes)?;
        }
        self.merge_incoming(source, incoming, parameters, backup_at)
    }

    /// Saves the entries of `incoming` and the fits of `parameters` that are not here yet;
    /// `source` names where they came from.
    fn merge_incoming(
        &mut self,
        source: &Path,
        (reviews, changes): Sources,
        parameters: Vec<(String, Vec<u8>)>,
        backup_at: Option<DateTime<FixedOffset>>,
    ) -> Result<MergeReport, StoreError> {
        // Every conflict is found before anything is written.
        let ours_reviews = self.ours(&self.paths.reviews.clone(), read_log)?;
        let review_plan = plan(&ours_reviews, &reviews)
            .map_err(|c| self.merge_conflict(source, &reviews, &self.paths.reviews, c))?;
        let curriculum_dir = self.paths.curriculum.clone();
        let ours_changes = self.ours(&curriculum_dir, super::curriculum::read_changes)?;
        let change_plan = plan(&ours_changes, &changes)
            .map_err(|c| self.merge_conflict(source, &changes, &curriculum_dir, c))?;
        let mut report = MergeReport {
            added: review_plan.added + change_plan.added,
            already: review_plan.already + change_plan.already,
            logs: Vec::new(),
        };
        if let Some(now) = backup_at.filter(|_| report.added > 0) {
            self.backup("merge", now)?;
        }
        let mut logs = BTreeSet::new();
        for (name, entries) in review_plan.appends {
            let path = self.paths.reviews.join(&name);
            let text = encode_lines(&path, entries.iter())?;
            self.append_to(&path, &name, text.as_bytes())?;
            logs.insert(format!("reviews/{name}"));
        }
        for (name, entries) in change_plan.appends {
            let path = curriculum_dir.join(&name);
            let text = super::curriculum_write::encode_changes(&path, &entries)?;
            self.append_to(&path, &name, text.as_bytes())?;
            logs.insert(format!("curriculum/{name}"));
        }
        let (fits, parameter_logs) = self.take_parameters(&parameters)?;
        report.added += fits;
        logs.extend(parameter_logs);
        report.logs = logs.into_iter().collect();
        self.refresh()?;
        if report.added > 0 {
            self.write_snapshot()?;
        }
        Ok(report)
    }

    /// The logs in `dir`, each read whole with `read`.
    fn ours<E>(
        &mut self,
        dir: &Path,
        read: fn(&Path) -> Result<Vec<E>, StoreError>,
    ) -> Result<BTreeMap<String, Vec<E>>, StoreError> {
        let (names, _) = regular_jsonl_files(dir)?;
        let mut ours = BTreeMap::new();
        for name in names {
            ours.insert(name.clone(), read(&dir.join(&name))?);
        }
        Ok(ours)
    }

    /// Appends to a log of `reviews/` or `curriculum/`, setting aside a torn last line first.
    fn append_to(&mut self, path: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let whole = super::log::read_whole_log_bytes(path)?;
        if whole.torn {
            super::log::set_aside_torn_tail(path, whole.bytes, &self.paths.torn, name)?;
            if let Some(cache) = self.cache.as_mut() {
                cache.torn.remove(name);
            }
            self.torn_curriculum.remove(name);
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        append_synced(path, dir, bytes, Some(whole.bytes))
    }

    fn merge_conflict<E>(
        &self,
        source: &Path,
        incoming: &[Incoming<E>],
        dir: &Path,
        (log, index, ours): (String, usize, String),
    ) -> StoreError {
        let theirs = incoming.iter().find(|l| l.name == log);
        let there = theirs.map_or_else(
            || shown(source),
            |l| {
                let line = l
                    .lines
                    .get(index)
                    .copied()
                    .or_else(|| line_of_entry(&l.from, index));
                format!(
                    "{}{}",
                    shown(&l.from),
                    line.map_or(String::new(), |n| format!(":{n}"))
                )
            },
        );
        let here = if ours.is_empty() {
            "an earlier line of the same source".to_owned()
        } else {
            shown(&dir.join(&ours))
        };
        StoreError::Refused(format!(
            "merge refused: {there} holds an entry that {here} holds with other content (one of them was edited); nothing was changed"
        ))
    }
}

type Sources = (Vec<Incoming<Event>>, Vec<Incoming<Change>>);

/// The logs in a data dir (or in its `reviews/` folder), or the entries of one file grouped by
/// the device they come from.
fn read_source(source: &Path) -> Result<Sources, StoreError> {
    let meta = fs::metadata(source).map_err(io_error(source, "open"))?;
    if meta.is_dir() {
        let reviews = source.join("reviews");
        let dir = if reviews.is_dir() {
            reviews
        } else {
            source.to_path_buf()
        };
        let review_logs = read_dir_logs(&dir, read_log)?;
        let changes = read_dir_logs(&source.join("curriculum"), super::curriculum::read_changes)?;
        if review_logs.is_empty() && changes.is_empty() {
            return Err(StoreError::Refused(format!(
                "{} holds no logs: name a hone data dir, one of its reviews/*.jsonl, or a file from `hone export --history`",
                shown(source)
            )));
        }
        return Ok((review_logs, changes));
    }
    if !meta.is_file() {
        return Err(StoreError::Refused(format!(
            "{} is not a regular file or a directory",
            shown(source)
        )));
    }
    let file = fs::File::open(source).map_err(io_error(source, "open"))?;
    let fallback = source
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(log_stem);
    Ok((read_history(source, file, fallback)?, Vec::new()))
}

/// The entries of one log or exported history, by the device each line names (`fallback`
/// for lines that name none, as a device's own log does).
fn read_history(
    source: &Path,
    reader: impl std::io::Read,
    fallback: Option<String>,
) -> Result<Vec<Incoming<Event>>, StoreError> {
    let mut by_device: BTreeMap<Option<String>, (Vec<Event>, Vec<u64>)> = BTreeMap::new();
    let mut number = 0;
    super::lines::for_each_line(source, reader, |raw| {
        number += 1;
        let parsed = parse_record(source, number, raw, |mut line| {
            let device = line.device.take();
            line.into_event().map(|event| (device, event))
        })?;
        if let Some((device, event)) = parsed {
            let (events, lines) = by_device.entry(device).or_default();
            events.push(event);
            lines.push(number);
        }
        Ok(())
    })?;
    let mut logs = Vec::new();
    for (device, (entries, lines)) in by_device {
        let name = device
            .as_deref()
            .and_then(log_stem)
            .or_else(|| fallback.clone())
            .unwrap_or_else(|| side_name("merged", entries.first().map_or("", |e| e.id.as_str())));
        logs.push(Incoming {
            name,
            entries,
            from: source.to_path_buf(),
            lines,
        });
    }
    Ok(logs)
}

fn read_dir_logs<E>(
    dir: &Path,
    read: fn(&Path) -> Result<Vec<E>, StoreError>,
) -> Result<Vec<Incoming<E>>, StoreError> {
    let (names, _) = regular_jsonl_files(dir)?;
    let mut logs = Vec::new();
    for name in names {
        let Some(stem) = name.strip_suffix(".jsonl").and_then(log_stem) else {
            continue;
        };
        let from = dir.join(&name);
        logs.push(Incoming {
            name: stem,
            entries: read(&from)?,
            from,
            lines: Vec::new(),
        });
    }
    Ok(logs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_logs_have_one_name_on_every_machine_and_in_every_release() {
        assert_eq!(
            side_name("abc.jsonl", "0123456789abcdef"),
            format!("abc-{:016x}.jsonl", stable_hash(b"0123456789abcdef"))
        );
        // Pinned: FNV-1a, 64-bit, of the id.
        assert_eq!(side_name("abc.jsonl", "x"), "abc-af63f54c86021707.jsonl");
    }
}
