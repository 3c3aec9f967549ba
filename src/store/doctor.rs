//! `hone doctor`: every file of the data dir checked, and the snapshot compared with a replay of
//! the logs it claims to reflect. Reads only (the write probe removes what it writes).

use std::collections::BTreeMap;
use std::fs;
use std::io;

use super::log::parse_log;
use super::records::LogPosition;
use super::snapshot::parse_snapshot;
use super::{Store, StoreError, shown};
use crate::replay::{LogEntries, replay_all};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Something hone works around by itself, or that deserves a look.
    Warning,
    /// Something that stops hone, or loses data, until it is fixed.
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
}

fn check(name: impl Into<String>, status: Status, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        status,
        detail: detail.into(),
    }
}

impl Store {
    /// Checks the data dir; the result lists every check, passed or not.
    pub fn doctor(&mut self) -> Vec<Check> {
        let mut checks = Vec::new();
        if self.paths.root.exists() && !self.paths.root.is_dir() {
            checks.push(check(
                "data dir",
                Status::Failed,
                format!(
                    "{} is a file, not a directory: move it away, or point HONE_DATA_DIR elsewhere",
                    shown(&self.paths.root)
                ),
            ));
            return checks;
        }
        if !self.paths.root.is_dir() {
            checks.push(check(
                "data dir",
                Status::Ok,
                format!(
                    "{} does not exist yet: nothing recorded",
                    shown(&self.paths.root)
                ),
            ));
            return checks;
        }
        checks.push(check("data dir", Status::Ok, shown(&self.paths.root)));
        let (lock, exclusive) = self.lock_for_doctor();
        match &lock {
            Ok(_) if exclusive => checks.push(check(
                "lock",
                Status::Ok,
                "no other hone process is using the data dir",
            )),
            Ok(_) => checks.push(check(
                "lock",
                Status::Warning,
                "another hone process is writing; some checks were skipped",
            )),
            Err(e) => {
                checks.push(check("lock", Status::Failed, e.to_string()));
                return checks;
            }
        }
        let logs = self.check_logs(&mut checks);
        self.check_snapshot(&logs, &mut checks);
        self.check_files(&mut checks);
        if exclusive {
            drop(lock);
            match self.check_writable() {
                Ok(()) => checks.push(check("writable", Status::Ok, "answers can be saved")),
                Err(e) => checks.push(check("writable", Status::Failed, e.to_string())),
            }
        }
        checks.push(self.check_backups());
        checks
    }

    /// Parses every log whole. Returns each log's bytes, for the snapshot check.
    fn check_logs(&mut self, checks: &mut Vec<Check>) -> BTreeMap<String, Vec<u8>> {
        let mut logs = BTreeMap::new();
        let names = match self.log_names() {
            Ok(names) => names,
            Err(e) => {
                checks.push(check("review logs", Status::Failed, e.to_string()));
                return logs;
            }
        };
        if names.is_empty() {
            checks.push(check("review logs", Status::Ok, "none yet"));
        }
        for name in names {
            let path = self.paths.reviews.join(&name);
            let label = format!("log {name}");
            let bytes = match fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    checks.push(check(
                        label,
                        Status::Failed,
                        format!("cannot read {}: {e}", shown(&path)),
                    ));
                    continue;
                }
            };
            match parse_log(&path, &bytes, 0) {
                Ok((events, consumed, lines)) if consumed < bytes.len() as u64 => checks.push(check(
                    label,
                    Status::Warning,
                    format!(
                        "{}, and an incomplete last line (line {}) left by a write cut short; it was never acknowledged and is set aside before the next answer",
                        crate::render::plural(events.len(), "entry", "entries"),
                        lines + 1
                    ),
                )),
                Ok((events, _, _)) => checks.push(check(label, Status::Ok, crate::render::plural(events.len(), "entry", "entries"))),
                Err(e) => checks.push(check(label, Status::Failed, e.to_string())),
            }
            logs.insert(name, bytes);
        }
        logs
    }

    /// The snapshot must equal the replay of the part of each log it says it reflects.
    fn check_snapshot(&mut self, logs: &BTreeMap<String, Vec<u8>>, checks: &mut Vec<Check>) {
        let path = &self.paths.snapshot.clone();
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                checks.push(check(
                    "snapshot",
                    Status::Ok,
                    "not written yet; the state is built from the logs",
                ));
                return;
            }
            Err(e) => {
                checks.push(check(
                    "snapshot",
                    Status::Failed,
                    format!("cannot read {}: {e}", shown(path)),
                ));
                return;
            }
        };
        let model = match self.model() {
            Ok(model) => model,
            Err(e) => {
                checks.push(check("parameters", Status::Failed, e.to_string()));
                return;
            }
        };
        let (state, positions) = match parse_snapshot(path, &bytes) {
            Ok(Some((_, _, folded_with))) if folded_with != super::snapshot::model_key(&model) => {
                let detail = "folded with other settings or parameters; the next command rebuilds it from the logs";
                checks.push(check("snapshot", Status::Warning, detail));
                return;
            }
            Ok(Some((state, positions, _))) => (state, positions),
            Ok(None) => {
                let detail = "in an older format; the next command rebuilds it from the logs";
                checks.push(check("snapshot", Status::Warning, detail));
                return;
            }
            Err(StoreError::Corrupt { reason, .. }) => {
                let detail = format!(
                    "{reason}; the next command sets it aside, intact, and rebuilds it from the logs"
                );
                checks.push(check("snapshot", Status::Warning, detail));
                return;
            }
            Err(e) => {
                checks.push(check("snapshot", Status::Failed, e.to_string()));
                return;
            }
        };
        let mut logs_read = Vec::new();
        for (
            name,
            LogPosition {
                bytes: upto, tail, ..
            },
        ) in &positions
        {
            let same_tail = |log: &[u8]| {
                let (len, hash) = tail.unwrap_or((0, 0));
                let upto = *upto as usize;
                upto.checked_sub(len as usize)
                    .and_then(|start| log.get(start..upto))
                    .is_some_and(|bytes| len == 0 || crate::model::stable_hash(bytes) == hash)
            };
            let Some(log) = logs
                .get(name)
                .filter(|log| log.len() as u64 >= *upto && same_tail(log))
            else {
                let detail = format!(
                    "older than the log {name}, which was rewritten or replaced; the next command rebuilds it from the logs"
                );
                checks.push(check("snapshot", Status::Warning, detail));
                return;
            };
            let Ok((events, _, _)) =
                parse_log(&self.paths.reviews.join(name), &log[..*upto as usize], 0)
            else {
                checks.push(check(
                    "snapshot",
                    Status::Warning,
                    format!("reflects part of {name}, which does not parse"),
                ));
                return;
            };
            logs_read.push(LogEntries {
                name,
                clamp: None,
                events,
            });
        }
        let replayed = match replay_all(&mut logs_read, &model) {
            Ok(replayed) => replayed.state,
            Err(conflict) => {
                let names: Vec<String> = positions.keys().cloned().collect();
                let detail = self.conflict_error(&names, &conflict).to_string();
                checks.push(check("review logs", Status::Failed, detail));
                return;
            }
        };
        if replayed == state {
            let cards = state.cards.len();
            checks.push(check(
                "snapshot",
                Status::Ok,
                format!("matches a replay of the logs ({cards} cards reviewed)"),
            ));
        } else {
            let differ = replayed
                .cards
                .iter()
                .filter(|(id, s)| state.cards.get(*id) != Some(*s))
                .count()
                + state
                    .cards
                    .keys()
                    .filter(|id| !replayed.cards.contains_key(*id))
                    .count();
            checks.push(check(
                "snapshot",
                Status::Failed,
                format!("{differ} cards differ from a replay of the logs; remove {} and hone rebuilds it from the logs", shown(path)),
            ));
        }
    }

    /// The other files of the data dir, and what interrupted writes left behind.
    fn check_files(&mut self, checks: &mut Vec<Check>) {
        if self.paths.device.exists() {
            match self.device() {
                Ok(device) => checks.push(check(
                    "device",
                    Status::Ok,
                    format!("this machine writes reviews/{device}.jsonl"),
                )),
                Err(e) => checks.push(check("device", Status::Failed, e.to_string())),
            }
        }
        match self.fold_curriculum(super::Load::Full) {
            Ok(curriculum) => checks.push(check(
                "curriculum",
                Status::Ok,
                format!(
                    "{}, {} out of reviews{}",
                    crate::render::plural(
                        curriculum.imported_decks().len(),
                        "imported deck",
                        "imported decks"
                    ),
                    crate::render::plural(curriculum.disabled.len(), "deck", "decks"),
                    curriculum.plan.map_or(String::new(), |p| format!(
                        ", an interview on {}",
                        p.interview
                    ))
                ),
            )),
            Err(e) => checks.push(check("curriculum", Status::Failed, e.to_string())),
        }
        checks.push(self.check_parameters());
        let mut leftovers = 0;
        for dir in [
            &self.paths.root,
            &self.paths.local,
            &self.paths.reviews,
            &self.paths.decks,
        ] {
            if let Ok(entries) = fs::read_dir(dir) {
                leftovers += entries
                    .flatten()
                    .filter(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.contains(".tmp-") || name.starts_with(".probe-")
                    })
                    .count();
            }
        }
        if leftovers > 0 {
            let detail = format!(
                "{leftovers} temporary files left by an interrupted write; the next write removes them"
            );
            checks.push(check("temporary files", Status::Warning, detail));
        }
    }

    /// The fit of FSRS parameters the memory model uses, and any line that cannot be used: a
    /// warning, since the model falls back to an earlier fit or to FSRS's defaults.
    fn check_parameters(&self) -> Check {
        match super::parameters::fitted_in(&self.parameters_dir()) {
            Err(e) => check("parameters", Status::Failed, e.to_string()),
            Ok((fit, problems)) => {
                let in_use = fit.map_or_else(
                    || "FSRS's default parameters".to_owned(),
                    |fit| {
                        format!(
                            "the parameters fitted on {} at {}",
                            crate::render::plural(fit.reviews, "review", "reviews"),
                            fit.at.format("%Y-%m-%d %H:%M")
                        )
                    },
                );
                match problems.first() {
                    None => check("parameters", Status::Ok, format!("the model uses {in_use}")),
                    Some(first) => {
                        let more = match problems.len() {
                            1 => String::new(),
                            n => format!(" (and {} more)", n - 1),
                        };
                        let detail = format!("{first}{more}; the model uses {in_use}");
                        check("parameters", Status::Warning, detail)
                    }
                }
            }
        }
    }

    fn check_backups(&self) -> Check {
        match self.backups() {
            Ok(backups) => match backups.last() {
                None => check(
                    "backups",
                    Status::Warning,
                    "none yet: one is made at the next import, removal or 30 minutes of use",
                ),
                Some(newest) => check(
                    "backups",
                    Status::Ok,
                    format!(
                        "{} kept; newest {} ({})",
                        backups.len(),
                        newest.id,
                        newest.reason
                    ),
                ),
            },
            Err(e) => check("backups", Status::Failed, e.to_string()),
        }
    }
}
