use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::*;
use crate::render::markdown::{OPTIONS, render};

/// An HTML field as card text.
fn md(html: &str) -> String {
    card_text(html, true).unwrap().0
}

/// What hone shows for card text, without colour.
fn shown(markdown: &str) -> String {
    render(markdown, 10_000, false)
}

fn problem(field: &str) -> Problem {
    card_text(field, true).unwrap_err()
}

#[test]
fn br_separated_lines_stay_lines() {
    let card = md("Read uncommitted<br>Read committed<br>Repeatable read<br>Serializable");
    assert_eq!(card.lines().count(), 4, "{card}");
    assert_eq!(
        shown(&card),
        "Read uncommitted\nRead committed\nRepeatable read\nSerializable\n"
    );
}

#[test]
fn divs_are_lines_and_an_empty_div_a_blank_line() {
    assert_eq!(md("a<div>b</div><div>c<br></div>"), "a\\\nb\\\nc");
    assert_eq!(md("a<div><br></div><div>b</div>"), "a\n\nb");
}

#[test]
fn paragraphs_are_separated_by_a_blank_line() {
    assert_eq!(md("<p>one</p><p>two</p>three"), "one\n\ntwo\n\nthree");
}

#[test]
fn b_and_strong_become_bold() {
    assert_eq!(
        md("an <b>index</b> or <STRONG>two words</STRONG>"),
        "an **index** or **two words**"
    );
}

#[test]
fn i_and_em_become_italic() {
    assert_eq!(md("<i>very</i> <em>much</em>"), "*very much*");
}

#[test]
fn whitespace_at_the_edges_of_emphasis_moves_outside_it() {
    assert_eq!(md("a<b> bold </b>b"), "a **bold** b");
}

#[test]
fn code_becomes_a_code_span_fenced_longer_than_any_backtick_run_inside() {
    assert_eq!(md("run <code>ls -l</code>"), "run `ls -l`");
    assert_eq!(md("<code>a``b</code>"), "```a``b```");
    assert_eq!(shown(&md("<code>2*3</code>")), "`2*3`\n");
}

#[test]
fn pre_becomes_a_fenced_code_block_kept_verbatim() {
    let card = md("Example:<pre>fn main() {\n    let x = a &amp;&amp; b;<br>}</pre>After");
    assert_eq!(
        card,
        "Example:\n\n```\nfn main() {\n    let x = a && b;\n}\n```\n\nAfter"
    );
    assert_eq!(md("<pre>```\nfence</pre>"), "````\n```\nfence\n````");
}

#[test]
fn unordered_lists_become_dash_items() {
    let card = md("Isolation:<ul><li>read <b>committed</b></li><li>serializable</li></ul>done");
    assert_eq!(
        card,
        "Isolation:\n\n- read **committed**\n- serializable\n\ndone"
    );
}

#[test]
fn ordered_lists_are_numbered() {
    assert_eq!(md("<ol><li>one</li><li>two</li></ol>"), "1. one\n2. two");
}

#[test]
fn nested_lists_and_item_lines_are_indented_under_their_item() {
    let card = md("<ol><li>a<br>more<ul><li>b</li></ul></li><li>c</li></ol>");
    assert_eq!(card, "1. a\\\n   more\n   - b\n2. c");
    assert_eq!(shown(&card), "1. a\n   more\n   - b\n2. c\n");
}

#[test]
fn text_in_an_item_that_looks_like_markup_is_escaped() {
    assert_eq!(
        md("<ul><li>1. first</li><li># two</li></ul>"),
        "- 1\\. first\n- \\# two"
    );
}

#[test]
fn other_tags_are_dropped_and_their_text_kept() {
    assert_eq!(
        md(
            "<span style=\"color: red\">H<sub>2</sub>O</span> <a href='x>y'>link</a><img src=\"a.png\">"
        ),
        "H2O link"
    );
}

#[test]
fn headings_and_table_rows_end_lines() {
    assert_eq!(
        md("<h2>Title</h2><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
        "Title\\\na b\\\nc"
    );
}

#[test]
fn comments_scripts_and_styles_leave_no_text() {
    assert_eq!(
        md("a<!-- note -->b<style>p { x: 1 }</style><script>if (a < b) {}</script>c"),
        "abc"
    );
}

#[test]
fn a_less_than_sign_that_starts_no_tag_is_text() {
    let card = md("a < b and 1<2 and <i");
    assert_eq!(card, r"a < b and 1\<2 and \<i");
    assert_eq!(shown(&card), "a < b and 1<2 and <i\n");
}

#[test]
fn whitespace_collapses_as_a_browser_shows_it() {
    assert_eq!(md("  one\n   two&nbsp;\tthree  "), "one two three");
}

#[test]
fn named_decimal_and_hex_references_are_decoded() {
    let card = md("a&mdash;b &#8212; &#x2014; &hellip; &lt;b&gt; &amp;amp; &copy");
    assert_eq!(card, r"a—b — — … \<b> \&amp; ©");
    assert_eq!(shown(&card), "a—b — — … <b> &amp; ©\n");
}

#[test]
fn references_the_standard_maps_to_windows_1252_are_decoded() {
    assert_eq!(md("&#150; &#x93;quoted&#x94;"), "– “quoted”");
}

#[test]
fn markdown_characters_in_html_text_show_as_written() {
    let card = md("2*3*4 = 24 <b>and</b> _x_ [y]");
    assert_eq!(card, r"2\*3\*4 = 24 **and** \_x\_ \[y]");
    assert_eq!(shown(&card), "2*3*4 = 24 and _x_ [y]\n");
}

#[test]
fn a_nul_reference_is_refused() {
    let p = problem("ok &#0; no");
    assert_eq!(p.offset, 3);
    assert_eq!(
        p.message,
        "`&#0;` is the control character U+0000 (NUL): a card cannot hold control characters; remove it"
    );
}

#[test]
fn an_escape_reference_is_refused_decimal_or_hex() {
    assert!(
        problem("&#27;")
            .message
            .starts_with("`&#27;` is the control character U+001B (ESC)")
    );
    assert!(
        problem("x&#x1B")
            .message
            .starts_with("`&#x1B` is the control character U+001B (ESC)")
    );
}

#[test]
fn a_c1_control_reference_is_refused() {
    // 0x81 is one of the five codes the standard does not map to Windows-1252.
    let p = problem("&#x81;");
    assert!(p.message.contains("U+0081 (a C1 control)"), "{}", p.message);
}

#[test]
fn a_control_character_written_raw_is_refused() {
    for field in ["a\u{1b}[31m", "a\u{85}b"] {
        for html in [true, false] {
            let p = card_text(field, html).unwrap_err();
            assert_eq!(p.offset, 1);
            assert!(p.message.contains("in the text"), "{}", p.message);
        }
    }
}

#[test]
fn tab_and_newline_references_are_whitespace() {
    assert_eq!(md("a&#9;b&#10;c&Tab;d"), "a b c d");
}

#[test]
fn plain_fields_are_text_shown_as_written() {
    let (card, seen) = card_text("<b>not bold</b> &amp; 2*3\n# one", false).unwrap();
    assert_eq!(card, "\\<b>not bold\\</b> \\&amp; 2\\*3\\\n\\# one");
    assert_eq!(seen, "<b>not bold</b> &amp; 2*3\n# one");
    assert_eq!(shown(&card), "<b>not bold</b> &amp; 2*3\n# one\n");
}

#[test]
fn key_points_are_separated_by_br_div_li_or_newline() {
    assert_eq!(
        points(
            "- one <b>bold</b><br>two<div>2*3</div><ul><li>four</li></ul>five\nsix",
            true
        )
        .unwrap(),
        ["one **bold**", "two", "2\\*3", "four", "five", "six"]
    );
    assert_eq!(points("a\n- b\n\n* c_d", false).unwrap(), ["a", "b", "c_d"]);
}

#[test]
fn a_control_character_in_key_points_is_refused_at_its_offset() {
    assert_eq!(points("ok<br>\nbad &#7;", true).unwrap_err().offset, 11);
}

/// The words `markdown` shows: text and code, list markers as hone draws them.
fn words_shown(markdown: &str) -> Vec<String> {
    let mut text = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(markdown, OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => match lists.last_mut() {
                Some(Some(n)) => {
                    text.push_str(&format!(" {n}. "));
                    *n += 1;
                }
                _ => text.push_str(" - "),
            },
            Event::Start(Tag::Emphasis | Tag::Strong)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong) => {}
            _ => text.push(' '),
        }
    }
    text.split_whitespace().map(str::to_owned).collect()
}

const HTML_PIECES: &[&str] = &[
    "a",
    "b c",
    " ",
    "\n",
    "*",
    "_",
    "`",
    "\\",
    "[",
    "<",
    "&",
    "&amp;",
    "&lt;",
    "#",
    "- ",
    "1. ",
    "---",
    "x_y",
    "\"",
    "(",
    "é",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<code>",
    "</code>",
    "<br>",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<ul>",
    "<ol>",
    "<li>",
    "</li>",
    "</ul>",
    "</ol>",
    "<pre>",
    "</pre>",
    "<span>",
    "<!-- c -->",
];

proptest! {
    /// Whatever the HTML, the card shows the words it shows in a browser, and no markup
    /// characters of its own.
    #[test]
    fn html_fields_show_their_words_and_nothing_else(
        pieces in prop::collection::vec(prop::sample::select(HTML_PIECES), 0..24)
    ) {
        // A field that spells a control character (`&#1`) is refused: nothing to show.
        let Ok((card, seen)) = card_text(&pieces.concat(), true) else {
            return Ok(());
        };
        let seen: Vec<String> = seen.split_whitespace().map(str::to_owned).collect();
        prop_assert_eq!(words_shown(&card), seen, "{:?}", card);
    }
}

proptest! {
    /// Every note hone accepts, HTML or plain, comes back the same from hone's own Anki export.
    #[test]
    fn accepted_notes_survive_anki_export_and_import(
        front in prop::collection::vec(prop::sample::select(HTML_PIECES), 1..12),
        back in prop::collection::vec(prop::sample::select(HTML_PIECES), 1..16),
        html in any::<bool>(),
    ) {
        let q = |p: Vec<&str>| format!("\"{}\"", p.concat().replace('"', "\"\""));
        let file = format!("#separator:tab\n#html:{html}\n{}\t{}\n", q(front), q(back));
        crate::fuzz_targets::deck_import(file.as_bytes());
    }
}
