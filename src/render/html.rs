//! `hone stats --html`: the statistics as one self-contained HTML page with inline SVG charts.
//! No scripts, no external files, every text escaped.

use std::fmt::Write as _;

use super::progress::duration;
use crate::views::StatsView;
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

pub fn stats_page(view: &StatsView) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_html_specials() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }
}
