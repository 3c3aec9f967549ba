//! `hone stats` for people: the counts under their labels, a calendar of the last year's answers
//! and a forecast of the next days' workload, drawn in Unicode blocks as wide as the terminal
//! allows. The HTML page draws the same views as SVG (`html`).

use std::fmt::Write as _;

use console::Style;

use super::{Look, plural};
use crate::views::StatsView;
use crate::views::progress::{DayCountView, ForecastDayView};

/// Shades for the calendar, from one answer to the busiest day; no answer is a dot.
const SHADES: [char; 4] = ['░', '▒', '▓', '█'];
/// Eighths of a bar, for the forecast.
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Rows of the forecast chart.
const CHART_ROWS: u32 = 8;

pub(super) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

pub fn duration(seconds: u64) -> String {
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    match (h, m) {
        (0, 0) if seconds > 0 => format!("{seconds}s"),
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h {m:02}m"),
    }
}

pub fn stats(view: &StatsView, look: Look) -> String {
    let c = &view.cards;
    let mut out = String::new();
    if let Some(deck) = &view.deck {
        let _ = writeln!(out, "Deck {deck}, {}", view.day);
    }
    // Each line under its label, wrapped under the text at a narrow width.
    let mut line = |label: &str, text: String| {
        super::hanging(&mut out, &format!("{label:<11}"), &text, 11, look.width);
    };
    line(
        "Cards",
        format!(
            "{} in all · {} suspended · {}",
            c.total,
            c.suspended,
            plural(c.leeches, "leech", "leeches")
        ),
    );
    line(
        "",
        format!(
            "{} new · {} learning · {} young · {} mature",
            c.new, c.learning, c.young, c.mature
        ),
    );
    let r = &view.reviews;
    line(
        "Reviews",
        format!(
            "{} today · {} in 7 days · {} in 30 days · {} in all",
            r.today, r.last_7_days, r.last_30_days, r.all_time
        ),
    );
    let p = &view.practice;
    if p.all_time > 0 {
        line(
            "Practice",
            format!(
                "{} today · {} in 30 days (repeats and cramming)",
                p.today, p.last_30_days
            ),
        );
    }
    let retention = &view.retention.overall;
    let week: (u32, u32) = view
        .retention
        .by_day
        .iter()
        .rev()
        .take(7)
        .fold((0, 0), |(n, p), d| {
            (n + d.recall.reviews, p + d.recall.passed)
        });
    let week_rate = (week.0 > 0).then(|| f64::from(week.1) / f64::from(week.0));
    if retention.reviews == 0 {
        line(
            "Retention",
            "shown once a card seen before comes up again".to_owned(),
        );
    } else {
        line(
            "Retention",
            format!(
                "{} of {} of cards seen before · last 7 review days: {}",
                percent(retention.rate),
                plural(retention.reviews as usize, "review", "reviews"),
                percent(week_rate)
            ),
        );
    }
    line(
        "Streak",
        format!(
            "{} (longest {})",
            plural(view.streak.current as usize, "day", "days"),
            view.streak.longest
        ),
    );
    let t = &view.time_spent_seconds;
    line(
        "Time",
        format!(
            "{} today · {} in 7 days · {} in all",
            duration(t.today),
            duration(t.last_7_days),
            duration(t.all_time)
        ),
    );
    // The charts show as much as fits: a column per week after the weekday names, two
    // columns per day after the scale.
    // The weekday names take 4 columns; a month's name may run 2 past the last week.
    let weeks = look.width.saturating_sub(6).max(4);
    if calendar_weeks(&view.calendar) <= weeks {
        out.push_str("\nAnswers in the last year\n");
        out.push_str(&calendar(&view.calendar, look));
    } else {
        // The latest weeks, a partial first one included.
        let days = &view.calendar[view.calendar.len().saturating_sub(weeks * 7 - 6)..];
        let _ = writeln!(out, "\nAnswers in the last {} weeks", weeks - 1);
        out.push_str(&calendar(days, look));
    }
    let workload = workload(&view.forecast);
    let scale = workload
        .iter()
        .map(|d| d.count)
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    let fit = (look.width.saturating_sub(scale + 2) / 2).clamp(7, workload.len().max(7));
    let shown = &workload[..fit.min(workload.len())];
    out.push('\n');
    let heading = format!(
        "Workload in the next {} (reviews and new cards, if every answer is good)",
        plural(shown.len(), "day", "days")
    );
    super::paragraph(&mut out, &heading, look.width);
    out.push_str(&forecast(shown));
    out
}

/// Each forecast day's reviews and new cards together, as one count to draw.
pub fn workload(days: &[ForecastDayView]) -> Vec<DayCountView> {
    days.iter()
        .map(|d| DayCountView {
            day: d.day.clone(),
            count: u32::try_from(d.count + d.new).unwrap_or(u32::MAX),
        })
        .collect()
}

/// The columns `calendar` draws for `days`: a week each, Monday to Sunday.
fn calendar_weeks(days: &[DayCountView]) -> usize {
    use chrono::{Datelike, NaiveDate};
    let offset = days
        .first()
        .and_then(|d| NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok())
        .map_or(0, |d| d.weekday().num_days_from_monday() as usize);
    (offset + days.len()).div_ceil(7)
}

/// A GitHub-style calendar: a column per week, a row per weekday, darker for busier days.
pub fn calendar(days: &[DayCountView], look: Look) -> String {
    use chrono::{Datelike, NaiveDate};
    let parsed: Vec<(NaiveDate, u32)> = days
        .iter()
        .filter_map(|d| Some((NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok()?, d.count)))
        .collect();
    let Some(&(first, _)) = parsed.first() else {
        return String::new();
    };
    let max = parsed.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let offset = first.weekday().num_days_from_monday() as usize;
    let weeks = (offset + parsed.len()).div_ceil(7);
    let mut grid = vec![vec![' '; weeks]; 7];
    let mut levels = vec![vec![0usize; weeks]; 7];
    let mut labels: Vec<(usize, String)> = Vec::new();
    for (i, (date, count)) in parsed.iter().enumerate() {
        let (week, weekday) = ((offset + i) / 7, (offset + i) % 7);
        let level = if *count == 0 {
            0
        } else {
            (*count * 4).div_ceil(max).clamp(1, 4) as usize
        };
        grid[weekday][week] = if level == 0 { '·' } else { SHADES[level - 1] };
        levels[weekday][week] = level;
        if date.day() == 1 || i == 0 {
            labels.push((week, date.format("%b").to_string()));
        }
    }
    // A label needs its three letters and a space; the first, partial month gives way.
    let mut months = vec![' '; weeks + 3];
    for (k, (week, name)) in labels.iter().enumerate() {
        let next = labels.get(k + 1).map_or(usize::MAX, |(w, _)| *w);
        if next.saturating_sub(*week) < 4 {
            continue;
        }
        for (j, ch) in name.chars().enumerate() {
            months[week + j] = ch;
        }
    }
    let shades = [22, 28, 34, 40].map(|c| Style::new().color256(c).force_styling(true));
    let mut out = format!("    {}\n", months.iter().collect::<String>().trim_end());
    for (weekday, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].iter().enumerate() {
        let mut row = format!("{name:<4}");
        for (week, cell) in grid[weekday].iter().enumerate() {
            let level = levels[weekday][week];
            if look.color && level > 0 {
                row.push_str(&shades[level - 1].apply_to(cell).to_string());
            } else {
                row.push(*cell);
            }
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    let busiest = parsed.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let shades = SHADES
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    let legend = if busiest == 0 {
        format!("less · {shades} more (no answers yet)")
    } else {
        format!("less · {shades} more (busiest day: {busiest})")
    };
    super::hanging(&mut out, "    ", &legend, 4, look.width);
    out
}

/// A bar per day, eighth-block precise, with the scale on the left.
pub fn forecast(days: &[DayCountView]) -> String {
    let max = days.iter().map(|d| d.count).max().unwrap_or(0);
    if max == 0 {
        return "    nothing due\n".to_owned();
    }
    let label_width = max.to_string().len();
    let mut out = String::new();
    for row in (0..CHART_ROWS).rev() {
        let label = if row + 1 == CHART_ROWS {
            max.to_string()
        } else {
            String::new()
        };
        let mut line = format!("{label:>label_width$} │");
        for day in days {
            // The bar's height in eighths of a row, rounded up so that any card shows.
            let eighths =
                (u64::from(day.count) * u64::from(CHART_ROWS) * 8).div_ceil(u64::from(max));
            let filled = eighths.saturating_sub(u64::from(row) * 8).min(8) as usize;
            line.push(EIGHTHS[filled]);
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(out, "{:>label_width$} └{}", 0, "─".repeat(days.len() * 2));
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let span = days.len() * 2 - 5;
        let _ = writeln!(
            out,
            "{:label_width$}  {}{:>span$}",
            "",
            &first.day[5..],
            &last.day[5..]
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(counts: &[u32], first: &str) -> Vec<DayCountView> {
        let start: chrono::NaiveDate = first.parse().unwrap();
        counts
            .iter()
            .enumerate()
            .map(|(i, c)| DayCountView {
                day: (start + chrono::Days::new(i as u64)).to_string(),
                count: *c,
            })
            .collect()
    }

    #[test]
    fn the_forecast_fits_80_columns_and_reads_without_colour() {
        let mut counts = vec![0; 30];
        counts[0] = 16;
        counts[5] = 8;
        counts[29] = 1;
        let chart = forecast(&days(&counts, "2026-03-01"));
        assert!(chart.lines().all(|l| l.chars().count() <= 80), "{chart}");
        let lines: Vec<&str> = chart.lines().collect();
        assert!(lines[0].starts_with("16 │█"), "{chart}");
        assert!(
            lines[4].contains("█         █"),
            "half height on day 6:\n{chart}"
        );
        let last = lines[7].trim_end().chars().last().unwrap();
        assert!(
            EIGHTHS[1..].contains(&last),
            "the smallest bar still shows:\n{chart}"
        );
        assert!(chart.contains("03-01") && chart.contains("03-30"));
    }

    #[test]
    fn the_calendar_has_a_row_per_weekday_and_a_column_per_week() {
        let mut counts = vec![0; 365];
        counts[364] = 4;
        counts[363] = 1;
        let look = Look {
            width: 80,
            color: false,
        };
        let text = calendar(&days(&counts, "2025-03-11"), look);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 9, "months, 7 weekdays, legend:\n{text}");
        assert!(lines.iter().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.contains('█') && text.contains('░') && text.contains('·'));
        assert!(
            lines[0].contains("Mar") && lines[0].contains("Jan"),
            "{text}"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(42), "42s");
        assert_eq!(duration(600), "10m");
        assert_eq!(duration(3 * 3600 + 5 * 60), "3h 05m");
    }
}
