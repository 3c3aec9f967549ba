//! The scripting contract, end to end: the real binary, a temporary data dir, a fixed clock.

mod common;

use std::fs;

use common::{Hone, NOW, stderr, stdout};
use serde_json::Value;

#[test]
fn decks_lists_builtin_decks_with_counts() {
    let hone = Hone::new();
    let decks = hone.json(&["decks", "--json"]);
    let decks = decks["decks"].as_array().unwrap();
    assert!(decks.len() >= 2);
    for deck in decks {
        assert_eq!(deck["source"], "builtin");
        assert!(deck["cards"].as_u64().unwrap() > 0);
        assert_eq!(deck["due"], 0);
        assert_eq!(deck["new"], deck["cards"]);
        assert!(!deck["title"].as_str().unwrap().is_empty());
    }
    assert!(decks.iter().any(|d| d["id"] == "api"));
    assert!(decks.iter().any(|d| d["id"] == "databases"));
}

#[test]
fn cards_of_a_deck_carry_kind_text_and_tags() {
    let hone = Hone::new();
    let cards = hone.json(&["cards", "--deck", "api", "--json"]);
    let cards = cards["cards"].as_array().unwrap();
    assert!(!cards.is_empty());
    for card in cards {
        assert!(card["id"].as_str().unwrap().starts_with("api/"));
        assert_eq!(card["deck"], "api");
        assert!(["definition", "question"].contains(&card["kind"].as_str().unwrap()));
        assert!(!card["front"].as_str().unwrap().is_empty());
        assert!(!card["back"].as_str().unwrap().is_empty());
        assert!(
            card["tags"]
                .as_array()
                .unwrap()
                .contains(&Value::from("api"))
        );
    }
}

#[test]
fn unknown_deck_or_card_is_a_usage_error() {
    let hone = Hone::new();
    let out = hone.run_at(NOW, &["cards", "--deck", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown deck 'nope'"),
        "{}",
        stderr(&out)
    );

    let out = hone.run_at(NOW, &["answer", "api/nope", "4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown card 'api/nope'"));

    let out = hone.run_at(NOW, &["answer", "api/rest", "6"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(hone.log_lines().is_empty(), "nothing recorded");
}

#[test]
fn a_bad_clock_value_is_a_usage_error() {
    let hone = Hone::new();
    let out = hone.run_at("yesterday", &["due"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("RFC 3339"), "{}", stderr(&out));
}

#[test]
fn an_answered_new_card_is_due_the_next_study_day() {
    let hone = Hone::new();
    let answer = hone.json(&["answer", "api/rest", "4", "--json"]);
    assert_eq!(answer["card"], "api/rest");
    assert_eq!(answer["grade"], 4);
    assert_eq!(answer["kind"], "review");
    assert_eq!(answer["reviewed_at"], "2026-03-02T09:00:00+01:00");
    assert_eq!(answer["repetitions"], 1);
    assert_eq!(answer["ease"], 2.5);
    assert_eq!(answer["interval_days"], 1);
    assert_eq!(answer["due"], "2026-03-03");

    let today = hone.json(&["due", "--json"]);
    assert!(
        !today["cards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["card"] == "api/rest")
    );
    assert_eq!(
        today["new"], 9,
        "one of the 10 new cards of the day is used"
    );

    let tomorrow = hone.json_at("2026-03-03T09:00:00+01:00", &["due", "--json"]);
    let first = &tomorrow["cards"][0];
    assert_eq!(first["card"], "api/rest", "reviews come before new cards");
    assert_eq!(first["state"], "review");
    assert_eq!(first["due"], "2026-03-03");
    assert_eq!(tomorrow["review"], 1);
}

#[test]
fn the_study_day_starts_at_the_configured_hour() {
    let hone = Hone::new();
    // 02:00 belongs to the previous study day with the default 04:00 start.
    let answer = hone.json_at(
        "2026-03-03T02:00:00+01:00",
        &["answer", "api/rest", "5", "--json"],
    );
    assert_eq!(answer["day"], "2026-03-02");
    assert_eq!(answer["due"], "2026-03-03");

    hone.ok(&["config", "day_start_hour", "0"]);
    let answer = hone.json_at(
        "2026-03-03T02:00:00+01:00",
        &["answer", "api/graphql", "5", "--json"],
    );
    assert_eq!(answer["day"], "2026-03-03");
    assert_eq!(answer["due"], "2026-03-04");
}

#[test]
fn config_shows_and_changes_settings() {
    let hone = Hone::new();
    let config = hone.json(&["config", "--json"]);
    assert_eq!(
        config,
        serde_json::json!({"day_start_hour": 4, "new_per_day": 10, "reviews_per_day": 100})
    );

    hone.ok(&["config", "new_per_day", "3"]);
    assert_eq!(hone.ok(&["config", "new_per_day"]), "3\n");
    assert_eq!(hone.ok(&["due", "--count"]), "3\n");
    assert!(
        fs::read_to_string(hone.config_file())
            .unwrap()
            .contains("new_per_day = 3")
    );

    let out = hone.run_at(NOW, &["config", "day_start_hour", "24"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("0 to 23"));
    let out = hone.run_at(NOW, &["config", "new_cards", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        hone.ok(&["config", "new_per_day"]),
        "3\n",
        "a failed change keeps the old value"
    );
}

#[test]
fn a_bad_config_file_is_refused_with_its_name() {
    let hone = Hone::new();
    fs::write(hone.config_file(), "new_per_day = \"many\"\n").unwrap();
    let out = hone.run_at(NOW, &["due"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("config.toml:1"), "{}", stderr(&out));
}

#[test]
fn next_shows_the_first_card_or_says_nothing_is_due() {
    let hone = Hone::new();
    let next = hone.json(&["next", "--json"]);
    assert_eq!(next["card"]["state"], "new");
    assert!(!next["card"]["front"].as_str().unwrap().is_empty());
    assert_eq!(next["remaining"], 10);

    hone.ok(&["config", "new_per_day", "0"]);
    hone.ok(&["answer", "api/rest", "5"]);
    let next = hone.json(&["next", "--json"]);
    assert_eq!(next["card"], Value::Null);
    assert_eq!(next["remaining"], 0);
    assert_eq!(next["next_due"], "2026-03-03");
    assert!(hone.ok(&["next"]).starts_with("Nothing due."));
}

#[test]
fn answer_stdin_records_every_line_before_a_bad_one() {
    let hone = Hone::new();
    let input = concat!(
        r#"{"card": "api/rest", "grade": 5}"#,
        "\n",
        "\n",
        r#"{"card": "api/graphql", "grade": 3, "at": "2026-03-02T10:00:00+01:00"}"#,
        "\n",
        r#"{"card": "api/grpc", "grade": 9}"#,
        "\n",
        r#"{"card": "api/rest", "grade": 5}"#,
        "\n",
    );
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin", "--json"], input);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stdin:4: grade 9"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("the 2 answers before it were recorded"),
        "{}",
        stderr(&out)
    );
    let results: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["card"], "api/graphql");
    assert_eq!(results[1]["reviewed_at"], "2026-03-02T10:00:00+01:00");
    assert_eq!(hone.log_lines().len(), 2);
}

#[test]
fn answer_stdin_rejects_unknown_fields_and_cards_with_the_line() {
    let hone = Hone::new();
    let out = hone.run_with_stdin(
        NOW,
        &["answer", "--stdin"],
        "{\"card\": \"api/rest\", \"grdae\": 4}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("stdin:1:"), "{}", stderr(&out));
    let out = hone.run_with_stdin(
        NOW,
        &["answer", "--stdin"],
        "{\"card\": \"api/zzz\", \"grade\": 4}\n",
    );
    assert!(
        stderr(&out).contains("stdin:1: unknown card 'api/zzz'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn show_lists_the_state_and_every_review() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "3"]);
    hone.ok_at("2026-03-03T09:00:00+01:00", &["answer", "api/rest", "5"]);
    let show = hone.json(&["show", "api/rest", "--json"]);
    assert_eq!(show["card"]["id"], "api/rest");
    assert_eq!(show["state"]["repetitions"], 2);
    assert_eq!(show["state"]["due"], "2026-03-09");
    let history = show["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["grade"], 3);
    assert_eq!(history[0]["reviewed_at"], "2026-03-02T09:00:00+01:00");
    assert_eq!(history[1]["grade"], 5);

    let never = hone.json(&["show", "api/graphql", "--json"]);
    assert_eq!(never["state"], Value::Null);
    assert_eq!(never["history"], serde_json::json!([]));
}

#[test]
fn review_without_a_terminal_points_at_the_scripting_commands() {
    let hone = Hone::new();
    let out = hone.run_with_stdin(NOW, &["review"], "\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("needs a terminal"));
    assert!(stderr(&out).contains("hone answer"));
}

#[test]
fn plain_hone_says_what_is_due_and_how_to_start() {
    let hone = Hone::new();
    let out = hone.ok(&[]);
    assert!(out.contains("10 cards due today (2026-03-02)"), "{out}");
    assert!(out.contains("hone review"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let hone = Hone::new();
    let mut child = hone
        .command(&["cards"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
