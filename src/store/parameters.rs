//! `parameters/<device>.jsonl`: the FSRS parameters `hone optimize` fitted, one JSON line per
//! fit, appended by the machine that fitted them. A log like the others: each machine writes
//! only its own, so sync and merge carry them without conflicts, and the fit that counts is the
//! one with the latest stamp, whichever machine made it (then the log's name, then its place).
//!
//! ```text
//! {"v":1,"id":"9f0c...","hlc":[1795420800000,0],"at":"2026-11-23T09:00:00+01:00","reviews":812,"parameters":[0.21,...]}
//! ```
//!
//! A data dir without the folder (every data dir of an older hone) uses FSRS's defaults.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::files::newer;
use super::log::regular_jsonl_files;
use super::{Store, StoreError};
use crate::model::Stamp;

/// The format version of a parameters line.
pub const PARAMETERS_SCHEMA: u32 = 1;

/// One fit as a line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ParametersRecord {
    v: u32,
    id: String,
    hlc: (i64, u32),
    at: DateTime<FixedOffset>,
    /// The reviews the parameters were fitted on.
    reviews: usize,
    parameters: Vec<f32>,
}

/// The fit that counts: its parameters, how many reviews it saw, when and where it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub parameters: Vec<f32>,
    pub reviews: usize,
    pub at: DateTime<FixedOffset>,
    pub stamp: Stamp,
    /// The log and line it is on.
    pub path: PathBuf,
    pub line: u64,
}

/// Every fit in one log's bytes, with line numbers. An incomplete last line (a write cut short)
/// was never acknowledged and is left out.
pub(super) fn parse_parameters(path: &Path, bytes: &[u8]) -> Result<Vec<Fitted>, StoreError> {
    let (fits, problems) = read_parameters(path, bytes);
    match problems.into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(fits),
    }
}

/// Every fit in one log's bytes that can be used, and what is wrong with the lines that cannot
/// (a newer hone's, damage): a fit only tunes the model, so reading the model skips those with
/// a warning, where sync and merge refuse them.
fn read_parameters(path: &Path, bytes: &[u8]) -> (Vec<Fitted>, Vec<StoreError>) {
    let complete = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    let mut fits = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in bytes[..complete].split(|&b| b == b'\n').enumerate() {
        let number = index as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let corrupt = |reason: String| StoreError::corrupt(path, Some(number), reason);
        let not_an_entry = |e: &serde_json::Error| {
            StoreError::bad_json::<ParametersRecord>(
                path,
                number,
                "not a parameters entry",
                line,
                e,
            )
        };
        let version = match serde_json::from_slice::<Version>(line) {
            Ok(version) => version,
            Err(e) => {
                problems.push(not_an_entry(&e));
                continue;
            }
        };
        if version.v > PARAMETERS_SCHEMA {
            problems.push(newer(path, Some(number), version.v, PARAMETERS_SCHEMA));
            continue;
        }
        let record: ParametersRecord = match serde_json::from_slice(line) {
            Ok(record) => record,
            Err(e) => {
                problems.push(not_an_entry(&e));
                continue;
            }
        };
        if let Err(e) = crate::memory::Model::new(
            crate::memory::Scheduler::Fsrs,
            crate::memory::DEFAULT_RETENTION,
            &record.parameters,
        ) {
            problems.push(corrupt(e.to_string()));
            continue;
        }
        fits.push(Fitted {
            parameters: record.parameters,
            reviews: record.reviews,
            at: record.at,
            stamp: Stamp {
                millis: record.hlc.0,
                counter: record.hlc.1,
            },
            path: path.to_path_buf(),
            line: number,
        });
    }
    (fits, problems)
}

#[derive(Deserialize)]
struct Version {
    v: u32,
}

impl Store {
    pub(super) fn parameters_dir(&self) -> PathBuf {
        self.paths.root.join("parameters")
    }

    /// The fit that counts, if any machine has fitted parameters. Lines that cannot be used
    /// are skipped, each with a warning.
    pub fn fitted(&mut self) -> Result<Option<Fitted>, StoreError> {
        let (fit, problems) = fitted_in(&self.parameters_dir())?;
        for problem in problems {
            self.warn(format!(
                "{problem}; this fit of FSRS parameters is skipped (the model uses the latest usable one)"
            ));
        }
        Ok(fit)
    }

    /// Appends a fit to this machine's parameters log, fsynced, stamped after everything this
    /// machine has seen. The model is read again by the next load.
    pub fn save_parameters(
        &mut self,
        at: DateTime<FixedOffset>,
        reviews: usize,
        parameters: &[f32],
    ) -> Result<(), StoreError> {
        let _lock = self.exclusive()?;
        self.refresh()?;
        let seen = self.cache.as_ref().and_then(|c| c.replay.latest);
        self.append_fit(at, reviews, parameters, seen)
    }

    /// Puts back the fit that counted in a backup (`dir`), FSRS's defaults if none did, as the
    /// latest fit, unless it is the one in use. For a restore, under the exclusive lock.
    pub(super) fn restore_parameters(
        &mut self,
        dir: &Path,
        at: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        let (then, _) = fitted_in(&dir.join("parameters"))?;
        let now = self.fitted()?;
        let parameters = |fit: &Option<Fitted>| {
            fit.as_ref()
                .map_or(crate::memory::DEFAULT_PARAMETERS.to_vec(), |f| {
                    f.parameters.clone()
                })
        };
        if parameters(&then) == parameters(&now) {
            return Ok(());
        }
        let reviews = then.as_ref().map_or(0, |f| f.reviews);
        self.append_fit(at, reviews, &parameters(&then), None)
    }
}

/// The fit that counts among the parameters logs in `dir`, and what is wrong with lines that
/// cannot be used.
pub(super) fn fitted_in(dir: &Path) -> Result<(Option<Fitted>, Vec<StoreError>), StoreError> {
    let (names, _) = regular_jsonl_files(dir)?;
    let mut best: Option<Fitted> = None;
    let mut all_problems = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(super::fsutil::io_error(&path, "read")(e)),
        };
        // Names are sorted and lines in order: a later one with the same stamp wins.
        let (fits, problems) = read_parameters(&path, &bytes);
        all_problems.extend(problems);
        for fit in fits {
            if best.as_ref().is_none_or(|b| fit.stamp >= b.stamp) {
                best = Some(fit);
            }
        }
    }
    Ok((best, all_problems))
}

impl Store {
    /// Appends a fit to this machine's parameters log, stamped after `seen` and every fit here.
    fn append_fit(
        &mut self,
        at: DateTime<FixedOffset>,
        reviews: usize,
        parameters: &[f32],
        seen: Option<Stamp>,
    ) -> Result<(), StoreError> {
        let device = self.device()?;
        let dir = self.parameters_dir();
        let path = dir.join(format!("{device}.jsonl"));
        let seen = seen
            .into_iter()
            .chain(self.fitted()?.map(|f| f.stamp))
            .max()
            .unwrap_or_default();
        let stamp = seen.next(at.timestamp_millis());
        let record = ParametersRecord {
            v: PARAMETERS_SCHEMA,
            id: self.new_review_id(),
            hlc: (stamp.millis, stamp.counter),
            at,
            reviews,
            parameters: parameters.to_vec(),
        };
        let mut line = serde_json::to_vec(&record).map_err(|e| StoreError::Io {
            action: "encode",
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        line.push(b'\n');
        // A torn last line (a crash mid-append) goes before the new one is written after it.
        let bytes = fs::read(&path).unwrap_or_default();
        let complete = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
        let from = if complete < bytes.len() {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(super::fsutil::io_error(&path, "open"))?;
            file.set_len(complete as u64)
                .map_err(super::fsutil::io_error(&path, "cut back"))?;
            Some(complete as u64)
        } else {
            None
        };
        super::fsutil::append_synced(&path, &dir, &line, from)?;
        self.model = None;
        self.cache = None;
        Ok(())
    }
}

/// A name for a parameters log: a device id with `.jsonl`, no path.
fn log_name(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".jsonl")?;
    let ok = !stem.is_empty()
        && stem.len() <= 100
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some(name)
}

/// The ids of the fits in a log's bytes, with each complete line's bytes.
fn lines_with_ids(path: &Path, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let complete = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    parse_parameters(path, bytes)?;
    let mut lines = Vec::new();
    for line in bytes[..complete].split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let id = serde_json::from_slice::<Id>(line).map_or_else(|_| String::new(), |i| i.id);
        let mut owned = line.to_vec();
        owned.push(b'\n');
        lines.push((id, owned));
    }
    Ok(lines)
}

impl Store {
    /// Takes in other machines' parameters logs (file name and bytes): every fit not here yet
    /// is appended to the log of the same name, byte for byte where ours is the start of
    /// theirs. Everything is checked before anything is written. Returns the fits added and
    /// the logs written.
    pub(super) fn take_parameters(
        &mut self,
        incoming: &[(String, Vec<u8>)],
    ) -> Result<(usize, Vec<String>), StoreError> {
        let dir = self.parameters_dir();
        let (names, _) = regular_jsonl_files(&dir)?;
        let mut known = std::collections::HashSet::new();
        let mut ours = std::collections::BTreeMap::new();
        for name in names {
            let path = dir.join(&name);
            let bytes = fs::read(&path).map_err(super::fsutil::io_error(&path, "read"))?;
            for (id, _) in lines_with_ids(&path, &bytes)? {
                known.insert(id);
            }
            ours.insert(name, bytes);
        }
        let mut appends = Vec::new();
        for (name, bytes) in incoming {
            let Some(name) = log_name(name) else {
                continue;
            };
            let label = Path::new("the source's parameters").join(name);
            let theirs = lines_with_ids(&label, bytes)?;
            let here = ours.get(name).map(Vec::as_slice).unwrap_or_default();
            let here_complete = &here[..memchr::memrchr(b'\n', here).map_or(0, |i| i + 1)];
            let mut tail = Vec::new();
            let mut added = 0;
            for (id, line) in theirs {
                if known.insert(id) {
                    tail.extend_from_slice(&line);
                    added += 1;
                }
            }
            if added > 0 {
                appends.push((dir.join(name), tail, here_complete.len() as u64, added));
            }
        }
        let mut logs = Vec::new();
        let mut added = 0;
        for (path, tail, from, count) in appends {
            if let Ok(file) = fs::OpenOptions::new().write(true).open(&path) {
                // A torn last line was never acknowledged: cut it before appending after it.
                let _ = file.set_len(from);
            }
            super::fsutil::append_synced(&path, &dir, &tail, Some(from))?;
            logs.push(format!(
                "parameters/{}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            added += count;
        }
        if added > 0 {
            self.model = None;
            self.cache = None;
        }
        Ok((added, logs))
    }

    /// The parameters logs of a data dir (file name and bytes).
    pub(super) fn parameters_logs_in(root: &Path) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let dir = root.join("parameters");
        let (names, _) = regular_jsonl_files(&dir)?;
        let mut logs = Vec::new();
        for name in names {
            let path = dir.join(&name);
            let bytes = fs::read(&path).map_err(super::fsutil::io_error(&path, "read"))?;
            logs.push((name, bytes));
        }
        Ok(logs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(v: u32, hlc: i64, w0: f32) -> String {
        let mut w = crate::memory::DEFAULT_PARAMETERS.to_vec();
        w[0] = w0;
        format!(
            "{}\n",
            serde_json::json!({"v": v, "id": "x", "hlc": [hlc, 0], "at": "2026-11-23T09:00:00+01:00", "reviews": 100, "parameters": w})
        )
    }

    #[test]
    fn each_line_is_a_fit_and_a_torn_last_line_is_left_out() {
        let text = format!("{}{}{{\"v\":1,", line(1, 5, 0.3), line(1, 9, 0.4));
        let fits = parse_parameters(Path::new("p.jsonl"), text.as_bytes()).unwrap();
        assert_eq!(fits.len(), 2);
        assert_eq!(fits[1].parameters[0], 0.4);
        assert_eq!(fits[1].line, 2);
    }

    #[test]
    fn a_newer_version_and_damage_name_their_line() {
        let newer = format!("{}{}", line(1, 5, 0.3), line(2, 9, 0.4));
        let e = parse_parameters(Path::new("p.jsonl"), newer.as_bytes()).unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::NewerSchema {
                    line: Some(2),
                    found: 2,
                    ..
                }
            ),
            "{e}"
        );
        let short = "{\"v\":1,\"id\":\"x\",\"hlc\":[1,0],\"at\":\"2026-11-23T09:00:00+01:00\",\"reviews\":1,\"parameters\":[0.1,0.2]}\n";
        let e = parse_parameters(Path::new("p.jsonl"), short.as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .contains("p.jsonl:1: FSRS parameters are not usable"),
            "{e}"
        );
    }
}
