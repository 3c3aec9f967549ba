//! Time: the day-start hour, DST changes, a change of timezone, a clock moved backwards, a clock
//! decades ahead, a bad TZ. No panic, no card lost or due twice, no due day before the review.

mod common;

use std::collections::BTreeSet;

use common::Hone;
use serde_json::Value;

fn answer(hone: &Hone, at: &str, card: &str, grade: u8) -> Value {
    hone.json_at(at, &["answer", card, &grade.to_string(), "--json"])
}

#[test]
fn reviews_at_the_edges_of_a_study_day() {
    let hone = Hone::new();
    let cases = [
        ("2026-03-10T23:59:00+01:00", "api/rest", "2026-03-10"),
        ("2026-03-11T00:01:00+01:00", "api/graphql", "2026-03-10"),
        ("2026-03-11T03:59:00+01:00", "api/grpc", "2026-03-10"),
        ("2026-03-11T04:01:00+01:00", "sql/joins", "2026-03-11"),
    ];
    for (at, card, day) in cases {
        let a = answer(&hone, at, card, 5);
        assert_eq!(a["day"], day, "{at}");
        assert_eq!(a["due"].as_str().unwrap(), chrono_day(day, 1), "{at}");
    }
}

fn chrono_day(day: &str, plus: u64) -> String {
    (day.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(plus)).to_string()
}

#[test]
fn dst_changes_move_nothing() {
    let hone = Hone::new();
    // New York, spring forward on 2026-03-08 (02:00 -05:00 becomes 03:00 -04:00).
    assert_eq!(
        answer(&hone, "2026-03-08T01:59:00-05:00", "api/rest", 5)["day"],
        "2026-03-07"
    );
    assert_eq!(
        answer(&hone, "2026-03-08T03:01:00-04:00", "api/graphql", 5)["day"],
        "2026-03-07"
    );
    assert_eq!(
        answer(&hone, "2026-03-08T04:01:00-04:00", "api/grpc", 5)["day"],
        "2026-03-08"
    );
    // Fall back on 2026-11-01: 01:30 happens twice, once in each offset.
    assert_eq!(
        answer(&hone, "2026-11-01T01:30:00-04:00", "sql/joins", 5)["day"],
        "2026-10-31"
    );
    assert_eq!(
        answer(&hone, "2026-11-01T01:30:00-05:00", "sql/crud", 5)["day"],
        "2026-10-31"
    );
    assert_eq!(
        answer(&hone, "2026-11-01T04:30:00-05:00", "sql/aggregations", 5)["day"],
        "2026-11-01"
    );
}

#[test]
fn a_change_of_timezone_between_two_reviews() {
    let hone = Hone::new();
    let first = answer(&hone, "2026-03-10T09:00:00+09:00", "api/rest", 5);
    assert_eq!(first["due"], "2026-03-11");
    // Eleven hours later in UTC, but still the 10th in Honolulu: not due yet, and answering
    // anyway gives a due day after this review's day.
    let due = hone.json_at("2026-03-10T10:00:00-10:00", &["due", "--json"]);
    assert!(
        !due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["card"] == "api/rest")
    );
    // The same study day, though another date in UTC: practice, the schedule as it was.
    let second = answer(&hone, "2026-03-10T10:00:00-10:00", "api/rest", 5);
    assert_eq!(second["day"], "2026-03-10");
    assert_eq!(second["kind"], "practice");
    assert_eq!(second["due"], "2026-03-11");
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["history"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_clock_moved_backwards_loses_nothing() {
    let hone = Hone::new();
    answer(&hone, "2026-03-10T09:00:00+01:00", "api/rest", 5);
    let earlier = "2026-03-01T09:00:00+01:00";
    let due = hone.json_at(earlier, &["due", "--json"]);
    assert!(
        !due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["card"] == "api/rest"),
        "not due before it was reviewed"
    );
    let again = answer(&hone, earlier, "api/rest", 4);
    assert_eq!(again["day"], "2026-03-01");
    assert!(
        again["due"].as_str().unwrap() > "2026-03-01",
        "never due before the day of its review"
    );
    for args in [
        &["stats", "--json"][..],
        &["readiness", "--json"],
        &["why", "api/rest", "--json"],
    ] {
        hone.json_at(earlier, args);
    }
}

#[test]
fn a_clock_decades_ahead_works() {
    let hone = Hone::new();
    answer(&hone, "2026-03-10T09:00:00+01:00", "api/rest", 5);
    let future = "2090-06-01T09:00:00+02:00";
    let due = hone.json_at(future, &["due", "--json"]);
    let rest = due["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["card"] == "api/rest")
        .unwrap()
        .clone();
    assert!(rest["overdue_days"].as_i64().unwrap() > 23_000);
    assert_eq!(answer(&hone, future, "api/rest", 5)["due"], "2090-06-07");
    hone.json_at(future, &["stats", "--json"]);
    hone.ok_at(future, &["plan", "--interview", "2090-07-01"]);
}

#[test]
fn a_bad_timezone_does_not_panic() {
    let hone = Hone::new();
    for tz in ["Not/AZone", "", ":/nonexistent", "UTC+99"] {
        let out = hone
            .command(&["due", "--count"])
            .env_remove("HONE_NOW")
            .env("TZ", tz)
            .output()
            .unwrap();
        assert!(out.status.success(), "TZ={tz:?}: {}", common::stderr(&out));
    }
}

#[test]
fn a_day_answered_through_has_nothing_due_twice() {
    let hone = Hone::new();
    let mut day: chrono::NaiveDate = "2026-03-02".parse().unwrap();
    for _ in 0..10 {
        let at = format!("{day}T09:00:00+01:00");
        let due = hone.json_at(&at, &["due", "--json"]);
        let ids: Vec<&str> = due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["card"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids.iter().collect::<BTreeSet<_>>().len(),
            ids.len(),
            "{day}: a card listed twice"
        );
        let input: String = ids
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{{\"card\": \"{c}\", \"grade\": {}}}\n", i % 6))
            .collect();
        assert!(
            hone.run_with_stdin(&at, &["answer", "--stdin"], &input)
                .status
                .success()
        );
        let after = hone.json_at(&format!("{day}T22:00:00+01:00"), &["due", "--json"]);
        assert_eq!(after["count"], 0, "{day}: everything due was answered");
        day = day.succ_opt().unwrap();
    }
}
