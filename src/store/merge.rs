//! `hone merge`: folding in the review logs of another data dir, or a history `hone export
//! --history` wrote. An entry already here (the same id, in any log) is skipped; the others go
//! into a log named after the device they come from, so that two data dirs that merge each
//! other end with the same logs, and so the same state. Only log files are written here.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::fsutil::{io_error, sync_dir};
use super::log::{encode_lines, parse_record, read_log};
use super::{Store, StoreError, shown};
use crate::model::Event;

/// What a merge did.
#[derive(Debug, Default)]
pub struct MergeReport {
    /// Entries saved here.
    pub added: usize,
    /// Entries the source holds that were here already.
    pub already: usize,
    /// The logs entries were saved to.
    pub logs: Vec<String>,
}

/// One log's worth of entries from the source, in the order that log has them.
struct Incoming {
    name: String,
    events: Vec<Event>,
}

impl Store {
    /// Saves every entry of `source` (a data dir, one of its logs, or an exported history) that
    /// is not here yet. Backs the data dir up first.
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
        let incoming = read_source(source)?;
        self.backup("merge", now)?;
        let _lock = self.exclusive()?;
        self.refresh()?;
        let mut ours: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in self.log_names()? {
            let ids = read_log(&self.paths.reviews.join(&name))?
                .into_iter()
                .map(|e| e.id)
                .collect();
            ours.insert(name, ids);
        }
        let mut known: HashSet<String> = ours.values().flatten().cloned().collect();
        let mut report = MergeReport::default();
        for log in incoming {
            let fresh: Vec<&Event> = log
                .events
                .iter()
                .filter(|e| known.insert(e.id.clone()))
                .collect();
            report.already += log.events.len() - fresh.len();
            if fresh.is_empty() {
                continue;
            }
            // Our copy of a log that is the start of theirs grows into theirs; one that went
            // another way (a restored backup used on two machines) gets a log of its own.
            let name = match ours.get(&log.name) {
                Some(ids) if !is_start_of(ids, &log.events) => side_name(&log.name, &fresh),
                _ => log.name.clone(),
            };
            self.append_foreign(&name, &fresh)?;
            report.added += fresh.len();
            report.logs.push(name);
        }
        self.refresh()?;
        if report.added > 0 {
            self.write_snapshot()?;
        }
        Ok(report)
    }

    /// Appends entries to a log in `reviews/`, creating it if needed, fsynced; cut back to
    /// where it was if the write fails.
    fn append_foreign(&mut self, name: &str, events: &[&Event]) -> Result<(), StoreError> {
        let path = self.paths.reviews.join(name);
        let text = encode_lines(&path, events.iter().copied())?;
        let torn = self.cache.as_ref().and_then(|c| c.torn.get(name).copied());
        if let Some(start) = torn {
            super::log::set_aside_torn_tail(&path, start, &self.paths.torn, name)?;
        }
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_error(&path, "open"))?;
        let before = file.metadata().map_err(io_error(&path, "read"))?.len();
        let written = file
            .write_all(text.as_bytes())
            .map_err(io_error(&path, "append to"))
            .and_then(|()| file.sync_data().map_err(io_error(&path, "sync")));
        if let Err(e) = written {
            let _ = file.set_len(before).and_then(|()| file.sync_data());
            return Err(e);
        }
        if !existed {
            sync_dir(&self.paths.reviews)?;
        }
        Ok(())
    }
}

/// Whether `ids` are the first entries of `events`, in order.
fn is_start_of(ids: &[String], events: &[Event]) -> bool {
    ids.len() <= events.len() && ids.iter().zip(events).all(|(id, e)| *id == e.id)
}

/// A log name for entries that belong beside `name` but not in it, the same on every machine.
fn side_name(name: &str, events: &[&Event]) -> String {
    let mut hasher = rustc_hash::FxHasher::default();
    for event in events {
        event.id.hash(&mut hasher);
    }
    let stem = name.strip_suffix(".jsonl").unwrap_or(name);
    format!("{stem}-{:016x}.jsonl", hasher.finish())
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

/// The logs in a data dir (or in its `reviews/` folder), or the entries of one file grouped by
/// the device they come from.
fn read_source(source: &Path) -> Result<Vec<Incoming>, StoreError> {
    let meta = fs::metadata(source).map_err(io_error(source, "open"))?;
    if meta.is_dir() {
        let reviews = source.join("reviews");
        let dir = if reviews.is_dir() {
            reviews
        } else {
            source.to_path_buf()
        };
        let mut logs = Vec::new();
        let entries = fs::read_dir(&dir).map_err(io_error(&dir, "list"))?;
        for entry in entries {
            let entry = entry.map_err(io_error(&dir, "list"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(name) = name.strip_suffix(".jsonl").and_then(log_stem) else {
                continue;
            };
            let events = read_log(&entry.path())?;
            logs.push(Incoming { name, events });
        }
        if logs.is_empty() {
            return Err(StoreError::Refused(format!(
                "{} holds no review logs: name a hone data dir, one of its reviews/*.jsonl, or a file from `hone export --history`",
                shown(source)
            )));
        }
        logs.sort_by(|a, b| a.name.cmp(&b.name));
        return Ok(logs);
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
    let mut by_device: BTreeMap<Option<String>, Vec<Event>> = BTreeMap::new();
    let mut number = 0;
    super::lines::for_each_line(source, file, |raw| {
        number += 1;
        let parsed = parse_record(source, number, raw, |mut line| {
            let device = line.device.take();
            line.into_event().map(|event| (device, event))
        })?;
        if let Some((device, event)) = parsed {
            by_device.entry(device).or_default().push(event);
        }
        Ok(())
    })?;
    let mut logs = Vec::new();
    for (device, events) in by_device {
        let name = device
            .as_deref()
            .and_then(log_stem)
            .or_else(|| fallback.clone())
            .unwrap_or_else(|| side_name("merged", &events.iter().collect::<Vec<_>>()));
        logs.push(Incoming { name, events });
    }
    Ok(logs)
}
