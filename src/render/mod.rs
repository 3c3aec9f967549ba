//! Text output for people: tables and short reports built from the views, and Markdown drawn for
//! a terminal. JSON output is the views themselves; nothing here is part of the scripting
//! contract. Card text always goes through `safe::visible` or `markdown::render`.

mod fill;
mod highlight;
pub mod html;
pub mod markdown;
mod missed;
pub mod mock;
pub mod mock_screen;
mod progress;
pub mod review;
pub mod safe;
mod show;
mod stats;
mod why;

pub use progress::{plan, points, readiness};
pub use show::show;
pub use stats::stats;
pub use why::why;

use fill::{first_line, labelled_list};
pub(crate) use fill::{hanging, paragraph};

use std::fmt::Write as _;

use crate::views::{AnswerView, CardsView, ChangeView, DecksView, DueView, NextView, StatusView};
use safe::visible;
use unicode_width::UnicodeWidthStr as _;

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
    fn first_line_cuts_long_questions_and_escapes_controls() {
        assert_eq!(first_line("abcdef\nsecond", 4), "abc…");
        assert_eq!(first_line("abc", 4), "abc");
        assert_eq!(first_line("日本語テキスト", 7), "日本語…");
        assert_eq!(first_line("a\u{1b}[2Jb", 20), "a\\u{1b}[2Jb");
    }
}
