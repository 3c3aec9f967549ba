//! `hone stats`, `hone readiness`, `hone why` and leeches, end to end.

mod common;

use common::{Hone, stderr};
use serde_json::Value;

/// Answers `card` with each grade on the day it falls due, starting on 2026-03-02.
fn drill(hone: &Hone, card: &str, grades: &[u8]) {
    let mut day = "2026-03-02".to_owned();
    for grade in grades {
        let answer = hone.json_at(
            &format!("{day}T09:00:00+01:00"),
            &["answer", card, &grade.to_string(), "--json"],
        );
        day = answer["due"].as_str().unwrap().to_owned();
    }
}

#[test]
fn stats_count_cards_reviews_and_retention() {
    let hone = Hone::new();
    drill(&hone, "api/rest", &[5, 5, 2]); // first sight, then two reviews of a seen card
    drill(&hone, "api/graphql", &[4]);
    // api/rest: 5 on 03-02, 5 on 03-03 (due 03-09), 2 on 03-09; api/graphql: 4 on 03-02.
    let stats = hone.json_at("2026-03-09T20:00:00+01:00", &["stats", "--json"]);
    assert_eq!(stats["day"], "2026-03-09");
    assert_eq!(stats["cards"]["learning"], 2);
    assert_eq!(
        stats["cards"]["total"].as_u64().unwrap(),
        stats["cards"]["new"].as_u64().unwrap() + 2
    );
    assert_eq!(stats["reviews"]["all_time"], 4);
    assert_eq!(stats["reviews"]["today"], 1);
    assert_eq!(stats["reviews"]["last_7_days"], 2);
    assert_eq!(
        stats["retention"]["reviews"], 2,
        "first sights do not count"
    );
    assert_eq!(stats["retention"]["passed"], 1);
    assert_eq!(stats["retention"]["rate"], 0.5);
    assert_eq!(stats["streak"]["current"], 1);
    assert_eq!(stats["streak"]["longest"], 2);
    assert_eq!(stats["calendar"].as_array().unwrap().len(), 365);
    assert_eq!(stats["forecast"].as_array().unwrap().len(), 30);
    assert_eq!(
        stats["forecast"][0],
        serde_json::json!({"day": "2026-03-09", "count": 1, "new": 10}),
        "graphql, overdue, and today's ten new cards"
    );
    assert_eq!(
        stats["forecast"][1],
        serde_json::json!({"day": "2026-03-10", "count": 11, "new": 10}),
        "rest, failed yesterday, and yesterday's new cards come back the next day"
    );

    let deck = hone.json_at(
        "2026-03-09T20:00:00+01:00",
        &["stats", "--deck", "sql", "--json"],
    );
    assert_eq!(deck["reviews"]["all_time"], 0);
    assert_eq!(deck["deck"], "sql");
}

#[test]
fn stats_text_fits_80_columns_and_html_is_self_contained() {
    let hone = Hone::new();
    drill(&hone, "api/rest", &[5, 5, 5]);
    let text = hone.ok_at("2026-03-20T09:00:00+01:00", &["stats"]);
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 80, "a line of {widest} columns:\n{text}");
    assert!(
        text.contains("Answers in the last year") && text.contains("Workload in the next 30 days")
    );

    let page = hone.path("stats.html");
    hone.ok(&["stats", "--html", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.matches("<svg").count() == 2,
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("src=") && !html.contains("href="),
        "no external parts"
    );
}

#[test]
fn a_dash_for_a_file_means_stdout_for_the_stats_page_and_an_export() {
    let hone = Hone::new();
    drill(&hone, "api/rest", &[5]);
    let dir = hone.path("cwd");
    std::fs::create_dir_all(&dir).unwrap();
    for args in [
        &["stats", "--html", "-"][..],
        &[
            "export", "--deck", "api", "--format", "hone", "--output", "-",
        ][..],
    ] {
        let out = hone.command(args).current_dir(&dir).output().unwrap();
        assert!(out.status.success(), "{}", common::stderr(&out));
        let text = common::stdout(&out);
        assert!(
            text.starts_with("<!DOCTYPE html>") || text.starts_with("+++"),
            "{args:?} prints the document itself: {text:.200}"
        );
        assert!(!text.contains("Wrote"), "{text:.200}");
        assert!(
            std::fs::read_dir(&dir).unwrap().next().is_none(),
            "{args:?} wrote no file named '-'"
        );
    }
}

#[test]
fn readiness_lists_the_least_ready_topic_first() {
    let hone = Hone::new();
    for card in ["git/git-basics", "git/branching-merging"] {
        drill(&hone, card, &[5, 5]);
    }
    drill(&hone, "sql/joins", &[1]);
    let ready = hone.json_at("2026-03-09T09:00:00+01:00", &["readiness", "--json"]);
    let topics = ready["topics"].as_array().unwrap();
    let rates: Vec<f64> = topics
        .iter()
        .map(|t| t["readiness"].as_f64().unwrap())
        .collect();
    assert!(
        rates.windows(2).all(|w| w[0] <= w[1]),
        "sorted least ready first: {rates:?}"
    );
    let git = topics.iter().find(|t| t["tag"] == "git").unwrap();
    assert_eq!(git["seen"], 2);
    assert_eq!(git["solid"], 2);
    let sql = topics.iter().find(|t| t["tag"] == "sql").unwrap();
    assert_eq!(
        sql["weakest"][0], "sql/joins",
        "the failed card is the first to drill"
    );
    assert_eq!(sql["solid"], 0);
    let text = hone.ok_at("2026-03-09T09:00:00+01:00", &["readiness"]);
    assert!(text.contains("Drill next:"), "{text}");
}

#[test]
fn why_explains_every_step_with_its_arithmetic() {
    let hone = Hone::new();
    drill(&hone, "api/rest", &[3, 3, 3]);
    let why = hone.json(&["why", "api/rest", "--json"]);
    let steps = why["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[0]["interval_rule"], "first");
    assert_eq!(steps[1]["interval_rule"], "second");
    assert_eq!(steps[2]["interval_rule"], "multiply");
    assert_eq!(
        steps[2]["interval_formula"],
        "I = ceil(6 × 2.22) = ceil(13.32) = 14"
    );
    assert_eq!(steps[2]["day_start_hour"], 4);
    assert!(steps.iter().all(|s| s["agrees"] == true));
    let text = hone.ok(&["why", "api/rest"]);
    assert!(
        text.contains("ceil(13.32) = 14") && text.contains("\nStudy days start at 04:00.\n"),
        "{text}"
    );
    assert!(
        hone.ok(&["why", "api/graphql"])
            .contains("never been reviewed")
    );
}

#[test]
fn why_shows_the_ease_before_its_floor_so_the_sum_adds_up() {
    let hone = Hone::new();
    // 2.5 − 0.8 = 1.7, then 1.7 − 0.8 = 0.9, which SM-2 floors at 1.3.
    drill(&hone, "api/rest", &[0, 0]);
    let text = hone.ok(&["why", "api/rest"]);
    assert!(text.contains("EF 2.5 − 0.8 = 1.7\n"), "{text}");
    assert!(
        text.contains("EF 1.7 − 0.8 = 0.9, floored at 1.3\n"),
        "{text}"
    );
}

#[test]
fn why_names_a_reviews_day_start_only_where_it_differs_from_todays() {
    let hone = Hone::new();
    drill(&hone, "api/rest", &[4]);
    hone.ok(&["config", "day_start_hour", "6"]);
    hone.ok_at("2026-03-03T09:00:00+01:00", &["answer", "api/rest", "4"]);
    let text = hone.ok_at("2026-03-03T10:00:00+01:00", &["why", "api/rest"]);
    assert!(text.contains("\nStudy days start at 06:00.\n"), "{text}");
    // Filled to 80 columns, the first step's line wraps; compare its words.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("grade 4, study day 2026-03-02, days starting at 04:00 n 0"),
        "{text}"
    );
    assert!(text.contains("grade 4, study day 2026-03-03\n"), "{text}");
}

#[test]
fn a_leech_is_marked_and_suspended_when_configured() {
    let hone = Hone::new();
    hone.ok(&["config", "leech_threshold", "2"]);
    hone.ok(&["config", "leech_action", "suspend"]);
    drill(&hone, "api/rest", &[5, 5, 1, 5, 5, 1]);
    let kinds: Vec<Value> = hone.log_lines().iter().map(|l| l["kind"].clone()).collect();
    assert_eq!(kinds.last(), Some(&Value::from("suspend")));
    let show = hone.json(&["show", "api/rest", "--json"]);
    assert_eq!(show["suspended"], true);
    assert_eq!(show["state"]["lapses"], 2);
    let stats = hone.json(&["stats", "--json"]);
    assert_eq!(stats["cards"]["leeches"], 1);
    assert_eq!(stats["cards"]["suspended"], 1);
}

#[test]
fn a_leech_is_only_marked_by_default() {
    let hone = Hone::new();
    hone.ok(&["config", "leech_threshold", "1"]);
    drill(&hone, "api/rest", &[5, 5, 1]);
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["suspended"],
        false
    );
    let ready = hone.json(&["readiness", "--json"]);
    let api = ready["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tag"] == "api")
        .unwrap()
        .clone();
    assert_eq!(api["leeches"], 1);
    let out = hone.run_at(common::NOW, &["config", "leech_action", "delete"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("mark or suspend"));
}
