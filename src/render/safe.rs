//! Untrusted text made safe for a terminal. Card text comes from files anyone can write; a raw
//! escape sequence in it could recolour the screen, rewrite the clipboard (OSC 52), hide a link
//! (OSC 8) or reorder what the reader sees (bidi overrides). Every such character is shown as a
//! visible `\u{..}` escape instead; newlines and tabs stay, and so does the rest of the text.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw.
fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        // C0 controls (ESC, CR, BEL, ...), DEL and the C1 controls.
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional embeddings, overrides and isolates, and the invisible direction marks.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' => {
            true
        }
        _ => false,
    }
}

/// `text` with every unsafe character replaced by its visible escape, e.g. ESC as `\u{1b}`.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(
            visible("a\u{1b}[31mred\u{1b}[0m"),
            "a\\u{1b}[31mred\\u{1b}[0m"
        );
        assert_eq!(visible("\u{1b}]52;c;aGk=\u{7}"), "\\u{1b}]52;c;aGk=\\u{7}");
        assert_eq!(visible("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(visible("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(visible("over\rwrite"), "over\\u{d}write");
    }

    #[test]
    fn ordinary_text_newlines_and_tabs_pass_untouched() {
        let text = "fn main() {\n\tprintln!(\"héllo — 世界\");\n}";
        assert!(matches!(visible(text), Cow::Borrowed(_)));
    }
}
