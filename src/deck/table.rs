//! CSV and TSV decks: a header row naming the columns (`front`, `back`, and optionally `id`,
//! `tags`, `kind` and `points`: the key points, one a line of the quoted field), then a card per
//! row. A TSV file without a header is read as
//! `front<TAB>back` per line, as hone has always read it. Cards without an id get one derived
//! from their question, so re-importing an edited file keeps the history of every card whose
//! question stayed.

use std::collections::HashMap;

use super::delimited::{Field, records};
use super::import::{Defaults, normal_tags};
use super::parse::{
    LineError, MAX_ID_LEN, ParsedCard, ParsedDeck, ParsedKind, canonical, id_problem, points_in,
    points_problem,
};

/// Characters of the readable part of a derived id.
const SLUG_LEN: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Front,
    Back,
    Id,
    Tags,
    Kind,
    Points,
}

fn column(name: &str) -> Option<Column> {
    Some(match name.trim().to_lowercase().as_str() {
        "front" | "question" => Column::Front,
        "back" | "answer" => Column::Back,
        "id" => Column::Id,
        "tags" => Column::Tags,
        "kind" => Column::Kind,
        "points" | "key points" => Column::Points,
        _ => return None,
    })
}

/// Parses a CSV (`,`) or TSV (`\t`) deck.
pub fn parse_table(
    text: &str,
    delimiter: char,
    defaults: &Defaults,
) -> Result<ParsedDeck, Vec<LineError>> {
    let rows = records(text, delimiter, 1)?;
    let mut errors = Vec::new();
    // A CSV file always starts with a header. A TSV file may not: its first row is a header
    // only if every field names a column, so a card whose answer is "answer" stays a card.
    let header = rows
        .first()
        .filter(|r| delimiter != '\t' || r.fields.iter().all(|f| column(&f.text).is_some()));
    let columns: Vec<Column> = match header {
        Some(header) => {
            let mut columns = Vec::new();
            for field in &header.fields {
                match column(&field.text) {
                    Some(c) if columns.contains(&c) => errors.push(LineError::at(
                        field.line,
                        field.column,
                        format!("the column '{}' appears twice in the header", field.text.trim()),
                    )),
                    Some(c) => columns.push(c),
                    None => errors.push(LineError::at(
                        field.line,
                        field.column,
                        format!(
                            "unknown column '{}': name the columns front, back, id, tags, kind and points",
                            field.text.trim().escape_debug()
                        ),
                    )),
                }
            }
            for (needed, name) in [(Column::Front, "front"), (Column::Back, "back")] {
                if !columns.contains(&needed) {
                    errors.push(LineError::new(
                        header.line,
                        format!("the header has no '{name}' column"),
                    ));
                }
            }
            columns
        }
        None => vec![Column::Front, Column::Back],
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut cards = Cards::default();
    let names: Vec<&str> = columns
        .iter()
        .map(|c| match c {
            Column::Front => "front",
            Column::Back => "back",
            Column::Id => "id",
            Column::Tags => "tags",
            Column::Kind => "kind",
            Column::Points => "points",
        })
        .collect();
    for row in rows.iter().skip(usize::from(header.is_some())) {
        if row.fields.len() != columns.len() {
            errors.push(LineError::new(
                row.line,
                format!(
                    "expected {} fields ({}), found {}; quote a field that holds the delimiter",
                    columns.len(),
                    names.join(", "),
                    row.fields.len()
                ),
            ));
            continue;
        }
        let get = |wanted: Column| {
            columns
                .iter()
                .position(|c| *c == wanted)
                .map(|i| &row.fields[i])
        };
        let fields = Fields {
            front: get(Column::Front),
            back: get(Column::Back),
            id: get(Column::Id),
            tags: get(Column::Tags),
            kind: get(Column::Kind),
            points: get(Column::Points),
        };
        match card(row.line, fields) {
            Ok(card) => cards.add(card, &mut errors),
            Err(e) => errors.extend(e),
        }
    }
    if cards.cards.is_empty() && errors.is_empty() {
        errors.push(LineError::new(1, "the file has no cards"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ParsedDeck {
        id: defaults.id.clone(),
        title: defaults.title.clone(),
        description: None,
        tags: Vec::new(),
        cards: cards.cards,
    })
}

/// The fields of one row; `None` for columns the file does not have.
struct Fields<'a> {
    front: Option<&'a Field>,
    back: Option<&'a Field>,
    id: Option<&'a Field>,
    tags: Option<&'a Field>,
    kind: Option<&'a Field>,
    points: Option<&'a Field>,
}

/// One card from its fields.
fn card(line: usize, fields: Fields) -> Result<ParsedCard, Vec<LineError>> {
    let Fields {
        front,
        back,
        id,
        tags,
        kind,
        points,
    } = fields;
    let mut errors = Vec::new();
    let mut text = |field: Option<&Field>, what: &str| {
        let value = field.map(|f| canonical(&f.text)).unwrap_or_default();
        if value.is_empty() {
            let (l, c) = field.map_or((line, 1), |f| (f.line, f.column));
            errors.push(LineError::at(l, c, format!("the {what} is empty")));
        }
        value
    };
    let front = text(front, "front (the question)");
    let back = text(back, "back (the answer)");
    let id = match id.filter(|f| !f.text.trim().is_empty()) {
        Some(field) => {
            let id = field.text.trim().to_owned();
            if let Some(problem) = id_problem(&id) {
                errors.push(LineError::at(
                    field.line,
                    field.column,
                    format!("bad card id: {problem}"),
                ));
            }
            id
        }
        None => derived_id(&front),
    };
    let kind = match kind.map(|f| (f, f.text.trim())) {
        None | Some((_, "" | "question")) => ParsedKind::Question,
        Some((_, "definition")) => ParsedKind::Definition,
        Some((field, other)) => {
            errors.push(LineError::at(
                field.line,
                field.column,
                format!(
                    "unknown card kind '{}': use definition or question",
                    other.escape_debug()
                ),
            ));
            ParsedKind::Question
        }
    };
    let tags = tags
        .map(|f| normal_tags(f.text.split([' ', ','])))
        .unwrap_or_default();
    let points_field = points;
    let points = points_field.map(|f| points_in(&f.text)).unwrap_or_default();
    if let Some(problem) = points_problem(kind, &points) {
        let (l, c) = points_field.map_or((line, 1), |f| (f.line, f.column));
        errors.push(LineError::at(l, c, format!("points: {problem}")));
    }
    if errors.is_empty() {
        Ok(ParsedCard {
            id,
            line,
            kind,
            tags,
            front,
            back,
            points,
        })
    } else {
        Err(errors)
    }
}

/// Cards being read from a file, each id once. Duplicates are found with a map, so that reading
/// stays linear in the size of the file.
#[derive(Default)]
pub struct Cards {
    pub cards: Vec<ParsedCard>,
    lines: HashMap<String, usize>,
}

impl Cards {
    /// Adds a card unless its id is taken, which is reported with the line that took it.
    pub fn add(&mut self, card: ParsedCard, errors: &mut Vec<LineError>) {
        match self.lines.get(&card.id) {
            Some(first) => errors.push(LineError::new(
                card.line,
                format!("the same card id '{}' as line {first}: give each card its own id, or its own question", card.id),
            )),
            None => {
                self.lines.insert(card.id.clone(), card.line);
                self.cards.push(card);
            }
        }
    }
}

/// Lowercase letters and digits of `text`, runs joined by `-`, at most `max` characters.
pub fn slug(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for word in text
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > max {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// A stable id from a card's front: a readable slug and a hash of the normalized text
/// (lowercase, whitespace collapsed), so that fronts differing only in case or spacing match.
pub fn derived_id(front: &str) -> String {
    let normalized = front
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let slug = slug(&normalized, SLUG_LEN);
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

    fn defaults() -> Defaults {
        Defaults {
            id: "mine".into(),
            title: "Mine".into(),
        }
    }

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
        assert!(id_problem(&derived_id("Что такое замыкание?")).is_none());
    }

    #[test]
    fn headerless_tsv_is_front_then_back() {
        let deck = parse_table(
            "front one\tback one\n\nfront two\tback two\n",
            '\t',
            &defaults(),
        )
        .unwrap();
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(deck.cards[1].line, 3);
    }

    #[test]
    fn a_header_names_the_columns_in_any_order() {
        let csv = "tags,Back,front,id,kind\n\"go, concurrency\",\"A pipe.\nTyped.\",What is a channel?,chan,definition\n";
        let deck = parse_table(csv, ',', &defaults()).unwrap();
        let card = &deck.cards[0];
        assert_eq!(
            (card.id.as_str(), card.kind, card.back.as_str()),
            ("chan", ParsedKind::Definition, "A pipe.\nTyped.")
        );
        assert_eq!(card.tags, ["go", "concurrency"]);
    }

    #[test]
    fn every_bad_row_is_reported() {
        let errors = parse_table(
            "front,back\na,b\nno comma\n,empty front\nc,\na,again\n",
            ',',
            &defaults(),
        )
        .unwrap_err();
        let got: Vec<(usize, Option<usize>)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            got,
            [(3, None), (4, Some(1)), (5, Some(3)), (6, None)],
            "{errors:?}"
        );
        assert!(
            errors[0]
                .message
                .contains("expected 2 fields (front, back), found 1")
        );
        assert!(errors[3].message.contains("as line 2"));
    }

    #[test]
    fn the_header_is_checked() {
        let errors = parse_table("front,answr\n", ',', &defaults()).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (1, Some(7)));
        assert!(errors[0].message.contains("unknown column 'answr'"));
        assert!(
            parse_table("a,b\n", ',', &defaults()).unwrap_err()[0]
                .message
                .contains("unknown column 'a'")
        );
        let deck = parse_table("question 0\tanswer\n", '\t', &defaults()).unwrap();
        assert_eq!(
            deck.cards[0].back, "answer",
            "a TSV row is a header only if every field names a column"
        );
    }
}
