//! The hone deck format parser: text in, a parsed deck or every located problem out.
//!
//! This file is also compiled into `build.rs` (through `#[path]`) to check and embed the
//! built-in decks, so it may use only `std`, `serde` and `toml`, and it knows nothing of the rest
//! of the crate. It does no I/O; callers attach the file name to the line numbers it reports.
//! The format is documented in `docs/deck-format.md`.

use std::fmt;

// Compiled into build.rs too, where a file included with `#[path]` finds its modules beside it.
#[path = "parse_points.rs"]
mod points;
use points::{count_problem, parse_point};
pub use points::{normalized_point, point_problem, points_in, points_problem};

/// A deck as written in its file, checked for syntax but not yet merged into a catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDeck {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub cards: Vec<ParsedCard>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCard {
    pub id: String,
    /// 1-based line of the card's `## id` heading.
    pub line: usize,
    pub kind: ParsedKind,
    /// The card's own tags, without the deck's.
    pub tags: Vec<String>,
    pub front: String,
    pub back: String,
    /// The key points an answer should reach, in order; empty when the card has none.
    pub points: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedKind {
    Definition,
    Question,
}

/// One problem in a deck file, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    /// 1-based column in characters, where it helps.
    pub column: Option<usize>,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        LineError {
            line,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        LineError {
            line,
            column: Some(column),
            message: message.into(),
        }
    }
}

/// `line[:column]: message`, the form every located error takes.
impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}: {}", self.line, self.message),
            None => write!(f, "{}: {}", self.line, self.message),
        }
    }
}

pub const MAX_ID_LEN: usize = 64;

/// Why `id` is not a valid deck or card id, if it is not.
pub fn id_problem(id: &str) -> Option<String> {
    // Every card id of every deck is checked on each load, so the common case is written to
    // compile to a few vector instructions: no early exit, no table lookups.
    fn allowed(c: u8) -> bool {
        (c.wrapping_sub(b'a') < 26)
            | (c.wrapping_sub(b'0') < 10)
            | (c == b'-')
            | (c == b'_')
            | (c == b'.')
    }
    let bytes = id.as_bytes();
    let starts_well = bytes
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if bytes.len() <= MAX_ID_LEN && starts_well && bytes.iter().fold(true, |ok, &c| ok & allowed(c))
    {
        return None;
    }
    if id.is_empty() {
        Some("the id is empty".to_owned())
    } else if id.len() > MAX_ID_LEN {
        Some(format!("the id is longer than {MAX_ID_LEN} characters"))
    } else {
        Some(format!(
            "'{}' is not a valid id: use lowercase letters, digits, '-', '_' and '.', starting with a letter or digit",
            id.escape_debug()
        ))
    }
}

/// Why `tag` is not a valid tag, if it is not.
pub fn tag_problem(tag: &str) -> Option<String> {
    let valid = tag
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && tag
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!valid).then(|| {
        format!(
            "'{}' is not a valid tag: use lowercase letters, digits and '-'",
            tag.escape_debug()
        )
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    description: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

const FRONT_MATTER_FENCE: &str = "+++";
const CARD_HEADING: &str = "## ";
const SEPARATOR: &str = "---";
/// The line that ends a card's answer and opens its list of key points.
pub const KEY_POINTS: &str = "Key points:";

/// How many key points a card may have, by kind, when it has any.
pub const QUESTION_POINTS: std::ops::RangeInclusive<usize> = 3..=7;
pub const DEFINITION_POINTS: std::ops::RangeInclusive<usize> = 2..=5;
/// The longest key point, in words and in characters: one checkable idea, said in a breath.
pub const MAX_POINT_WORDS: usize = 12;
pub const MAX_POINT_CHARS: usize = 120;

/// Splits on LF, CRLF and a lone CR, so that line numbers agree with what editors show.
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Whether `line` would end a part of a card or open or close a code fence.
pub fn is_structural(line: &str) -> bool {
    line.starts_with(CARD_HEADING)
        || line == SEPARATOR
        || line == KEY_POINTS
        || fence_marker(line).is_some()
}

/// Whether `line` is a structural line written with leading backslashes, the first of which
/// the parser removes. See "Escaping" in docs/deck-format.md.
pub fn is_escaped(line: &str) -> bool {
    line.starts_with('\\') && is_structural(line.trim_start_matches('\\'))
}

/// An open fenced code block: its fence character, length and line.
#[derive(Clone, Copy)]
pub struct Fence {
    marker: char,
    len: usize,
    line: usize,
}

/// The fence a line opens or closes, if it is a fence line (CommonMark: at most 3 spaces indent).
pub fn fence_marker(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == marker).count();
    (len >= 3).then(|| (marker, len, &rest[len..]))
}

/// Updates the open fence for one line and tells whether the line is inside (or is) a fence.
pub fn track_fence(open: &mut Option<Fence>, line: &str, number: usize) -> bool {
    match (*open, fence_marker(line)) {
        (None, Some((marker, len, _))) => {
            *open = Some(Fence {
                marker,
                len,
                line: number,
            });
            true
        }
        (Some(fence), Some((marker, len, info)))
            if marker == fence.marker && len >= fence.len && info.trim().is_empty() =>
        {
            *open = None;
            true
        }
        (Some(_), _) => true,
        (None, None) => false,
    }
}

enum Section {
    Preamble,
    Attributes,
    Front,
    Back,
    Points,
}

struct CardDraft {
    card: ParsedCard,
    front: Vec<String>,
    back: Option<Vec<String>>,
    /// The line of `Key points:`, if the card has one.
    points_line: Option<usize>,
    seen_kind: bool,
    seen_tags: bool,
}

/// Parses a whole deck file. On failure returns every problem found, in line order.
pub fn parse_deck(text: &str) -> Result<ParsedDeck, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<LineError>, line: usize, message: String| {
        errors.push(LineError::new(line, message));
    };

    if lines.first().map(|l| l.trim_end()) != Some(FRONT_MATTER_FENCE) {
        err(
            &mut errors,
            1,
            "a deck must start with a `+++` line opening its TOML front matter".to_owned(),
        );
        return Err(errors);
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == FRONT_MATTER_FENCE)
        .map(|i| i + 1)
    else {
        err(
            &mut errors,
            1,
            "the front matter is never closed by a `+++` line".to_owned(),
        );
        return Err(errors);
    };
    let front_matter = parse_front_matter(&lines[1..close], &mut errors);

    let mut cards: Vec<ParsedCard> = Vec::new();
    // Each id and the line that first defines it: a map, so a large deck stays linear.
    let mut first_lines: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let mut draft: Option<CardDraft> = None;
    let mut section = Section::Preamble;
    let mut fence: Option<Fence> = None;

    for (index, &raw) in lines.iter().enumerate().skip(close + 1) {
        let number = index + 1;
        if raw.starts_with('\u{feff}') {
            // What joining two files leaves: it would hide a `## id` line, merging that card
            // into the answer before it.
            err(
                &mut errors,
                number,
                "a byte-order mark (U+FEFF) starts this line, as where two files were joined; remove it".to_owned(),
            );
        }
        let escaped = draft.is_some() && is_escaped(raw.trim_end());
        // An escaped line is text: it neither opens a fence nor ends a part of the card. Key
        // points are plain lines: nothing in them opens a fence.
        let (raw, in_code) = if escaped {
            (&raw[1..], true)
        } else if matches!(section, Section::Points) {
            (raw, false)
        } else {
            (raw, track_fence(&mut fence, raw.trim_end(), number))
        };
        let line = raw.trim_end();

        if !in_code && line.starts_with(CARD_HEADING) {
            if let Some(done) = draft.take() {
                finish_card(done, &mut cards, &mut errors);
            }
            let id = line[CARD_HEADING.len()..].trim().to_owned();
            if let Some(problem) = id_problem(&id) {
                err(&mut errors, number, format!("bad card id: {problem}"));
            } else if let Some(first) = first_lines.get(&id) {
                err(
                    &mut errors,
                    number,
                    format!("duplicate card id '{id}' (first defined on line {first})"),
                );
            } else {
                first_lines.insert(id.clone(), number);
            }
            draft = Some(CardDraft {
                card: ParsedCard {
                    id,
                    line: number,
                    kind: ParsedKind::Question,
                    tags: Vec::new(),
                    front: String::new(),
                    back: String::new(),
                    points: Vec::new(),
                },
                front: Vec::new(),
                back: None,
                points_line: None,
                seen_kind: false,
                seen_tags: false,
            });
            section = Section::Attributes;
            continue;
        }

        let Some(current) = draft.as_mut() else {
            continue; // the preamble is for human readers
        };
        if let Section::Attributes = section {
            if !in_code && let Some(attribute) = line.strip_prefix("- ") {
                parse_attribute(attribute, current, number, &mut errors);
                continue;
            }
            section = Section::Front;
        }
        match section {
            Section::Front if !in_code && line == SEPARATOR => {
                current.back = Some(Vec::new());
                section = Section::Back;
            }
            Section::Front => current.front.push(raw.to_owned()),
            Section::Back if !in_code && line == KEY_POINTS => {
                current.points_line = Some(number);
                section = Section::Points;
            }
            Section::Back => {
                if let Some(back) = current.back.as_mut() {
                    back.push(raw.to_owned());
                }
            }
            Section::Points => parse_point(line, number, current, &mut errors),
            Section::Preamble | Section::Attributes => {}
        }
    }
    if let Some(done) = draft.take() {
        finish_card(done, &mut cards, &mut errors);
    }
    if let Some(open) = fence {
        err(
            &mut errors,
            open.line,
            format!(
                "this code fence is never closed: add a line of {} `{}` characters",
                open.len, open.marker
            ),
        );
    }
    if cards.is_empty() && errors.is_empty() {
        err(
            &mut errors,
            close + 1,
            "the deck has no cards: start one with a `## card-id` line".to_owned(),
        );
    }

    match front_matter {
        Some(fm) if errors.is_empty() => Ok(ParsedDeck {
            id: fm.id,
            title: fm.title,
            description: fm.description,
            tags: fm.tags,
            cards,
        }),
        _ => {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

fn parse_front_matter(lines: &[&str], errors: &mut Vec<LineError>) -> Option<FrontMatter> {
    let toml_text = lines.join("\n");
    let fm: FrontMatter = match toml::from_str(&toml_text) {
        Ok(fm) => fm,
        Err(e) => {
            // Front matter starts on line 2; the span tells which line of it is wrong.
            let offset = e.span().map_or(0, |span| span.start);
            let line = 2 + toml_text[..offset.min(toml_text.len())]
                .matches('\n')
                .count();
            let message = e.message().trim().replace('\n', " ");
            errors.push(LineError::new(line, format!("front matter: {message}")));
            return None;
        }
    };
    let line_of = |key: &str| {
        lines
            .iter()
            .position(|l| l.trim_start().starts_with(key))
            .map_or(2, |i| i + 2)
    };
    let mut ok = true;
    if let Some(problem) = id_problem(&fm.id) {
        errors.push(LineError::new(
            line_of("id"),
            format!("bad deck id: {problem}"),
        ));
        ok = false;
    }
    if fm.title.trim().is_empty() {
        errors.push(LineError::new(
            line_of("title"),
            "the deck title is empty".to_owned(),
        ));
        ok = false;
    }
    for tag in &fm.tags {
        if let Some(problem) = tag_problem(tag) {
            errors.push(LineError::new(line_of("tags"), problem));
            ok = false;
        }
    }
    ok.then_some(fm)
}

fn parse_attribute(
    attribute: &str,
    draft: &mut CardDraft,
    line: usize,
    errors: &mut Vec<LineError>,
) {
    let mut push = |message: String| errors.push(LineError::new(line, message));
    let Some((key, value)) = attribute.split_once(':') else {
        push(format!(
            "expected a card attribute `- kind: ...` or `- tags: ...` here; if the question starts with a list, leave a blank line after the `## {}` heading",
            draft.card.id
        ));
        return;
    };
    let value = value.trim();
    match key.trim() {
        "kind" => {
            if std::mem::replace(&mut draft.seen_kind, true) {
                push("the card's kind is given twice".to_owned());
            }
            match value {
                "definition" => draft.card.kind = ParsedKind::Definition,
                "question" => draft.card.kind = ParsedKind::Question,
                other => push(format!(
                    "unknown card kind '{}': use `definition` or `question`",
                    other.escape_debug()
                )),
            }
        }
        "tags" => {
            if std::mem::replace(&mut draft.seen_tags, true) {
                push("the card's tags are given twice; list them on one line".to_owned());
            }
            for tag in value.split(',').map(str::trim) {
                match tag_problem(tag) {
                    Some(problem) => push(problem),
                    None if !draft.card.tags.iter().any(|t| t == tag) => {
                        draft.card.tags.push(tag.to_owned())
                    }
                    None => {}
                }
            }
        }
        other => push(format!(
            "unknown card attribute '{}': use `kind` or `tags`; if the question starts with a list, leave a blank line after the `## {}` heading",
            other.escape_debug(),
            draft.card.id
        )),
    }
}

/// Card text in the form hone stores: LF line ends, no trailing whitespace on a line, no blank
/// lines before or after. Every importer puts text in this form, so every export round-trips.
pub fn canonical(text: &str) -> String {
    if is_canonical(text) {
        return text.to_owned();
    }
    trimmed_block(&split_lines(text))
}

/// [`canonical`] of text the caller owns: the same text back, not a copy, when it is in the
/// canonical form already (as nearly every field of a file is).
pub fn canonical_owned(text: String) -> String {
    if is_canonical(&text) {
        text
    } else {
        canonical(&text)
    }
}

/// Whether `canonical` would return `text` unchanged.
fn is_canonical(text: &str) -> bool {
    !text.starts_with('\n')
        && !text.ends_with('\n')
        && !text.contains('\r')
        && text
            .split('\n')
            .all(|line| line.len() == line.trim_end().len())
}

/// Joins a card's lines without the blank lines around them.
fn trimmed_block<S: AsRef<str>>(lines: &[S]) -> String {
    let is_blank = |l: &S| l.as_ref().trim().is_empty();
    let start = lines
        .iter()
        .position(|l| !is_blank(l))
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !is_blank(l))
        .map_or(start, |i| i + 1);
    let mut block = String::new();
    for (i, line) in lines[start..end].iter().enumerate() {
        if i > 0 {
            block.push('\n');
        }
        block.push_str(line.as_ref().trim_end());
    }
    block
}

fn finish_card(draft: CardDraft, cards: &mut Vec<ParsedCard>, errors: &mut Vec<LineError>) {
    let CardDraft {
        mut card,
        front,
        back,
        points_line,
        ..
    } = draft;
    if let Some(at) = points_line {
        // A point that is wrong in itself was reported at its own line already.
        let problem = if card.points.is_empty() {
            Some(format!("a `{KEY_POINTS}` line with no points under it"))
        } else {
            count_problem(card.kind, card.points.len())
        };
        if let Some(problem) = problem {
            errors.push(LineError::new(at, format!("card '{}': {problem}", card.id)));
        }
    }
    let line = card.line;
    card.front = trimmed_block(&front);
    if card.front.is_empty() {
        errors.push(LineError::new(
            line,
            format!("card '{}' has an empty question", card.id),
        ));
    }
    match back {
        None => errors.push(LineError::new(
            line,
            format!(
                "card '{}' has no `---` line between its question and its answer",
                card.id
            ),
        )),
        Some(back) => {
            card.back = trimmed_block(&back);
            if card.back.is_empty() {
                errors.push(LineError::new(
                    line,
                    format!("card '{}' has an empty answer", card.id),
                ));
            }
        }
    }
    cards.push(card);
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
