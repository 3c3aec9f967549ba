//! JSON decks: an array of cards, or an object with the deck's `id`, `title`, `description` and
//! its `cards` (what `hone export --format json` writes). A card is an object with `front` and
//! `back` (or `question` and `answer`), and optionally `id`, `tags`, `kind` and `points` (a
//! list of strings).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::names::{Defaults, normal_tags};
use super::parse::{
    LineError, ParsedCard, ParsedDeck, ParsedKind, canonical, id_problem, points_problem,
};
use super::table::{Cards, derived_id};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckObject<'a> {
    id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(borrow)]
    cards: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardObject {
    #[serde(alias = "question")]
    front: String,
    #[serde(alias = "answer")]
    back: String,
    id: Option<String>,
    #[serde(default)]
    tags: Tags,
    kind: Option<String>,
    #[serde(default)]
    points: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Tags {
    #[default]
    None,
    List(Vec<String>),
    Text(String),
}

/// The lines and columns of byte offsets of a text, each counted on from the one before, so
/// that locating every card of a large file stays linear in its size.
struct Positions<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        Positions {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The line and column of byte `offset`.
    fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = Positions::new(self.text);
        }
        let between = &self.text[self.offset..offset];
        match memchr::memrchr(b'\n', between.as_bytes()) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', between.as_bytes()).count();
                self.column = 1 + between[last + 1..].chars().count();
            }
            None => self.column += between.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

pub fn parse_json(text: &str, defaults: &Defaults) -> Result<ParsedDeck, Vec<LineError>> {
    let located = |e: serde_json::Error| {
        let problem = crate::input::json_problem(&e, text);
        let message = if e.is_data() {
            format!(
                "expected an array of cards, or an object with \"cards\" (and optionally \"id\", \"title\", \"description\"): {}",
                problem.words
            )
        } else {
            format!("not valid JSON: {}", problem.words)
        };
        vec![LineError::at(problem.line, problem.column, message)]
    };
    // Untagged enums cannot borrow raw values, so the shape is chosen by the first character.
    let (mut deck, raw_cards) = if text.trim_start().starts_with('{') {
        let object: DeckObject = serde_json::from_str(text).map_err(located)?;
        let deck = ParsedDeck {
            id: object.id.unwrap_or_else(|| defaults.id.clone()),
            title: object.title.unwrap_or_else(|| defaults.title.clone()),
            description: object.description,
            tags: Vec::new(),
            cards: Vec::new(),
        };
        (deck, object.cards)
    } else {
        let cards: Vec<&RawValue> = serde_json::from_str(text).map_err(located)?;
        let deck = ParsedDeck {
            id: defaults.id.clone(),
            title: defaults.title.clone(),
            description: None,
            tags: Vec::new(),
            cards: Vec::new(),
        };
        (deck, cards)
    };
    let mut errors = Vec::new();
    let mut cards = Cards::default();
    if let Some(problem) = id_problem(&deck.id) {
        errors.push(LineError::new(1, format!("bad deck id: {problem}")));
    }
    let mut positions = Positions::new(text);
    for raw in raw_cards {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let (line, column) = positions.at(offset);
        let card: CardObject = match crate::input::from_json(raw.get()) {
            Ok(card) => card,
            Err(problem) => {
                // The problem's place within the card, as a place in the file.
                let (l, c) = if problem.line == 1 {
                    (line, column + problem.column - 1)
                } else {
                    (line + problem.line - 1, problem.column)
                };
                errors.push(LineError::at(
                    l,
                    c,
                    format!("not a card: {}", problem.words),
                ));
                continue;
            }
        };
        let (front, back) = (canonical(&card.front), canonical(&card.back));
        if front.is_empty() || back.is_empty() {
            let which = if front.is_empty() { "front" } else { "back" };
            errors.push(LineError::at(
                line,
                column,
                format!("the card's {which} is empty"),
            ));
            continue;
        }
        let id = card.id.unwrap_or_else(|| derived_id(&front));
        if let Some(problem) = id_problem(&id) {
            errors.push(LineError::at(
                line,
                column,
                format!("bad card id: {problem}"),
            ));
            continue;
        }
        let kind = match card.kind.as_deref() {
            None | Some("question") => ParsedKind::Question,
            Some("definition") => ParsedKind::Definition,
            Some(other) => {
                errors.push(LineError::at(
                    line,
                    column,
                    format!(
                        "unknown card kind '{}': use definition or question",
                        other.escape_debug()
                    ),
                ));
                continue;
            }
        };
        let tags = match &card.tags {
            Tags::None => Vec::new(),
            Tags::List(list) => normal_tags(list.iter().map(String::as_str)),
            Tags::Text(text) => normal_tags(text.split([' ', ','])),
        };
        let points: Vec<String> = card.points.iter().map(|p| p.trim().to_owned()).collect();
        if let Some(problem) = points_problem(kind, &points) {
            errors.push(LineError::at(
                line,
                column,
                format!("\"points\": {problem}"),
            ));
            continue;
        }
        cards.add(
            ParsedCard {
                id,
                line,
                kind,
                tags,
                front,
                back,
                points,
            },
            &mut errors,
        );
    }
    deck.cards = cards.cards;
    if deck.cards.is_empty() && errors.is_empty() {
        errors.push(LineError::new(1, "the file has no cards"));
    }
    if errors.is_empty() {
        Ok(deck)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            id: "mine".into(),
            title: "Mine".into(),
        }
    }

    #[test]
    fn an_array_of_cards_with_positions() {
        let text = "[\n  {\"front\": \"Q1\", \"back\": \"A1\", \"tags\": [\"Go\"]},\n  {\"question\": \"Q2\", \"answer\": \"A2\", \"kind\": \"definition\", \"id\": \"q2\"}\n]";
        let deck = parse_json(text, &defaults()).unwrap();
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(
            (
                deck.cards[1].id.as_str(),
                deck.cards[1].line,
                deck.cards[1].kind
            ),
            ("q2", 3, ParsedKind::Definition)
        );
        assert_eq!(deck.cards[0].tags, ["go"]);
    }

    #[test]
    fn positions_counted_on_are_positions_counted_from_the_start() {
        let text = "ab\n\u{e9}\u{e9}x\n\nlast line";
        let from_start = |offset: usize| {
            let before = &text[..offset];
            let line = 1 + before.matches('\n').count();
            let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            (line, column)
        };
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut positions = Positions::new(text);
        for &offset in offsets.iter().chain(offsets.iter().rev().step_by(3)) {
            assert_eq!(positions.at(offset), from_start(offset), "{offset}");
        }
    }

    #[test]
    fn a_deck_object_names_the_deck() {
        let deck = parse_json(
            "{\"id\": \"x\", \"title\": \"X\", \"cards\": [{\"front\": \"a\", \"back\": \"b\"}]}",
            &defaults(),
        )
        .unwrap();
        assert_eq!((deck.id.as_str(), deck.title.as_str()), ("x", "X"));
    }

    #[test]
    fn every_bad_card_is_located() {
        let text = "[\n{\"front\": \"\", \"back\": \"b\"},\n{\"front\": \"a\"},\n{\"front\": \"a\", \"back\": \"b\", \"colour\": 1}\n]";
        let errors = parse_json(text, &defaults()).unwrap_err();
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.line, e.column))
                .collect::<Vec<_>>(),
            // An empty front is the card's; a missing field is found at the card's end, an
            // unknown one after its name.
            [(2, Some(1)), (3, Some(14)), (4, Some(36))]
        );
        assert!(errors[1].message.contains("missing field `back`"));
        assert!(errors[2].message.contains("colour"));
        let syntax = parse_json("[{\"front\": \"a\",\n}", &defaults()).unwrap_err();
        assert_eq!(syntax[0].line, 2);
    }
}
