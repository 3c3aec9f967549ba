//! Decks: the built-in ones compiled into the binary, the parsers for deck files, and the
//! catalog that puts built-in and imported decks in one order.
//!
//! Parsing is pure: text in, cards or located errors out. Reading files is the caller's job.

pub mod anki;
mod builtin;
mod card_text;
pub mod decode;
mod delimited;
pub mod export;
mod html;
pub mod import;
pub mod json;
pub mod names;
pub mod parse;
pub mod table;
pub mod write;

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::model::{Card, CardId, CardKind, Deck, DeckId, DeckSource};
use parse::{LineError, ParsedDeck, ParsedKind};

/// Every problem found in one input file, each with its line.
#[derive(Debug, thiserror::Error)]
pub struct FileErrors {
    /// The file as the user named it.
    pub file: String,
    pub errors: Vec<LineError>,
}

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{e}", self.file)?;
        }
        Ok(())
    }
}

fn kind_of(kind: ParsedKind) -> CardKind {
    match kind {
        ParsedKind::Definition => CardKind::Definition,
        ParsedKind::Question => CardKind::Question,
    }
}

/// The deck's tags, then the card's own, each once.
fn merged_tags<'a>(
    deck: impl IntoIterator<Item = &'a str>,
    card: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in deck.into_iter().chain(card) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// Turns a parsed deck into a domain deck, moving the text rather than copying it: a large
/// deck is in memory once. The parser has checked every id already.
pub fn from_parsed(parsed: ParsedDeck, source: DeckSource) -> Result<Deck, String> {
    let id: DeckId = parsed.id.parse()?;
    let deck_tags = parsed.tags;
    let cards = parsed
        .cards
        .into_iter()
        .map(|c| {
            let repeats = |tags: &[String]| (1..tags.len()).any(|i| tags[..i].contains(&tags[i]));
            let tags = if deck_tags.is_empty() && !repeats(&c.tags) {
                c.tags
            } else {
                merged_tags(
                    deck_tags.iter().map(String::as_str),
                    c.tags.iter().map(String::as_str),
                )
            };
            Ok(Card {
                id: CardId::new(&id, &c.id)?,
                kind: kind_of(c.kind),
                front: c.front,
                back: c.back,
                points: c.points,
                tags,
                retired: false,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Deck {
        id,
        title: parsed.title,
        description: parsed.description,
        source,
        cards,
    })
}

/// Changes whenever the decks compiled into this binary do.
pub const BUILTIN_DIGEST: u64 = builtin::BUILTIN_DIGEST;

/// The decks compiled into this binary, in deck-id order.
pub fn builtin_decks() -> Vec<Deck> {
    builtin::BUILTIN_DECKS
        .iter()
        .filter_map(|d| {
            let id: DeckId = d.id.parse().ok()?;
            let cards = d
                .cards
                .iter()
                .filter_map(|c| {
                    Some(Card {
                        id: CardId::new(&id, c.id).ok()?,
                        kind: kind_of(c.kind),
                        front: c.front.to_owned(),
                        back: c.back.to_owned(),
                        points: c.points.iter().map(|p| (*p).to_owned()).collect(),
                        tags: merged_tags(d.tags.iter().copied(), c.tags.iter().copied()),
                        retired: false,
                    })
                })
                .collect();
            Some(Deck {
                id,
                title: d.title.to_owned(),
                description: d.description.map(str::to_owned),
                source: DeckSource::Builtin,
                cards,
            })
        })
        .collect()
}

/// All decks hone knows, built-in first and then imported, each in deck-id order. The order of
/// cards here is the order new cards are introduced in.
pub struct Catalog {
    decks: Vec<Deck>,
    disabled: BTreeSet<DeckId>,
    /// Card id to position, built on the first `index` call: a single lookup is cheaper as a
    /// scan of one deck than building a map of every card.
    index: OnceCell<HashMap<CardId, (usize, usize)>>,
}

impl Catalog {
    /// The catalog of `decks`, of which those in `disabled` stay out of reviews.
    pub fn new(decks: Vec<Deck>, disabled: BTreeSet<DeckId>) -> Catalog {
        Catalog {
            decks,
            disabled,
            index: OnceCell::new(),
        }
    }

    /// Builds the id index, for callers about to look up many cards.
    pub fn index(&self) -> &Self {
        self.index.get_or_init(|| {
            let mut index = HashMap::new();
            for (d, deck) in self.decks.iter().enumerate() {
                for (c, card) in deck.cards.iter().enumerate() {
                    index.insert(card.id.clone(), (d, c));
                }
            }
            index
        });
        self
    }

    /// Puts question and answer text into the catalog's cards, for catalogs read without it.
    pub fn set_text(&mut self, id: &CardId, front: String, back: String) {
        let position = match self.index.get() {
            Some(index) => index.get(id).copied(),
            None => self
                .decks
                .iter()
                .enumerate()
                .find(|(_, d)| d.id.as_str() == id.deck())
                .and_then(|(d, deck)| deck.cards.iter().position(|c| &c.id == id).map(|c| (d, c))),
        };
        if let Some((d, c)) = position {
            let card = &mut self.decks[d].cards[c];
            card.front = front;
            card.back = back;
        }
    }

    pub fn decks(&self) -> &[Deck] {
        &self.decks
    }

    pub fn deck(&self, id: &DeckId) -> Option<&Deck> {
        self.decks.iter().find(|d| &d.id == id)
    }

    pub fn is_enabled(&self, deck: &DeckId) -> bool {
        !self.disabled.contains(deck)
    }

    /// Any card, retired ones and those of disabled decks included.
    pub fn card(&self, id: &CardId) -> Option<&Card> {
        match self.index.get() {
            Some(index) => index.get(id).map(|&(d, c)| &self.decks[d].cards[c]),
            None => self
                .decks
                .iter()
                .find(|d| d.id.as_str() == id.deck())?
                .cards
                .iter()
                .find(|c| &c.id == id),
        }
    }

    /// The cards of `deck` that are part of it now (not retired), in order.
    pub fn deck_cards<'a>(&'a self, deck: &'a Deck) -> impl Iterator<Item = &'a Card> {
        deck.cards.iter().filter(|c| !c.retired)
    }

    /// The cards in reviews: of enabled decks, not retired, in catalog order.
    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.decks
            .iter()
            .filter(|d| self.is_enabled(&d.id))
            .flat_map(|d| self.deck_cards(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_decks_are_compiled_in_with_unique_card_ids() {
        let decks = builtin_decks();
        assert!(decks.len() >= 2, "at least two built-in decks");
        let catalog = Catalog::new(decks, BTreeSet::new());
        let total = catalog.cards().count();
        catalog.index();
        assert_eq!(
            catalog.index.get().map(HashMap::len),
            Some(total),
            "card ids are unique across decks"
        );
        let some = catalog.cards().nth(total / 2).unwrap().id.clone();
        let fresh = Catalog::new(builtin_decks(), BTreeSet::new());
        assert_eq!(
            fresh.card(&some),
            catalog.card(&some),
            "lookups agree with and without the index"
        );
    }

    #[test]
    fn deck_tags_come_first_and_are_not_repeated() {
        assert_eq!(
            merged_tags(["api", "web"], ["web", "rest"]),
            ["api", "web", "rest"]
        );
    }
}
