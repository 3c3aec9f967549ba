//! Text laid out in a width: paragraphs filled between words, labelled lines that hang under
//! their label, lists of card ids that break only between ids, and lines cut with an ellipsis.
//! Widths are display columns. Pure; knows nothing of any command.

use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

use super::safe::visible;

/// The first line of a card's text, made safe and cut to `max` characters.
pub(super) fn first_line(text: &str, max: usize) -> String {
    let line = visible(text.lines().next().unwrap_or_default()).into_owned();
    if line.width() <= max {
        return line;
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        cut.push(c);
    }
    format!("{}…", cut.trim_end())
}

/// Appends `text` as a paragraph filled to `width` columns (at least 20), ending in a newline.
pub fn paragraph(out: &mut String, text: &str, width: usize) {
    let options =
        textwrap::Options::new(width.max(20)).word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Appends `head` then `text`, filled to `width`, later lines indented by `indent` spaces: a
/// labelled line whose text may be long (a doctor check's detail).
pub fn hanging(out: &mut String, head: &str, text: &str, indent: usize, width: usize) {
    let pad = " ".repeat(indent);
    let options = textwrap::Options::new(width.max(indent + 20))
        .initial_indent(head)
        .subsequent_indent(&pad)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Appends "  HEAD: item, item, ..." wrapped to `width`, later lines indented under the head's
/// start, so a list of long card ids stays readable at 40 columns.
pub(super) fn labelled_list(out: &mut String, head: &str, items: &[String], width: usize) {
    let text = format!("{head}: {}", items.join(", "));
    // Card ids are cut only between them, never at a hyphen inside one.
    let options = textwrap::Options::new(width.max(20))
        .initial_indent("  ")
        .subsequent_indent("    ")
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    for line in textwrap::wrap(&text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}
