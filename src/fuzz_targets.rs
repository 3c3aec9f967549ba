//! The bodies of the fuzz targets in `fuzz/`, kept in the library so that `cargo test` runs
//! every saved crash input through exactly the code the fuzzers ran (`tests/fuzz_regressions.rs`).
//! Each panics only on a real bug: a crash of the code under test, or a broken round trip.

use crate::deck::decode::decode;
use crate::deck::export::export;
use crate::deck::import::{Format, parse};
use crate::deck::names::Defaults;
use crate::deck::parse::parse_deck;
use crate::deck::{builtin_decks, from_parsed};
use crate::model::DeckSource;
use crate::render::markdown::render;

/// The hone deck parser, on any text.
pub fn deck_hone(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = parse_deck(text);
    }
}

/// Every importer on any bytes; whatever imports must export and import back unchanged.
pub fn deck_import(bytes: &[u8]) {
    let Ok(text) = decode(bytes) else { return };
    let defaults = Defaults {
        id: "fuzz".into(),
        title: "Fuzz".into(),
    };
    for format in Format::ALL {
        let Ok(parsed) = parse(format, &text, &defaults, Some("fuzz")) else {
            continue;
        };
        let Ok(deck) = from_parsed(parsed, DeckSource::Imported) else {
            continue;
        };
        let written = export(&deck, format);
        let again = parse(format, &written, &defaults, Some("fuzz"))
            .unwrap_or_else(|e| panic!("{format}: an export does not import: {e:?}\n{written}"));
        let again =
            from_parsed(again, DeckSource::Imported).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(
            again.cards, deck.cards,
            "{format}: the round trip changed the cards\n{written}"
        );
    }
}

/// The terminal renderer: never a panic, and without colour never an escape character.
pub fn markdown(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    for width in [1, 40, 80] {
        let plain = render(text, width, false);
        assert!(
            !plain.contains('\u{1b}'),
            "an escape character reached the terminal: {plain:?}"
        );
        let _ = render(text, width, true);
    }
}

/// The review-log loader.
pub fn log(bytes: &[u8]) {
    crate::store::fuzzing::log(bytes);
}

/// The snapshot loader.
pub fn snapshot(bytes: &[u8]) {
    crate::store::fuzzing::snapshot(bytes);
}

/// The loaders of the other files in the data dir and of the config file.
pub fn files(bytes: &[u8]) {
    crate::store::fuzzing::other_files(bytes);
}

/// A fuzz target: it takes any bytes, and panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its directory under `fuzz/`.
pub const TARGETS: [(&str, Target); 6] = [
    ("deck_hone", deck_hone),
    ("deck_import", deck_import),
    ("markdown", markdown),
    ("log", log),
    ("snapshot", snapshot),
    ("files", files),
];

/// Seed inputs: the built-in decks in every format.
pub fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for deck in builtin_decks().into_iter().take(3) {
        for format in Format::ALL {
            seeds.push(export(&deck, format).into_bytes());
        }
    }
    seeds
}
