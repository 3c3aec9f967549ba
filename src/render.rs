//! Text output for people: tables and short reports built from the views. JSON output is the
//! views themselves; nothing here is part of the scripting contract.

use std::fmt::Write as _;

use crate::views::{AnswerView, CardsView, DecksView, DueView, NextView, ShowView, StatusView};

/// Columns padded to their widest cell; the last column is not padded.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ", w = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The first line of a card's text, cut to `max` characters.
fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= max {
        line.to_owned()
    } else {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn decks(view: &DecksView) -> String {
    let rows: Vec<Vec<String>> = view
        .decks
        .iter()
        .map(|d| {
            vec![
                d.id.clone(),
                d.cards.to_string(),
                d.due.to_string(),
                d.new.to_string(),
                d.source.to_owned(),
                d.title.clone(),
            ]
        })
        .collect();
    table(&["DECK", "CARDS", "DUE", "NEW", "SOURCE", "TITLE"], &rows)
}

pub fn cards(view: &CardsView) -> String {
    let rows: Vec<Vec<String>> = view
        .cards
        .iter()
        .map(|c| vec![c.id.clone(), c.kind.to_owned(), first_line(&c.front, 72)])
        .collect();
    table(&["CARD", "KIND", "QUESTION"], &rows)
}

pub fn due(view: &DueView) -> String {
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

pub fn next(view: &NextView) -> String {
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
                "{} ({}, {})\n\n{}\n",
                card.due.card, card.kind, when, card.front
            )
        }
    }
}

pub fn answer(view: &AnswerView) -> String {
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

pub fn show(view: &ShowView) -> String {
    let card = &view.card;
    let mut out = format!("{} ({})", card.id, card.kind);
    if !card.tags.is_empty() {
        let _ = write!(out, "  tags: {}", card.tags.join(", "));
    }
    let _ = write!(out, "\n\nQ: {}\n\nA: {}\n\n", card.front, card.back);
    match &view.state {
        None => out.push_str("New: never reviewed.\n"),
        Some(s) => {
            let _ = writeln!(
                out,
                "Due {}: interval {}, {}, ease {:.2}, {}, {}.",
                s.due,
                plural(s.interval_days as usize, "day", "days"),
                plural(s.repetitions as usize, "repetition", "repetitions"),
                s.ease,
                plural(s.reviews as usize, "review", "reviews"),
                plural(s.lapses as usize, "lapse", "lapses"),
            );
        }
    }
    if !view.history.is_empty() {
        out.push('\n');
        let rows: Vec<Vec<String>> = view
            .history
            .iter()
            .map(|h| {
                let (interval, due) = match &h.after {
                    Some(a) => (format!("{}d", a.interval_days), a.due.clone()),
                    None => ("-".to_owned(), "-".to_owned()),
                };
                vec![
                    h.reviewed_at.clone(),
                    h.kind.to_owned(),
                    h.grade.to_string(),
                    interval,
                    due,
                ]
            })
            .collect();
        out.push_str(&table(
            &["REVIEWED AT", "KIND", "GRADE", "INTERVAL", "DUE"],
            &rows,
        ));
    }
    out
}

pub fn status(view: &StatusView) -> String {
    let mut out = String::new();
    if view.due == 0 {
        let _ = writeln!(out, "Nothing due today ({}).", view.day);
        if let Some(day) = &view.next_due {
            let _ = writeln!(out, "The next card is due on {day}.");
        }
    } else {
        let _ = writeln!(
            out,
            "{} due today ({}): {} to review, {} new.",
            plural(view.due, "card", "cards"),
            view.day,
            view.review,
            view.new
        );
        out.push_str("Run `hone review` to start.\n");
    }
    out.push_str("`hone --help` lists every command.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn first_line_cuts_long_questions() {
        assert_eq!(first_line("abcdef\nsecond", 4), "abc…");
        assert_eq!(first_line("abc", 4), "abc");
    }
}
