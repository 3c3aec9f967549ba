//! One line of a curriculum log, as JSON: what each kind of change writes and how a line
//! becomes a `Change` again. Reading, folding and appending the logs live in `curriculum`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::records::{StampRecord, moment};
use crate::curriculum::{Change, Content, What};
use crate::model::{Card, CardId, CardKind, DeckId, Stamp, StudyDay};

/// Version of one curriculum-log line.
pub const CURRICULUM_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum KindRecord {
    Deck,
    Card,
    Retire,
    Remove,
    Enable,
    Disable,
    Priority,
    Plan,
    Retract,
}

/// One line of a curriculum log; `T` is `String` for the text, or `IgnoredAny` to skip it. The
/// text comes last, so everything else is read before it.
#[derive(Serialize, Deserialize)]
pub(super) struct ChangeLine<T> {
    pub(super) v: u32,
    id: String,
    hlc: StampRecord,
    #[serde(deserialize_with = "moment::deserialize")]
    at: DateTime<FixedOffset>,
    kind: KindRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deck: Option<String>,
    /// The card's id within its deck.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    card: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pos: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    card_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "optional_day"
    )]
    interview: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retracts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    points: Option<Vec<String>>,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    front: Option<T>,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    back: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// The line of a card's change (what `ChangeLine` writes for it, field for field), borrowing
/// the card rather than copying it.
#[derive(Serialize)]
pub(super) struct CardLine<'a> {
    v: u32,
    id: &'a str,
    hlc: StampRecord,
    /// The moment as JSON, written once for all the lines of an import.
    at: &'a RawValue,
    kind: KindRecord,
    deck: &'a str,
    card: &'a str,
    pos: u64,
    card_kind: &'static str,
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    points: &'a [String],
    front: &'a str,
    back: &'a str,
}

impl<'a> CardLine<'a> {
    /// The change that records `card` at place `pos` of its deck.
    pub(super) fn new(
        id: &'a str,
        stamp: Stamp,
        at: &'a RawValue,
        card: &'a Card,
        pos: usize,
    ) -> Self {
        let deck = card.id.deck();
        CardLine {
            v: CURRICULUM_SCHEMA,
            id,
            hlc: (stamp.millis, stamp.counter),
            at,
            kind: KindRecord::Card,
            deck,
            card: &card.id.as_str()[deck.len() + 1..],
            pos: pos as u64,
            card_kind: card.kind.as_str(),
            tags: &card.tags,
            points: &card.points,
            front: &card.front,
            back: &card.back,
        }
    }
}

mod optional_day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::super::records::day::serialize(date, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super::super::records::day")] NaiveDate);
        Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
    }
}

impl From<&Change> for ChangeLine<String> {
    fn from(change: &Change) -> Self {
        let stamp = change.stamp.unwrap_or_default();
        let mut line = ChangeLine {
            v: CURRICULUM_SCHEMA,
            id: change.id.clone(),
            hlc: (stamp.millis, stamp.counter),
            at: change.at,
            kind: KindRecord::Deck,
            deck: None,
            card: None,
            pos: None,
            card_kind: None,
            title: None,
            description: None,
            priority: None,
            interview: None,
            retracts: None,
            tags: None,
            points: None,
            front: None,
            back: None,
        };
        let card_of = |line: &mut ChangeLine<String>, card: &CardId| {
            line.deck = Some(card.deck().to_owned());
            line.card = Some(card.as_str()[card.deck().len() + 1..].to_owned());
        };
        match &change.what {
            What::Deck {
                deck,
                title,
                description,
            } => {
                line.deck = Some(deck.to_string());
                line.title = Some(title.clone());
                line.description.clone_from(description);
            }
            What::Card { card, pos, content } => {
                line.kind = KindRecord::Card;
                card_of(&mut line, card);
                line.pos = Some(*pos);
                line.card_kind = Some(content.kind.as_str().to_owned());
                line.tags = Some(content.tags.clone());
                line.points = Some(content.points.clone()).filter(|p| !p.is_empty());
                line.front = Some(content.front.clone());
                line.back = Some(content.back.clone());
            }
            What::Retire { card } => {
                line.kind = KindRecord::Retire;
                card_of(&mut line, card);
            }
            What::Remove { deck } => {
                line.kind = KindRecord::Remove;
                line.deck = Some(deck.to_string());
            }
            What::Enable { deck, enabled } => {
                line.kind = if *enabled {
                    KindRecord::Enable
                } else {
                    KindRecord::Disable
                };
                line.deck = Some(deck.to_string());
            }
            What::Priority { deck, priority } => {
                line.kind = KindRecord::Priority;
                line.deck = Some(deck.to_string());
                line.priority = Some(*priority);
            }
            What::Plan { interview } => {
                line.kind = KindRecord::Plan;
                line.interview = interview.map(StudyDay::date);
            }
            What::Retract { ids } => {
                line.kind = KindRecord::Retract;
                line.retracts = Some(ids.clone());
            }
        }
        line
    }
}

impl<T> ChangeLine<T> {
    /// The change this line records; `text` takes the card's question and answer, if read.
    pub(super) fn into_change(
        self,
        text: impl FnOnce(Option<T>, Option<T>) -> (String, String),
    ) -> Result<Change, String> {
        let deck = || -> Result<DeckId, String> {
            self.deck
                .as_deref()
                .ok_or("a change without its deck")?
                .parse()
        };
        let card = || -> Result<CardId, String> {
            CardId::new(
                &deck()?,
                self.card.as_deref().ok_or("a change without its card")?,
            )
        };
        let what = match self.kind {
            KindRecord::Deck => What::Deck {
                deck: deck()?,
                title: self.title.clone().ok_or("a deck without its title")?,
                description: self.description.clone(),
            },
            KindRecord::Card => {
                let kind = match self.card_kind.as_deref() {
                    Some("question") => CardKind::Question,
                    Some("definition") => CardKind::Definition,
                    _ => return Err("a card without a known kind".to_owned()),
                };
                let card = card()?;
                let pos = self.pos.ok_or("a card without its place in the deck")?;
                let (front, back) = text(self.front, self.back);
                What::Card {
                    card,
                    pos,
                    content: Content {
                        kind,
                        tags: self.tags.unwrap_or_default(),
                        front,
                        back,
                        points: self.points.unwrap_or_default(),
                    },
                }
            }
            KindRecord::Retire => What::Retire { card: card()? },
            KindRecord::Remove => What::Remove { deck: deck()? },
            KindRecord::Enable | KindRecord::Disable => What::Enable {
                deck: deck()?,
                enabled: self.kind == KindRecord::Enable,
            },
            KindRecord::Priority => What::Priority {
                deck: deck()?,
                priority: self.priority.ok_or("a priority without its value")?,
            },
            KindRecord::Plan => What::Plan {
                interview: self.interview.map(StudyDay::from_date),
            },
            KindRecord::Retract => What::Retract {
                ids: self
                    .retracts
                    .ok_or("a retraction without the ids it retracts")?,
            },
        };
        let (millis, counter) = self.hlc;
        if millis < 0 {
            return Err("a stamp before 1970".to_owned());
        }
        Ok(Change {
            id: self.id,
            at: self.at,
            stamp: Some(Stamp { millis, counter }),
            what,
        })
    }
}
