//! CSV and TSV decks: a header row naming the columns (`front`, `back`, and optionally `id`,
//! `tags`, `kind` and `points`: the key points, one a line of the quoted field), then a card per
//! row. A TSV file without a header is read as
//! `front<TAB>back` per line, as hone has always read it. Cards without an id get one derived
//! from their question, so re-importing an edited file keeps the history of every card whose
//! question stayed.

use std::fmt::Write as _;

use super::delimited::{Field, Record, Records};
use super::names::{Defaults, normal_tags};
use crate::model::IdIndex;

use super::parse::{
    LineError, MAX_ID_LEN, ParsedCard, ParsedDeck, ParsedKind, canonical_owned, id_problem,
    points_in, points_problem,
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
    let mut table = Table::new(delimiter);
    table.push(text);
    table.finish(defaults)
}

/// A CSV or TSV deck read as its text arrives, a piece at a time: each record becomes a card
/// (or its problems) as soon as it ends, so neither the text nor its records are kept.
pub struct Table {
    records: Records,
    rows: Rows,
}

/// What becomes of the records: the header's columns, then a card per row.
struct Rows {
    delimiter: char,
    /// The columns, once the first record has been read.
    columns: Option<Vec<Column>>,
    names: String,
    /// Problems of the header: with any, the rows are not read.
    header_errors: Vec<LineError>,
    errors: Vec<LineError>,
    cards: Cards,
}

impl Table {
    pub fn new(delimiter: char) -> Table {
        Table {
            records: Records::new(delimiter, 1),
            rows: Rows {
                delimiter,
                columns: None,
                names: String::new(),
                header_errors: Vec::new(),
                errors: Vec::new(),
                cards: Cards::default(),
            },
        }
    }

    /// Reads the next piece of the text (LF line ends), cut anywhere.
    pub fn push(&mut self, text: &str) {
        let rows = &mut self.rows;
        let quoting_failed = self.records.has_errors();
        self.records.push(text, |record| {
            // A quoting problem is all that will be reported: no need to make cards.
            if !quoting_failed {
                rows.record(record);
            }
        });
    }

    /// Ends the text: the deck, or every problem. A quoting problem is reported alone (what
    /// follows it cannot be trusted), then problems of the header, then those of the rows.
    pub fn finish(mut self, defaults: &Defaults) -> Result<ParsedDeck, Vec<LineError>> {
        let rows = &mut self.rows;
        let quoting = self.records.finish(|record| rows.record(record));
        if !quoting.is_empty() {
            return Err(quoting);
        }
        let Rows {
            header_errors,
            mut errors,
            cards,
            ..
        } = self.rows;
        if !header_errors.is_empty() {
            return Err(header_errors);
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
}

impl Rows {
    fn record(&mut self, record: Record) {
        if self.columns.is_none() {
            // A CSV file always starts with a header. A TSV file may not: its first row is a
            // header only if every field names a column, so a card whose answer is "answer"
            // stays a card.
            let header =
                self.delimiter != '\t' || record.fields.iter().all(|f| column(&f.text).is_some());
            if header {
                self.header(&record);
            } else {
                self.set_columns(vec![Column::Front, Column::Back]);
                self.row(record);
            }
        } else if self.header_errors.is_empty() {
            self.row(record);
        }
    }

    fn set_columns(&mut self, columns: Vec<Column>) {
        self.names = columns
            .iter()
            .map(|c| match c {
                Column::Front => "front",
                Column::Back => "back",
                Column::Id => "id",
                Column::Tags => "tags",
                Column::Kind => "kind",
                Column::Points => "points",
            })
            .collect::<Vec<_>>()
            .join(", ");
        self.columns = Some(columns);
    }

    fn header(&mut self, header: &Record) {
        let errors = &mut self.header_errors;
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
        self.set_columns(columns);
    }

    fn row(&mut self, row: Record) {
        let columns = self.columns.as_deref().unwrap_or_default();
        if row.fields.len() != columns.len() {
            self.errors.push(LineError::new(
                row.line,
                format!(
                    "expected {} fields ({}), found {}; quote a field that holds the delimiter",
                    columns.len(),
                    self.names,
                    row.fields.len()
                ),
            ));
            return;
        }
        let mut fields = Fields::default();
        for (field, column) in row.fields.into_iter().zip(columns) {
            let slot = match column {
                Column::Front => &mut fields.front,
                Column::Back => &mut fields.back,
                Column::Id => &mut fields.id,
                Column::Tags => &mut fields.tags,
                Column::Kind => &mut fields.kind,
                Column::Points => &mut fields.points,
            };
            *slot = Some(field);
        }
        match card(row.line, fields) {
            Ok(card) => self.cards.add(card, &mut self.errors),
            Err(e) => self.errors.extend(e),
        }
    }
}

/// The fields of one row; `None` for columns the file does not have.
#[derive(Default)]
struct Fields {
    front: Option<Field>,
    back: Option<Field>,
    id: Option<Field>,
    tags: Option<Field>,
    kind: Option<Field>,
    points: Option<Field>,
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
    let mut text = |field: Option<Field>, what: &str| {
        let (value, (l, c)) = match field {
            Some(f) => (canonical_owned(f.text), (f.line, f.column)),
            None => (String::new(), (line, 1)),
        };
        if value.is_empty() {
            errors.push(LineError::at(l, c, format!("the {what} is empty")));
        }
        value
    };
    let front = text(front, "front (the question)");
    let back = text(back, "back (the answer)");
    let id = match id.filter(|f| !f.text.trim().is_empty()) {
        Some(field) => {
            let id = match field.text.trim() {
                trimmed if trimmed.len() == field.text.len() => field.text,
                trimmed => trimmed.to_owned(),
            };
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
    let kind = match kind.as_ref().map(|f| (f, f.text.trim())) {
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
    let points = points_field
        .as_ref()
        .map(|f| points_in(&f.text))
        .unwrap_or_default();
    if let Some(problem) = points_problem(kind, &points) {
        let (l, c) = points_field.map_or((line, 1), |f| (f.line, f.column));
        // Points run together with `;` or `|` read as one: say how a field holds several.
        let hint = if points.len() == 1 {
            " (one point a line: write the field in quotes with a line break between points)"
        } else {
            ""
        };
        errors.push(LineError::at(l, c, format!("points: {problem}{hint}")));
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

/// Cards being read from a file, each id once. Duplicates are found through an index of the
/// ids' hashes, so that reading stays linear in the size of the file and no id is copied.
#[derive(Default)]
pub struct Cards {
    pub cards: Vec<ParsedCard>,
    index: IdIndex,
}

impl Cards {
    /// Adds a card unless its id is taken, which is reported with the line that took it.
    pub fn add(&mut self, card: ParsedCard, errors: &mut Vec<LineError>) {
        let cards = &self.cards;
        match self.index.find(&card.id, |at| &cards[at].id) {
            Some(first) => errors.push(LineError::new(
                card.line,
                format!(
                    "the same card id '{}' as line {}: give each card its own id, or its own question",
                    card.id, cards[first].line
                ),
            )),
            None => {
                self.index.insert(&card.id, self.cards.len());
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
    if !front.is_ascii() {
        return derived_id_of_any_text(front);
    }
    // The same steps as for any text, a byte at a time and without a copy per step: every
    // card of a file without ids comes through here.
    let mut normalized = Vec::with_capacity(front.len());
    for &byte in front.as_bytes() {
        // ASCII's `char::is_whitespace`: space, tab, LF, vertical tab, form feed, CR.
        if matches!(byte, b' ' | b'\t'..=b'\r') {
            if normalized.last().is_some_and(|&last| last != b' ') {
                normalized.push(b' ');
            }
        } else {
            normalized.push(byte.to_ascii_lowercase());
        }
    }
    if normalized.last() == Some(&b' ') {
        normalized.pop();
    }
    let mut id = String::with_capacity(SLUG_LEN + 9);
    for word in normalized
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if id.len() + word.len() + 1 > SLUG_LEN {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.extend(word.iter().map(|&b| char::from(b)));
    }
    if !id.is_empty() {
        id.push('-');
    }
    let hash = crate::model::stable_hash(&normalized) as u32;
    let _ = write!(id, "{hash:08x}");
    debug_assert!(id.len() <= MAX_ID_LEN);
    id
}

/// [`derived_id`] of any text, Unicode case and whitespace included.
fn derived_id_of_any_text(front: &str) -> String {
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

    proptest::proptest! {
        #[test]
        fn ids_derived_from_ascii_are_those_of_any_text(front in "[a-zA-Z0-9 \t\n\x0b\x0c\r?,.'-]{0,80}") {
            proptest::prop_assert_eq!(derived_id(&front), derived_id_of_any_text(&front));
        }
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
    fn points_run_together_on_one_line_are_told_how_to_split() {
        let csv = "front,back,points\nWhat is X?,X is Y.,a | b | c\n";
        let errors = parse_table(csv, ',', &defaults()).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (2, Some(20)));
        assert!(
            errors[0]
                .message
                .ends_with("this card has 1 (one point a line: write the field in quotes with a line break between points)"),
            "{errors:?}"
        );
        let csv = "front,back,points\nWhat is X?,X is Y.,\"a\nb\nc\"\n";
        assert_eq!(
            parse_table(csv, ',', &defaults()).unwrap().cards[0]
                .points
                .len(),
            3
        );
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
