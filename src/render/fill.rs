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

/// Appends `text` as a paragraph filled to `width` columns (at least 20), ending in a newline;
/// a word wider than that is cut where the width ends, as the terminal would cut it.
pub fn paragraph(out: &mut String, text: &str, width: usize) {
    fill(out, "", text, 0, width, true);
}

/// Appends `head` then `text`, filled to `width`, later lines indented by `indent` spaces: a
/// labelled line whose text may be long (a doctor check's detail).
pub fn hanging(out: &mut String, head: &str, text: &str, indent: usize, width: usize) {
    fill(out, head, text, indent, width, false);
}

/// Appends "  HEAD: item, item, ..." wrapped to `width`, later lines indented under the head's
/// start, so a list of long card ids stays readable at 40 columns.
pub(super) fn labelled_list(out: &mut String, head: &str, items: &[String], width: usize) {
    hanging(
        out,
        "  ",
        &format!("{head}: {}", items.join(", ")),
        4,
        width,
    );
}

/// The one filling rule: lines break between words, never at a hyphen inside one (card ids are
/// full of them), in at least 20 columns after the indent.
fn fill(out: &mut String, head: &str, text: &str, indent: usize, width: usize, cut_words: bool) {
    let pad = " ".repeat(indent);
    let options = textwrap::Options::new(width.max(indent + 20))
        .initial_indent(head)
        .subsequent_indent(&pad)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(cut_words);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}
