//! Key points missed, grouped under their cards: one layout for `hone points` and the mock
//! scorecard, readable at 40 columns however long the card ids are.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr as _;

use super::safe::visible;

/// One missed point: its card, its place among the card's points, and how often it was missed.
pub struct Missed<'a> {
    pub card: &'a str,
    pub position: usize,
    pub point: &'a str,
    pub missed: u32,
    pub checked: u32,
}

/// `points` in their order, each run of one card's points under a line naming the card, each
/// point as "MISSED of CHECKED  N. text", wrapped under its own text; `indent` spaces before
/// every line.
pub fn missed_by_card(points: &[Missed], indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let counts: Vec<String> = points
        .iter()
        .map(|p| format!("{} of {}", p.missed, p.checked))
        .collect();
    let count_width = counts.iter().map(|c| c.width()).max().unwrap_or(0);
    let mut out = String::new();
    let mut card = None;
    for (p, count) in points.iter().zip(&counts) {
        if card != Some(p.card) {
            let _ = writeln!(out, "{pad}{}", visible(p.card));
            card = Some(p.card);
        }
        let head = format!(
            "{pad}  {}{count}  {}. ",
            " ".repeat(count_width - count.width()),
            p.position
        );
        super::hanging(&mut out, &head, &visible(p.point), head.width(), width);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missed<'a>(card: &'a str, position: usize, point: &'a str, missed: u32) -> Missed<'a> {
        Missed {
            card,
            position,
            point,
            missed,
            checked: 12,
        }
    }

    #[test]
    fn a_run_of_one_cards_points_names_the_card_once() {
        let points = [
            missed("api/rest", 5, "trade-off: over-fetching", 11),
            missed("api/rest", 2, "stateless requests", 3),
            missed("sql/joins", 1, "inner vs outer", 2),
            missed("api/rest", 1, "resources named by URLs", 1),
        ];
        insta::assert_snapshot!(missed_by_card(&points, 0, 80), @r"
        api/rest
          11 of 12  5. trade-off: over-fetching
           3 of 12  2. stateless requests
        sql/joins
           2 of 12  1. inner vs outer
        api/rest
           1 of 12  1. resources named by URLs
        ");
    }

    #[test]
    fn a_long_point_wraps_under_its_own_text() {
        let points = [missed(
            "observability/grafana-dashboards-alerting",
            2,
            "SLO status, error budget and deploy annotations on top",
            1,
        )];
        insta::assert_snapshot!(missed_by_card(&points, 2, 40), @r"
        observability/grafana-dashboards-alerting
          1 of 12  2. SLO status, error budget
                      and deploy annotations
                      on top
        ");
    }

    #[test]
    fn control_characters_in_a_card_or_point_are_shown_escaped() {
        let points = [missed("x\u{1b}]52", 1, "a\u{7}b", 1)];
        let text = missed_by_card(&points, 0, 80);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
}
