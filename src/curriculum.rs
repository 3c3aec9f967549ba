//! The user's curriculum as the curriculum logs record it: imported decks card by card, which
//! decks are left out of reviews, and the interview plan. Pure: no I/O, no clock.
//!
//! Every device appends its own changes to its own log, so no two machines ever write one file.
//! The logs are folded in the one replay order (`replay`: by stamp, then log name, then place;
//! an entry seen twice counts once; retracted entries count as never written), so every
//! machine that has the same entries has the same curriculum, whatever order they arrived in.
//!
//! The fold, change by change: a card's content is its latest (a card is only ever changed by
//! a change to that card, so two machines that import their own edits of one deck end with the
//! union of the cards, each with its latest text); a removal hides a deck and keeps its cards;
//! any later change to a deck (an import, a title) brings it back whole. A card never vanishes:
//! one that an import no longer has is retired, its history kept.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashSet;

use crate::model::{Card, CardId, CardKind, Deck, DeckId, DeckSource, IdIndex, Stamp, StudyDay};
use crate::plan::Plan;
use crate::replay::{self, Conflict, Entry, LogEntries};

/// One entry of a curriculum log.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Unique across devices and time.
    pub id: String,
    pub at: DateTime<FixedOffset>,
    /// The entry's place in the replay order; `None` before it is written.
    pub stamp: Option<Stamp>,
    pub what: What,
}

/// What a change does.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// An imported deck's title and description; brings a removed deck back.
    Deck {
        deck: DeckId,
        title: String,
        description: Option<String>,
    },
    /// A card's content and place in its deck; brings the card back if it was retired, and
    /// its deck if it was removed.
    Card {
        card: CardId,
        pos: u64,
        content: Content,
    },
    /// The card is no longer in its deck's file: out of every queue, its history kept.
    Retire { card: CardId },
    /// The deck is removed: out of every list and queue, its cards and their history kept.
    Remove { deck: DeckId },
    /// The deck (built-in or imported) is in reviews, or left out of them.
    Enable { deck: DeckId, enabled: bool },
    /// The deck's new cards come before those of decks of lower priority (0 by default).
    Priority { deck: DeckId, priority: i32 },
    /// The interview plan: its date, or `None` when cleared.
    Plan { interview: Option<StudyDay> },
    /// Takes back, as if never written, the entries named (a restore).
    Retract { ids: Vec<String> },
}

/// What a card says.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub kind: CardKind,
    pub tags: Vec<String>,
    /// Empty when read without text (see [`TextAt`]).
    pub front: String,
    pub back: String,
    pub points: Vec<String>,
}

impl Entry for Change {
    fn id(&self) -> &str {
        &self.id
    }

    fn stamp(&self) -> Option<Stamp> {
        Some(self.stamp.unwrap_or_default())
    }

    fn retracts(&self) -> &[String] {
        match &self.what {
            What::Retract { ids } => ids,
            _ => &[],
        }
    }

    fn same_as(&self, other: &Self) -> bool {
        self == other
    }
}

/// Where a card's text can be read when the curriculum was read without it: the index of its
/// log among those folded, and the byte offset of its line there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextAt {
    pub log: usize,
    pub offset: u64,
}

/// A card of an imported deck, as the changes so far leave it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCard {
    pub pos: u64,
    pub content: Content,
    pub retired: bool,
    pub text_at: Option<TextAt>,
}

/// An imported deck, as the changes so far leave it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedDeck {
    pub title: String,
    pub description: Option<String>,
    pub removed: bool,
    /// By the card's id within the deck.
    pub cards: DeckCards,
}

/// An imported deck's cards by their id within the deck, in the order first written, found
/// through an index of the ids' hashes: for a deck of a million cards, half the memory of a
/// map from id to card, and filled without moving the cards as it grows.
#[derive(Debug, Clone, Default)]
pub struct DeckCards {
    cards: Vec<(String, ImportedCard)>,
    index: IdIndex,
}

impl DeckCards {
    fn place(&self, local: &str) -> Option<usize> {
        self.index.find(local, |at| &self.cards[at].0)
    }

    pub fn get(&self, local: &str) -> Option<&ImportedCard> {
        self.place(local).map(|at| &self.cards[at].1)
    }

    pub fn get_mut(&mut self, local: &str) -> Option<&mut ImportedCard> {
        self.place(local).map(|at| &mut self.cards[at].1)
    }

    /// Sets the card with id `local`, replacing the one there.
    pub fn insert(&mut self, local: &str, card: ImportedCard) {
        match self.place(local) {
            Some(at) => self.cards[at].1 = card,
            None => {
                self.index.insert(local, self.cards.len());
                self.cards.push((local.to_owned(), card));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.cards.len()
    }

    /// Makes room for `more` cards.
    pub fn reserve(&mut self, more: usize) {
        self.cards.reserve(more);
        self.index.reserve(more);
    }

    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }

    /// Every card with its id, in the order first written.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &ImportedCard)> {
        self.cards.iter().map(|(local, card)| (local, card))
    }
}

/// The same cards, whatever the order they were first written in.
impl PartialEq for DeckCards {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(local, card)| other.get(local) == Some(card))
    }
}

/// Everything the curriculum logs determine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curriculum {
    pub decks: BTreeMap<DeckId, ImportedDeck>,
    pub disabled: BTreeSet<DeckId>,
    /// Decks whose priority is not 0 (built-in or imported).
    pub priority: BTreeMap<DeckId, i32>,
    pub plan: Option<Plan>,
    /// The stamp of the latest change: a writer stamps its next change after it.
    pub latest: Option<Stamp>,
    /// The logs folded, by name, in the order [`TextAt::log`] counts them.
    pub logs: Vec<String>,
}

/// A change with where its text lies, as a reader hands it to [`fold`].
pub type Located = (Change, Option<TextAt>);

impl Entry for Located {
    fn id(&self) -> &str {
        self.0.id()
    }

    fn stamp(&self) -> Option<Stamp> {
        self.0.stamp()
    }

    fn retracts(&self) -> &[String] {
        self.0.retracts()
    }

    fn same_as(&self, other: &Self) -> bool {
        // Text read or not, and wherever it lies, the same change is the same.
        let text = |c: &Change| match &c.what {
            What::Card { content, .. } => (content.front.clone(), content.back.clone()),
            _ => Default::default(),
        };
        let (a, b) = (text(&self.0), text(&other.0));
        let unread = (String::new(), String::new());
        let mut left = self.0.clone();
        let mut right = other.0.clone();
        if a == unread || b == unread {
            for change in [&mut left, &mut right] {
                if let What::Card { content, .. } = &mut change.what {
                    content.front.clear();
                    content.back.clear();
                }
            }
        }
        left == right
    }
}

/// Folds the curriculum logs, each with the place of its entries' text. What the changes say
/// moves into the curriculum rather than being copied: a large deck is in memory once.
pub fn fold(mut logs: Vec<LogEntries<'_, Located>>) -> Result<Curriculum, Conflict> {
    let mut places = replay::distinct_in_order(&logs)?;
    let mut curriculum = Curriculum {
        latest: places.iter().map(|p| p.stamp).max(),
        ..Curriculum::default()
    };
    let void = replay::retracted(&logs, &places);
    if !void.is_empty() {
        places.retain(|p| !void.contains(&logs[p.log].events[p.index].0.id));
    }
    for place in places {
        let (change, text_at) = &mut logs[place.log].events[place.index];
        let what = std::mem::replace(&mut change.what, What::Retract { ids: Vec::new() });
        curriculum.apply(what, *text_at);
    }
    Ok(curriculum)
}

impl Curriculum {
    fn apply(&mut self, what: What, text_at: Option<TextAt>) {
        match what {
            What::Deck {
                deck,
                title,
                description,
            } => {
                let entry = self.decks.entry(deck).or_default();
                entry.title = title;
                entry.description = description;
                entry.removed = false;
            }
            What::Card { card, pos, content } => {
                let deck = self.deck_of(&card);
                deck.removed = false;
                deck.cards.insert(
                    local_id(&card),
                    ImportedCard {
                        pos,
                        content,
                        retired: false,
                        text_at,
                    },
                );
            }
            What::Retire { card } => {
                if let Some(c) = self.deck_of(&card).cards.get_mut(local_id(&card)) {
                    c.retired = true;
                }
            }
            What::Remove { deck } => {
                if let Some(d) = self.decks.get_mut(&deck) {
                    d.removed = true;
                }
                // A deck imported again later starts out in reviews.
                self.disabled.remove(&deck);
            }
            What::Enable { deck, enabled } => {
                if enabled {
                    self.disabled.remove(&deck);
                } else {
                    self.disabled.insert(deck);
                }
            }
            What::Priority { deck, priority } => {
                if priority == 0 {
                    self.priority.remove(&deck);
                } else {
                    self.priority.insert(deck, priority);
                }
            }
            What::Plan { interview } => self.plan = interview.map(|interview| Plan { interview }),
            What::Retract { .. } => {}
        }
    }

    /// The deck a card belongs to, created (titled by its id) if no change named it yet.
    fn deck_of(&mut self, card: &CardId) -> &mut ImportedDeck {
        self.decks
            .entry(card.deck_id())
            .or_insert_with_key(|id| ImportedDeck {
                title: id.to_string(),
                ..ImportedDeck::default()
            })
    }

    /// The imported decks that are not removed, in deck-id order, each with its cards in the
    /// order of its latest import (retired ones after, as they were).
    pub fn imported_decks(&self) -> Vec<Deck> {
        self.decks
            .iter()
            .filter(|(_, d)| !d.removed)
            .map(|(id, d)| deck_of(id, d))
            .collect()
    }

    /// The decks [`Curriculum::imported_decks`] gives, moved out of the curriculum rather than
    /// copied: for a command that only needs them once.
    pub fn take_imported_decks(&mut self) -> Vec<Deck> {
        std::mem::take(&mut self.decks)
            .into_iter()
            .filter(|(_, d)| !d.removed)
            .map(|(id, d)| deck_from(id, d))
            .collect()
    }

    /// Where each card's text lies, for a curriculum read without it.
    pub fn text_places(&self) -> impl Iterator<Item = (CardId, TextAt)> + '_ {
        self.decks.iter().flat_map(|(deck, d)| {
            d.cards
                .iter()
                .filter_map(move |(local, c)| Some((CardId::new(deck, local).ok()?, c.text_at?)))
        })
    }
}

fn local_id(card: &CardId) -> &str {
    card.as_str()
        .split_once('/')
        .map_or(card.as_str(), |(_, local)| local)
}

fn deck_of(id: &DeckId, deck: &ImportedDeck) -> Deck {
    let mut cards: Vec<(&String, &ImportedCard)> = deck.cards.iter().collect();
    cards.sort_by(|a, b| (a.1.retired, a.1.pos, a.0).cmp(&(b.1.retired, b.1.pos, b.0)));
    Deck {
        id: id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        source: DeckSource::Imported,
        cards: cards
            .into_iter()
            .filter_map(|(local, c)| {
                Some(Card {
                    id: CardId::new(id, local).ok()?,
                    kind: c.content.kind,
                    front: c.content.front.clone(),
                    back: c.content.back.clone(),
                    points: c.content.points.clone(),
                    tags: c.content.tags.clone(),
                    retired: c.retired,
                })
            })
            .collect(),
    }
}

fn deck_from(id: DeckId, deck: ImportedDeck) -> Deck {
    let mut cards = deck.cards.cards;
    cards.sort_by(|a, b| (a.1.retired, a.1.pos, &a.0).cmp(&(b.1.retired, b.1.pos, &b.0)));
    let cards = cards
        .into_iter()
        .filter_map(|(local, c)| {
            Some(Card {
                id: CardId::new(&id, &local).ok()?,
                kind: c.content.kind,
                front: c.content.front,
                back: c.content.back,
                points: c.content.points,
                tags: c.content.tags,
                retired: c.retired,
            })
        })
        .collect();
    Deck {
        id,
        title: deck.title,
        description: deck.description,
        source: DeckSource::Imported,
        cards,
    }
}

/// What importing a deck over the one there did (or would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Cards the file no longer has, now retired with their history kept.
    pub retired: usize,
    /// Retired cards back in the file, in reviews again.
    pub revived: usize,
}

fn content_of(card: &Card) -> Content {
    Content {
        kind: card.kind,
        tags: card.tags.clone(),
        front: card.front.clone(),
        back: card.back.clone(),
        points: card.points.clone(),
    }
}

/// Whether `content` is what `card` says.
fn says(content: &Content, card: &Card) -> bool {
    content.kind == card.kind
        && content.front == card.front
        && content.back == card.back
        && content.tags == card.tags
        && content.points == card.points
}

/// One change an import makes, as [`plan_import`] lists it. A card's change names the card by
/// its place in the incoming deck (which is also its `pos`), so that writing a large import
/// does not copy it first.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// [`What::Card`] for the card at this place in the incoming deck: [`card_change`].
    Card(usize),
    /// Boxed, so that the list of a large import's steps is a list of small ones.
    Other(Box<What>),
}

/// The change that records the card at `index` of `incoming` at that place.
pub fn card_change(incoming: &Deck, index: usize) -> What {
    let card = &incoming.cards[index];
    What::Card {
        card: card.id.clone(),
        pos: index as u64,
        content: content_of(card),
    }
}

/// The changes that make the curriculum's deck `incoming.id` what `incoming` says: the file's
/// cards in its order, every other card of the deck retired. Only what differs is written, so
/// importing the same file again changes nothing. `current` (removed or not) must have been
/// read with its text.
pub fn import(current: Option<&ImportedDeck>, incoming: &Deck) -> (Vec<What>, ImportCounts) {
    let (steps, counts) = plan_import(current, incoming);
    let whats = steps
        .into_iter()
        .map(|step| match step {
            Step::Card(index) => card_change(incoming, index),
            Step::Other(what) => *what,
        })
        .collect();
    (whats, counts)
}

/// [`import`], with each card's change named by the card's place in `incoming`.
pub fn plan_import(current: Option<&ImportedDeck>, incoming: &Deck) -> (Vec<Step>, ImportCounts) {
    let mut counts = ImportCounts::default();
    let mut steps = Vec::new();
    // A removed deck comes back as a new one: its old cards are no longer part of it.
    let live = current.filter(|d| !d.removed);
    let same_meta =
        live.is_some_and(|d| d.title == incoming.title && d.description == incoming.description);
    if !same_meta {
        steps.push(Step::Other(Box::new(What::Deck {
            deck: incoming.id.clone(),
            title: incoming.title.clone(),
            description: incoming.description.clone(),
        })));
    }
    // The file's cards, to find those of the deck it no longer has; none to find in a new deck.
    let find_gone = current.is_some_and(|d| !d.cards.is_empty());
    let mut kept: FxHashSet<&str> = FxHashSet::default();
    if find_gone {
        kept.reserve(incoming.cards.len());
    }
    for (index, card) in incoming.cards.iter().enumerate() {
        let pos = index as u64;
        let local = local_id(&card.id);
        if find_gone {
            kept.insert(local);
        }
        let before = live.and_then(|d| d.cards.get(local));
        let same_content = before.is_some_and(|b| says(&b.content, card));
        match before {
            None => counts.added += 1,
            Some(b) if same_content && !b.retired => counts.unchanged += 1,
            Some(b) => {
                counts.revived += usize::from(b.retired);
                counts.updated += 1;
            }
        }
        let same = before.is_some_and(|b| same_content && !b.retired && b.pos == pos);
        if !same {
            steps.push(Step::Card(index));
        }
    }
    // Every card the file no longer has is retired, so that nothing brings it back unasked;
    // those of a removed deck were not part of it, and are not counted.
    let mut gone: Vec<&String> = current
        .map(|d| {
            d.cards
                .iter()
                .filter(|(local, c)| !c.retired && !kept.contains(local.as_str()))
                .map(|(local, _)| local)
                .collect()
        })
        .unwrap_or_default();
    gone.sort();
    for local in gone {
        if let Ok(card) = CardId::new(&incoming.id, local) {
            steps.push(Step::Other(Box::new(What::Retire { card })));
            counts.retired += usize::from(live.is_some());
        }
    }
    (steps, counts)
}

#[cfg(test)]
#[path = "curriculum_tests.rs"]
mod tests;
