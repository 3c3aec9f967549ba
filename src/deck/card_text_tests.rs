use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::*;
use crate::render::markdown::render;

/// Plain text, line by line, as card text.
fn plain(text: &str) -> String {
    let mut b = Builder::card();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            b.line_break();
        }
        b.text(line, false);
    }
    b.finish().0
}

/// What hone shows for card text, without colour.
fn shown(markdown: &str) -> String {
    render(markdown, 10_000, false)
}

/// The paragraphs of `markdown` as text, if it is nothing but paragraphs of text and hard
/// line breaks: no markup read where text was meant.
fn paragraphs_only(markdown: &str) -> Option<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, OPTIONS) {
        match event {
            Event::Start(Tag::Paragraph) => paragraphs.push(String::new()),
            Event::End(TagEnd::Paragraph) => {}
            Event::Text(t) => paragraphs.last_mut()?.push_str(&t),
            Event::HardBreak => paragraphs.last_mut()?.push('\n'),
            _ => return None,
        }
    }
    Some(paragraphs.join("\n\n"))
}

/// `text` as paragraphs: lines trimmed, blank lines between paragraphs once.
fn as_paragraphs(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
    lines
        .split(|l| l.is_empty())
        .filter(|p| !p.is_empty())
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn asterisks_in_plain_text_show_as_written() {
    let md = plain("2*3*4 = 24");
    assert_eq!(md, r"2\*3\*4 = 24");
    assert_eq!(shown(&md), "2*3*4 = 24\n");
}

#[test]
fn an_asterisk_between_spaces_is_left_alone() {
    assert_eq!(plain("a * b"), "a * b");
}

#[test]
fn underscores_inside_words_are_left_alone() {
    assert_eq!(plain("snake_case_name"), "snake_case_name");
    assert_eq!(
        plain("_private and __dunder__"),
        r"\_private and \_\_dunder\_\_"
    );
}

#[test]
fn tildes_that_could_strike_through_are_escaped() {
    let md = plain("~~gone~~ and ~5 minutes");
    assert_eq!(md, r"\~\~gone\~\~ and \~5 minutes");
    assert_eq!(shown(&md), "~~gone~~ and ~5 minutes\n");
}

#[test]
fn backticks_and_opening_brackets_are_always_escaped() {
    let md = plain("`ls` and [a](b) and ![img](x)");
    assert_eq!(md, r"\`ls\` and \[a](b) and !\[img](x)");
    assert_eq!(shown(&md), "`ls` and [a](b) and ![img](x)\n");
}

#[test]
fn a_backslash_is_escaped_only_before_punctuation_or_at_a_line_end() {
    assert_eq!(plain(r"C:\Users\me"), r"C:\Users\me");
    assert_eq!(plain(r"\* and \\"), r"\\\* and \\\\");
    let md = plain("ends with \\\nnext");
    assert_eq!(md, "ends with \\\\\\\nnext");
    assert_eq!(shown(&md), "ends with \\\nnext\n");
}

#[test]
fn angle_brackets_are_escaped_only_where_they_could_open_a_tag_or_link() {
    let md = plain("a < b, <b>x</b>, <https://x.org>");
    assert_eq!(md, r"a < b, \<b>x\</b>, \<https://x.org>");
    assert_eq!(shown(&md), "a < b, <b>x</b>, <https://x.org>\n");
}

#[test]
fn ampersands_are_escaped_only_before_a_character_reference() {
    let md = plain("AT&T & &amp; &#42; &#x2A;");
    assert_eq!(md, r"AT&T & \&amp; \&#42; \&#x2A;");
    assert_eq!(shown(&md), "AT&T & &amp; &#42; &#x2A;\n");
}

#[test]
fn line_starts_that_would_open_a_block_are_escaped() {
    for (text, md) in [
        ("# not a heading", r"\# not a heading"),
        ("###### six", r"\###### six"),
        ("> not a quote", r"\> not a quote"),
        ("- not an item", r"\- not an item"),
        ("+ not an item", r"\+ not an item"),
        ("* not an item", r"\* not an item"),
        ("1. not a list", r"1\. not a list"),
        ("2) not a list", r"2\) not a list"),
        ("---", r"\---"),
        ("***", r"\*\*\*"),
        ("_ _ _", r"\_ _ _"),
        ("===", r"\==="),
        ("~~~", r"\~\~\~"),
        ("```", r"\`\`\`"),
    ] {
        assert_eq!(plain(text), md, "{text}");
        assert_eq!(shown(&plain(text)), format!("{text}\n"), "{text}");
    }
}

#[test]
fn the_same_characters_inside_a_line_are_left_alone() {
    assert_eq!(
        plain("C# - a 1. b > c #1 +1 ---"),
        "C# - a 1. b > c #1 +1 ---"
    );
    assert_eq!(plain("####### seven"), "####### seven");
    assert_eq!(plain("#hashtag"), "#hashtag");
}

#[test]
fn lines_are_joined_by_hard_breaks_so_each_shows_on_its_own() {
    let md = plain("Read uncommitted\nRead committed\n\nSerializable");
    assert_eq!(md, "Read uncommitted\\\nRead committed\n\nSerializable");
    assert_eq!(
        shown(&md),
        "Read uncommitted\nRead committed\n\nSerializable\n"
    );
}

#[test]
fn indentation_that_markdown_would_read_as_code_is_dropped() {
    assert_eq!(
        plain("    indented\n\tand tabbed"),
        "indented\\\nand tabbed"
    );
}

#[test]
fn code_spans_are_fenced_longer_than_any_backtick_run_inside() {
    assert_eq!(code_span("a"), "`a`");
    assert_eq!(code_span("a `b` ``c``"), "``` a `b` ``c`` ```");
    assert_eq!(code_span("`x"), "`` `x ``");
    assert_eq!(code_span(" x "), "`  x  `");
    assert_eq!(code_span("  "), "`  `");
}

#[test]
fn styles_become_emphasis_and_code_spans() {
    let mut b = Builder::card();
    b.text("plain ", true);
    b.set_style(Style {
        bold: true,
        ..Style::default()
    });
    b.text("bold ", true);
    b.set_style(Style {
        bold: true,
        italic: true,
        ..Style::default()
    });
    b.text("both", true);
    b.set_style(Style {
        code: true,
        ..Style::default()
    });
    b.text("x*y", true);
    b.set_style(Style::default());
    b.text(" 2*3", true);
    assert_eq!(b.finish().0, r"plain **bold *both***`x*y` 2\*3");
}

#[test]
fn emphasis_markdown_cannot_place_is_left_out_rather_than_shown_as_asterisks() {
    // `**"x"**y`: CommonMark does not close bold after a quote and before a letter.
    let mut b = Builder::card();
    b.set_style(Style {
        bold: true,
        ..Style::default()
    });
    b.text("\"x\"", true);
    b.set_style(Style::default());
    b.text("y", true);
    let (md, seen) = b.finish();
    assert_eq!((md.as_str(), seen.as_str()), ("\"x\"y", "\"x\"y"));
}

#[test]
fn key_points_are_lines_without_their_bullets() {
    let mut b = Builder::points();
    for line in [
        "- first *point*",
        "* second",
        "third_one",
        "",
        "-not a bullet",
    ] {
        b.text(line, false);
        b.line_break();
    }
    assert_eq!(
        b.into_points(),
        ["first \\*point\\*", "second", "third_one", "-not a bullet"]
    );
}

/// Pieces of text that Markdown treats specially in some places.
const PIECES: &[&str] = &[
    "a",
    "b1",
    " ",
    "  ",
    "\t",
    "*",
    "**",
    "_",
    "__",
    "~",
    "~~",
    "`",
    "``",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&",
    "&amp;",
    "&#42;",
    "#",
    "## ",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "2)",
    "---",
    "===",
    "~~~",
    "```",
    "!",
    "|",
    ":",
    ".",
    "é",
    "ⓐ",
    "\u{a0}",
    "<b>",
    "<http://x.y>",
    "[x](y)",
    "x_y",
    "*x*",
    "_x_",
    "\\*",
    "0",
    "\n",
    "\n\n",
];

proptest! {
    /// Any plain text shows as written: nothing in it is read as markup.
    #[test]
    fn plain_text_always_renders_as_written(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..16)
    ) {
        let text = pieces.concat();
        let md = plain(&text);
        prop_assert_eq!(paragraphs_only(&md), Some(as_paragraphs(&text)), "{:?}", md);
    }
}
