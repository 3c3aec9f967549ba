//! What people read, as `insta` snapshots: the status line, due list, stats, why, plan, decks,
//! show and readiness, after two simulated weeks of daily drilling with a fixed clock. A change
//! to any of these texts shows up as a snapshot diff to review.

mod common;

use common::Hone;
use serde_json::Value;

const FIRST_DAY: &str = "2026-03-02";

/// Every text here is read in an 80-column terminal (or a pipe, which hone treats as one).
fn fits(text: String) -> String {
    use unicode_width::UnicodeWidthStr as _;
    for line in text.lines() {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    text
}

fn at(day: &str, time: &str) -> String {
    format!("{day}T{time}+01:00")
}

fn day_after(day: &str, n: i64) -> String {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    (date + chrono::Duration::days(n)).to_string()
}

/// Answers every card due on `day` through `answer --stdin`, the grade picked by the card's
/// place in the queue so the history holds lapses as well as good answers.
fn drill_day(hone: &Hone, day: &str) {
    let now = at(day, "08:00:00");
    let due: Value = hone.json_at(&now, &["due", "--json"]);
    let lines: Vec<String> = due["cards"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let grade = [5, 4, 3, 4, 2, 5, 4, 1][i % 8];
            format!(r#"{{"card":{},"grade":{grade}}}"#, card["card"])
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let out = hone.run_with_stdin(&now, &["answer", "--stdin"], &(lines.join("\n") + "\n"));
    assert!(out.status.success(), "{}", common::stderr(&out));
}

/// Fourteen days of drilling, the 12th skipped, so a streak ended and another began.
fn two_weeks() -> (Hone, String) {
    let hone = Hone::new();
    for n in 0..14 {
        if n != 11 {
            drill_day(&hone, &day_after(FIRST_DAY, n));
        }
    }
    let evening = at(&day_after(FIRST_DAY, 13), "21:00:00");
    (hone, evening)
}

#[test]
fn the_texts_people_read_after_two_weeks() {
    let (hone, evening) = two_weeks();
    let next_morning = at(&day_after(FIRST_DAY, 14), "08:00:00");
    insta::assert_snapshot!("status-evening", fits(hone.ok_at(&evening, &[])));
    insta::assert_snapshot!("status-morning", fits(hone.ok_at(&next_morning, &[])));
    insta::assert_snapshot!("due", fits(hone.ok_at(&next_morning, &["due"])));
    insta::assert_snapshot!("stats", fits(hone.ok_at(&evening, &["stats"])));
    insta::assert_snapshot!("why", fits(hone.ok_at(&evening, &["why", "api/rest"])));
    insta::assert_snapshot!("show", fits(hone.ok_at(&evening, &["show", "api/rest"])));
    insta::assert_snapshot!("decks", fits(hone.ok_at(&evening, &["decks"])));
    insta::assert_snapshot!("readiness", fits(hone.ok_at(&evening, &["readiness"])));
    insta::assert_snapshot!("plan-none", fits(hone.ok_at(&evening, &["plan"])));
}

#[test]
fn the_plan_reads_right_far_from_and_close_to_the_interview() {
    let (hone, evening) = two_weeks();
    let far = day_after(FIRST_DAY, 13 + 40);
    insta::assert_snapshot!(
        "plan-far",
        fits(hone.ok_at(&evening, &["plan", "--interview", &far]))
    );
    let near = day_after(FIRST_DAY, 13 + 2);
    insta::assert_snapshot!(
        "plan-near",
        fits(hone.ok_at(&evening, &["plan", "--interview", &near]))
    );
    let tomorrow = day_after(FIRST_DAY, 14);
    insta::assert_snapshot!(
        "plan-tomorrow",
        fits(hone.ok_at(&evening, &["plan", "--interview", &tomorrow]))
    );
    insta::assert_snapshot!(
        "plan-interview-day",
        fits(hone.ok_at(&at(&tomorrow, "08:00:00"), &["plan"]))
    );
    insta::assert_snapshot!(
        "plan-after",
        fits(hone.ok_at(&at(&day_after(FIRST_DAY, 15), "08:00:00"), &["plan"]))
    );
}

#[test]
fn a_fresh_start_reads_right() {
    let hone = Hone::new();
    insta::assert_snapshot!("fresh-status", fits(hone.ok(&[])));
    insta::assert_snapshot!("fresh-stats", fits(hone.ok(&["stats"])));
    insta::assert_snapshot!("fresh-plan", fits(hone.ok(&["plan"])));
}
