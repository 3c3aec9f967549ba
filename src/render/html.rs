//! `hone stats --html`: the statistics as one self-contained HTML page with inline SVG charts.
//! No scripts, no external files, every text escaped.

use std::fmt::Write as _;

use super::stats::duration;
use crate::views::StatsView;
use crate::views::mock::{MockHistoryView, MockSummaryView};
use crate::views::progress::{DayCountView, ForecastDayView};

const CELL: usize = 11;
const GAP: usize = 2;
const GREENS: [&str; 5] = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"];

/// `text` with the five HTML special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The statistics page; `mocks` are the mock interviews so far, whose trend it charts.
pub fn stats_page(view: &StatsView, mocks: &MockHistoryView) -> String {
    let c = &view.cards;
    let title = match &view.deck {
        Some(deck) => format!(
            "hone statistics: deck {}, {}",
            escape(deck),
            escape(&view.day)
        ),
        None => format!("hone statistics, {}", escape(&view.day)),
    };
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n\
         body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}\n\
         table {{ border-collapse: collapse; }} td, th {{ padding: .2rem .8rem; text-align: right; }}\n\
         th:first-child, td:first-child {{ text-align: left; }}\n\
         svg text {{ font-size: 10px; fill: #57606a; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let rate = view
        .retention
        .overall
        .rate
        .map_or_else(|| "–".to_owned(), |r| format!("{:.0}%", r * 100.0));
    let _ = write!(
        page,
        "<table>\n<tr><th>Cards</th><td>{}</td></tr>\n<tr><th>New</th><td>{}</td></tr>\n<tr><th>Learning</th><td>{}</td></tr>\n\
         <tr><th>Young</th><td>{}</td></tr>\n<tr><th>Mature</th><td>{}</td></tr>\n<tr><th>Suspended</th><td>{}</td></tr>\n\
         <tr><th>Leeches</th><td>{}</td></tr>\n<tr><th>Reviews today / 7 days / 30 days</th><td>{} / {} / {}</td></tr>\n\
         <tr><th>True retention</th><td>{rate} of {} reviews</td></tr>\n<tr><th>Streak (longest)</th><td>{} ({})</td></tr>\n\
         <tr><th>Time today / 7 days / all</th><td>{} / {} / {}</td></tr>\n</table>\n",
        c.total,
        c.new,
        c.learning,
        c.young,
        c.mature,
        c.suspended,
        c.leeches,
        view.reviews.today,
        view.reviews.last_7_days,
        view.reviews.last_30_days,
        view.retention.overall.reviews,
        view.streak.current,
        view.streak.longest,
        duration(view.time_spent_seconds.today),
        duration(view.time_spent_seconds.last_7_days),
        duration(view.time_spent_seconds.all_time),
    );
    page.push_str("<h2>Answers in the last year</h2>\n");
    page.push_str(&calendar_svg(&view.calendar));
    page.push_str(
        "<h2>Workload in the next 30 days</h2>\n<p>Reviews and new cards a day, if every answer is good (the same simulation as <code>hone plan</code>).</p>\n",
    );
    page.push_str(&forecast_svg(&view.forecast));
    if !mocks.mocks.is_empty() {
        let shown = &mocks.mocks[mocks.mocks.len().saturating_sub(MOCKS_SHOWN)..];
        let _ = write!(
            page,
            "<h2>Mock interviews</h2>\n<p>Each mock's score: the share of key points its answers covered{}. A hollow point is a mock ended early.</p>\n",
            if shown.len() < mocks.mocks.len() {
                format!(", for the last {MOCKS_SHOWN} of {}", mocks.mocks.len())
            } else {
                String::new()
            }
        );
        page.push_str(&mocks_svg(shown));
    }
    page.push_str("</body>\n</html>\n");
    page
}

fn calendar_svg(days: &[DayCountView]) -> String {
    use chrono::{Datelike, NaiveDate};
    let max = days.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    let offset = days
        .first()
        .and_then(|d| NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok())
        .map_or(0, |d| d.weekday().num_days_from_monday() as usize);
    let weeks = (offset + days.len()).div_ceil(7);
    // A row of month names above the weeks.
    let top = 14;
    let (width, height) = (30 + weeks * (CELL + GAP), top + 7 * (CELL + GAP));
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"answers per day\">\n"
    );
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")] {
        let _ = writeln!(
            svg,
            "<text x=\"0\" y=\"{}\">{name}</text>",
            top + row * (CELL + GAP) + CELL - 1
        );
    }
    let mut last_month = None;
    for (i, day) in days.iter().enumerate() {
        let Ok(date) = NaiveDate::parse_from_str(&day.day, "%Y-%m-%d") else {
            continue;
        };
        // A month is named over the first week that holds its first Monday (or the first week).
        let week = (offset + i) / 7;
        let starts = last_month != Some(date.month())
            && (date.weekday().num_days_from_monday() == 0 || i == 0);
        if starts {
            last_month = Some(date.month());
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"10\">{}</text>",
                30 + week * (CELL + GAP),
                date.format("%b")
            );
        }
    }
    for (i, day) in days.iter().enumerate() {
        let (week, weekday) = ((offset + i) / 7, (offset + i) % 7);
        let level = if day.count == 0 {
            0
        } else {
            (day.count * 4).div_ceil(max).clamp(1, 4) as usize
        };
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{CELL}\" height=\"{CELL}\" rx=\"2\" fill=\"{}\"><title>{}: {}</title></rect>",
            30 + week * (CELL + GAP),
            top + weekday * (CELL + GAP),
            GREENS[level],
            escape(&day.day),
            day.count
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn forecast_svg(days: &[ForecastDayView]) -> String {
    let total = |d: &ForecastDayView| d.count + d.new;
    let max = days.iter().map(total).max().unwrap_or(0).max(1);
    let (bar, gap, chart) = (16, 4, 120);
    let width = days.len() * (bar + gap) + 30;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" role=\"img\" aria-label=\"reviews and new cards per day\">\n",
        chart + 24
    );
    let _ = writeln!(
        svg,
        "<text x=\"0\" y=\"10\">{max}</text><text x=\"0\" y=\"{chart}\">0</text>"
    );
    for (i, day) in days.iter().enumerate() {
        let x = 30 + i * (bar + gap);
        let reviews = (day.count * chart).div_ceil(max);
        let new = (total(day) * chart).div_ceil(max) - reviews;
        let title = format!(
            "{}: {} reviews, {} new",
            escape(&day.day),
            day.count,
            day.new
        );
        for (y, height, fill) in [
            (chart - reviews, reviews, "#40c463"),
            (chart - reviews - new, new, "#54aeff"),
        ] {
            if height > 0 {
                let _ = writeln!(
                    svg,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{height}\" fill=\"{fill}\"><title>{title}</title></rect>"
                );
            }
        }
        // A label centred under its own bar, with a tick: never read as its neighbour's.
        if i % 7 == 0 {
            let middle = x + bar / 2;
            let label = if i == 0 {
                "today".to_owned()
            } else {
                escape(day.day.get(5..).unwrap_or(""))
            };
            let _ = writeln!(
                svg,
                "<line x1=\"{middle}\" y1=\"{chart}\" x2=\"{middle}\" y2=\"{}\" stroke=\"#57606a\"/><text x=\"{middle}\" y=\"{}\" text-anchor=\"middle\">{label}</text>",
                chart + 4,
                chart + 18
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// At most this many mocks are charted, the latest.
const MOCKS_SHOWN: usize = 52;

/// The score of each mock, oldest first, joined by a line: the trend over weeks.
fn mocks_svg(mocks: &[MockSummaryView]) -> String {
    let (step, chart, left) = (28, 120, 40);
    let width = left + mocks.len() * step + 20;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" role=\"img\" aria-label=\"score of each mock interview\">\n",
        chart + 34
    );
    let y = |score: f64| 10.0 + (1.0 - score.clamp(0.0, 1.0)) * chart as f64;
    for (label, score) in [("100%", 1.0), ("50%", 0.5), ("0%", 0.0)] {
        let _ = writeln!(
            svg,
            "<text x=\"0\" y=\"{:.0}\">{label}</text><line x1=\"{left}\" y1=\"{:.1}\" x2=\"{}\" y2=\"{:.1}\" stroke=\"#d0d7de\"/>",
            y(score) + 4.0,
            y(score),
            width - 10,
            y(score)
        );
    }
    let x = |i: usize| left + step / 2 + i * step;
    let line: Vec<String> = mocks
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{},{:.1}", x(i), y(m.score)))
        .collect();
    let _ = writeln!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#40c463\" stroke-width=\"2\"/>",
        line.join(" ")
    );
    for (i, m) in mocks.iter().enumerate() {
        let fill = if m.complete { "#216e39" } else { "#ffffff" };
        let day = escape(m.started.get(..10).unwrap_or(&m.started));
        let _ = writeln!(
            svg,
            "<circle cx=\"{}\" cy=\"{:.1}\" r=\"4\" fill=\"{fill}\" stroke=\"#216e39\" stroke-width=\"2\"><title>{day}: {:.0}% ({} of {} key points), {} of {} questions</title></circle>",
            x(i),
            y(m.score),
            m.score * 100.0,
            m.covered,
            m.points,
            m.answered,
            m.questions
        );
        // The first and the last are dated, and every fourth between, so labels never meet.
        if i == 0 || i + 1 == mocks.len() || i % 4 == 0 {
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                chart + 30,
                escape(m.started.get(5..10).unwrap_or(""))
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock(started: &str, covered: usize, points: usize, complete: bool) -> MockSummaryView {
        MockSummaryView {
            id: started.into(),
            started: started.into(),
            minutes: 45,
            questions: 9,
            answered: if complete { 9 } else { 4 },
            covered,
            points,
            score: covered as f64 / points as f64,
            complete,
            seconds_used: 0,
        }
    }

    #[test]
    fn the_mock_trend_puts_each_score_on_its_line() {
        let svg = mocks_svg(&[
            mock("2026-03-02T09:00:00+01:00", 22, 44, true),
            mock("2026-03-09T09:00:00+01:00", 33, 44, false),
        ]);
        // 50% halfway down the 120-pixel chart, 75% a quarter of the way.
        assert!(
            svg.contains("<polyline points=\"54,70.0 82,40.0\""),
            "{svg}"
        );
        assert!(svg.contains("fill=\"#216e39\" stroke=\"#216e39\" stroke-width=\"2\"><title>2026-03-02: 50% (22 of 44 key points), 9 of 9 questions</title>"));
        assert!(
            svg.contains("fill=\"#ffffff\""),
            "an incomplete mock is hollow"
        );
        assert!(svg.contains(">03-09</text>"));
    }

    #[test]
    fn escapes_the_html_specials() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }
}
