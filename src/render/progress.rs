//! Text for `hone stats`, `hone readiness`, `hone plan` and `hone why`, with the calendar and
//! the forecast drawn in Unicode blocks that read without colour and fit in 80 columns.

use std::fmt::Write as _;

use super::missed::{Missed, missed_by_card};
use super::stats::percent;
use super::{Look, labelled_list, paragraph, plural, table};
use crate::views::{PlanView, PointsView, ReadinessView};

pub fn points(view: &PointsView, look: Look) -> String {
    if view.checked_answers == 0 {
        let mut out = String::new();
        paragraph(
            &mut out,
            "No key points checked yet: mark them after revealing an answer in `hone review`, or give `hone answer` the points you covered with --covered.",
            look.width,
        );
        return out;
    }
    if view.points.is_empty() {
        return format!(
            "No key point missed in {} whose points were checked.\n",
            plural(view.checked_answers, "answer", "answers")
        );
    }
    let missed: Vec<Missed> = view
        .points
        .iter()
        .map(|p| Missed {
            card: &p.card,
            position: p.position,
            point: &p.point,
            missed: p.missed,
            checked: p.reviews,
        })
        .collect();
    let header = "Key points missed (in how many of the answers that checked them), most first:";
    let mut out = String::new();
    paragraph(&mut out, header, look.width);
    out.push('\n');
    out.push_str(&missed_by_card(&missed, 0, look.width));
    if view.total > view.points.len() {
        let _ = writeln!(
            out,
            "{} more; `hone points --limit 0` lists them all.",
            view.total - view.points.len()
        );
    }
    out
}

pub fn readiness(view: &ReadinessView, look: Look) -> String {
    if view.topics.is_empty() {
        return "No cards.\n".to_owned();
    }
    // The mock column only once there are mocks to show.
    let mocked = view.topics.iter().any(|t| t.mock.cards > 0);
    let interview = view.interview.is_some();
    let rows: Vec<Vec<String>> = view
        .topics
        .iter()
        .map(|t| {
            let mut row = vec![t.tag.clone(), format!("{:.0}%", t.expected_recall * 100.0)];
            if interview {
                row.push(percent(t.expected_recall_on_interview));
            }
            row.extend([
                format!("{:.0}%", t.readiness * 100.0),
                format!("{}/{}", t.seen, t.cards),
                percent(t.retention.rate),
                t.average_ease
                    .map_or_else(|| "-".to_owned(), |e| format!("{e:.2}")),
                t.lapses.to_string(),
                t.leeches.to_string(),
            ]);
            if mocked {
                row.push(percent(t.mock.score));
            }
            row
        })
        .collect();
    let mut headers = vec!["TOPIC", "RECALL"];
    if interview {
        headers.push("AT INTERVIEW");
    }
    headers.extend(["SOLID", "SEEN", "RETENTION", "EASE", "LAPSES", "LEECHES"]);
    if mocked {
        headers.push("MOCK");
    }
    let mut out = table(&headers, &rows);
    out.push('\n');
    let legend = if interview {
        "RECALL: the expected share of a topic's key points you would recall today (R × what your last answer covered, unseen cards 0); AT INTERVIEW: on the interview day, if you study nothing more (`hone plan` predicts it with the plan followed)."
    } else {
        "RECALL: the expected share of a topic's key points you would recall today (R × what your last answer covered, unseen cards 0)."
    };
    paragraph(&mut out, legend, look.width);
    let raise: Vec<&crate::views::progress::TopicView> = view
        .topics
        .iter()
        .filter(|t| !t.raise_most.is_empty())
        .take(3)
        .collect();
    if !raise.is_empty() {
        out.push_str("\nWould raise recall most:\n");
        for topic in raise {
            labelled_list(&mut out, &topic.tag, &topic.raise_most, look.width);
        }
    }
    let next: Vec<&crate::views::progress::TopicView> = view
        .topics
        .iter()
        .filter(|t| !t.weakest.is_empty())
        .take(3)
        .collect();
    if !next.is_empty() {
        out.push_str("\nDrill next:\n");
        for topic in next {
            labelled_list(&mut out, &topic.tag, &topic.weakest, look.width);
        }
    }
    out
}

/// A scheduler as people write it.
fn scheduler_name(setting: &str) -> &'static str {
    if setting == "fsrs" { "FSRS" } else { "SM-2" }
}

pub fn plan(view: &PlanView, look: Look) -> String {
    let mut out = String::new();
    let Some(interview) = &view.interview else {
        let _ = writeln!(
            out,
            "No interview plan: plain {}, {} and {} a day at most.\nSet one with `hone plan --interview YYYY-MM-DD`.",
            scheduler_name(view.scheduler),
            super::plural(view.new_per_day as usize, "new card", "new cards"),
            view.reviews_per_day.map_or_else(
                || "any number of reviews".to_owned(),
                |n| super::plural(n as usize, "review", "reviews")
            )
        );
        return out;
    };
    let days_left = view.days_left.unwrap_or(0);
    if !view.active {
        let scheduler = scheduler_name(view.scheduler);
        let _ = if days_left == 0 {
            writeln!(
                out,
                "The interview is today ({interview}): the plan's work is done.\nScheduling is plain {scheduler} again; `hone plan --clear` removes the plan."
            )
        } else {
            writeln!(
                out,
                "The interview on {interview} has passed; scheduling is plain {scheduler} again.\n`hone plan --clear` removes the plan."
            )
        };
        return out;
    }
    let _ = writeln!(
        out,
        "Interview on {interview}, {} from today.",
        plural(days_left.max(0) as usize, "day", "days")
    );
    // Dates already past are never printed: a near interview gets a plain sentence instead.
    let today = view.day.as_str();
    let new_today = view.days.first().map_or(0, |d| d.new);
    match view.last_new_day.as_deref().filter(|d| *d >= today) {
        Some(last) => {
            let _ = writeln!(
                out,
                "New cards until {last}: {} left, {new_today} of them today.",
                plural(view.new_cards_left, "card", "cards"),
            );
        }
        None => out.push_str(
            "The interview is too close for new cards: only cards you have seen come up now.\n",
        ),
    }
    match view.window_start.as_deref() {
        Some(start) if start > today => {
            let _ = writeln!(out, "From {start} every card seen comes up again.");
        }
        _ => out.push_str(
            "Every card you have seen comes up again before the interview, from today on.\n",
        ),
    }
    out.push_str("Every due card is shown each day (no review limit).\n");
    let workload = format!(
        "Workload if every answer is as the memory model expects (4 when it expects recall, else 1), at {}s an answer:",
        view.seconds_per_answer
    );
    paragraph(&mut out, &workload, look.width);
    out.push('\n');
    let weekly = view.days.len() > 35;
    let rows: Vec<Vec<String>> = if weekly {
        view.days
            .chunks(7)
            .map(|week| {
                let new: usize = week.iter().map(|d| d.new).sum();
                let reviews: usize = week.iter().map(|d| d.reviews).sum();
                let minutes: u64 = week.iter().map(|d| d.minutes).sum();
                vec![
                    week[0].day.clone(),
                    new.to_string(),
                    reviews.to_string(),
                    minutes.to_string(),
                ]
            })
            .collect()
    } else {
        view.days
            .iter()
            .map(|d| {
                vec![
                    d.day.clone(),
                    d.new.to_string(),
                    d.reviews.to_string(),
                    d.minutes.to_string(),
                ]
            })
            .collect()
    };
    out.push_str(&table(
        &[
            if weekly { "WEEK OF" } else { "DAY" },
            "NEW",
            "REVIEWS",
            "MINUTES",
        ],
        &rows,
    ));
    if let Some(predicted) = &view.predicted {
        let prediction = format!(
            "On {}, with the plan followed, you would recall about {:.0}% of the key points (expected recall: R on that day × what your last answer covered). By topic:",
            predicted.interview,
            predicted.expected_recall * 100.0
        );
        out.push('\n');
        paragraph(&mut out, &prediction, look.width);
        out.push('\n');
        let rows: Vec<Vec<String>> = predicted
            .topics
            .iter()
            .map(|t| {
                vec![
                    t.tag.clone(),
                    t.cards.to_string(),
                    format!("{:.0}%", t.expected_recall * 100.0),
                ]
            })
            .collect();
        out.push_str(&table(&["TOPIC", "CARDS", "RECALL"], &rows));
    }
    out
}
