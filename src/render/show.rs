//! `hone show` for people: a card's question, model answer and key points, its state and memory,
//! its history as a table, and the answers typed before each reveal.

use std::fmt::Write as _;

use super::safe::visible;
use super::{Look, markdown, paragraph, plural, table};
use crate::views::ShowView;

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
            super::hanging(&mut out, &head, &visible(point), head.len(), look.width);
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
        super::hanging(out, "  ", &visible(response), 2, width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
