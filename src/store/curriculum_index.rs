//! `local/curriculum.index`: the folded curriculum without card text, kept so that a command
//! does not parse every curriculum log (tens of megabytes for 100,000 imported cards) to learn
//! which cards exist. A cache, never the truth: it records the size and a fingerprint of the
//! end of every log it reflects, and any difference, a log more or less, a file of another
//! schema or release, or one that does not parse means the logs are folded again (and the
//! index rewritten). Data dirs that still hold the files of older hones are always folded.
//!
//! Format: a JSON header line, then a line per imported deck (`D`, tab-separated) followed by
//! a line per card of it (`C`), with strings that could hold a tab or a newline as JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use rand::Rng as _;

use super::curriculum::LEGACY_LOG;
use super::fsutil::write_atomic;
use super::{Load, Store, StoreError};
use crate::curriculum::{Content, Curriculum, DeckCards, ImportedCard, ImportedDeck, TextAt};
use crate::model::{CardKind, DeckId, Stamp, StudyDay, stable_hash};
use crate::plan::Plan;

impl Store {
    /// The curriculum without card text: from the index while it reflects the logs as they
    /// are, else folded from them, and the index rewritten. Call under a lock.
    pub(super) fn indexed_curriculum(&mut self) -> Result<Curriculum, StoreError> {
        if !self.legacy_curriculum_files()?.is_empty() {
            return self.fold_curriculum(Load::Index);
        }
        let names = self.curriculum_names()?;
        let marks: Option<Vec<LogMark>> = names
            .iter()
            .map(|name| mark(&self.paths.curriculum.join(name), name))
            .collect();
        let mut logs = vec![LEGACY_LOG.to_owned()];
        logs.extend(names);
        let path = self.paths.local.join("curriculum.index");
        if let Some(marks) = &marks
            && let Ok(text) = fs::read_to_string(&path)
            && let Some(curriculum) = decode(&text, marks, &logs)
        {
            return Ok(curriculum);
        }
        let curriculum = self.fold_curriculum(Load::Index)?;
        // A log cut short is warned about on every fold; the index would hush it.
        if let Some(marks) = marks
            && self.torn_curriculum.is_empty()
            && curriculum.logs == logs
            && self.paths.local.is_dir()
        {
            // A cache: a data dir that cannot take it (read-only, full) works without it.
            let text = encode(&curriculum, marks);
            let _ = write_atomic(&path, text.as_bytes(), self.rng.next_u64());
        }
        Ok(curriculum)
    }
}

/// Bumped whenever the format, or what a fold gives, changes.
const SCHEMA: u32 = 1;

/// How much of the end of a log its fingerprint covers.
const FINGERPRINT_BYTES: u64 = 4096;

/// A log as the index saw it: its size, and a hash of its last bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct LogMark {
    pub name: String,
    pub bytes: u64,
    pub tail: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    schema: u32,
    release: String,
    logs: Vec<LogMark>,
    latest: Option<(i64, u32)>,
    plan: Option<chrono::NaiveDate>,
    disabled: Vec<String>,
    priority: BTreeMap<String, i32>,
}

/// The mark of the log at `path` as it is now; `None` if it cannot be read.
pub(super) fn mark(path: &Path, name: &str) -> Option<LogMark> {
    let mut file = fs::File::open(path).ok()?;
    let bytes = file.metadata().ok()?.len();
    let start = bytes.saturating_sub(FINGERPRINT_BYTES);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut tail = Vec::with_capacity((bytes - start) as usize);
    file.read_to_end(&mut tail).ok()?;
    (tail.len() as u64 == bytes - start).then(|| LogMark {
        name: name.to_owned(),
        bytes,
        tail: stable_hash(&tail),
    })
}

/// The index's text for `curriculum`, folded from logs with `marks`.
pub(super) fn encode(curriculum: &Curriculum, marks: Vec<LogMark>) -> String {
    let header = Header {
        schema: SCHEMA,
        release: env!("CARGO_PKG_VERSION").to_owned(),
        logs: marks,
        latest: curriculum.latest.map(|s| (s.millis, s.counter)),
        plan: curriculum.plan.map(|p| p.interview.date()),
        disabled: curriculum
            .disabled
            .iter()
            .map(ToString::to_string)
            .collect(),
        priority: curriculum
            .priority
            .iter()
            .map(|(d, p)| (d.to_string(), *p))
            .collect(),
    };
    let mut out = serde_json::to_string(&header).unwrap_or_default();
    out.push('\n');
    let json = |text: &str| serde_json::to_string(text).unwrap_or_default();
    for (id, deck) in &curriculum.decks {
        let description = deck.description.as_deref().map_or("null".to_owned(), json);
        let _ = writeln!(
            out,
            "D\t{id}\t{}\t{}\t{}\t{description}",
            u8::from(deck.removed),
            deck.cards.len(),
            json(&deck.title)
        );
        for (local, card) in deck.cards.iter() {
            let (log, offset) = card
                .text_at
                .map_or((u64::MAX, 0), |t| (t.log as u64, t.offset));
            let points = if card.content.points.is_empty() {
                String::new()
            } else {
                serde_json::to_string(&card.content.points).unwrap_or_default()
            };
            let _ = writeln!(
                out,
                "C\t{local}\t{}\t{}\t{}\t{log}\t{offset}\t{}\t{points}",
                card.pos,
                match card.content.kind {
                    CardKind::Question => 'q',
                    CardKind::Definition => 'd',
                },
                u8::from(card.retired),
                card.content.tags.join(" "),
            );
        }
    }
    // The end, so that an index cut short at a line's end is not read as a smaller curriculum.
    out.push_str("E\n");
    out
}

/// The curriculum an index holds, if it reflects exactly the logs `now`; `None` for anything
/// else (another release, other logs, a line that does not parse), which means a fold.
pub(super) fn decode(text: &str, now: &[LogMark], logs: &[String]) -> Option<Curriculum> {
    if !text.ends_with("\nE\n") {
        return None;
    }
    let mut lines = text.split_terminator('\n');
    let header: Header = serde_json::from_str(lines.next()?).ok()?;
    if header.schema != SCHEMA || header.release != env!("CARGO_PKG_VERSION") || header.logs != now
    {
        return None;
    }
    let mut curriculum = Curriculum {
        latest: header
            .latest
            .map(|(millis, counter)| Stamp { millis, counter }),
        plan: header.plan.map(|date| Plan {
            interview: StudyDay::from_date(date),
        }),
        disabled: header
            .disabled
            .iter()
            .map(|d| d.parse().ok())
            .collect::<Option<BTreeSet<DeckId>>>()?,
        priority: header
            .priority
            .iter()
            .map(|(d, p)| Some((d.parse().ok()?, *p)))
            .collect::<Option<_>>()?,
        logs: logs.to_vec(),
        ..Curriculum::default()
    };
    // The deck being read, and how many cards its line says it has.
    let mut deck: Option<(DeckId, ImportedDeck, usize)> = None;
    let mut ended = false;
    for line in lines {
        if ended {
            return None;
        }
        let mut fields = line.split('\t');
        match fields.next()? {
            "E" => ended = true,
            "D" => {
                if let Some((id, done, count)) = deck.take() {
                    (done.cards.len() == count).then_some(())?;
                    curriculum.decks.insert(id, done);
                }
                let id: DeckId = fields.next()?.parse().ok()?;
                let removed = fields.next()? == "1";
                let count: usize = fields.next()?.parse().ok()?;
                let title: String = serde_json::from_str(fields.next()?).ok()?;
                let description: Option<String> = serde_json::from_str(fields.next()?).ok()?;
                let mut cards = DeckCards::default();
                cards.reserve(count.min(text.len()));
                deck = Some((
                    id,
                    ImportedDeck {
                        title,
                        description,
                        removed,
                        cards,
                    },
                    count,
                ));
            }
            "C" => {
                let (_, current, _) = deck.as_mut()?;
                let local = fields.next()?;
                let pos = fields.next()?.parse().ok()?;
                let kind = match fields.next()? {
                    "q" => CardKind::Question,
                    "d" => CardKind::Definition,
                    _ => return None,
                };
                let retired = fields.next()? == "1";
                let log: u64 = fields.next()?.parse().ok()?;
                let offset = fields.next()?.parse().ok()?;
                let tags = fields.next()?;
                let points = fields.next()?;
                let text_at = (log != u64::MAX).then_some(TextAt {
                    log: usize::try_from(log).ok()?,
                    offset,
                });
                let content = Content {
                    kind,
                    tags: tags
                        .split(' ')
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    front: String::new(),
                    back: String::new(),
                    points: if points.is_empty() {
                        Vec::new()
                    } else {
                        serde_json::from_str(points).ok()?
                    },
                };
                current.cards.insert(
                    local,
                    ImportedCard {
                        pos,
                        content,
                        retired,
                        text_at,
                    },
                );
            }
            _ => return None,
        }
    }
    if !ended {
        return None;
    }
    if let Some((id, done, count)) = deck {
        (done.cards.len() == count).then_some(())?;
        curriculum.decks.insert(id, done);
    }
    Some(curriculum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Curriculum {
        let mut cards = DeckCards::default();
        cards.insert(
            "a",
            ImportedCard {
                pos: 0,
                content: Content {
                    kind: CardKind::Question,
                    tags: vec!["go".into(), "concurrency".into()],
                    front: String::new(),
                    back: String::new(),
                    points: vec!["a\ttab and a \"quote\"".into(), "line\nbreak".into()],
                },
                retired: false,
                text_at: Some(TextAt { log: 1, offset: 42 }),
            },
        );
        cards.insert(
            "b",
            ImportedCard {
                pos: 1,
                content: Content {
                    kind: CardKind::Definition,
                    tags: vec![],
                    front: String::new(),
                    back: String::new(),
                    points: vec![],
                },
                retired: true,
                text_at: None,
            },
        );
        let mut curriculum = Curriculum {
            latest: Some(Stamp {
                millis: 5,
                counter: 2,
            }),
            plan: Some(Plan {
                interview: "2026-12-24".parse().unwrap(),
            }),
            logs: vec![String::new(), "dev.jsonl".into()],
            ..Curriculum::default()
        };
        curriculum.disabled.insert("sql".parse().unwrap());
        curriculum.priority.insert("mine".parse().unwrap(), -3);
        curriculum.decks.insert(
            "mine".parse().unwrap(),
            ImportedDeck {
                title: "Mine:\ttabs".into(),
                description: Some("two\nlines".into()),
                removed: false,
                cards,
            },
        );
        curriculum.decks.insert(
            "gone".parse().unwrap(),
            ImportedDeck {
                title: "Gone".into(),
                description: None,
                removed: true,
                cards: DeckCards::default(),
            },
        );
        curriculum
    }

    fn marks() -> Vec<LogMark> {
        vec![LogMark {
            name: "dev.jsonl".into(),
            bytes: 100,
            tail: 7,
        }]
    }

    #[test]
    fn an_index_reads_back_as_the_curriculum_it_was_written_from() {
        let curriculum = sample();
        let text = encode(&curriculum, marks());
        assert_eq!(decode(&text, &marks(), &curriculum.logs), Some(curriculum));
    }

    #[test]
    fn any_change_to_the_logs_or_the_file_means_a_fold() {
        let curriculum = sample();
        let text = encode(&curriculum, marks());
        let mut grown = marks();
        grown[0].bytes += 1;
        assert_eq!(decode(&text, &grown, &curriculum.logs), None);
        let mut rewritten = marks();
        rewritten[0].tail += 1;
        assert_eq!(decode(&text, &rewritten, &curriculum.logs), None);
        assert_eq!(decode(&text, &[], &curriculum.logs), None);
        for cut in 1..text.len() {
            let broken = &text[..cut];
            assert_eq!(decode(broken, &marks(), &curriculum.logs), None, "{cut}");
        }
        let other = text.replacen("\"schema\":1", "\"schema\":2", 1);
        assert_eq!(decode(&other, &marks(), &curriculum.logs), None);
        // A card line lost from the middle.
        let lines: Vec<&str> = text.lines().collect();
        let card = lines.iter().position(|l| l.starts_with("C\t")).unwrap();
        let mut lost = lines.clone();
        lost.remove(card);
        let lost = lost.join("\n") + "\n";
        assert_eq!(decode(&lost, &marks(), &curriculum.logs), None);
    }
}
