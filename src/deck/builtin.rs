//! The decks in `decks/`, compiled in by `build.rs`: a static table, checked at build time.

use super::parse::ParsedKind;

pub(crate) struct StaticDeck {
    pub id: &'static str,
    pub title: &'static str,
    pub description: Option<&'static str>,
    pub tags: &'static [&'static str],
    pub cards: &'static [StaticCard],
}

pub(crate) struct StaticCard {
    pub id: &'static str,
    pub kind: ParsedKind,
    pub tags: &'static [&'static str],
    pub front: &'static str,
    pub back: &'static str,
    pub points: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));
