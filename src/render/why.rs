//! `hone why` for people: each review with its grade, study day and arithmetic.

use std::fmt::Write as _;

use super::{Look, plural};
use crate::views::WhyView;
use crate::views::progress::StepView;

/// What a review did to the memory state, under its step of `why`.
fn memory_line(out: &mut String, m: &crate::views::progress::MemoryStepView) {
    let rating = ["Again", "Hard", "Good", "Easy"]
        .get(m.rating.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    let short = |x: f32| crate::views::progress::decimals(f64::from(x), 2);
    match (m.retrievability, m.stability_before, m.difficulty_before) {
        (Some(r), Some(s), Some(d)) => {
            let _ = writeln!(
                out,
                "   memory: R {} after {}; {rating}: S {} → {}, D {} → {}",
                short(r as f32),
                plural(m.elapsed_days as usize, "day", "days"),
                short(s),
                short(m.stability_after),
                short(d),
                short(m.difficulty_after)
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "   memory: first review, {rating}: S {}, D {}",
                short(m.stability_after),
                short(m.difficulty_after)
            );
        }
    }
}

/// A review's coverage of the key points, under its step of `why`.
fn covered_line(out: &mut String, coverage: &crate::views::progress::CoverageView) {
    let _ = write!(
        out,
        "   key points: covered {} of {}",
        coverage.covered.len(),
        coverage.points
    );
    if coverage.missed.is_empty() {
        out.push('\n');
        return;
    }
    out.push_str("; missed:\n");
    for point in &coverage.missed {
        let _ = writeln!(out, "     - {}", super::safe::visible(point));
    }
}

pub fn why(view: &WhyView, look: Look) -> String {
    let head = match &view.state {
        None => format!("{} is new: it has never been reviewed", view.card),
        Some(s) => format!(
            "{}: due {} (interval {}, ease {}, {})",
            view.card,
            s.due,
            plural(s.interval_days as usize, "day", "days"),
            crate::views::progress::number(s.ease),
            plural(s.repetitions as usize, "repetition", "repetitions")
        ),
    };
    let mut out = String::new();
    super::paragraph(&mut out, &format!("{head}."), look.width);
    let _ = writeln!(out, "Study days start at {:02}:00.", view.day_start_hour);
    if let Some(day) = &view.plan_due {
        let _ = writeln!(out, "The interview plan brings it forward to {day}.");
    }
    if view.steps.is_empty() {
        return out;
    }
    out.push_str("\nEF' = EF + (0.1 − (5 − q) × (0.08 + (5 − q) × 0.02)), at least 1.3.\n");
    let memory = view.steps.iter().any(|s| {
        matches!(
            s,
            StepView::Review {
                memory: Some(_),
                ..
            }
        )
    });
    if memory {
        super::paragraph(
            &mut out,
            "Memory (FSRS-6): recall R = (1 + f × t / S)^(−w20) after t days; S is the stability, D the difficulty; grades 0-2 rate Again, 3 Hard, 4 Good, 5 Easy.",
            look.width,
        );
    }
    for (i, step) in view.steps.iter().enumerate() {
        out.push('\n');
        let n = i + 1;
        match step {
            StepView::Review {
                reviewed_at,
                day,
                day_start_hour,
                grade,
                undone,
                repetitions_before,
                repetitions_after,
                ease_before,
                ease_change,
                ease_floored,
                ease_after,
                interval_formula,
                interval_after,
                due,
                agrees,
                coverage,
                memory,
                ..
            } => {
                // Said only where it differs from the hour in the first line.
                let start = day_start_hour
                    .filter(|h| *h != view.day_start_hour)
                    .map_or_else(String::new, |h| format!(", days starting at {h:02}:00"));
                let _ = writeln!(
                    out,
                    "{n}. {reviewed_at}: grade {grade}, study day {day}{start}"
                );
                let _ = writeln!(
                    out,
                    "   n {repetitions_before} → {repetitions_after}; {interval_formula}"
                );
                use crate::views::progress::number;
                // A floored ease shows the sum first, so the arithmetic on the line adds up.
                let result = if *ease_floored {
                    format!(
                        "{}, floored at {}",
                        number(ease_before + ease_change),
                        number(*ease_after)
                    )
                } else {
                    number(*ease_after)
                };
                let _ = writeln!(
                    out,
                    "   EF {} {} {} = {result}",
                    number(*ease_before),
                    if *ease_change < 0.0 { "−" } else { "+" },
                    number(ease_change.abs()),
                );
                if let Some(m) = memory {
                    memory_line(&mut out, m);
                }
                let _ = writeln!(
                    out,
                    "   due {day} + {} = {due}",
                    plural(*interval_after as usize, "day", "days")
                );
                if let Some(coverage) = coverage {
                    covered_line(&mut out, coverage);
                }
                if *undone {
                    out.push_str("   (taken back by an undo below)\n");
                }
                if !agrees {
                    out.push_str(
                        "   note: the log records a different result from this arithmetic\n",
                    );
                }
            }
            StepView::Practice {
                reviewed_at,
                grade,
                undone,
                coverage,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "{n}. {reviewed_at}: grade {grade}, practice: the schedule did not change{}",
                    if *undone { " (undone)" } else { "" }
                );
                if let Some(coverage) = coverage {
                    covered_line(&mut out, coverage);
                }
            }
            StepView::Undo {
                reviewed_at,
                undoes,
                restored,
                ..
            } => {
                let after = match restored {
                    Some(s) => format!("due {} again", s.due),
                    None => "new again".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "{n}. {reviewed_at}: undo of {undoes}: the card is {after}"
                );
            }
        }
    }
    fit_lines(&out, look.width)
}

/// Each line of `text` filled to `width`, its continuation lines indented under its text: under
/// the text after "N. " for a step's first line, two columns in from an indented line.
fn fit_lines(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let numbered = body
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let indent = match numbered {
            Some((n, _)) if lead == 0 => n.len() + 2,
            _ => lead + 2,
        };
        if body.is_empty() {
            out.push('\n');
        } else {
            super::hanging(&mut out, &line[..lead], body, indent, width);
        }
    }
    out
}
