//! Writing a deck in each format hone imports, so that importing the result gives the same
//! cards back: ids, kinds, tags, text and key points.

use serde::Serialize;

use super::anki::{DEFINITION_TAG, MARKDOWN_HEADER, id_to_guid};
use super::delimited::quote;
use super::import::Format;
use super::write;
use crate::model::{Card, CardKind, Deck};

/// The card's id within its deck.
fn local_id(card: &Card) -> &str {
    card.id
        .as_str()
        .split_once('/')
        .map_or(card.id.as_str(), |(_, id)| id)
}

/// `deck` in `format`. Retired cards stay out: they are no longer part of the deck.
pub fn export(deck: &Deck, format: Format) -> String {
    let live = Deck {
        cards: deck.cards.iter().filter(|c| !c.retired).cloned().collect(),
        ..deck.clone()
    };
    match format {
        Format::Hone => write::hone(&live),
        Format::Anki => anki(&live),
        Format::Csv => csv(&live),
        Format::Tsv => tsv(&live),
        Format::Json => json(&live),
    }
}

/// Whether any card of `deck` has key points: only then do the table formats get a column.
fn has_points(deck: &Deck) -> bool {
    deck.cards.iter().any(|c| !c.points.is_empty())
}

/// Anki's notes in plain text. The fields are hone's card text as it is (`#html:false`, which
/// Anki shows as written), marked `#hone:markdown` so that hone reads them back unescaped.
fn anki(deck: &Deck) -> String {
    let title = deck.title.replace(['\n', '\r'], " ");
    let points_column = if has_points(deck) { "\tPoints" } else { "" };
    let mut out = format!(
        "#separator:tab\n#html:false\n{MARKDOWN_HEADER}\n#deck:{title}\n#guid column:1\n#tags column:4\n#columns:GUID\tFront\tBack\tTags{points_column}\n"
    );
    for card in &deck.cards {
        let mut tags = card.tags.clone();
        if card.kind == CardKind::Definition {
            tags.push(DEFINITION_TAG.to_owned());
        }
        let mut fields = vec![
            id_to_guid(local_id(card)),
            card.front.clone(),
            card.back.clone(),
            tags.join(" "),
        ];
        if has_points(deck) {
            fields.push(card.points.join("\n"));
        }
        out.push_str(
            &fields
                .iter()
                .map(|f| quote(f, '\t'))
                .collect::<Vec<_>>()
                .join("\t"),
        );
        out.push('\n');
    }
    out
}

fn delimited(deck: &Deck, delimiter: char) -> String {
    let mut columns = vec!["id", "front", "back", "tags", "kind"];
    if has_points(deck) {
        columns.push("points");
    }
    let mut out = columns.join(&delimiter.to_string());
    out.push('\n');
    for card in &deck.cards {
        let (tags, points) = (card.tags.join(" "), card.points.join("\n"));
        let mut fields = vec![
            local_id(card),
            &card.front,
            &card.back,
            &tags,
            card.kind.as_str(),
        ];
        if has_points(deck) {
            fields.push(&points);
        }
        out.push_str(
            &fields
                .iter()
                .map(|f| quote(f, delimiter))
                .collect::<Vec<_>>()
                .join(&delimiter.to_string()),
        );
        out.push('\n');
    }
    out
}

fn csv(deck: &Deck) -> String {
    delimited(deck, ',')
}

fn tsv(deck: &Deck) -> String {
    delimited(deck, '\t')
}

#[derive(Serialize)]
struct JsonDeck<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    cards: Vec<JsonCard<'a>>,
}

#[derive(Serialize)]
struct JsonCard<'a> {
    id: &'a str,
    kind: &'static str,
    front: &'a str,
    back: &'a str,
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    points: &'a [String],
}

fn json(deck: &Deck) -> String {
    let doc = JsonDeck {
        id: deck.id.as_str(),
        title: &deck.title,
        description: deck.description.as_deref(),
        cards: deck
            .cards
            .iter()
            .map(|c| JsonCard {
                id: local_id(c),
                kind: c.kind.as_str(),
                front: &c.front,
                back: &c.back,
                tags: &c.tags,
                points: &c.points,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::import::parse;
    use crate::deck::names::Defaults;
    use crate::deck::{builtin_decks, from_parsed};
    use crate::model::DeckSource;

    /// Every built-in deck, written in every format and read back, is the same deck.
    #[test]
    fn every_format_round_trips_every_builtin_deck() {
        for deck in builtin_decks() {
            let deck = Deck {
                source: DeckSource::Imported,
                ..deck
            };
            for format in Format::ALL {
                let text = export(&deck, format);
                let defaults = Defaults {
                    id: deck.id.to_string(),
                    title: deck.title.clone(),
                };
                let parsed = parse(format, &text, &defaults, Some(deck.id.as_str()))
                    .unwrap_or_else(|e| panic!("{} as {format}: {e:?}", deck.id));
                let back = from_parsed(parsed, DeckSource::Imported).unwrap();
                assert_eq!(back.cards, deck.cards, "{} as {format}", deck.id);
                if matches!(format, Format::Hone | Format::Json | Format::Anki) {
                    assert_eq!(back.title, deck.title, "{} as {format}", deck.id);
                }
            }
        }
    }

    /// Card text full of Markdown and HTML-looking characters comes back from Anki unchanged.
    #[test]
    fn anki_export_keeps_markdown_special_and_html_looking_text() {
        let hone = "+++\nid = \"tricky\"\ntitle = \"Tricky: <b>text</b> & *stars*\"\n+++\n\n\
                    ## stars\n- kind: definition\n\nWhat is 2*3*4, and what is **bold**?\n\n---\n\n\
                    24, as `2*3*4`; and <b>not bold</b>, &amp;, &#0; written out, a \\ backslash,\\\n\
                    a hard break and _under_scores_.\n\n# a heading\n\n1. first\n2. second\n\n\
                    Key points:\n- `2*3*4` is 24\n- <b> & &lt; stay text\n\n\
                    ## html\n\nWhat does `<br>` do in <div>Anki</div>?\n\n---\n\n\
                    It breaks a line:\n\n```html\n<p>x&nbsp;y</p>\n\tindented\n```\n\n> quoted \"text\"\n";
        let defaults = Defaults {
            id: "tricky".into(),
            title: "Tricky".into(),
        };
        let parsed = parse(Format::Hone, hone, &defaults, None).unwrap();
        let deck = from_parsed(parsed, DeckSource::Imported).unwrap();
        let text = export(&deck, Format::Anki);
        assert!(text.contains("\n#hone:markdown\n"), "{text}");
        let back = parse(Format::Anki, &text, &defaults, Some("tricky")).unwrap();
        let back = from_parsed(back, DeckSource::Imported).unwrap();
        assert_eq!(back.cards, deck.cards);
        assert_eq!(back.title, deck.title);
    }
}
