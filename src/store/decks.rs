//! Imported decks, kept as JSON in `decks/` of the data dir so that the file a user imported from
//! may move or vanish. Only whole decks are written, atomically, under the exclusive lock.

use std::collections::BTreeSet;
use std::fs;
use std::io;

use serde::{Deserialize, Serialize};

use super::files::{HasSchema, parse_versioned_file};
use super::fsutil::{create_dir_all, io_error, remove_stale_temps, write_atomic};
use super::{Store, StoreError};
use crate::model::{Card, CardId, CardKind, Deck, DeckId, DeckSource};

/// Version of `decks/<id>.json`.
pub const DECK_SCHEMA: u32 = 1;

#[derive(Serialize, Deserialize)]
struct DeckFile {
    schema: u32,
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    cards: Vec<CardRecord>,
}

impl HasSchema for DeckFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

#[derive(Serialize, Deserialize)]
struct CardRecord {
    id: String,
    kind: String,
    front: String,
    back: String,
    #[serde(default)]
    tags: Vec<String>,
    /// Gone from the file of a later import: kept, with its history, out of every queue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    retired: bool,
}

impl Store {
    /// Every imported deck, in deck-id order.
    pub fn imported_decks(&self) -> Result<Vec<Deck>, StoreError> {
        let dir = self.decks_dir();
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(dir, "list")(e)),
        };
        let _lock = self.shared()?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.map_err(io_error(dir, "list"))?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".json") && !name.starts_with('.') {
                paths.push(path);
            }
        }
        paths.sort();
        let mut decks = Vec::with_capacity(paths.len());
        for path in paths {
            let bytes = fs::read(&path).map_err(io_error(&path, "read"))?;
            let file: DeckFile = parse_versioned_file(&path, &bytes, DECK_SCHEMA)?;
            let deck = to_deck(file).map_err(|reason| StoreError::Corrupt {
                path: path.clone(),
                line: None,
                reason,
            })?;
            decks.push(deck);
        }
        Ok(decks)
    }

    /// Saves an imported deck, replacing any earlier import with the same id.
    pub fn save_imported_deck(&mut self, deck: &Deck) -> Result<(), StoreError> {
        let file = DeckFile {
            schema: DECK_SCHEMA,
            id: deck.id.to_string(),
            title: deck.title.clone(),
            description: deck.description.clone(),
            cards: deck
                .cards
                .iter()
                .map(|c| CardRecord {
                    id: c.id.as_str()[deck.id.as_str().len() + 1..].to_owned(),
                    kind: c.kind.as_str().to_owned(),
                    front: c.front.clone(),
                    back: c.back.clone(),
                    tags: c.tags.clone(),
                    retired: c.retired,
                })
                .collect(),
        };
        let path = self.decks_dir().join(format!("{}.json", deck.id));
        let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| StoreError::Io {
            action: "encode",
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        bytes.push(b'\n');
        let unique = self.unique();
        let _lock = self.exclusive()?;
        create_dir_all(self.decks_dir())?;
        remove_stale_temps(&path);
        write_atomic(&path, &bytes, unique)
    }
}

fn to_deck(file: DeckFile) -> Result<Deck, String> {
    let id: DeckId = file.id.parse()?;
    let mut cards = Vec::with_capacity(file.cards.len());
    for record in file.cards {
        let kind = match record.kind.as_str() {
            "definition" => CardKind::Definition,
            "question" => CardKind::Question,
            other => {
                return Err(format!(
                    "card '{}': unknown kind '{}'",
                    record.id.escape_debug(),
                    other.escape_debug()
                ));
            }
        };
        cards.push(Card {
            id: CardId::new(&id, &record.id)?,
            kind,
            front: record.front,
            back: record.back,
            tags: record.tags,
            retired: record.retired,
        });
    }
    Ok(Deck {
        id,
        title: file.title,
        description: file.description,
        source: DeckSource::Imported,
        cards,
    })
}

/// Version of `deck-settings.json`.
pub const DECK_SETTINGS_SCHEMA: u32 = 1;

/// `deck-settings.json` in the data dir: the decks left out of reviews.
#[derive(Serialize, Deserialize, Default)]
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

impl Store {
    fn deck_settings_path(&self) -> std::path::PathBuf {
        self.root().join("deck-settings.json")
    }

    /// The decks left out of reviews.
    pub fn disabled_decks(&self) -> Result<BTreeSet<DeckId>, StoreError> {
        let path = self.deck_settings_path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
            Err(e) => return Err(io_error(&path, "read")(e)),
        };
        let file: DeckSettingsFile = parse_versioned_file(&path, &bytes, DECK_SETTINGS_SCHEMA)?;
        file.disabled
            .iter()
            .map(|id| {
                id.parse().map_err(|reason| StoreError::Corrupt {
                    path: path.clone(),
                    line: None,
                    reason,
                })
            })
            .collect()
    }

    /// Leaves `deck` out of reviews (`enabled` false) or brings it back.
    pub fn set_deck_enabled(&mut self, deck: &DeckId, enabled: bool) -> Result<(), StoreError> {
        let path = self.deck_settings_path();
        let unique = self.unique();
        let _lock = self.exclusive()?;
        let mut disabled = self.disabled_decks()?;
        if enabled {
            disabled.remove(deck);
        } else {
            disabled.insert(deck.clone());
        }
        let file = DeckSettingsFile {
            schema: DECK_SETTINGS_SCHEMA,
            disabled: disabled.iter().map(ToString::to_string).collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| StoreError::Io {
            action: "encode",
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        bytes.push(b'\n');
        remove_stale_temps(&path);
        write_atomic(&path, &bytes, unique)
    }

    /// Deletes an imported deck's file. Its review history stays in the log.
    pub fn remove_imported_deck(&mut self, deck: &DeckId) -> Result<bool, StoreError> {
        let path = self.decks_dir().join(format!("{deck}.json"));
        let _lock = self.exclusive()?;
        match fs::remove_file(&path) {
            Ok(()) => {
                super::fsutil::sync_dir(self.decks_dir())?;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_error(&path, "remove")(e)),
        }
    }
}

/// What loading does with an imported deck file's bytes, for the fuzzers.
pub(super) fn fuzz_deck_file(bytes: &[u8]) {
    let path = std::path::Path::new("deck.json");
    if let Ok(file) = parse_versioned_file::<DeckFile>(path, bytes, DECK_SCHEMA) {
        let _ = to_deck(file);
    }
    let _ = parse_versioned_file::<DeckSettingsFile>(path, bytes, DECK_SETTINGS_SCHEMA);
}
