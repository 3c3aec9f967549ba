//! Key points end to end: `answer --covered` and its stdin form, the fields scripts read
//! (`points` on cards, `covered` and `points` on answers and history), `hone points` and the
//! coverage `hone why` shows.

mod common;

use common::{Hone, NOW, stderr};
use serde_json::{Value, json};

fn points_of(hone: &Hone, card: &str) -> Vec<String> {
    let show = hone.json(&["show", card, "--json"]);
    serde_json::from_value(show["card"]["points"].clone()).unwrap()
}

#[test]
fn cards_and_next_give_every_card_its_points() {
    let hone = Hone::new();
    let cards = hone.json(&["cards", "--json"]);
    let cards = cards["cards"].as_array().unwrap();
    assert!(cards.len() >= 400);
    assert!(cards.iter().all(|c| {
        let n = c["points"].as_array().unwrap().len();
        (2..=7).contains(&n)
    }));
    let next = hone.json(&["next", "--json"]);
    assert!(!next["card"]["points"].as_array().unwrap().is_empty());
}

#[test]
fn covered_without_a_grade_records_the_proposed_one() {
    let hone = Hone::new();
    assert_eq!(points_of(&hone, "api/rest").len(), 5);
    let answer = hone.json(&["answer", "api/rest", "--covered", "1,3,4", "--json"]);
    assert_eq!(answer["grade"], 3, "3 of 5 is at least half: 3");
    assert_eq!(answer["covered"], json!([1, 3, 4]));
    assert_eq!(answer["points"], 5);
    let all = hone.json(&["answer", "api/graphql", "--covered", "4,3,2,1", "--json"]);
    assert_eq!(all["grade"], 5);
    assert_eq!(all["covered"], json!([1, 2, 3, 4]));
    let none = hone.json(&["answer", "sql/joins", "--covered", "none", "--json"]);
    assert_eq!(none["grade"], 1);
    assert_eq!(none["covered"], json!([]));

    let line = &hone.log_lines()[0];
    assert_eq!(line["covered"], json!([1, 3, 4]));
    assert!(
        line["points"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.as_str().unwrap().len() == 8)
    );
    let show = hone.json(&["show", "api/rest", "--json"]);
    assert_eq!(show["history"][0]["covered"], json!([1, 3, 4]));
    assert_eq!(show["history"][0]["points"], 5);
}

#[test]
fn a_grade_given_with_covered_wins() {
    let hone = Hone::new();
    let answer = hone.json(&["answer", "api/rest", "5", "--covered", "1", "--json"]);
    assert_eq!(answer["grade"], 5);
    assert_eq!(answer["covered"], json!([1]));
    let plain = hone.json(&["answer", "api/graphql", "4", "--json"]);
    assert!(plain.get("covered").is_none() && plain.get("points").is_none());
}

#[test]
fn bad_covered_lists_are_usage_errors_that_save_nothing() {
    let hone = Hone::new();
    for (list, words) in [
        ("6", "point 6 does not exist: the card has points 1 to 5"),
        ("0", "point 0 does not exist"),
        ("1,1", "point 1 is named twice"),
        ("1,x", "'x' is not a point number"),
    ] {
        let out = hone.run_at(NOW, &["answer", "api/rest", "--covered", list]);
        assert_eq!(out.status.code(), Some(2), "{list}");
        let err = stderr(&out);
        assert!(
            err.contains(words) && err.contains("api/rest"),
            "{list}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let out = hone.run_at(NOW, &["answer", "api/rest"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(hone.log_lines().is_empty());
}

#[test]
fn a_card_without_points_takes_no_covered() {
    let hone = Hone::new();
    let file = hone.write(
        "mine.csv",
        "front,back\nWhat is a mutex?,A lock that one thread holds at a time.\n",
    );
    hone.ok(&["import", file.to_str().unwrap()]);
    let cards = hone.json(&["cards", "--deck", "mine", "--json"]);
    let id = cards["cards"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(cards["cards"][0]["points"], json!([]));
    let out = hone.run_at(NOW, &["answer", &id, "--covered", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the card has no key points"),
        "{}",
        stderr(&out)
    );
    hone.ok(&["answer", &id, "4"]);
}

#[test]
fn stdin_lines_take_covered_with_or_without_a_grade() {
    let hone = Hone::new();
    let input = concat!(
        r#"{"card": "api/rest", "covered": [1, 2]}"#,
        "\n",
        r#"{"card": "api/graphql", "covered": [1], "grade": 4}"#,
        "\n",
    );
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin", "--json"], input);
    assert!(out.status.success(), "{}", stderr(&out));
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers[0]["grade"], 2, "2 of 5: under half");
    assert_eq!(answers[0]["covered"], json!([1, 2]));
    assert_eq!(answers[1]["grade"], 4);
    assert_eq!(answers[1]["points"], 4);

    let bad = r#"{"card": "sql/joins", "covered": [9]}"#;
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &format!("{bad}\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stdin:1: 'covered': point 9 does not exist"),
        "{}",
        stderr(&out)
    );
    let neither = r#"{"card": "sql/joins"}"#;
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &format!("{neither}\n"));
    assert!(
        stderr(&out).contains(r#"a line needs "grade", or "covered""#),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stdin_errors_give_one_position_in_words() {
    let hone = Hone::new();
    let out = hone.run_with_stdin(
        NOW,
        &["answer", "--stdin"],
        "{\"card\": \"api/rest\", \"grade\": 4,}\n",
    );
    let err = stderr(&out);
    assert!(
        err.starts_with("hone: stdin:1:33: a comma with nothing after it"),
        "{err}"
    );
    assert!(!err.contains("line 1 column"), "{err}");
    assert!(err.contains("no answer before it was recorded"), "{err}");
}

#[test]
fn points_lists_what_was_missed_most_and_why_shows_each_reviews_coverage() {
    let hone = Hone::new();
    let empty = hone.ok(&["points"]);
    assert!(empty.starts_with("No key points checked yet"), "{empty}");

    let rest = points_of(&hone, "api/rest");
    hone.ok_at(
        "2026-03-02T09:00:00+01:00",
        &["answer", "api/rest", "--covered", "1,2,3"],
    );
    hone.ok_at(
        "2026-03-03T09:00:00+01:00",
        &["answer", "api/rest", "--covered", "1,2,3,4"],
    );
    let json = hone.json_at("2026-03-03T10:00:00+01:00", &["points", "--json"]);
    assert_eq!(json["checked_answers"], 2);
    assert_eq!(
        json["points"][0],
        json!({"card": "api/rest", "point": rest[4], "position": 5, "missed": 2, "reviews": 2})
    );
    assert_eq!(json["points"][1]["point"], rest[3].as_str());
    assert_eq!(json["points"][1]["missed"], 1);
    assert_eq!(json["total"], 2);
    let limited = hone.json_at(
        "2026-03-03T10:00:00+01:00",
        &["points", "--limit", "1", "--json"],
    );
    assert_eq!(limited["points"].as_array().unwrap().len(), 1);
    assert_eq!(limited["total"], 2);
    insta::assert_snapshot!(hone.ok_at("2026-03-03T10:00:00+01:00", &["points", "--limit", "1"]));

    let other_deck = hone.ok_at("2026-03-03T10:00:00+01:00", &["points", "--deck", "sql"]);
    assert!(
        other_deck.starts_with("No key points checked yet"),
        "{other_deck}"
    );

    let why = hone.ok_at("2026-03-03T10:00:00+01:00", &["why", "api/rest"]);
    assert!(why.contains("key points: covered 3 of 5; missed:"), "{why}");
    assert!(why.contains(&format!("     - {}", rest[4])), "{why}");
    let why = hone.json_at("2026-03-03T10:00:00+01:00", &["why", "api/rest", "--json"]);
    assert_eq!(why["steps"][1]["covered"], json!([1, 2, 3, 4]));
    assert_eq!(why["steps"][1]["missed"], json!([rest[4]]));
}
