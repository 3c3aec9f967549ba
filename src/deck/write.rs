//! Writing a deck in the hone format, so that parsing it gives the same deck back: ids, kinds,
//! tags, text and key points exactly. A line of card text that the parser would read as
//! structure (a `## ` heading, the `---` separator in a question, `Key points:` in an answer, a
//! code fence left open) is escaped with a leading backslash, which the parser removes.

use std::fmt::Write as _;

use super::parse::{KEY_POINTS, is_escaped, track_fence};
use crate::model::Deck;

/// The deck as a hone deck file.
pub fn hone(deck: &Deck) -> String {
    let mut out = String::from("+++\n");
    let _ = writeln!(out, "id = {}", toml_string(deck.id.as_str()));
    let _ = writeln!(out, "title = {}", toml_string(&deck.title));
    if let Some(description) = &deck.description {
        let _ = writeln!(out, "description = {}", toml_string(description));
    }
    out.push_str("+++\n");
    for card in &deck.cards {
        let id = card
            .id
            .as_str()
            .split_once('/')
            .map_or(card.id.as_str(), |(_, card)| card);
        let _ = writeln!(out, "\n## {id}\n- kind: {}", card.kind.as_str());
        if !card.tags.is_empty() {
            let _ = writeln!(out, "- tags: {}", card.tags.join(", "));
        }
        // The blank line ends the attributes, even if the question starts with a list.
        let _ = write!(
            out,
            "\n{}\n\n---\n\n{}\n",
            escaped(&card.front, true),
            escaped(&card.back, false)
        );
        if !card.points.is_empty() {
            let _ = writeln!(out, "\n{KEY_POINTS}");
            for point in &card.points {
                let _ = writeln!(out, "- {point}");
            }
        }
    }
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// `text` with a backslash before every line the parser would otherwise take as structure.
/// `question`: the text goes before the `---` separator, where a `---` line would end it.
pub fn escaped(text: &str, question: bool) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    // Lines that already start with backslashes before a marker keep them only if one more is
    // added, since the parser removes one.
    let mut escape: Vec<bool> = lines.iter().map(|l| is_escaped(l)).collect();
    loop {
        let mut fence = None;
        let mut opened_at = 0;
        let mut changed = false;
        for (i, line) in lines.iter().enumerate() {
            if escape[i] {
                continue;
            }
            let was_open = fence.is_some();
            let in_code = track_fence(&mut fence, line, i + 1);
            if fence.is_some() && !was_open {
                opened_at = i;
            }
            let ends_answer = !question && *line == KEY_POINTS;
            if !in_code && (line.starts_with("## ") || (question && *line == "---") || ends_answer)
            {
                escape[i] = true;
                changed = true;
            }
        }
        if fence.is_some() {
            // A fence never closed would swallow the rest of the deck: make its opener text.
            escape[opened_at] = true;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if escape[i] {
            out.push('\\');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::deck::from_parsed;
    use crate::deck::parse::{canonical, parse_deck};
    use crate::model::{Card, CardId, CardKind, DeckSource};

    fn deck(cards: Vec<(String, String)>) -> Deck {
        let id = "mine".parse().unwrap();
        Deck {
            cards: cards
                .into_iter()
                .enumerate()
                .map(|(i, (front, back))| Card {
                    id: CardId::new(&id, &format!("c{i}")).unwrap(),
                    kind: if i % 2 == 0 {
                        CardKind::Question
                    } else {
                        CardKind::Definition
                    },
                    front,
                    back,
                    points: vec![],
                    tags: if i % 3 == 0 {
                        vec!["x".into(), "y-z".into()]
                    } else {
                        vec![]
                    },
                    retired: false,
                })
                .collect(),
            id,
            title: "Mine \"quoted\" \\ ok".into(),
            description: Some("line one\nline two".into()),
            source: DeckSource::Imported,
        }
    }

    fn round_trip(original: &Deck) -> Deck {
        let text = hone(original);
        let parsed = parse_deck(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        from_parsed(parsed, DeckSource::Imported).unwrap()
    }

    #[test]
    fn structure_inside_card_text_survives() {
        let tricky = vec![
            (
                "## looks like a card\n---\n- kind: nope".to_owned(),
                "---\n## another\n```\nunclosed fence".to_owned(),
            ),
            (
                "\\## already escaped\n\\---".to_owned(),
                "```rust\nfn main() {}\n```\n~~~~\n## in code\n~~~~".to_owned(),
            ),
            (
                "- a list first\n- second".to_owned(),
                "+++\nnot front matter".to_owned(),
            ),
        ];
        let original = deck(tricky);
        assert_eq!(round_trip(&original), original);
    }

    #[test]
    fn a_balanced_fence_is_left_alone() {
        assert_eq!(escaped("```\n## code\n```", false), "```\n## code\n```");
        assert_eq!(escaped("## heading", false), "\\## heading");
        assert_eq!(escaped("---", true), "\\---");
        assert_eq!(escaped("---", false), "---");
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("## h".to_owned()),
            Just("---".to_owned()),
            Just("```".to_owned()),
            Just("~~~".to_owned()),
            Just("````md".to_owned()),
            Just("\\## x".to_owned()),
            Just("\\\\---".to_owned()),
            Just("- kind: definition".to_owned()),
            Just("  ```".to_owned()),
            Just(String::new()),
            "[a-z #`~\\\\\t-]{0,12}",
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(line(), 1..12)
            .prop_map(|lines| canonical(&lines.join("\n")))
            .prop_filter("cards have text", |t| !t.is_empty())
    }

    proptest! {
        #[test]
        fn any_text_round_trips(cards in proptest::collection::vec((text(), text()), 1..5)) {
            let original = deck(cards);
            prop_assert_eq!(round_trip(&original), original);
        }
    }
}
