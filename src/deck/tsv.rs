//! Plain TSV decks: one card per line, `front<TAB>back`. Cards get ids derived from their front
//! text, so re-importing an edited file keeps the history of every card whose question stayed.

use super::parse::{LineError, MAX_ID_LEN, ParsedCard, ParsedDeck, ParsedKind};

/// Characters of the readable part of a derived id.
const SLUG_LEN: usize = 40;

/// Parses a TSV deck into deck `id` titled `title`. Blank lines are skipped. Every problem is
/// reported, each with its 1-based line.
pub fn parse_tsv(text: &str, id: &str, title: &str) -> Result<ParsedDeck, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cards: Vec<ParsedCard> = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let mut problem = |message: String| errors.push(LineError { line, message });
        if fields.len() != 2 {
            problem(format!(
                "expected 2 tab-separated fields (front, back), found {}",
                fields.len()
            ));
            continue;
        }
        let (front, back) = (fields[0].trim(), fields[1].trim());
        if front.is_empty() {
            problem("the front (first field) is empty".to_owned());
            continue;
        }
        if back.is_empty() {
            problem("the back (second field) is empty".to_owned());
            continue;
        }
        let card_id = derived_id(front);
        if let Some(first) = cards.iter().find(|c| c.id == card_id) {
            problem(format!(
                "the same front as line {}; each front must be unique",
                first.line
            ));
            continue;
        }
        cards.push(ParsedCard {
            id: card_id,
            line,
            kind: ParsedKind::Question,
            tags: Vec::new(),
            front: front.to_owned(),
            back: back.to_owned(),
        });
    }
    if cards.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: 1,
            message: "the file has no cards".to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ParsedDeck {
        id: id.to_owned(),
        title: title.to_owned(),
        description: None,
        tags: Vec::new(),
        cards,
    })
}

/// A stable id from a card's front: a readable slug and a hash of the normalized text
/// (lowercase, whitespace collapsed), so that fronts differing only in case or spacing match.
pub fn derived_id(front: &str) -> String {
    let normalized = front
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut slug = String::new();
    for word in normalized
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > SLUG_LEN {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    let hash = format!(
        "{:08x}",
        crate::model::stable_hash(normalized.as_bytes()) as u32
    );
    let id = if slug.is_empty() {
        hash
    } else {
        format!("{slug}-{hash}")
    };
    debug_assert!(id.len() <= MAX_ID_LEN);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_readable_and_stable() {
        assert_eq!(
            derived_id("What is a closure?"),
            "what-is-a-closure-56bc6470"
        );
        assert_eq!(
            derived_id("  what IS a   closure? "),
            derived_id("What is a closure?")
        );
        assert_ne!(
            derived_id("What is a closure"),
            derived_id("What is a closure?")
        );
        assert!(super::super::parse::id_problem(&derived_id("Что такое замыкание?")).is_none());
    }

    #[test]
    fn lines_are_cards_and_problems_name_their_line() {
        let deck = parse_tsv(
            "front one\tback one\r\n\nfront two\tback two\n",
            "mine",
            "Mine",
        )
        .unwrap();
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(deck.cards[1].line, 3);

        let errors =
            parse_tsv("a\tb\nno tab here\nc\t\n\td\na\tb again\n", "mine", "Mine").unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(errors[0].message.contains("found 1"));
        assert!(errors[3].message.contains("line 1"));
    }

    #[test]
    fn an_empty_file_is_an_error() {
        assert!(parse_tsv("\n\n", "mine", "Mine").is_err());
    }
}
