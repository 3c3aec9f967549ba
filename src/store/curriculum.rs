//! The curriculum logs: `curriculum/<device>.jsonl`, one JSON line per change to what is studied
//! (imported decks card by card, decks in or out of reviews, the interview plan), appended and
//! fsynced by the device that made it, like the review logs. Folded by `crate::curriculum`.
//!
//! Data dirs from before these logs kept imported decks in `decks/`, the plan in `plan.json` and
//! disabled decks in `deck-settings.json`. Those files are read as the curriculum every log
//! starts from (stamped at the origin, before any change), and the first change this machine
//! writes moves them into its log, stamped the same way, so every machine that still has them
//! agrees with every machine that has moved them. Queues need only ids, kinds, tags and points,
//! so card text is skipped unless asked for (`Load::Full`). Changes are written by
//! `curriculum_write`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::de::IgnoredAny;

use super::Load;
pub use super::curriculum_line::CURRICULUM_SCHEMA;
use super::curriculum_line::ChangeLine;
use super::damage::Damage;
use super::files::newer;
use super::fsutil::io_error;
use super::legacy::legacy_decks;
use super::lines::for_each_line;
use super::lock::Mode;
use super::log::regular_jsonl_files;
use super::records::LineVersion;
use super::{Store, StoreError, shown};
use crate::curriculum::{self, Change, Content, Curriculum, Located, TextAt, What};
use crate::model::{CardId, Deck, DeckId, Stamp, StudyDay};
use crate::replay::LogEntries;

/// One curriculum log read whole: its changes, each with where its line starts.
struct LogRead {
    changes: Vec<Located>,
    /// Where an incomplete last line starts, if there is one.
    torn: Option<u64>,
}

/// Reads a curriculum log, the card text too with `Load::Full`.
fn read_log(path: &Path, log: usize, load: Load) -> Result<LogRead, StoreError> {
    let mut read = LogRead {
        changes: Vec::new(),
        torn: None,
    };
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(read),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    // Each line is parsed when the next one begins, so the last one can be told apart; one
    // buffer holds the line waiting.
    let (mut number, mut offset, mut start) = (0u64, 0u64, 0u64);
    let mut pending = Vec::new();
    let mut damage = Damage::default();
    let ended = for_each_line(path, file, |line| {
        if number > 0 {
            let parse = || parse_line(path, number, start, log, &pending, load);
            read.changes.extend(damage.line(number, &pending, parse)?);
        }
        number += 1;
        start = offset;
        pending.clear();
        pending.extend_from_slice(line);
        offset += line.len() as u64 + 1;
        Ok(())
    })?;
    if number > 0 {
        if ended {
            let parse = || parse_line(path, number, start, log, &pending, load);
            read.changes.extend(damage.line(number, &pending, parse)?);
        } else {
            read.torn = Some(start);
        }
    }
    damage.check()?;
    Ok(read)
}

fn parse_line(
    path: &Path,
    number: u64,
    offset: u64,
    log: usize,
    raw: &[u8],
    load: Load,
) -> Result<Option<Located>, StoreError> {
    let corrupt = |reason: String| StoreError::corrupt(path, Some(number), reason);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let version = |e: serde_json::Error| match serde_json::from_slice::<LineVersion>(raw) {
        Ok(v) if v.v > CURRICULUM_SCHEMA => newer(path, Some(number), v.v, CURRICULUM_SCHEMA),
        _ => StoreError::bad_json::<ChangeLine<String>>(
            path,
            number,
            "not a curriculum change",
            raw,
            &e,
        ),
    };
    let change = match load {
        Load::Full => {
            let line: ChangeLine<String> = serde_json::from_slice(raw).map_err(version)?;
            if line.v > CURRICULUM_SCHEMA {
                return Err(newer(path, Some(number), line.v, CURRICULUM_SCHEMA));
            }
            line.into_change(|f, b| (f.unwrap_or_default(), b.unwrap_or_default()))
        }
        Load::Index => {
            let line: ChangeLine<IgnoredAny> = serde_json::from_slice(raw).map_err(version)?;
            if line.v > CURRICULUM_SCHEMA {
                return Err(newer(path, Some(number), line.v, CURRICULUM_SCHEMA));
            }
            line.into_change(|_, _| Default::default())
        }
    }
    .map_err(corrupt)?;
    let text_at = (load == Load::Index && matches!(change.what, What::Card { .. }))
        .then_some(TextAt { log, offset });
    Ok(Some((change, text_at)))
}

/// The curriculum the files from before the logs hold, as changes stamped at the origin.
fn legacy_changes(
    decks: Vec<Deck>,
    disabled: BTreeSet<DeckId>,
    plan: Option<StudyDay>,
    at: DateTime<FixedOffset>,
) -> Vec<Change> {
    let mut whats = Vec::new();
    for deck in decks {
        whats.push(What::Deck {
            deck: deck.id.clone(),
            title: deck.title.clone(),
            description: deck.description.clone(),
        });
        for (pos, card) in deck.cards.iter().enumerate() {
            whats.push(What::Card {
                card: card.id.clone(),
                pos: pos as u64,
                content: Content {
                    kind: card.kind,
                    tags: card.tags.clone(),
                    front: card.front.clone(),
                    back: card.back.clone(),
                    points: card.points.clone(),
                },
            });
            if card.retired {
                whats.push(What::Retire {
                    card: card.id.clone(),
                });
            }
        }
    }
    whats.extend(disabled.into_iter().map(|deck| What::Enable {
        deck,
        enabled: false,
    }));
    whats.extend(plan.map(|day| What::Plan {
        interview: Some(day),
    }));
    whats
        .into_iter()
        .enumerate()
        .map(|(i, what)| {
            let mut change = Change {
                id: String::new(),
                at,
                stamp: Some(Stamp {
                    millis: 0,
                    counter: u32::try_from(i).unwrap_or(u32::MAX),
                }),
                what,
            };
            // Named by what it says and where: every machine that moves the same files writes
            // the same changes, which then count once; different files never share an id.
            let said = serde_json::to_vec(&ChangeLine::from(&change)).unwrap_or_default();
            change.id = format!("legacy-{:016x}", crate::model::stable_hash(&said));
            change
        })
        .collect()
}

/// The name of the pseudo-log the legacy files are read as: it sorts before every device's.
pub(super) const LEGACY_LOG: &str = "";

impl Store {
    pub(super) fn curriculum_names(&mut self) -> Result<Vec<String>, StoreError> {
        let (names, skipped) = regular_jsonl_files(&self.paths.curriculum)?;
        for name in skipped {
            self.warnings.push(format!(
                "skipped {}: not a regular file",
                shown(&self.paths.curriculum.join(name))
            ));
        }
        Ok(names)
    }

    /// The curriculum every log records, folded; with `Load::Index` cards carry no text.
    pub fn curriculum(&mut self, load: Load) -> Result<Curriculum, StoreError> {
        if !self.paths.root.exists() {
            return Ok(Curriculum::default());
        }
        let _lock = self.lock(Mode::Shared)?;
        match load {
            Load::Index => self.indexed_curriculum(),
            Load::Full => self.fold_curriculum(load),
        }
    }

    /// Folds the curriculum: the legacy files first (as log 0), then every log.
    pub(super) fn fold_curriculum(&mut self, load: Load) -> Result<Curriculum, StoreError> {
        let mut names = vec![LEGACY_LOG.to_owned()];
        names.extend(self.curriculum_names()?);
        let mut logs: Vec<Vec<Located>> = Vec::with_capacity(names.len());
        logs.push(
            self.legacy_curriculum()?
                .into_iter()
                .map(|change| (change, None))
                .collect(),
        );
        for (i, name) in names.iter().enumerate().skip(1) {
            let path = self.paths.curriculum.join(name);
            let read = read_log(&path, i, load)?;
            if let Some(start) = read.torn {
                self.torn_curriculum.insert(name.clone(), start);
                self.warnings.push(format!(
                    "{}: ignored an incomplete last line, left by a write that was cut short; it was never acknowledged",
                    shown(&path)
                ));
            }
            logs.push(read.changes);
        }
        let entries: Vec<LogEntries<Located>> = names
            .iter()
            .zip(logs)
            .map(|(name, events)| LogEntries {
                name,
                clamp: None,
                events,
            })
            .collect();
        match curriculum::fold(entries) {
            Ok(curriculum) => Ok(Curriculum {
                logs: names.clone(),
                ..curriculum
            }),
            Err(conflict) => {
                let at = |p: &crate::replay::Place| {
                    let path = self.paths.curriculum.join(&names[p.log]);
                    let line = super::log::line_of_entry(&path, p.index)
                        .map_or(String::new(), |l| format!(":{l}"));
                    format!("{}{line}", shown(&path))
                };
                Err(StoreError::Refused(format!(
                    "{} and {} hold change {} with different content: one of them was edited; nothing was changed",
                    at(&conflict.first),
                    at(&conflict.second),
                    crate::render::safe::visible(&conflict.id)
                )))
            }
        }
    }

    /// The files from before the curriculum logs, as the changes they stand for.
    pub(super) fn legacy_curriculum(&self) -> Result<Vec<Change>, StoreError> {
        let decks = legacy_decks(&self.paths.decks, Load::Full)?;
        let disabled = self.legacy_disabled_decks()?;
        let plan = self.legacy_plan()?;
        if decks.is_empty() && disabled.is_empty() && plan.is_none() {
            return Ok(Vec::new());
        }
        let origin = DateTime::UNIX_EPOCH.fixed_offset();
        Ok(legacy_changes(decks, disabled, plan, origin))
    }

    /// The question and answer of each card a curriculum read without text lists at `places`.
    pub fn card_texts(
        &mut self,
        logs: &[String],
        places: &[(CardId, TextAt)],
    ) -> Result<BTreeMap<CardId, (String, String)>, StoreError> {
        let _lock = self.lock(Mode::Shared)?;
        let mut texts = BTreeMap::new();
        let mut by_log: BTreeMap<usize, Vec<(&CardId, u64)>> = BTreeMap::new();
        for (card, at) in places {
            by_log.entry(at.log).or_default().push((card, at.offset));
        }
        for (log, mut wanted) in by_log {
            let Some(name) = logs.get(log).filter(|n| !n.is_empty()) else {
                continue;
            };
            let path = self.paths.curriculum.join(name);
            let mut file = fs::File::open(&path).map_err(io_error(&path, "read"))?;
            wanted.sort_by_key(|(_, offset)| *offset);
            for (card, offset) in wanted {
                file.seek(SeekFrom::Start(offset))
                    .map_err(io_error(&path, "read"))?;
                let line = read_line(&mut file).map_err(io_error(&path, "read"))?;
                let text = serde_json::from_slice::<ChangeLine<String>>(&line)
                    .ok()
                    .and_then(|l| {
                        l.into_change(|f, b| (f.unwrap_or_default(), b.unwrap_or_default()))
                            .ok()
                    });
                match text.map(|c| c.what) {
                    Some(What::Card {
                        card: found,
                        content,
                        ..
                    }) if &found == card => {
                        texts.insert(found, (content.front, content.back));
                    }
                    _ => {
                        return Err(StoreError::corrupt(
                            &path,
                            None,
                            format!(
                                "the line of card '{card}' moved while it was read; run the command again"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(texts)
    }
}

/// This machine's curriculum log as a restore sees it.
pub(super) struct OwnChanges {
    /// The changes that parse, in the order written.
    pub changes: Vec<Change>,
    /// Damaged lines no repair settles yet: number and hash.
    pub damaged: Vec<(u64, String)>,
    /// Bytes of complete lines.
    pub complete: u64,
}

impl OwnChanges {
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.changes.iter().map(|c| c.id.as_str())
    }

    pub fn stamps(&self) -> impl Iterator<Item = Stamp> + '_ {
        self.changes.iter().filter_map(|c| c.stamp)
    }
}

/// Reads a curriculum log line by line, keeping what parses and noting what does not.
pub(super) fn read_leniently(path: &Path) -> Result<OwnChanges, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    let complete = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
    let mut changes = Vec::new();
    let damaged = super::damage::unsettled(&bytes[..complete], |number, raw| {
        match parse_line(path, number, 0, 0, raw, Load::Full) {
            Ok(change) => {
                changes.extend(change.map(|(c, _)| c));
                true
            }
            Err(_) => false,
        }
    });
    Ok(OwnChanges {
        changes,
        damaged,
        complete: complete as u64,
    })
}

impl Store {
    /// The changes a backup holds for this machine: its curriculum log (`name`), and what the
    /// files of an older hone in it stand for.
    pub(super) fn backup_curriculum(
        &self,
        dir: &Path,
        name: &str,
    ) -> Result<Vec<Located>, StoreError> {
        let mut located = read_log(&dir.join("curriculum").join(name), 1, Load::Full)?.changes;
        let decks = legacy_decks(&dir.join("decks"), Load::Full)?;
        let old = Store::new(dir.to_path_buf(), self.lock_timeout, 0);
        let disabled = old.legacy_disabled_decks()?;
        let plan = old.legacy_plan()?;
        let origin = DateTime::UNIX_EPOCH.fixed_offset();
        located.extend(
            legacy_changes(decks, disabled, plan, origin)
                .into_iter()
                .map(|c| (c, None)),
        );
        Ok(located)
    }
}

/// One line from the reader's position, without its newline.
fn read_line(file: &mut fs::File) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let read = file.read(&mut chunk)?;
        if read == 0 {
            return Ok(line);
        }
        if let Some(end) = memchr::memchr(b'\n', &chunk[..read]) {
            line.extend_from_slice(&chunk[..end]);
            return Ok(line);
        }
        line.extend_from_slice(&chunk[..read]);
    }
}

/// The changes of a curriculum log's complete lines, held in memory (a sync's incoming copy).
pub(super) fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<Change>, StoreError> {
    let mut damage = Damage::default();
    let mut changes = Vec::new();
    let mut offset = 0;
    for (i, raw) in super::lines::lines(bytes).enumerate() {
        let number = i as u64 + 1;
        let parse = || parse_line(path, number, offset, 0, raw, Load::Full);
        changes.extend(damage.line(number, raw, parse)?.map(|(c, _)| c));
        offset += raw.len() as u64 + 1;
    }
    damage.check()?;
    Ok(changes)
}

/// Every change of a curriculum log, with its text, in the order written.
pub(super) fn read_changes(path: &Path) -> Result<Vec<Change>, StoreError> {
    Ok(read_log(path, 0, Load::Full)?
        .changes
        .into_iter()
        .map(|(change, _)| change)
        .collect())
}

/// What loading does with a curriculum log's bytes, for the fuzzers.
pub(super) fn fuzz_curriculum_log(bytes: &[u8]) {
    let mut offset = 0;
    for (number, line) in super::lines::lines(bytes).enumerate() {
        for load in [Load::Index, Load::Full] {
            let _ = parse_line(
                Path::new("c.jsonl"),
                number as u64 + 1,
                offset,
                1,
                line,
                load,
            );
        }
        offset += line.len() as u64 + 1;
    }
}

#[cfg(test)]
#[path = "curriculum_tests.rs"]
mod tests;
