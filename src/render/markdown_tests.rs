use super::*;

fn plain(text: &str, width: usize) -> String {
    render(text, width, false)
}

#[test]
fn paragraphs_are_wrapped_and_separated() {
    let text = "one two three four five six seven eight nine ten eleven twelve\nthirteen.\n\nSecond paragraph.";
    assert_eq!(
        plain(text, 24),
        "one two three four five\nsix seven eight nine ten\neleven twelve thirteen.\n\nSecond paragraph.\n"
    );
}

#[test]
fn lists_hang_their_continuation_lines() {
    let text = "Points:\n\n- first point that is long enough to wrap around\n- second\n  - nested item\n\n1. one\n2. two";
    assert_eq!(
        plain(text, 30),
        "Points:\n\n- first point that is long\n  enough to wrap around\n- second\n  - nested item\n\n1. one\n2. two\n"
    );
}

#[test]
fn code_keeps_its_indentation_and_tabs_and_is_cut_only_between_tokens() {
    let text = "Example:\n\n```go\nfunc main() {\n\tif x {\n        return a_very_long_identifier_that_would_not_fit\n\t}\n}\n```\n\nAfter.";
    assert_eq!(
        plain(text, 24),
        "Example:\n\n    func main() {\n    \tif x {\n            return\n  ↪ a_very_long_identifier_that_would_not_fit\n    \t}\n    }\n\nAfter.\n"
    );
}

/// The whitespace-separated tokens of the code rows in `rendered`, gutter marks left out.
fn code_tokens(rendered: &str) -> Vec<String> {
    rendered
        .lines()
        .filter(|l| l.starts_with("    ") || l.starts_with("  ↪ "))
        .flat_map(|l| {
            l[l.find(|c: char| c != ' ' && c != '↪').unwrap_or(0)..]
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn regression_code_at_60_columns_was_cut_mid_token() {
    let code = "INSERT INTO users (email) VALUES ('ann@example.com') RETURNING id;\nSELECT id, email FROM users WHERE id = 42;";
    let text = format!("```sql\n{code}\n```");
    let out = plain(&text, 60);
    assert_eq!(
        out,
        "    INSERT INTO users (email) VALUES ('ann@example.com')\n  ↪ RETURNING id;\n    SELECT id, email FROM users WHERE id = 42;\n"
    );
    let source: Vec<&str> = code.split_whitespace().collect();
    for width in 20..=100 {
        let out = plain(&text, width);
        assert_eq!(code_tokens(&out), source, "at {width}:\n{out}");
        for line in out.lines() {
            let fits = super::display_width(line) <= width;
            let one_token = line
                .trim_start_matches([' ', '↪'])
                .split_whitespace()
                .count()
                == 1;
            assert!(fits || one_token, "{line:?} is wider than {width}");
        }
    }
}

#[test]
fn a_cut_line_continues_under_its_own_indentation() {
    let text =
        "```python\ndef f():\n    return some_function(first_argument, second_argument)\n```";
    assert_eq!(
        plain(text, 40),
        "    def f():\n        return\n  ↪     some_function(first_argument,\n  ↪     second_argument)\n"
    );
}

#[test]
fn code_is_coloured_by_its_language() {
    let out = render("```sql\nSELECT 'a' -- c\n```", 80, true);
    assert!(
        out.contains("\u{1b}[35mSELECT"),
        "keyword in magenta: {out:?}"
    );
    assert!(out.contains("\u{1b}[32m'a'"), "string in green: {out:?}");
    assert!(out.contains("\u{1b}[2m-- c"), "comment dimmed: {out:?}");
    assert_eq!(console::strip_ansi_codes(&out), "    SELECT 'a' -- c\n");
    let unknown = render("```nosuchlanguage\nx = 1\n```", 80, true);
    assert!(
        unknown.contains("\u{1b}[36mx = 1"),
        "one colour without a grammar: {unknown:?}"
    );
    assert_eq!(
        render("```sql\nSELECT 1\n```", 80, false),
        "    SELECT 1\n",
        "no colour, no escapes"
    );
}

#[test]
fn code_inside_a_list_item_is_indented_under_it() {
    let text = "1. Run:\n\n   ```sh\n   cargo test\n   ```\n2. Done";
    assert_eq!(plain(text, 40), "1. Run:\n\n       cargo test\n2. Done\n");
}

#[test]
fn emphasis_and_code_are_marked_without_colour() {
    assert_eq!(
        plain("Use **bold**, *it* and `code`.", 80),
        "Use bold, it and `code`.\n"
    );
}

#[test]
fn styles_never_break_the_wrapping() {
    let styled = render("**aaaa bbbb cccc** dddd *eeee ffff*", 10, true);
    let widths: Vec<usize> = styled.lines().map(textwrap::core::display_width).collect();
    assert!(widths.iter().all(|w| *w <= 20), "{styled:?}");
    assert!(styled.contains("\u{1b}[1m"), "bold is applied: {styled:?}");
    assert_eq!(
        console::strip_ansi_codes(&styled),
        "aaaa bbbb cccc dddd\neeee ffff\n",
        "escape codes take no width"
    );
}

#[test]
fn headings_quotes_and_rules_render() {
    let text = "### Title\n\n> quoted text\n\n---\n\nend";
    assert_eq!(
        plain(text, 40),
        "### Title\n\n│ quoted text\n\n────────────────────────────────────────\n\nend\n"
    );
}

#[test]
fn control_sequences_in_text_and_code_are_made_visible() {
    let text = "red \u{1b}[31mtext\u{1b}[0m\n\n```\nclip \u{1b}]52;c;SGVsbG8=\u{7}\n```";
    let out = render(text, 80, true);
    assert!(
        !console::strip_ansi_codes(&out).contains('\u{1b}'),
        "{out:?}"
    );
    assert!(out.contains("\\u{1b}[31mtext"));
    assert!(out.contains("\\u{1b}]52;c;SGVsbG8=\\u{7}"));
}

#[test]
fn a_narrow_terminal_still_gets_readable_lines() {
    let out = plain("word ".repeat(30).as_str(), 5);
    assert!(out.lines().all(|l| l.len() <= MIN_TEXT_WIDTH), "{out}");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let text = "> ".repeat(5000) + "deep";
    assert!(plain(&text, 80).contains("deep"));
    let text: String = (0..2000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    assert!(plain(&text, 80).contains("item"));
}
