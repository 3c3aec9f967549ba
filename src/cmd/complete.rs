//! The values completion scripts offer from the data dir: deck ids (built-in and imported),
//! card ids and tags. Read like `hone decks` reads them, but without ever writing, waiting
//! long for the lock or saying anything: a completion that cannot read the data dir offers
//! the built-in decks alone.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::cli::{Candidate, Completing};
use crate::deck;
use crate::model::Deck;
use crate::store::{Load, Store};

/// A Tab press should not hang behind a writer; one holds the lock for milliseconds.
const LOCK_WAIT: Duration = Duration::from_millis(250);

/// The candidates for `completing`, from the data dir `--data-dir` names, else the usual one.
pub fn candidates(completing: Completing, data_dir: Option<&Path>) -> Vec<Candidate> {
    let decks = decks(data_dir);
    let cards = || {
        decks
            .iter()
            .flat_map(|d| d.cards.iter().filter(|c| !c.retired))
    };
    match completing {
        Completing::Deck => decks
            .iter()
            .map(|d| Candidate {
                value: d.id.to_string(),
                // A title comes from a deck file: what a shell shows beside the id, escaped.
                help: Some(crate::render::safe::visible(&d.title).into_owned()),
            })
            .collect(),
        Completing::Card => cards()
            .map(|c| Candidate {
                value: c.id.to_string(),
                help: None,
            })
            .collect(),
        Completing::Tag => {
            let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
            for tag in cards().flat_map(|c| &c.tags) {
                *tags.entry(tag).or_default() += 1;
            }
            tags.into_iter()
                .map(|(tag, count)| Candidate {
                    value: tag.to_owned(),
                    help: Some(crate::render::plural(count, "card", "cards")),
                })
                .collect()
        }
    }
}

/// The built-in decks, then the imported ones that do not clash with them, in id order.
fn decks(data_dir: Option<&Path>) -> Vec<Deck> {
    let mut decks = deck::builtin_decks();
    let Ok(dir) = crate::env::data_dir(data_dir) else {
        return decks;
    };
    let mut store = Store::new(dir, LOCK_WAIT, 0);
    if let Ok(curriculum) = store.curriculum(Load::Index) {
        for imported in curriculum.imported_decks() {
            if !decks.iter().any(|d| d.id == imported.id) {
                decks.push(imported);
            }
        }
    }
    decks
}
