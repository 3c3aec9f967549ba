//! Text output for people: tables and short reports built from the views, and Markdown drawn for
//! a terminal. JSON output is the views themselves; nothing here is part of the scripting
//! contract. Card text always goes through `safe::visible` or `markdown::render`.

mod highlight;
pub mod html;
pub mod markdown;
mod missed;
pub mod mock;
pub mod mock_screen;
mod progress;
pub mod review;
pub mod safe;
mod why;

pub use progress::{plan, points, readiness, stats};
pub use why::why;

use std::fmt::Write as _;

use crate::views::{
    AnswerView, CardsView, ChangeView, DecksView, DueView, NextView, ShowView, StatusView,
};
use safe::visible;
use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

/// How text output may look: its width and whether it may carry colour.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub width: usize,
    pub color: bool,
}

/// Columns padded to their widest cell; the last column is not padded.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].width())
            .chain([header[i].width()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    // A last cell of several lines continues under itself.
    let hang = " ".repeat(widths.iter().rev().skip(1).map(|w| w + 2).sum());
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                let mut lines = cell.split('\n');
                line.push_str(lines.next().unwrap_or_default());
                for more in lines {
                    line.push('\n');
                    line.push_str(&hang);
                    line.push_str(more);
                }
            } else {
                // `{:<w$}` pads by chars; a CJK or emoji cell is two columns per char.
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The first line of a card's text, made safe and cut to `max` characters.
fn first_line(text: &str, max: usize) -> String {
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
pub(crate) fn paragraph(out: &mut String, text: &str, width: usize) {
    let options =
        textwrap::Options::new(width.max(20)).word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Appends `head` then `text`, filled to `width`, later lines indented by `indent` spaces: a
/// labelled line whose text may be long (a doctor check's detail).
pub(crate) fn hanging(out: &mut String, head: &str, text: &str, indent: usize, width: usize) {
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
fn labelled_list(out: &mut String, head: &str, items: &[String], width: usize) {
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

/// `part` of `whole` as a whole percentage, rounded to the nearest (2 of 3 is 67), 0 of nothing.
pub fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn decks(view: &DecksView, look: Look) -> String {
    const HEADERS: [&str; 6] = ["DECK", "CARDS", "DUE", "NEW", "SOURCE", "TITLE"];
    let mut rows: Vec<Vec<String>> = view
        .decks
        .iter()
        .map(|d| {
            let mut title = visible(&d.title).into_owned();
            if !d.enabled {
                title.push_str(" (out of reviews)");
            }
            if d.priority != 0 {
                title.push_str(&format!(" (priority {})", d.priority));
            }
            vec![
                d.id.clone(),
                d.cards.to_string(),
                d.due.to_string(),
                d.new.to_string(),
                d.source.to_owned(),
                title,
            ]
        })
        .collect();
    // The title takes what the other columns leave of the width, cut with an ellipsis.
    let before_title: usize = (0..HEADERS.len() - 1)
        .map(|i| {
            let cells = rows.iter().map(|r| r[i].width());
            cells.chain([HEADERS[i].width()]).max().unwrap_or(0) + 2
        })
        .sum();
    let room = look.width.saturating_sub(before_title).max(12);
    for row in &mut rows {
        row[5] = first_line(&row[5], room);
    }
    table(&HEADERS, &rows)
}

pub fn cards(view: &CardsView, look: Look) -> String {
    let room = look.width.saturating_sub(45).max(30);
    let rows: Vec<Vec<String>> = view
        .cards
        .iter()
        .map(|c| vec![c.id.clone(), c.kind.to_owned(), first_line(&c.front, room)])
        .collect();
    table(&["CARD", "KIND", "QUESTION"], &rows)
}

pub fn due(view: &DueView, _: Look) -> String {
    if view.cards.is_empty() {
        return format!("Nothing due on {}.\n", view.day);
    }
    let rows: Vec<Vec<String>> = view
        .cards
        .iter()
        .map(|c| {
            let due = if c.state == "new" {
                "new".to_owned()
            } else {
                c.due.clone()
            };
            vec![
                due,
                c.repetitions.to_string(),
                format!("{:.2}", c.ease),
                format!("{}d", c.interval_days),
                c.card.clone(),
            ]
        })
        .collect();
    let mut out = table(&["DUE", "REPS", "EASE", "INTERVAL", "CARD"], &rows);
    let _ = writeln!(
        out,
        "{} due on {}: {} to review, {} new.",
        plural(view.count, "card", "cards"),
        view.day,
        view.review,
        view.new
    );
    out
}

pub fn next(view: &NextView, look: Look) -> String {
    match &view.card {
        None => match &view.next_due {
            Some(day) => format!("Nothing due. The next card is due on {day}.\n"),
            None => "Nothing due.\n".to_owned(),
        },
        Some(card) => {
            let when = if card.due.state == "new" {
                "new".to_owned()
            } else {
                format!("due {}", card.due.due)
            };
            format!(
                "{} ({}, {})\n\n{}",
                card.due.card,
                card.kind,
                when,
                markdown::render(&card.front, look.width, look.color)
            )
        }
    }
}

pub fn answer(view: &AnswerView, _: Look) -> String {
    if view.kind == "practice" {
        return format!(
            "{}: practice, grade {} (schedule unchanged)\n",
            view.card, view.grade
        );
    }
    format!(
        "{}: grade {}; next due {} (interval {}, {}, ease {:.2})\n",
        view.card,
        view.grade,
        view.due,
        plural(view.interval_days as usize, "day", "days"),
        plural(view.repetitions as usize, "repetition", "repetitions"),
        view.ease
    )
}

pub fn change(view: &ChangeView, _: Look) -> String {
    match view.action {
        "suspend" => format!(
            "{} is suspended; `hone unsuspend {}` brings it back.\n",
            view.card, view.card
        ),
        "unsuspend" => format!("{} is back in the reviews.\n", view.card),
        _ => match &view.state {
            Some(Some(state)) => format!(
                "Undid the last answer to {}; it is due {} again.\n",
                view.card, state.due
            ),
            _ => format!("Undid the last answer to {}; it is new again.\n", view.card),
        },
    }
}

pub fn optimize(view: &crate::views::OptimizeView, look: Look) -> String {
    let mut out = format!(
        "Fitted FSRS parameters to {}; they are in use from now on.\n\n",
        plural(view.reviews, "review", "reviews")
    );
    let held_out = format!(
        "How well each model predicts your latest {} (fitted on the ones before them; lower is better):",
        plural(view.held_out, "review", "reviews")
    );
    paragraph(&mut out, &held_out, look.width);
    out.push('\n');
    let m = &view.metrics;
    let rows = [
        ("SM-2 (R = 0.9^(t / I))", &m.sm2),
        ("FSRS, default parameters", &m.fsrs_default),
        ("FSRS, fitted parameters", &m.fsrs_optimized),
    ]
    .iter()
    .map(|(name, metric)| {
        vec![
            (*name).to_owned(),
            format!("{:.4}", metric.log_loss),
            format!("{:.4}", metric.rmse),
        ]
    })
    .collect::<Vec<_>>();
    out.push_str(&table(&["MODEL", "LOG LOSS", "RMSE"], &rows));
    if view.scheduler != "fsrs" {
        out.push_str(
            "\nReadiness and recall use them now; `hone config scheduler fsrs` schedules with them too.\n",
        );
    }
    out
}

/// A number of days as a person reads it: one decimal under ten days, whole days above.
pub fn days_text(days: f64) -> String {
    if days < 10.0 {
        format!("{days:.1} days")
    } else {
        format!("{days:.0} days")
    }
}

pub fn show(view: &ShowView, look: Look) -> String {
    let card = &view.card;
    let mut head = format!(
        "{} ({}{})",
        card.id,
        card.kind,
        if card.retired { ", retired" } else { "" }
    );
    if !card.tags.is_empty() {
        let _ = write!(head, "  tags: {}", card.tags.join(", "));
    }
    let mut out = String::new();
    paragraph(&mut out, &head, look.width);
    out.push('\n');
    out.push_str(&markdown::render(&card.front, look.width, look.color));
    let rule = "─".repeat(look.width.clamp(20, 40));
    let _ = writeln!(out, "{rule}");
    out.push_str(&markdown::render(&card.back, look.width, look.color));
    out.push('\n');
    if !card.points.is_empty() {
        out.push_str("Key points:\n");
        for (i, point) in card.points.iter().enumerate() {
            let head = format!("  {}. ", i + 1);
            let hang = " ".repeat(head.len());
            let options = textwrap::Options::new(look.width)
                .initial_indent(&head)
                .subsequent_indent(&hang);
            for line in textwrap::wrap(&visible(point), options) {
                let _ = writeln!(out, "{line}");
            }
        }
        out.push('\n');
    }
    let mut state = String::new();
    match &view.state {
        None => state.push_str("New: never reviewed."),
        Some(s) => {
            let _ = write!(
                state,
                "Due {}: interval {}, {}, ease {:.2}, {}, {}.",
                s.due,
                plural(s.interval_days as usize, "day", "days"),
                plural(s.repetitions as usize, "repetition", "repetitions"),
                s.ease,
                plural(s.reviews as usize, "review", "reviews"),
                plural(s.lapses as usize, "lapse", "lapses"),
            );
            if let (Some(stability), Some(difficulty), Some(r)) =
                (s.stability, s.difficulty, s.retrievability)
            {
                let _ = write!(
                    state,
                    "\nMemory: recall today {:.0}%, stability {}, difficulty {:.1} of 10.",
                    r * 100.0,
                    days_text(f64::from(stability)),
                    difficulty
                );
            }
        }
    }
    if view.suspended {
        state.push_str(" Suspended.");
    }
    for line in state.lines() {
        paragraph(&mut out, line, look.width);
    }
    if !view.history.is_empty() {
        out.push('\n');
        // The points each answer covered, once any answer's were checked.
        let any_covered = view.history.iter().any(|h| h.covered.is_some());
        let rows: Vec<Vec<String>> = view
            .history
            .iter()
            .map(|h| {
                let (interval, due) = match &h.after {
                    Some(a) => (format!("{}d", a.interval_days), a.due.clone()),
                    None => ("-".to_owned(), "-".to_owned()),
                };
                // A mock's answer is practice, said as what it was.
                let kind = if h.mock.is_some() { "mock" } else { h.kind };
                let kind = if h.undone {
                    format!("{kind} (undone)")
                } else {
                    kind.to_owned()
                };
                let covered = match (&h.covered, h.points) {
                    (Some(covered), Some(points)) => format!("{}/{points}", covered.len()),
                    _ => "-".to_owned(),
                };
                let mut row = vec![h.reviewed_at.clone(), kind, h.grade.to_string()];
                if any_covered {
                    row.push(covered);
                }
                row.extend([interval, due]);
                row
            })
            .collect();
        let mut header = vec!["REVIEWED AT", "KIND", "GRADE"];
        if any_covered {
            header.push("POINTS");
        }
        header.extend(["INTERVAL", "DUE"]);
        out.push_str(&table(&header, &rows));
        typed_answers(&mut out, view, look.width);
    }
    out
}

/// The answers typed before revealing, each under the moment of its review.
fn typed_answers(out: &mut String, view: &ShowView, width: usize) {
    let typed: Vec<_> = view
        .history
        .iter()
        .filter_map(|h| Some((h, h.response.as_deref()?)))
        .collect();
    if typed.is_empty() {
        return;
    }
    out.push_str("\nTyped answers:\n");
    for (h, response) in typed {
        let undone = if h.undone { " (undone)" } else { "" };
        let _ = writeln!(out, "{}{undone}", h.reviewed_at);
        let options = textwrap::Options::new(width.max(20))
            .initial_indent("  ")
            .subsequent_indent("  ");
        for line in textwrap::wrap(&safe::visible(response), options) {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// How a streak reads mid-sentence: "a 14-day streak", "an 8-day streak", or, after one
/// ended, "your 14-day streak ended; start another today".
pub fn streak_phrase(current: u32, last: u32) -> String {
    match (current, last) {
        (0, 0) => "no streak yet".to_owned(),
        (0, last) => format!("your {last}-day streak ended; start another today"),
        (n, _) => format!("{} {n}-day streak", article(n)),
    }
}

/// "a" or "an" before a number as it is said: an 8, an 11, an 18, an 80.
pub fn article(n: u32) -> &'static str {
    let spoken_with_a_vowel = n.to_string().starts_with('8')
        || matches!(n, 11 | 18)
        || (11_000..12_000).contains(&n)
        || (18_000..19_000).contains(&n);
    if spoken_with_a_vowel { "an" } else { "a" }
}

/// `text` with its first letter upper case, to start a sentence.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn status(view: &StatusView, look: Look) -> String {
    let mut lines = Vec::new();
    if view.due == 0 {
        lines.push(format!(
            "Nothing due today ({}); {}.",
            view.day,
            streak_phrase(view.streak, view.last_streak)
        ));
        if let Some(day) = &view.next_due {
            lines.push(format!("The next card is due on {day}."));
        }
    } else {
        lines.push(format!(
            "{} due today ({}): {} to review, {} new; {}.",
            plural(view.due, "card", "cards"),
            view.day,
            view.review,
            view.new,
            streak_phrase(view.streak, view.last_streak)
        ));
        lines.push("Run `hone review` to start.".to_owned());
    }
    if let Some(day) = &view.interview {
        lines.push(format!(
            "Preparing for the interview on {day}: `hone plan` shows the workload."
        ));
    }
    lines.push("`hone --help` lists every command.".to_owned());
    let mut out = String::new();
    for line in &lines {
        paragraph(&mut out, line, look.width);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_nearest() {
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn tables_pad_by_display_width() {
        let rows = vec![
            vec!["日本".to_owned(), "x".to_owned()],
            vec!["abcde".to_owned(), "y".to_owned()],
        ];
        assert_eq!(table(&["H", "V"], &rows), "H      V\n日本   x\nabcde  y\n");
    }

    #[test]
    fn tables_pad_every_column_but_the_last() {
        let rows = vec![
            vec!["a".to_owned(), "long cell".to_owned()],
            vec!["bbb".to_owned(), "x".to_owned()],
        ];
        assert_eq!(
            table(&["H1", "H2"], &rows),
            "H1   H2\na    long cell\nbbb  x\n"
        );
    }

    #[test]
    fn show_lists_the_typed_answers_under_their_reviews() {
        use crate::views::{CardView, HistoryEntryView, ShowView};
        let entry = |at: &str, grade, undone, response: Option<&str>| HistoryEntryView {
            review_id: format!("r{grade}"),
            kind: "review",
            reviewed_at: at.to_owned(),
            day: "2026-03-02".to_owned(),
            grade,
            undone,
            elapsed_ms: Some(9000),
            response: response.map(str::to_owned),
            covered: None,
            points: None,
            after: None,
            mock: None,
        };
        let view = ShowView {
            card: CardView {
                id: "api/rest".to_owned(),
                deck: "api".to_owned(),
                kind: "definition",
                front: "What is REST?".to_owned(),
                back: "An architectural style for resources over HTTP.".to_owned(),
                tags: vec!["http".to_owned()],
                points: vec![
                    "resources named by URLs".to_owned(),
                    "stateless requests".to_owned(),
                ],
                retired: false,
            },
            state: None,
            suspended: false,
            history: vec![
                entry(
                    "2026-03-02T09:00:00+01:00",
                    2,
                    true,
                    Some("resources over HTTP"),
                ),
                entry(
                    "2026-03-02T09:01:00+01:00",
                    5,
                    false,
                    Some("resources over HTTP, \u{1b}[2J stateless"),
                ),
                HistoryEntryView {
                    covered: Some(vec![2]),
                    points: Some(2),
                    ..entry("2026-03-03T09:00:00+01:00", 4, false, None)
                },
            ],
        };
        insta::assert_snapshot!(show(
            &view,
            Look {
                width: 40,
                color: false
            }
        ));
    }

    #[test]
    fn first_line_cuts_long_questions_and_escapes_controls() {
        assert_eq!(first_line("abcdef\nsecond", 4), "abc…");
        assert_eq!(first_line("abc", 4), "abc");
        assert_eq!(first_line("日本語テキスト", 7), "日本語…");
        assert_eq!(first_line("a\u{1b}[2Jb", 20), "a\\u{1b}[2Jb");
    }
}
