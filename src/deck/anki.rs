//! Anki's plain-text notes export: `#key:value` header lines, then one note per record, fields
//! split by the separator with CSV quoting (fields may span lines). With `#html:true` fields are
//! HTML and become plain text.
//!
//! Headers read: `separator`, `html`, `tags`, `columns`, `deck`, `notetype`, and the 1-based
//! `guid column`, `tags column`, `deck column` and `notetype column`. Other headers are ignored,
//! as Anki adds new ones over time. The first note field is the question; the others, joined by
//! blank lines, the answer, except a field that `#columns` names `Points`, which holds the key
//! points, one a line. A note's GUID becomes its card id, reversibly (see `guid_to_id`), so a
//! deck can go to Anki and back without duplicates. A file hone wrote says `#hone:markdown`
//! (Anki ignores the header): its fields are hone's own card text, kept as they are.

use super::delimited::records;
use super::import::{Defaults, normal_tags};
use super::parse::{
    LineError, ParsedCard, ParsedDeck, ParsedKind, canonical, id_problem, points_in, points_problem,
};
use super::table::{Cards, derived_id, slug};

/// The tag that carries hone's `definition` kind through Anki, which has no card kinds.
pub const DEFINITION_TAG: &str = "hone-kind-definition";

/// The header by which hone marks a file it wrote: the fields are hone card text (Markdown).
pub const MARKDOWN_HEADER: &str = "#hone:markdown";

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
    if let (Some(line), true) = (markdown, html) {
        errors.push(LineError::new(
            line,
            "#hone:markdown goes with #html:false: hone writes its card text as it is",
        ));
    }
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
                    "only {} fields, but line {line} names column {} ",
                    row.fields.len(),
                    column + 1
                ),
            ));
            continue;
        }
        let note: Vec<String> = row
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !special.iter().any(|(c, _)| c == i))
            .map(|(_, f)| {
                canonical(&if html {
                    html_to_text(&f.text)
                } else {
                    f.text.clone()
                })
            })
            .collect();
        let front = note.first().cloned().unwrap_or_default();
        let back = note
            .iter()
            .skip(1)
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
            None => derived_id(&front),
        };
        let kind = if definition {
            ParsedKind::Definition
        } else {
            ParsedKind::Question
        };
        let points = points_column
            .map(|(c, _)| {
                let field = &row.fields[c].text;
                points_in(&if html {
                    html_to_text(field)
                } else {
                    field.clone()
                })
            })
            .unwrap_or_default();
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

/// An Anki field's HTML as plain text: line breaks for `<br>`, `<div>` and `<p>`, `- ` for list
/// items, other tags dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let tag = rest[1..end].trim().to_lowercase();
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            match (name, tag.starts_with('/')) {
                ("br", _) | ("div" | "p" | "li" | "ul" | "ol" | "tr", true) => out.push('\n'),
                ("li", false) => out.push_str("- "),
                _ => {}
            }
            rest = &rest[end + 1..];
        } else if c == '&'
            && let Some(end) = rest.find(';').filter(|e| *e <= 10)
            && let Some(decoded) = entity(&rest[1..end])
        {
            out.push(decoded);
            rest = &rest[end + 1..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "#39" => '\'',
        "nbsp" => ' ',
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
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
        assert_eq!(first.front, "What is an index?");
        assert_eq!(first.back, "A B-tree\non columns & more");
        assert_eq!(first.kind, ParsedKind::Definition);
        assert_eq!(first.tags, ["interview", "backend-db", "sql"]);
        assert_eq!(first.line, 7);
        let second = &deck.cards[1];
        assert_eq!(
            (second.id.as_str(), second.front.as_str(), second.line),
            ("plainguid", "Two\nlines", 8)
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
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text("<div>a &lt;b&gt;</div><ul><li>x</li></ul>1 &#x41; &#66;&nbsp;<i"),
            "a <b>\n- x\n\n1 A B <i"
        );
    }

    #[test]
    fn hone_markdown_with_html_is_refused_at_its_header() {
        let text = "#separator:tab\n#html:true\n#hone:markdown\nq\ta\n";
        let errors = parse_anki(text, &defaults(), false).unwrap_err();
        assert_eq!(errors[0].line, 3);
        let errors = parse_anki("#hone:html\nq\ta\n", &defaults(), false).unwrap_err();
        assert_eq!(errors[0].line, 1);
    }
}
