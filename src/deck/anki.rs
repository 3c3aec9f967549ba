//! Anki's plain-text notes export: `#key:value` header lines, then one note per record, fields
//! split by the separator with CSV quoting (fields may span lines).
//!
//! Headers read: `separator`, `html`, `tags`, `columns`, `deck`, `notetype`, and the 1-based
//! `guid column`, `tags column`, `deck column` and `notetype column`. Other headers are ignored,
//! as Anki adds new ones over time. The first note field is the question; the others, joined by
//! blank lines, the answer, except a field that `#columns` names `Points`, which holds the key
//! points, one a line. A note's GUID becomes its card id, reversibly (see `guid_to_id`), so a
//! deck can go to Anki and back without duplicates.
//!
//! A field says what Anki shows: with `#html:true` its HTML becomes Markdown (`html`), with
//! `#html:false` it is plain text; either way text is escaped so that it renders as written. A
//! file hone wrote says `#hone:markdown` (Anki ignores the header): its fields are hone's own
//! card text, kept as they are. A control character in a field is refused at its line.

use super::delimited::{Field, records};
use super::html::{self, Problem};
use super::names::{Defaults, normal_tags};
use super::parse::{
    LineError, ParsedCard, ParsedDeck, ParsedKind, canonical, id_problem, points_in, points_problem,
};
use super::table::{Cards, derived_id, slug};

/// The tag that carries hone's `definition` kind through Anki, which has no card kinds.
pub const DEFINITION_TAG: &str = "hone-kind-definition";

/// The header by which hone marks a file it wrote: the fields are hone card text (Markdown).
pub const MARKDOWN_HEADER: &str = "#hone:markdown";

/// What a file's fields hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fields {
    /// Plain text (`#html:false`): shown as written.
    Plain,
    /// HTML (`#html:true`).
    Html,
    /// hone's own card text (`#hone:markdown`), from a file hone wrote.
    Markdown,
}

/// A field's card text and the text it shows, or the problem at its line.
fn field_text(field: &Field, fields: Fields) -> Result<(String, String), LineError> {
    let (markdown, shown) = match fields {
        Fields::Markdown => {
            html::check_controls(&field.text).map(|()| (field.text.clone(), field.text.clone()))
        }
        Fields::Html | Fields::Plain => html::card_text(&field.text, fields == Fields::Html),
    }
    .map_err(|p| located(field, p))?;
    Ok((canonical(&markdown), canonical(&shown)))
}

/// A field's key points, one a line.
fn field_points(field: &Field, fields: Fields) -> Result<Vec<String>, LineError> {
    match fields {
        Fields::Markdown => html::check_controls(&field.text).map(|()| points_in(&field.text)),
        Fields::Html | Fields::Plain => html::points(&field.text, fields == Fields::Html),
    }
    .map_err(|p| located(field, p))
}

/// A problem at a byte of a field, at the file line it is on.
fn located(field: &Field, problem: Problem) -> LineError {
    let before = field.text.get(..problem.offset).unwrap_or(&field.text);
    LineError::new(field.line + before.matches('\n').count(), problem.message)
}

const KEYS: [&str; 10] = [
    "separator",
    "html",
    "tags",
    "columns",
    "deck",
    "notetype",
    "guid column",
    "tags column",
    "deck column",
    "notetype column",
];

/// The key and value of an Anki header line this reader knows, e.g. `#separator:tab`.
pub fn header_line(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.strip_prefix('#')?.split_once(':')?;
    let key = key.trim().to_lowercase();
    KEYS.contains(&key.as_str()).then_some((key, value.trim()))
}

fn separator(value: &str) -> Option<char> {
    Some(match value.to_lowercase().as_str() {
        "tab" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        "pipe" => '|',
        "space" => ' ',
        "colon" => ':',
        _ => {
            let mut chars = value.chars();
            let c = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            c
        }
    })
}

pub fn parse_anki(
    text: &str,
    defaults: &Defaults,
    id_given: bool,
) -> Result<ParsedDeck, Vec<LineError>> {
    let mut errors = Vec::new();
    let mut delimiter = '\t';
    let mut html = false;
    // The line of a `#hone:markdown` header.
    let mut markdown: Option<usize> = None;
    let mut deck_tags: Vec<&str> = Vec::new();
    let mut deck_name: Option<&str> = None;
    let mut special: Vec<(usize, usize)> = Vec::new(); // (column index, header line)
    let (mut guid_column, mut tags_column) = (None, None);
    // The column of key points, named `Points` in `#columns`, with the header's line.
    let mut points_column: Option<(usize, usize)> = None;
    let mut header_lines = 0;
    for (i, line) in text.split('\n').enumerate() {
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once(':') else {
            break;
        };
        header_lines = i + 1;
        let (key, value) = (key.trim().to_lowercase(), value.trim());
        let number = i + 1;
        let mut column = || match value.parse::<usize>() {
            Ok(n) if n >= 1 => {
                special.push((n - 1, number));
                Some(n - 1)
            }
            _ => {
                errors.push(LineError::new(
                    number,
                    format!(
                        "#{key}: '{}' is not a column number (1, 2, ...)",
                        value.escape_debug()
                    ),
                ));
                None
            }
        };
        match key.as_str() {
            "separator" => match separator(value) {
                Some(c) => delimiter = c,
                None => errors.push(LineError::new(
                    number,
                    format!("#separator: '{}' is not Tab, Comma, Semicolon, Pipe, Space, Colon or one character", value.escape_debug()),
                )),
            },
            "html" => match value.to_lowercase().as_str() {
                "true" => html = true,
                "false" => html = false,
                _ => errors.push(LineError::new(number, "#html: use true or false")),
            },
            "hone" if value.eq_ignore_ascii_case("markdown") => markdown = Some(number),
            "hone" => errors.push(LineError::new(number, "#hone: the only value is markdown")),
            "tags" => deck_tags.extend(value.split_whitespace()),
            "deck" => deck_name = Some(value),
            "guid column" => guid_column = column(),
            "tags column" => tags_column = column(),
            "columns" => {
                points_column = value
                    .split(delimiter)
                    .position(|name| name.trim().eq_ignore_ascii_case("points"))
                    .map(|c| (c, number));
                special.extend(points_column);
            }
            "deck column" | "notetype column" => {
                column();
            }
            _ => {} // `columns`, `notetype` and headers of newer Anki versions carry nothing hone keeps
        }
    }
    let fields = match (markdown, html) {
        (Some(line), true) => {
            errors.push(LineError::new(
                line,
                "#hone:markdown goes with #html:false: hone writes its card text as it is",
            ));
            Fields::Markdown
        }
        (Some(_), false) => Fields::Markdown,
        (None, true) => Fields::Html,
        (None, false) => Fields::Plain,
    };
    let body: String = text
        .split('\n')
        .skip(header_lines)
        .collect::<Vec<_>>()
        .join("\n");
    let rows = match records(&body, delimiter, header_lines + 1) {
        Ok(rows) => rows,
        Err(e) => {
            errors.extend(e);
            return Err(errors);
        }
    };
    let mut cards = Cards::default();
    for row in &rows {
        if let Some((column, line)) = special.iter().find(|(c, _)| *c >= row.fields.len()) {
            errors.push(LineError::new(
                row.line,
                format!(
                    "only {}, but the header on line {line} names column {}",
                    crate::render::plural(row.fields.len(), "field", "fields"),
                    column + 1
                ),
            ));
            continue;
        }
        let mut note: Vec<(String, String)> = Vec::new();
        let mut problems = Vec::new();
        let note_fields = row
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !special.iter().any(|(c, _)| c == i))
            .map(|(_, field)| field);
        for field in note_fields {
            match field_text(field, fields) {
                Ok(text) => note.push(text),
                Err(e) => problems.push(e),
            }
        }
        if !problems.is_empty() {
            errors.extend(problems);
            continue;
        }
        let (front, shown_front) = note.first().cloned().unwrap_or_default();
        let back = note
            .iter()
            .skip(1)
            .map(|(text, _)| text)
            .filter(|f| !f.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n");
        if front.is_empty() || back.is_empty() {
            let what = if front.is_empty() {
                "the first field (the question)"
            } else {
                "every other field (the answer)"
            };
            errors.push(LineError::new(row.line, format!("{what} is empty")));
            continue;
        }
        let mut raw_tags: Vec<&str> = deck_tags.clone();
        if let Some(c) = tags_column {
            raw_tags.extend(row.fields[c].text.split_whitespace());
        }
        let definition = raw_tags
            .iter()
            .any(|t| t.eq_ignore_ascii_case(DEFINITION_TAG));
        raw_tags.retain(|t| !t.eq_ignore_ascii_case(DEFINITION_TAG));
        let id = match guid_column
            .map(|c| row.fields[c].text.trim())
            .filter(|g| !g.is_empty())
        {
            Some(guid) => guid_to_id(guid),
            // From the text a reader sees, so escaping never changes a card's id.
            None => derived_id(&shown_front),
        };
        let kind = if definition {
            ParsedKind::Definition
        } else {
            ParsedKind::Question
        };
        let points = match points_column.map(|(c, _)| field_points(&row.fields[c], fields)) {
            Some(Ok(points)) => points,
            Some(Err(e)) => {
                errors.push(e);
                continue;
            }
            None => Vec::new(),
        };
        if let Some(problem) = points_problem(kind, &points) {
            errors.push(LineError::new(
                row.line,
                format!("the Points field: {problem}"),
            ));
            continue;
        }
        let card = ParsedCard {
            id,
            line: row.line,
            kind,
            tags: normal_tags(raw_tags),
            front,
            back,
            points,
        };
        cards.add(card, &mut errors);
    }
    if cards.cards.is_empty() && errors.is_empty() {
        errors.push(LineError::new(header_lines + 1, "the file has no notes"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (id, title) = match deck_name
        .filter(|_| !id_given)
        .map(|name| (slug(name, 64), name))
    {
        Some((id, name)) if !id.is_empty() => (id, name.to_owned()),
        _ => (
            defaults.id.clone(),
            deck_name.map_or_else(|| defaults.title.clone(), str::to_owned),
        ),
    };
    Ok(ParsedDeck {
        id,
        title,
        description: None,
        tags: Vec::new(),
        cards: cards.cards,
    })
}

/// A card id for an Anki GUID: the GUID itself when it is a valid id, else `g` and the hex of
/// its bytes. Reversible by `id_to_guid`, so a GUID survives a trip through hone.
pub fn guid_to_id(guid: &str) -> String {
    if id_problem(guid).is_none() && !is_hex_guid(guid) {
        return guid.to_owned();
    }
    let hex: String = guid.bytes().map(|b| format!("{b:02x}")).collect();
    let id = format!("g{hex}");
    if id_problem(&id).is_none() {
        id
    } else {
        // Too long for an id: a stable hash keeps it unique enough, though not reversible.
        format!("g-{:016x}", crate::model::stable_hash(guid.as_bytes()))
    }
}

/// The GUID for a card id: the inverse of `guid_to_id`.
pub fn id_to_guid(id: &str) -> String {
    if is_hex_guid(id) {
        let bytes: Option<Vec<u8>> = (1..id.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(id.get(i..i + 2)?, 16).ok())
            .collect();
        if let Some(guid) = bytes.and_then(|b| String::from_utf8(b).ok()) {
            return guid;
        }
    }
    id.to_owned()
}

/// Whether `id` has the form `guid_to_id` gives an encoded GUID: `g` and an even run of hex.
fn is_hex_guid(id: &str) -> bool {
    id.len() > 1
        && id.len() % 2 == 1
        && id.starts_with('g')
        && id[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            id: "from-file".into(),
            title: "From file".into(),
        }
    }

    #[test]
    fn headers_guids_tags_and_html() {
        let text = "#separator:Semicolon\n#html:true\n#tags:interview Backend::DB\n#deck:Interview::Backend\n#guid column:1\n#tags column:4\n\
                    Ab+3;What is an <b>index</b>?;\"A B-tree<br>on columns &amp; more\";sql hone-kind-definition\n\
                    plainguid;\"Two\nlines\";\"Fields; quoted\";\n";
        let deck = parse_anki(text, &defaults(), false).unwrap();
        assert_eq!(
            (deck.id.as_str(), deck.title.as_str()),
            ("interview-backend", "Interview::Backend")
        );
        let first = &deck.cards[0];
        assert_eq!(first.id, "g41622b33");
        assert_eq!(first.front, "What is an **index**?");
        assert_eq!(first.back, "A B-tree\\\non columns & more");
        assert_eq!(first.kind, ParsedKind::Definition);
        assert_eq!(first.tags, ["interview", "backend-db", "sql"]);
        assert_eq!(first.line, 7);
        let second = &deck.cards[1];
        assert_eq!(
            (second.id.as_str(), second.front.as_str(), second.line),
            ("plainguid", "Two lines", 8)
        );
    }

    #[test]
    fn guids_go_to_ids_and_back() {
        for guid in ["Ab+3", "plainguid", "g12", "f/,;'\"x", "Ω"] {
            let id = guid_to_id(guid);
            assert!(id_problem(&id).is_none(), "{id}");
            assert_eq!(id_to_guid(&id), guid);
        }
    }

    #[test]
    fn problems_are_located() {
        let text = "#separator:tab\n#guid column:x\nonly one field\n";
        let errors = parse_anki(text, &defaults(), false).unwrap_err();
        assert_eq!(errors[0].line, 2);
        let errors = parse_anki("#separator:Tab\nq\t\"unclosed\n", &defaults(), false).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (2, Some(3)));
        let errors =
            parse_anki("#separator:tab\n#guid column:3\nq\ta\n", &defaults(), false).unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert_eq!(
            errors[0].message,
            "only 2 fields, but the header on line 2 names column 3"
        );
    }

    #[test]
    fn plain_fields_show_as_written() {
        let text = "#separator:tab\n#html:false\n<b>not bold</b> &amp;\t2*3*4 = 24\n";
        let card = &parse_anki(text, &defaults(), false).unwrap().cards[0];
        assert_eq!(card.front, r"\<b>not bold\</b> \&amp;");
        assert_eq!(card.back, r"2\*3\*4 = 24");
    }

    #[test]
    fn html_fields_show_as_written_where_they_are_not_markup() {
        let text = "#separator:tab\n#html:true\n2*3*4 = 24\tRead uncommitted<br>Read committed<br>Repeatable read<br>Serializable\n";
        let card = &parse_anki(text, &defaults(), false).unwrap().cards[0];
        assert_eq!(card.front, r"2\*3\*4 = 24");
        assert_eq!(
            card.back,
            "Read uncommitted\\\nRead committed\\\nRepeatable read\\\nSerializable"
        );
    }

    #[test]
    fn a_nul_reference_is_refused_at_its_file_line() {
        let text = "#separator:tab\n#html:true\nfine\tfine\nq\t\"first line\nsecond &#0; line\"\n";
        let errors = parse_anki(text, &defaults(), false).unwrap_err();
        let shown = crate::deck::FileErrors {
            file: "notes.txt".into(),
            errors,
        }
        .to_string();
        assert_eq!(
            shown,
            "notes.txt:5: `&#0;` is the control character U+0000 (NUL): a card cannot hold control characters; remove it"
        );
    }

    #[test]
    fn a_raw_control_character_is_refused_whatever_the_fields_hold() {
        for header in ["#html:true", "#html:false", "#html:false\n#hone:markdown"] {
            let text = format!("#separator:tab\n{header}\nq\tan \u{1b}[31m escape\n");
            let errors = parse_anki(&text, &defaults(), false).unwrap_err();
            assert_eq!(errors.len(), 1, "{header}");
            assert!(
                errors[0]
                    .message
                    .starts_with("the control character U+001B (ESC) in the text"),
                "{header}: {}",
                errors[0].message
            );
        }
    }

    #[test]
    fn html_key_points_are_separated_by_br() {
        let text = "#separator:tab\n#html:true\n#columns:Front\tBack\tPoints\n\
                    q\ta\tone <b>idea</b><br>two <code>x*y</code><br>2*3\n";
        let card = &parse_anki(text, &defaults(), false).unwrap().cards[0];
        assert_eq!(card.points, ["one **idea**", "two `x*y`", r"2\*3"]);
    }

    #[test]
    fn plain_key_points_are_lines_without_bullets() {
        let text = "#separator:tab\n#html:false\n#columns:Front\tBack\tPoints\nq\ta\t\"- one\n- two_x\n- 2*3\"\n";
        let card = &parse_anki(text, &defaults(), false).unwrap().cards[0];
        assert_eq!(card.points, ["one", "two_x", r"2\*3"]);
    }

    #[test]
    fn hone_markdown_fields_are_kept_as_written() {
        let text = "#separator:tab\n#html:false\n#hone:markdown\n#columns:Front\tBack\tPoints\n\
                    What is **ACID**?\t\"Four `properties`:\n\n- atomicity\"\t\"`A`tomic\nconsistent\nisolated\"\n";
        let card = &parse_anki(text, &defaults(), false).unwrap().cards[0];
        assert_eq!(card.front, "What is **ACID**?");
        assert_eq!(card.back, "Four `properties`:\n\n- atomicity");
        assert_eq!(card.points, ["`A`tomic", "consistent", "isolated"]);
    }

    #[test]
    fn hone_markdown_with_html_is_refused_at_its_header() {
        let text = "#separator:tab\n#html:true\n#hone:markdown\nq\ta\n";
        let errors = parse_anki(text, &defaults(), false).unwrap_err();
        assert_eq!(errors[0].line, 3);
        let errors = parse_anki("#hone:html\nq\ta\n", &defaults(), false).unwrap_err();
        assert_eq!(errors[0].line, 1);
    }

    #[test]
    fn ids_derived_from_the_question_ignore_its_escapes() {
        let text = "#separator:tab\n#html:false\nWhat is 2*3?\tsix\n";
        let card = &parse_anki(text, &defaults(), false).unwrap().cards[0];
        assert_eq!(card.front, r"What is 2\*3?");
        assert_eq!(card.id, derived_id("What is 2*3?"));
    }
}
