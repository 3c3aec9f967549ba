//! The files from before the curriculum logs, read and never written: imported decks in
//! `decks/<id>.jsonl` (a header line, then one JSON line per card) or `decks/<id>.json`,
//! disabled decks in `deck-settings.json` and the interview date in `plan.json`. The first
//! change to the curriculum moves them into a log (`curriculum`).

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::files::{HasSchema, parse_versioned_file};
use super::fsutil::io_error;
use super::lines::for_each_line;
use super::refresh::is_regular;
use super::{Load, Store, StoreError};
use crate::model::{Card, CardId, CardKind, Deck, DeckId, DeckSource, StudyDay};

/// Version of the legacy `decks/<id>.json` (one JSON document), still read.
const LEGACY_DECK_SCHEMA: u32 = 1;
/// Version of `decks/<id>.jsonl`: a header line, then a line per card.
pub const DECK_SCHEMA: u32 = 2;

#[derive(Serialize, Deserialize)]
struct LegacyDeckFile {
    schema: u32,
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    cards: Vec<CardRecord>,
}

impl HasSchema for LegacyDeckFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

/// The first line of `decks/<id>.jsonl`.
#[derive(Serialize, Deserialize)]
struct DeckHeader {
    schema: u32,
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// How many card lines follow, so a file cut short at a line end is still caught.
    cards: usize,
}

impl HasSchema for DeckHeader {
    fn schema(&self) -> u32 {
        self.schema
    }
}

/// One card line. The field order is fixed so that the lean reader can take the id, kind, tags
/// and retirement from the start of the line without parsing the text.
#[derive(Serialize, Deserialize)]
struct CardRecord {
    id: String,
    kind: String,
    #[serde(default)]
    tags: Vec<String>,
    /// Gone from the file of a later import: kept, with its history, out of every queue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    retired: bool,
    front: String,
    back: String,
}

/// A card line's id, kind, tags and retirement, read from the fixed start of a line that hone
/// wrote, without parsing the text after it. `None` for a line in any other shape.
fn scan_card(line: &[u8]) -> Option<(&str, &str, Vec<&str>, bool)> {
    fn string<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
        let end = memchr::memchr2(b'"', b'\\', rest)?;
        let (text, tail) = rest.split_at(end);
        if tail[0] == b'\\' {
            return None; // escapes: leave this line to the full parser
        }
        *rest = &tail[1..];
        std::str::from_utf8(text).ok()
    }
    let mut rest = line.strip_prefix(b"{\"id\":\"")?;
    let id = string(&mut rest)?;
    rest = rest.strip_prefix(b",\"kind\":\"")?;
    let kind = ["question", "definition"].into_iter().find(|kind| {
        let found = rest
            .strip_prefix(kind.as_bytes())
            .and_then(|r| r.strip_prefix(b"\""));
        found.inspect(|r| rest = r).is_some()
    })?;
    rest = rest.strip_prefix(b",\"tags\":[")?;
    let mut tags = Vec::new();
    while let Some(tail) = rest.strip_prefix(b"\"") {
        rest = tail;
        tags.push(string(&mut rest)?);
        rest = rest.strip_prefix(b",").unwrap_or(rest);
    }
    rest = rest.strip_prefix(b"]")?;
    let retired = match rest.strip_prefix(b",\"retired\":true") {
        Some(tail) => {
            rest = tail;
            true
        }
        None => false,
    };
    rest.starts_with(b",\"front\":")
        .then_some((id, kind, tags, retired))
}

fn card_of(
    deck: &DeckId,
    id: &str,
    kind: &str,
    tags: Vec<String>,
    retired: bool,
    text: Option<(String, String)>,
) -> Result<Card, String> {
    let kind = match kind {
        "definition" => CardKind::Definition,
        "question" => CardKind::Question,
        other => {
            return Err(format!(
                "card '{}': unknown kind '{}'",
                id.escape_debug(),
                other.escape_debug()
            ));
        }
    };
    let (front, back) = text.unwrap_or_default();
    Ok(Card {
        id: CardId::new(deck, id)?,
        kind,
        front,
        back,
        points: Vec::new(),
        tags,
        retired,
    })
}

/// Reads a deck file: the legacy single document, or a header and card lines, a chunk at a
/// time (a deck of 100,000 cards is tens of megabytes, and an index needs only each line's
/// start).
fn parse_deck_file(path: &Path, mut file: impl Read, load: Load) -> Result<Deck, StoreError> {
    let corrupt = |line: Option<u64>, reason: String| StoreError::corrupt(path, line, reason);
    let is_legacy = path.extension().is_some_and(|e| e == "json");
    if is_legacy {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(io_error(path, "read"))?;
        let file: LegacyDeckFile = parse_versioned_file(path, &bytes, LEGACY_DECK_SCHEMA)?;
        let id: DeckId = file.id.parse().map_err(|e| corrupt(None, e))?;
        let mut cards = Vec::with_capacity(file.cards.len());
        for r in file.cards {
            let text = (load == Load::Full).then_some((r.front, r.back));
            cards.push(
                card_of(&id, &r.id, &r.kind, r.tags, r.retired, text)
                    .map_err(|e| corrupt(None, e))?,
            );
        }
        return Ok(Deck {
            id,
            title: file.title,
            description: file.description,
            source: DeckSource::Imported,
            cards,
        });
    }
    let mut header: Option<(DeckId, DeckHeader)> = None;
    let mut cards = Vec::new();
    let mut number = 0;
    let ended = for_each_line(path, file, |line| {
        number += 1;
        let Some((id, _)) = &header else {
            let parsed: DeckHeader = parse_versioned_file(path, line, DECK_SCHEMA)?;
            let id: DeckId = parsed.id.parse().map_err(|e| corrupt(Some(1), e))?;
            // A damaged count must not make us allocate without bound.
            cards.reserve(parsed.cards.min(1 << 20));
            header = Some((id, parsed));
            return Ok(());
        };
        if line.is_empty() {
            return Ok(());
        }
        let card = match (load, scan_card(line)) {
            (Load::Index, Some((card, kind, tags, retired))) => card_of(
                id,
                card,
                kind,
                tags.into_iter().map(str::to_owned).collect(),
                retired,
                None,
            ),
            _ => match serde_json::from_slice::<CardRecord>(line) {
                Ok(r) => card_of(
                    id,
                    &r.id,
                    &r.kind,
                    r.tags,
                    r.retired,
                    (load == Load::Full).then_some((r.front, r.back)),
                ),
                Err(e) => Err(format!("not a card: {e}")),
            },
        };
        cards.push(card.map_err(|e| corrupt(Some(number), e))?);
        Ok(())
    })?;
    let Some((id, header)) = header else {
        return Err(corrupt(None, "the file is empty".to_owned()));
    };
    if cards.len() != header.cards || !ended {
        return Err(corrupt(
            None,
            format!(
                "cut short: the header promises {} cards, the file holds {}",
                header.cards,
                cards.len()
            ),
        ));
    }
    Ok(Deck {
        id,
        title: header.title,
        description: header.description,
        source: DeckSource::Imported,
        cards,
    })
}

/// The deck files in `dir`, in deck-id order: `<id>.jsonl`, or a `<id>.json` without one.
pub(super) fn legacy_deck_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(dir, "list")(e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(io_error(dir, "list"))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let new = name.strip_suffix(".jsonl");
        let legacy = name
            .strip_suffix(".json")
            .filter(|stem| !dir.join(format!("{stem}.jsonl")).exists());
        if !name.starts_with('.') && (new.is_some() || legacy.is_some()) && is_regular(&path) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Every deck of the deck files in `dir`, in deck-id order.
pub(super) fn legacy_decks(dir: &Path, load: Load) -> Result<Vec<Deck>, StoreError> {
    legacy_deck_files(dir)?
        .iter()
        .map(|path| {
            let file = fs::File::open(path).map_err(io_error(path, "read"))?;
            parse_deck_file(path, file, load)
        })
        .collect()
}

/// Version of `deck-settings.json`.
const DECK_SETTINGS_SCHEMA: u32 = 1;

/// `deck-settings.json`: the decks left out of reviews.
#[derive(Deserialize, Default)]
struct DeckSettingsFile {
    schema: u32,
    #[serde(default)]
    disabled: Vec<String>,
}

impl HasSchema for DeckSettingsFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

/// Version of `plan.json`.
const PLAN_SCHEMA: u32 = 1;

#[derive(Deserialize)]
struct PlanFile {
    schema: u32,
    interview: NaiveDate,
}

impl HasSchema for PlanFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

/// The bytes of a file, or `None` if there is none.
fn read_if_there(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, "read")(e)),
    }
}

impl Store {
    /// The decks `deck-settings.json` leaves out of reviews.
    pub(super) fn legacy_disabled_decks(&self) -> Result<BTreeSet<DeckId>, StoreError> {
        let path = self.paths.root.join("deck-settings.json");
        let Some(bytes) = read_if_there(&path)? else {
            return Ok(BTreeSet::new());
        };
        let file: DeckSettingsFile = parse_versioned_file(&path, &bytes, DECK_SETTINGS_SCHEMA)?;
        file.disabled
            .iter()
            .map(|id| {
                id.parse()
                    .map_err(|reason: String| StoreError::corrupt(&path, None, reason))
            })
            .collect()
    }

    /// The interview date `plan.json` sets.
    pub(super) fn legacy_plan(&self) -> Result<Option<StudyDay>, StoreError> {
        let path = self.paths.root.join("plan.json");
        let Some(bytes) = read_if_there(&path)? else {
            return Ok(None);
        };
        let file: PlanFile = parse_versioned_file(&path, &bytes, PLAN_SCHEMA)?;
        Ok(Some(StudyDay::from_date(file.interview)))
    }
}

/// What loading does with an imported deck file's bytes, for the fuzzers.
pub(super) fn fuzz_deck_file(bytes: &[u8]) {
    for name in ["deck.json", "deck.jsonl"] {
        for load in [Load::Index, Load::Full] {
            let _ = parse_deck_file(Path::new(name), bytes, load);
        }
    }
    let _ = parse_versioned_file::<DeckSettingsFile>(
        Path::new("deck-settings.json"),
        bytes,
        DECK_SETTINGS_SCHEMA,
    );
    let _ = parse_versioned_file::<PlanFile>(Path::new("plan.json"), bytes, PLAN_SCHEMA);
}

/// A deck as an older hone wrote its `decks/<id>.jsonl` file: for tests of reading it, and of
/// moving it into a curriculum log.
#[cfg(test)]
pub(super) fn encode_deck(deck: &Deck) -> Result<Vec<u8>, serde_json::Error> {
    let header = DeckHeader {
        schema: DECK_SCHEMA,
        id: deck.id.to_string(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        cards: deck.cards.len(),
    };
    let mut bytes = serde_json::to_vec(&header)?;
    bytes.push(b'\n');
    for c in &deck.cards {
        let record = CardRecord {
            id: c.id.as_str()[deck.id.as_str().len() + 1..].to_owned(),
            kind: c.kind.as_str().to_owned(),
            tags: c.tags.clone(),
            retired: c.retired,
            front: c.front.clone(),
            back: c.back.clone(),
        };
        serde_json::to_writer(&mut bytes, &record)?;
        bytes.push(b'\n');
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::builtin_decks;

    /// A built-in deck as an older hone kept it imported: without key points.
    fn old_deck(deck: Deck) -> Deck {
        let mut deck = Deck {
            source: DeckSource::Imported,
            ..deck
        };
        for card in &mut deck.cards {
            card.points.clear();
        }
        deck
    }

    #[test]
    fn a_deck_file_round_trips_and_the_index_matches_the_full_read() {
        for deck in builtin_decks() {
            let mut deck = old_deck(deck);
            deck.cards[0].retired = true;
            deck.cards[1].front = "a \"quoted\" front with \\ and\nnewlines".into();
            let bytes = encode_deck(&deck).unwrap();
            let path = Path::new("x.jsonl");
            assert_eq!(parse_deck_file(path, &bytes[..], Load::Full).unwrap(), deck);
            let index = parse_deck_file(path, &bytes[..], Load::Index).unwrap();
            for (lean, full) in index.cards.iter().zip(&deck.cards) {
                assert_eq!(
                    (&lean.id, lean.kind, &lean.tags, lean.retired),
                    (&full.id, full.kind, &full.tags, full.retired)
                );
                assert!(lean.front.is_empty() && lean.back.is_empty());
            }
        }
    }

    #[test]
    fn a_deck_file_cut_short_at_a_line_end_is_caught() {
        let deck = old_deck(builtin_decks().remove(0));
        let bytes = encode_deck(&deck).unwrap();
        let cut = &bytes[..bytes[..bytes.len() - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .unwrap()
            + 1];
        let err = parse_deck_file(Path::new("x.jsonl"), cut, Load::Index).unwrap_err();
        assert!(err.to_string().contains("cut short"), "{err}");
    }

    #[test]
    fn lines_in_another_shape_fall_back_to_the_full_parser() {
        let line = br#"{ "kind":"question", "id":"x", "front":"f", "back":"b" }"#;
        assert!(scan_card(line).is_none());
        let text = [
            br#"{"schema":2,"id":"d","title":"D","cards":1}"#.as_slice(),
            line,
            b"",
        ]
        .join(&b'\n');
        let deck = parse_deck_file(Path::new("d.jsonl"), &text[..], Load::Index).unwrap();
        assert_eq!(deck.cards[0].id.as_str(), "d/x");
    }
}
