//! `hone mock` end to end, without a terminal: the questions a dry run plans (deterministic for
//! `--now` and `--seed`, shaped by the minutes, the questions and the filters), mock answers
//! recorded by a script with `answer --stdin`, and what they feed: the history in JSON and
//! text, `hone points`, readiness, the trend in `stats --html`, undo and merge. The
//! interactive mock is `mock_pty`'s.

mod common;

use std::collections::BTreeSet;

use common::{Hone, NOW, stderr};
use serde_json::{Value, json};

fn dry_run(hone: &Hone, args: &[&str]) -> Value {
    let mut all = vec!["mock", "--dry-run", "--json"];
    all.extend_from_slice(args);
    hone.json(&all)
}

fn cards_of(plan: &Value) -> Vec<String> {
    plan["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["card"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_dry_run_is_the_same_for_the_same_moment_and_seed() {
    let hone = Hone::new();
    let plan = dry_run(&hone, &["--seed", "11"]);
    assert_eq!(dry_run(&hone, &["--seed", "11"]), plan);
    assert_eq!(plan["minutes"], 45);
    assert_eq!(plan["seed"], 11);
    let questions = plan["questions"].as_array().unwrap();
    assert_eq!(
        questions.len(),
        9,
        "one design exercise and eight questions"
    );
    for q in &questions[..8] {
        assert_eq!(
            (q["kind"].as_str(), q["seconds"].as_u64()),
            (Some("question"), Some(240))
        );
        assert_eq!(
            q["deck"].as_str().unwrap(),
            q["card"].as_str().unwrap().split('/').next().unwrap()
        );
    }
    assert_eq!(questions[8]["kind"], "design");
    assert_eq!(questions[8]["seconds"], 600);
    let decks: Vec<&str> = questions
        .iter()
        .map(|q| q["deck"].as_str().unwrap())
        .collect();
    assert!(decks.windows(2).all(|w| w[0] != w[1]), "{decks:?}");
    let other = dry_run(&hone, &["--seed", "12"]);
    assert_ne!(cards_of(&other), cards_of(&plan));
    // Without a seed, one is drawn and printed, so the mock can be asked for again.
    let drawn = dry_run(&hone, &[]);
    let seed = drawn["seed"].as_u64().unwrap().to_string();
    assert_eq!(dry_run(&hone, &["--seed", &seed]), drawn);
    assert!(!hone.data_dir().exists(), "a dry run writes nothing");
}

#[test]
fn minutes_questions_seconds_and_filters_shape_the_mock() {
    let hone = Hone::new();
    let short = dry_run(&hone, &["--minutes", "20", "--seed", "1"]);
    let kinds: Vec<&str> = short["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["question", "question", "design"]);
    let five = dry_run(&hone, &["--questions", "5", "--seed", "1"]);
    assert_eq!(five["questions"].as_array().unwrap().len(), 5);
    assert_eq!(five["minutes"], 26, "10 + 4 × 4 minutes");
    let quick = dry_run(
        &hone,
        &["--questions", "2", "--seconds", "3", "--seed", "1"],
    );
    assert!(
        quick["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["seconds"] == 3)
    );
    let sql = dry_run(&hone, &["--deck", "sql", "--seed", "1"]);
    assert!(cards_of(&sql).iter().all(|c| c.starts_with("sql/")));
    assert_eq!(
        cards_of(&sql).len(),
        11,
        "one deck: no design exercise, 44 minutes of questions"
    );

    let cards = hone.json(&["cards", "--json"]);
    let kind_of = |id: &str| {
        cards["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| (c["kind"].as_str().unwrap().to_owned(), c["tags"].clone()))
            .unwrap()
    };
    let caching = dry_run(
        &hone,
        &[
            "--tag",
            "caching",
            "--definitions",
            "--questions",
            "6",
            "--seed",
            "4",
        ],
    );
    let mut kinds = BTreeSet::new();
    for card in cards_of(&caching) {
        let (kind, tags) = kind_of(&card);
        assert!(
            tags.as_array().unwrap().contains(&json!("caching")),
            "{card}"
        );
        kinds.insert(kind);
    }
    let questions_only = dry_run(
        &hone,
        &["--tag", "caching", "--questions", "6", "--seed", "4"],
    );
    assert!(
        cards_of(&questions_only)
            .iter()
            .all(|c| kind_of(c).0 == "question")
    );
    assert!(
        (0..20).any(|seed| {
            let seed = seed.to_string();
            let plan = dry_run(&hone, &["--definitions", "--seed", &seed]);
            cards_of(&plan).iter().any(|c| kind_of(c).0 == "definition")
        }),
        "--definitions lets definitions in"
    );
}

#[test]
fn what_cannot_be_a_mock_is_a_usage_error() {
    let hone = Hone::new();
    for (args, says) in [
        (
            &["mock", "--minutes", "3", "--dry-run"][..],
            "3 minutes hold no question",
        ),
        (&["mock", "--minutes", "0", "--dry-run"], "--minutes"),
        (&["mock", "--questions", "101", "--dry-run"], "--questions"),
        (
            &["mock", "--deck", "nope", "--dry-run"],
            "unknown deck 'nope'",
        ),
        (
            &["mock", "--tag", "nope", "--dry-run"],
            "no card has the tag 'nope'",
        ),
        (&["mock", "--json"], "--dry-run"),
        (&["mock", "--history", "--seed", "3"], "--seed"),
    ] {
        let out = hone.run_at(NOW, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    // Every card of a deck suspended: nothing to ask.
    hone.write("mine.csv", "id,front,back\nwhat,What is it?,This.\n");
    hone.ok(&["import", &hone.path("mine.csv").to_string_lossy()]);
    hone.ok(&["suspend", "mine/what"]);
    let out = hone.run_at(NOW, &["mock", "--deck", "mine", "--dry-run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no card to ask"), "{}", stderr(&out));
    let out = hone.run_at(NOW, &["mock"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("hone mock needs a terminal"),
        "{}",
        stderr(&out)
    );
}

/// A line of `answer --stdin` answering question `question` of `questions` of mock `id`.
fn mock_line(
    card: &str,
    covered: &[u32],
    id: &str,
    question: u32,
    questions: u32,
    used_ms: u64,
) -> String {
    json!({
        "card": card,
        "covered": covered,
        "mock": {"id": id, "question": question, "questions": questions, "minutes": 8,
                 "seconds": 240, "used_ms": used_ms, "timed_out": used_ms >= 240_000,
                 "started": "2026-03-02T09:00:00+01:00"},
    })
    .to_string()
}

fn record(hone: &Hone, now: &str, lines: &[String]) -> Vec<Value> {
    let out = hone.run_with_stdin(
        now,
        &["answer", "--stdin", "--json"],
        &(lines.join("\n") + "\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_script_records_a_mock_as_practice_that_feeds_points_and_history() {
    let hone = Hone::new();
    let acks = record(
        &hone,
        NOW,
        &[
            mock_line("api/rest", &[1, 2], "first", 1, 2, 120_000),
            mock_line("sql/joins", &[], "first", 2, 2, 240_000),
        ],
    );
    assert!(acks.iter().all(|a| a["kind"] == "practice"), "{acks:?}");
    let lines = hone.log_lines();
    assert_eq!(lines[1]["mock"]["timed_out"], true);
    assert_eq!(lines[0]["mock"]["question"], 1);
    assert!(
        lines[0]["mock"].get("timed_out").is_none(),
        "false is left out"
    );
    // Practice: the schedule is untouched, the cards are new still.
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["state"],
        Value::Null
    );
    assert_eq!(hone.json(&["due", "--json"])["new"], 10);
    // The missed points count.
    let points = hone.json(&["points", "--json", "--limit", "0"]);
    assert_eq!(points["checked_answers"], 2);
    assert_eq!(
        points["total"],
        3 + 4,
        "api/rest missed 3 of 5, sql/joins all 4"
    );

    // Readiness: each topic's key points covered in its cards' latest mock answers.
    let topic = |ready: &Value, tag: &str| {
        ready["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tag"] == tag)
            .unwrap()["mock"]
            .clone()
    };
    let ready = hone.json(&["readiness", "--json"]);
    assert_eq!(
        topic(&ready, "api"),
        json!({"cards": 1, "covered": 2, "points": 5, "score": 0.4})
    );
    assert_eq!(
        topic(&ready, "sql"),
        json!({"cards": 1, "covered": 0, "points": 4, "score": 0.0})
    );
    assert_eq!(
        topic(&ready, "git"),
        json!({"cards": 0, "covered": 0, "points": 0, "score": null})
    );
    let text = hone.ok(&["readiness"]);
    assert!(text.lines().next().unwrap().ends_with("MOCK"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("api ") && l.ends_with("40%")),
        "{text}"
    );
    assert!(
        !Hone::new().ok(&["readiness"]).contains("MOCK"),
        "no column before a mock"
    );

    let history = hone.json(&["mock", "--history", "--json"]);
    assert_eq!(
        history,
        json!({"mocks": [{"id": "first", "started": "2026-03-02T09:00:00+01:00", "minutes": 8,
            "questions": 2, "answered": 2, "covered": 2, "points": 9, "score": 2.0 / 9.0,
            "complete": true, "seconds_used": 360}]})
    );

    // A week later, a mock cut short after its first answer.
    let later = "2026-03-09T19:00:00+01:00";
    let mut line: Value = serde_json::from_str(&mock_line(
        "api/rest",
        &[1, 2, 3, 4, 5],
        "second",
        1,
        3,
        90_000,
    ))
    .unwrap();
    line["mock"]["started"] = json!("2026-03-09T18:55:00+01:00");
    record(&hone, later, &[line.to_string()]);
    let history = hone.json_at(later, &["mock", "--history", "--json"]);
    let second = &history["mocks"][1];
    assert_eq!(
        (second["answered"].as_u64(), second["questions"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        (second["score"].as_f64(), second["complete"].as_bool()),
        (Some(1.0), Some(false))
    );
    insta::assert_snapshot!("history", hone.ok_at(later, &["mock", "--history"]));

    // `stats --html` charts the trend, one point per mock; with a deck, its answers only.
    let page = hone.path("stats.html");
    hone.ok_at(later, &["stats", "--html", &page.to_string_lossy()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<h2>Mock interviews</h2>"), "{html}");
    assert_eq!(html.matches("<circle").count(), 2);
    assert!(html.contains("<title>2026-03-09: 100% (5 of 5 key points), 1 of 3 questions</title>"));
    hone.ok_at(
        later,
        &["stats", "--deck", "sql", "--html", &page.to_string_lossy()],
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(
        html.matches("<circle").count(),
        1,
        "only the first mock asked an sql card"
    );
    hone.ok_at(
        later,
        &["stats", "--deck", "git", "--html", &page.to_string_lossy()],
    );
    assert!(
        !std::fs::read_to_string(&page)
            .unwrap()
            .contains("Mock interviews")
    );

    // The latest mock answer counts for readiness: api/rest is covered in full now.
    let ready = hone.json_at(later, &["readiness", "--json"]);
    assert_eq!(topic(&ready, "api")["score"], 1.0);

    // Undo takes the answer back out of its mock, as out of everything else.
    hone.ok_at(later, &["undo"]);
    let history = hone.json_at(later, &["mock", "--history", "--json"]);
    assert_eq!(history["mocks"].as_array().unwrap().len(), 1);
    let ready = hone.json_at(later, &["readiness", "--json"]);
    assert_eq!(topic(&ready, "api")["score"], 0.4);
}

#[test]
fn a_bad_mock_on_a_line_is_refused_with_its_line() {
    let hone = Hone::new();
    let good = mock_line("api/rest", &[1], "m", 1, 2, 1_000);
    let beyond = mock_line("api/rest", &[1], "m", 3, 2, 1_000);
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &format!("{good}\n{beyond}\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stdin:2: 'mock': question 3 of a mock of 2 questions (the answer before it was recorded)"),
        "{}",
        stderr(&out)
    );
    let unknown = good.replace("\"minutes\"", "\"minute\"");
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &format!("{unknown}\n"));
    assert!(
        stderr(&out).contains("unknown field `minute`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(hone.log_lines().len(), 1);
}

#[test]
fn a_mock_travels_whole_through_export_and_merge() {
    let laptop = Hone::new();
    record(
        &laptop,
        NOW,
        &[
            mock_line("api/rest", &[1, 2], "m", 1, 2, 120_000),
            mock_line("sql/joins", &[1], "m", 2, 2, 200_000),
        ],
    );
    let export = laptop.path("history.jsonl");
    laptop.ok(&["export", "--history", "-o", &export.to_string_lossy()]);
    let desktop = Hone::new();
    desktop.ok(&["merge", &export.to_string_lossy()]);
    assert_eq!(
        desktop.json(&["mock", "--history", "--json"]),
        laptop.json(&["mock", "--history", "--json"])
    );
}
