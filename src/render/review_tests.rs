use super::*;

const STATUS: &str = "Card 1 of 3 · 2 new · 1 review · 0 again · sql/crud (new) · crud, dml";
const FRONT: &str = "What does CRUD mean, and how does it map to SQL?";
/// The built-in card sql/crud, whose code the first user saw cut mid-token at 60 columns.
const BACK: &str = "CRUD names the four basic operations on persistent data: Create, Read, Update, Delete. In SQL they
are `INSERT`, `SELECT`, `UPDATE` and `DELETE` (the data manipulation language); in a REST API they
usually map to `POST`, `GET`, `PUT`/`PATCH` and `DELETE`.

```sql
INSERT INTO users (email) VALUES ('ann@example.com') RETURNING id;
SELECT id, email FROM users WHERE id = 42;
UPDATE users SET name = 'Ann' WHERE id = 42;
DELETE FROM users WHERE id = 42;
```

What interviewers probe: an `UPDATE` or `DELETE` without `WHERE` hits every row, so run risky
changes in a transaction and check the affected row count.

Key points:
- CRUD maps to `INSERT`, `SELECT`, `UPDATE`, `DELETE`
- `UPDATE` or `DELETE` without `WHERE` hits every row
";

fn question() -> Card<'static> {
    Card {
        notice: Some("Saved api/rest: grade 5, next due 2026-03-03 (in 1 day)."),
        status: STATUS,
        front: FRONT,
        typed: None,
        back: None,
        checklist: None,
    }
}

fn answer() -> Card<'static> {
    Card {
        notice: None,
        status: STATUS,
        front: FRONT,
        typed: Some(Typed::Given(
            "create read update delete; INSERT SELECT UPDATE DELETE",
        )),
        back: Some(BACK),
        checklist: None,
    }
}

/// The screen as a person sees it on a terminal `columns` by `height`, from line `top` (or the
/// start of the answer), with a frame marking the terminal's edges.
fn screen(
    card: &Card,
    which: Legend,
    (columns, height): (usize, usize),
    top: Option<usize>,
) -> String {
    let width = columns.min(100);
    let page = page(card, width, false);
    let legend = legend(which, width);
    let view = view(
        &page,
        &legend,
        (columns, height),
        top.unwrap_or(page.revealed),
        0,
        false,
    );
    framed(&view.text, columns, height)
}

fn framed(text: &str, columns: usize, height: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        lines.len() <= height,
        "{} lines on {height} rows:\n{text}",
        lines.len()
    );
    let mut out = format!("┌{}┐\n", "─".repeat(columns));
    for n in 0..height {
        let line = lines.get(n).copied().unwrap_or("");
        let pad = columns
            .checked_sub(display_width(line))
            .unwrap_or_else(|| panic!("{line:?} is wider than {columns} columns"));
        out.push_str(&format!("│{line}{}│\n", " ".repeat(pad)));
    }
    out.push_str(&format!("└{}┘\n", "─".repeat(columns)));
    out
}

#[test]
fn question_at_80_columns() {
    insta::assert_snapshot!(screen(
        &question(),
        Legend::Question { kept: false },
        (80, 24),
        None
    ));
}

#[test]
fn question_at_40_columns() {
    insta::assert_snapshot!(screen(
        &question(),
        Legend::Question { kept: false },
        (40, 10),
        None
    ));
}

#[test]
fn answer_at_80_columns() {
    insta::assert_snapshot!(screen(&answer(), Legend::Answer, (80, 40), None));
}

#[test]
fn answer_at_60_columns_keeps_code_tokens_whole() {
    insta::assert_snapshot!(screen(&answer(), Legend::Answer, (60, 40), None));
}

#[test]
fn answer_at_40_by_10_opens_on_the_answer() {
    insta::assert_snapshot!(screen(&answer(), Legend::Answer, (40, 10), None));
}

#[test]
fn answer_at_40_by_10_scrolled_to_the_question() {
    insta::assert_snapshot!(screen(&answer(), Legend::Answer, (40, 10), Some(0)));
}

#[test]
fn legends_at_every_width() {
    let mut out = String::new();
    for width in [100, 80, 60, 40, 30] {
        for which in [
            Legend::Question { kept: false },
            Legend::Question { kept: true },
            Legend::Typing,
            Legend::Answer,
        ] {
            out.push_str(&format!("{width} {which:?}\n"));
            for line in legend(which, width) {
                out.push_str(&format!("  |{line}|\n"));
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_legend_never_wraps_and_never_cuts_an_item() {
    let items = |which| match which {
        Legend::Answer => vec![
            "0 blackout",
            "3 hard",
            "4 good",
            "5 perfect",
            "u undo",
            "s suspend",
            "q quit",
        ],
        _ => vec!["u undo", "s suspend", "q quit"],
    };
    for width in 34..=100 {
        for which in [Legend::Question { kept: false }, Legend::Answer] {
            let lines = legend(which, width);
            for line in &lines {
                assert!(
                    display_width(line) <= width,
                    "{line:?} is wider than {width}"
                );
            }
            for item in items(which) {
                assert!(
                    lines.iter().any(|l| l.contains(item)),
                    "{item:?} is cut at {width}: {lines:?}"
                );
            }
            // The long form from 59 columns, the compact one in four lines from 39.
            let most = match width {
                59.. => 3,
                39.. => 4,
                _ => 6,
            };
            assert!(lines.len() <= most, "{width}: {lines:?}");
        }
    }
}

#[test]
fn the_answer_screen_has_no_question_legend_left() {
    let text = screen(&answer(), Legend::Answer, (100, 60), None);
    assert!(!text.contains("Enter show the answer"), "{text}");
    assert!(
        text.contains("Right: 3 hard · 4 good · 5 perfect"),
        "{text}"
    );
}

#[test]
fn every_line_of_a_long_answer_is_reachable_by_scrolling() {
    for (columns, height) in [(40, 10), (40, 6), (60, 12), (80, 8)] {
        let page = page(&answer(), columns, false);
        let legend = legend(Legend::Answer, columns);
        let mut seen = vec![false; page.lines.len()];
        let mut v = view(&page, &legend, (columns, height), page.revealed, 0, false);
        assert!(
            v.top <= page.revealed && page.revealed < v.top + v.shown,
            "the answer's start is on screen first"
        );
        v = view(&page, &legend, (columns, height), 0, 0, false);
        loop {
            seen[v.top..v.top + v.shown]
                .iter_mut()
                .for_each(|s| *s = true);
            assert!(
                v.text.split('\n').count() <= height,
                "{columns}x{height} overflows"
            );
            let next = scroll(&v, Scroll::PageDown);
            if next == v.top {
                break;
            }
            v = view(&page, &legend, (columns, height), next, 0, false);
        }
        assert!(seen.iter().all(|s| *s), "{columns}x{height}: {seen:?}");
        assert_eq!(scroll(&v, Scroll::Top), 0);
        assert_eq!(scroll(&v, Scroll::Bottom), v.max_top);
    }
}

#[test]
fn a_page_that_fits_has_no_scroll_line() {
    let text = screen(
        &question(),
        Legend::Question { kept: false },
        (80, 24),
        None,
    );
    assert!(!text.contains("PgUp"), "{text}");
}

#[test]
fn a_kept_answer_is_shown_with_the_question() {
    let card = Card {
        typed: Some(Typed::Kept("resources over HTTP")),
        ..question()
    };
    let page = page(&card, 80, false);
    assert!(
        page.lines
            .contains(&"Your answer (typed before the undo): resources over HTTP".to_owned()),
        "{page:?}"
    );
}

const POINTS: [&str; 3] = [
    "CRUD maps to `INSERT`, `SELECT`, `UPDATE`, `DELETE`",
    "`UPDATE` or `DELETE` without `WHERE` hits every row",
    "run risky changes in a transaction and check the row count",
];

fn with_checklist<'a>(points: &'a [String], covered: &'a [bool], cursor: usize) -> Card<'a> {
    Card {
        checklist: Some(Checklist {
            points,
            covered,
            cursor,
        }),
        ..answer()
    }
}

#[test]
fn the_key_points_follow_the_answer_as_a_checklist() {
    let points = POINTS.map(String::from);
    let card = with_checklist(&points, &[true, false, false], 1);
    insta::assert_snapshot!(screen(
        &card,
        Legend::Checklist {
            proposed: 2,
            covered: 1,
            total: 3,
        },
        (80, 60),
        None
    ));
}

#[test]
fn the_checklist_legend_fits_and_keeps_the_grades() {
    for width in 34..=100 {
        let lines = legend(
            Legend::Checklist {
                proposed: 3,
                covered: 0,
                total: 3,
            },
            width,
        );
        assert!(lines.iter().all(|l| display_width(l) <= width), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("Enter grade 3")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("5 perfect")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("Space")), "{lines:?}");
    }
    // Where the arrows move the cursor, the scroll line offers only j and k.
    let points = POINTS.map(String::from);
    let text = screen(
        &with_checklist(&points, &[false; 3], 0),
        Legend::Checklist {
            proposed: 1,
            covered: 0,
            total: 3,
        },
        (40, 14),
        None,
    );
    assert!(
        text.contains("j k") && !text.contains("↑↓ or j k"),
        "{text}"
    );
}

#[test]
fn the_point_under_the_cursor_is_always_on_screen() {
    let points = POINTS.map(String::from);
    for (columns, height) in [(40, 10), (60, 14), (80, 24)] {
        let mut top = None;
        for cursor in [0, 1, 2, 1, 0, 2] {
            let card = with_checklist(&points, &[false; 3], cursor);
            let page = page(&card, columns, false);
            let legend = legend(
                Legend::Checklist {
                    proposed: 1,
                    covered: 0,
                    total: 3,
                },
                columns,
            );
            let before = view(
                &page,
                &legend,
                (columns, height),
                top.unwrap_or(page.revealed),
                0,
                false,
            );
            let focus = page.focus.unwrap();
            let moved = view(
                &page,
                &legend,
                (columns, height),
                reveal(&before, focus),
                0,
                false,
            );
            assert!(
                moved.top <= focus.0 && focus.1 <= moved.top + moved.shown,
                "{columns}x{height} cursor {cursor}: {focus:?} not in {}..{}",
                moved.top,
                moved.top + moved.shown
            );
            top = Some(moved.top);
        }
    }
}
