//! An Anki field, HTML or plain text, read as hone card text (Markdown). `<br>`, `<div>` and
//! `<p>` end lines, `<b>`/`<strong>` and `<i>`/`<em>` become `**bold**` and `*italic*`,
//! `<code>` a code span, `<pre>` a fenced code block, `<ul>`/`<ol>`/`<li>` Markdown lists; every
//! other tag is dropped and its text kept. Whitespace collapses as a browser shows it, and
//! character references (`&mdash;`, `&#8212;`, `&#x2014;`) are decoded as the HTML standard
//! says, by the htmlize crate. Text, HTML or plain, is escaped so that it shows as written
//! (`card_text`). A control character, written or decoded, is refused: no card holds one.
//! Pure: no I/O.

use super::card_text::{Builder, Style};

/// Why a field cannot be a card's text, and the byte offset in the field where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// A field as card text, and the text it shows (for ids derived from the question).
pub fn card_text(field: &str, html: bool) -> Result<(String, String), Problem> {
    let mut builder = Builder::card();
    feed(field, html, &mut builder)?;
    Ok(builder.finish())
}

/// A field of key points, one a line (`<br>`, `<div>`, `<li>` or a newline between them).
pub fn points(field: &str, html: bool) -> Result<Vec<String>, Problem> {
    let mut builder = Builder::points();
    if html {
        // Points are lines of the field whichever way they were written.
        let mut offset = 0;
        for line in field.split('\n') {
            feed_html(line, offset, &mut builder)?;
            builder.line_break();
            offset += line.len() + 1;
        }
    } else {
        feed(field, false, &mut builder)?;
    }
    Ok(builder.into_points())
}

/// Refuses a control character anywhere in `text`.
pub fn check_controls(text: &str) -> Result<(), Problem> {
    match text.char_indices().find(|(_, c)| forbidden(*c)) {
        Some((offset, c)) => Err(Problem {
            offset,
            message: format!(
                "{} in the text: a card cannot hold control characters; remove it",
                describe(c)
            ),
        }),
        None => Ok(()),
    }
}

fn feed(field: &str, html: bool, builder: &mut Builder) -> Result<(), Problem> {
    if html {
        return feed_html(field, 0, builder);
    }
    check_controls(field)?;
    for (i, line) in field.split('\n').enumerate() {
        if i > 0 {
            builder.line_break();
        }
        builder.text(line, false);
    }
    Ok(())
}

/// A control character no card may hold: every one but tab and newline.
fn forbidden(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// The C0 control characters' abbreviations, by code.
const C0_NAMES: [&str; 32] = [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
    "FS", "GS", "RS", "US",
];

/// A control character by code point and name: `the control character U+001B (ESC)`.
fn describe(c: char) -> String {
    let code = c as u32;
    let name = match code {
        0..=0x1f => C0_NAMES[code as usize],
        0x7f => "DEL",
        _ => "a C1 control",
    };
    format!("the control character U+{code:04X} ({name})")
}

/// An HTML tag (or comment, doctype) found at a `<`.
struct Tag {
    /// Lowercase; empty for a comment or a declaration.
    name: String,
    closing: bool,
    /// The byte just after it.
    end: usize,
}

/// The tag at `at` (a `<`), if one starts there; otherwise the `<` is text.
fn tag_at(html: &str, at: usize) -> Option<Tag> {
    let rest = &html[at..];
    let bytes = rest.as_bytes();
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment.find("-->").map_or(html.len(), |e| at + 4 + e + 3);
        return Some(Tag {
            name: String::new(),
            closing: false,
            end,
        });
    }
    let (closing, start) = match bytes.get(1) {
        Some(b'!' | b'?') => {
            return rest.find('>').map(|e| Tag {
                name: String::new(),
                closing: false,
                end: at + e + 1,
            });
        }
        Some(b'/') => (true, 2),
        _ => (false, 1),
    };
    if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = rest[start..start + len].to_ascii_lowercase();
    // The `>` that ends the tag: not one inside a quoted attribute value.
    let (mut quote, mut after_equals) = (None, false);
    for (i, &b) in bytes.iter().enumerate().skip(start + len) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => {
                return Some(Tag {
                    name,
                    closing,
                    end: at + i + 1,
                });
            }
            None if (b == b'"' || b == b'\'') && after_equals => quote = Some(b),
            None if !b.is_ascii_whitespace() => after_equals = b == b'=',
            None => {}
        }
    }
    None
}

/// Tags whose edges end a line, as a browser shows them.
const BLOCKS: [&str; 23] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "section",
    "table",
    "tr",
];

/// The state of the tags open around the text.
#[derive(Default)]
struct Open {
    bold: usize,
    italic: usize,
    code: usize,
    /// Inside `<pre>`: how deep, and its text so far.
    pre: usize,
    pre_text: String,
}

impl Open {
    fn style(&self) -> Style {
        Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            code: self.code > 0,
        }
    }
}

/// Feeds HTML that starts at byte `base` of its field to `builder`.
fn feed_html(html: &str, base: usize, builder: &mut Builder) -> Result<(), Problem> {
    let mut open = Open::default();
    let (mut text_start, mut search) = (0, 0);
    while let Some(found) = html[search..].find('<') {
        let at = search + found;
        let Some(mut tag) = tag_at(html, at) else {
            search = at + 1;
            continue;
        };
        text(&html[text_start..at], base + text_start, &mut open, builder)?;
        if !tag.closing && (tag.name == "script" || tag.name == "style") {
            // Their content is code, not text.
            let close = format!("</{}", tag.name);
            tag.end = html[tag.end..]
                .to_ascii_lowercase()
                .find(&close)
                .and_then(|e| html[tag.end + e..].find('>').map(|g| tag.end + e + g + 1))
                .unwrap_or(html.len());
        } else {
            element(&tag, &mut open, builder);
        }
        (text_start, search) = (tag.end, tag.end);
    }
    text(&html[text_start..], base + text_start, &mut open, builder)?;
    if open.pre > 0 {
        builder.code_block(&open.pre_text);
    }
    Ok(())
}

fn element(tag: &Tag, open: &mut Open, builder: &mut Builder) {
    let name = tag.name.as_str();
    if open.pre > 0 {
        match (name, tag.closing) {
            ("br", _) => open.pre_text.push('\n'),
            ("pre", false) => open.pre += 1,
            ("pre", true) => {
                open.pre -= 1;
                if open.pre == 0 {
                    builder.code_block(&std::mem::take(&mut open.pre_text));
                }
            }
            _ => {}
        }
        return;
    }
    let count = |n: &mut usize| {
        if tag.closing {
            *n = n.saturating_sub(1);
        } else {
            *n += 1;
        }
    };
    match name {
        "br" => builder.line_break(),
        "p" => builder.paragraph(),
        "b" | "strong" => count(&mut open.bold),
        "i" | "em" => count(&mut open.italic),
        "code" => count(&mut open.code),
        "pre" if !tag.closing => open.pre = 1,
        "ul" | "ol" if tag.closing => builder.list_end(),
        "ul" | "ol" => builder.list_start(name == "ol"),
        "li" if tag.closing => builder.item_end(),
        "li" => builder.item_start(),
        // Table cells side by side: a space between them.
        "td" | "th" if tag.closing => builder.text(" ", true),
        _ if BLOCKS.contains(&name) => builder.block(),
        _ => {}
    }
    builder.set_style(open.style());
}

/// Text between tags, at byte `offset` of the field: references decoded, then added.
fn text(raw: &str, offset: usize, open: &mut Open, builder: &mut Builder) -> Result<(), Problem> {
    if raw.is_empty() {
        return Ok(());
    }
    let decoded = decode(raw).map_err(|mut p| {
        p.offset += offset;
        p
    })?;
    if open.pre > 0 {
        open.pre_text.push_str(&decoded);
    } else {
        builder.text(&decoded.replace('\u{a0}', " "), true);
    }
    Ok(())
}

/// `raw` with its character references decoded; a control character in it, written or from
/// a reference, is refused.
fn decode(raw: &str) -> Result<String, Problem> {
    check_controls(raw)?;
    let mut search = 0;
    while let Some(found) = raw[search..].find("&#") {
        let at = search + found;
        if let Some((len, code)) = numeric_reference(&raw[at..]) {
            let reference = &raw[at..at + len];
            // The standard makes `&#0;` a replacement character; hone refuses it, as it
            // refuses a NUL byte.
            let decoded = if code == 0 {
                "\0".to_owned()
            } else {
                htmlize::unescape(reference).into_owned()
            };
            if let Some(c) = decoded.chars().find(|c| forbidden(*c)) {
                return Err(Problem {
                    offset: at,
                    message: format!(
                        "`{reference}` is {}: a card cannot hold control characters; remove it",
                        describe(c)
                    ),
                });
            }
        }
        search = at + 2;
    }
    Ok(htmlize::unescape(raw).into_owned())
}

/// The length and code of the numeric character reference `s` starts with (`&#27;`, `&#x1b;`,
/// or without the `;`, as the HTML standard also reads them).
fn numeric_reference(s: &str) -> Option<(usize, u32)> {
    let rest = s.strip_prefix("&#")?;
    let (radix, start) = match rest.as_bytes().first() {
        Some(b'x' | b'X') => (16, 3),
        _ => (10, 2),
    };
    let digits = s[start..]
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if digits == 0 {
        return None;
    }
    let code = u32::from_str_radix(&s[start..start + digits], radix).unwrap_or(u32::MAX);
    let end = start + digits;
    let len = if s[end..].starts_with(';') {
        end + 1
    } else {
        end
    };
    Some((len, code))
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
