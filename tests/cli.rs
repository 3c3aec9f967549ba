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
        serde_json::json!({
            "day_start_hour": 4,
            "new_per_day": 10,
            "reviews_per_day": 100,
            "leech_threshold": 8,
            "maximum_interval_days": 36500,
            "new_order": "interleave",
            "leech_action": "mark",
            "scheduler": "sm2",
            "desired_retention": 0.9
        })
    );

    hone.ok(&["config", "new_per_day", "3"]);
    assert_eq!(hone.ok(&["config", "new_per_day"]), "3\n");
    assert_eq!(hone.ok(&["due", "--count"]), "3\n");
    assert!(
        fs::read_to_string(hone.config_file())
            .unwrap()
            .contains("new_per_day = 3")
    );

    hone.ok(&["config", "desired_retention", "0.85"]);
    assert_eq!(hone.ok(&["config", "desired_retention"]), "0.85\n");
    assert!(
        fs::read_to_string(hone.config_file())
            .unwrap()
            .contains("desired_retention = 0.85")
    );
    let out = hone.run_at(NOW, &["config", "desired_retention", "0.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("0.7 to 0.99"), "{}", stderr(&out));
    let out = hone.run_at(NOW, &["config", "scheduler", "anki"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sm2 or fsrs"), "{}", stderr(&out));

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
    // Text and JSON go out through different writers; both must treat EPIPE alike.
    for args in [&["cards"][..], &["cards", "--json"]] {
        let mut child = hone
            .command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn suspend_and_unsuspend_take_a_card_out_of_the_queue_and_back() {
    let hone = Hone::new();
    let first = hone.json(&["next", "--json"])["card"]["card"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = hone.json(&["suspend", &first, "--json"]);
    assert_eq!(
        out,
        serde_json::json!({"card": first, "action": "suspend", "suspended": true})
    );
    let due = hone.json(&["due", "--json"]);
    assert!(
        !due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["card"] == first.as_str())
    );
    assert_eq!(hone.json(&["show", &first, "--json"])["suspended"], true);

    hone.ok(&["suspend", &first]); // again: nothing changes, nothing is logged
    assert_eq!(hone.log_lines().len(), 1);
    let out = hone.json(&["unsuspend", &first, "--json"]);
    assert_eq!(out["suspended"], false);
    assert_eq!(
        hone.json(&["next", "--json"])["card"]["card"],
        first.as_str()
    );
}

#[test]
fn undo_takes_back_answers_one_at_a_time() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok_at("2026-03-03T09:00:00+01:00", &["answer", "api/rest", "2"]);
    let undo = hone.json(&["undo", "--json"]);
    assert_eq!(undo["card"], "api/rest");
    assert_eq!(undo["action"], "undo");
    assert_eq!(
        undo["state"]["repetitions"], 1,
        "back to the state after the first answer"
    );
    assert_eq!(undo["state"]["due"], "2026-03-03");

    let undo = hone.json(&["undo", "--json"]);
    assert_eq!(undo["state"], Value::Null, "the card is new again");
    let out = hone.run_at(NOW, &["undo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing to undo"), "{}", stderr(&out));

    let history = hone.json(&["show", "api/rest", "--json"])["history"].clone();
    assert_eq!(
        history.as_array().unwrap().len(),
        2,
        "undone answers stay in the history"
    );
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["undone"] == true)
    );
}

#[test]
fn filters_by_tag_and_reject_unknown_tags() {
    let hone = Hone::new();
    let cards = hone.json(&["cards", "--tag", "graphql", "--json"]);
    let cards = cards["cards"].as_array().unwrap();
    assert!(!cards.is_empty());
    assert!(cards.iter().all(|c| {
        c["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("graphql"))
    }));
    let due = hone.json(&["due", "--deck", "sql", "--json"]);
    assert!(
        due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["deck"] == "sql")
    );
    let out = hone.run_at(NOW, &["due", "--tag", "no-such-tag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no card has the tag 'no-such-tag'"));
}

#[test]
fn the_status_shows_the_streak() {
    let hone = Hone::new();
    hone.ok_at("2026-03-01T09:00:00+01:00", &["answer", "api/rest", "5"]);
    hone.ok_at("2026-03-02T08:00:00+01:00", &["answer", "api/graphql", "5"]);
    assert!(hone.ok(&[]).contains("a 2-day streak"), "{}", hone.ok(&[]));
    let broken = hone.ok_at("2026-03-05T09:00:00+01:00", &[]);
    // Filled to 80 columns, the sentence may break anywhere between words.
    let words = broken.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("your 2-day streak ended; start another today"),
        "{broken}"
    );
    let fresh = Hone::new();
    assert!(fresh.ok(&[]).contains("no streak yet"));
}

#[test]
fn completions_and_the_manual_come_from_the_cli_definition() {
    let hone = Hone::new();
    // The scripts ask hone itself, which answers from the same definition (tests/help.rs).
    let bash = hone.ok(&["completions", "bash"]);
    assert!(
        bash.contains("_clap_complete_hone()") && bash.contains("HONE_COMPLETE"),
        "{bash}"
    );
    assert!(hone.ok(&["completions", "zsh"]).contains("#compdef hone"));
    let man = hone.ok(&["man"]);
    assert!(
        man.contains(".TH hone 1") && man.contains("review"),
        "{man}"
    );
    let out = hone.run_at(NOW, &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn text_output_never_lets_control_sequences_through() {
    let hone = Hone::new();
    let file = hone.write(
        "evil.tsv",
        "What is \u{1b}]52;c;cm0gLXJm\u{7}this?\tAn \u{1b}[2Janswer \u{202e}reversed\n",
    );
    hone.ok(&["import", file.to_str().unwrap(), "--deck", "evil"]);
    for args in [
        &["cards", "--deck", "evil"][..],
        &["due", "--deck", "evil"],
        &["next", "--deck", "evil"],
    ] {
        let out = hone.ok(args);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{args:?}: {out:?}"
        );
    }
    let id = hone.json(&["cards", "--deck", "evil", "--json"])["cards"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let show = hone.ok(&["show", &id]);
    assert!(
        !show.contains('\u{1b}') && show.contains("\\u{1b}]52;c;cm0gLXJm\\u{7}"),
        "{show:?}"
    );
    assert!(show.contains("\\u{202e}reversed"));
    // JSON keeps the text exact, escaped as JSON escapes it.
    let json = hone.ok(&["cards", "--deck", "evil", "--json"]);
    assert!(json.contains("\\u001b]52") && !json.contains('\u{1b}'));
}
