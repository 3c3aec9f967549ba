//! The memory model through the real binary: `hone optimize` on a simulated learner, FSRS as
//! the scheduler (switching recomputes every schedule from the log; undo and why under it),
//! the fitted parameters in the data dir (used, backed up and restored), readiness and the
//! plan's prediction.

mod common;

use std::fs;

use chrono::{Days, NaiveDate};
use common::{Hone, NOW, stderr};
use hone::memory::{DEFAULT_PARAMETERS, Model, Scheduler};
use hone::model::{CardState, Grade, StudyDay};
use serde_json::Value;

/// A seeded generator (an LCG): the same learner every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const START: &str = "2026-01-05";

/// The answers of a learner whose memory follows a known curve (FSRS's form with parameters
/// unlike the defaults: it forgets faster and gains less from a success), as `answer --stdin`
/// lines in time order. Each of `cards` built-in cards is introduced ten a day and reviewed
/// after a delay of half to twice the interval at which it would recall it with 85%, for
/// `days` days; each answer is recalled with the curve's probability.
fn simulated_learner(hone: &Hone, cards: usize, days: u32, seed: u64) -> (String, usize, String) {
    let mut w = DEFAULT_PARAMETERS;
    w[0..4].copy_from_slice(&[0.3, 0.8, 1.5, 4.0]);
    w[8] = 1.2;
    w[20] = 0.5;
    let truth = Model::new(Scheduler::Fsrs, 0.85, &w).unwrap();
    let ids: Vec<String> = hone.json(&["cards", "--json"])["cards"]
        .as_array()
        .unwrap()
        .iter()
        .take(cards)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let start: NaiveDate = START.parse().unwrap();
    let mut rng = Rng(seed);
    let mut answers: Vec<(u32, usize, u8)> = Vec::new();
    for i in 0..ids.len() {
        let mut day = i as u32 / 10;
        let mut state: Option<CardState> = None;
        while day < days {
            let q = match &state {
                None => [1, 3, 4, 4, 5][(rng.next() * 5.0) as usize % 5],
                Some(s) => {
                    let r = f64::from(hone::memory::recall_on(&truth, s, on(start, day)));
                    if rng.next() < r {
                        [3, 4, 4, 5][(rng.next() * 4.0) as usize % 4]
                    } else {
                        1
                    }
                }
            };
            let next = truth.review(
                state.as_ref(),
                Grade::new(q).unwrap(),
                on(start, day),
                36_500,
            );
            answers.push((day, i, q));
            let factor = 0.5 + rng.next() * 1.5;
            day += ((f64::from(next.interval_days) * factor).round() as u32).max(1);
            state = Some(next);
        }
    }
    answers.sort();
    let lines: String = answers
        .iter()
        .map(|(day, i, q)| {
            let at = format!(
                "{}T09:{:02}:00+01:00",
                start + Days::new(u64::from(*day)),
                i % 60
            );
            format!(
                "{{\"card\":\"{}\",\"grade\":{q},\"at\":\"{at}\"}}\n",
                ids[*i]
            )
        })
        .collect();
    (lines, answers.len(), ids[0].clone())
}

fn on(start: NaiveDate, day: u32) -> StudyDay {
    StudyDay::from_date(start + Days::new(u64::from(day)))
}

/// The moment after the simulated history.
fn after(days: u32) -> String {
    let start: NaiveDate = START.parse().unwrap();
    format!("{}T20:00:00+01:00", start + Days::new(u64::from(days)))
}

fn feed(hone: &Hone, lines: &str, days: u32) {
    let out = hone.run_with_stdin(&after(days), &["answer", "--stdin"], lines);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn optimize_refuses_a_short_history_saying_how_many_reviews_are_still_needed() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "4"]);
    let out = hone.run_at(NOW, &["optimize"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("needs at least 80 reviews of cards seen before"),
        "{text}"
    );
    assert!(text.contains("the history has 0: 80 more to go"), "{text}");
    assert!(
        !hone.data_dir().join("parameters").exists(),
        "nothing saved"
    );
}

#[test]
fn on_a_simulated_learner_the_fit_beats_sm2_and_is_used_from_then_on() {
    let hone = Hone::new();
    let days = 120;
    let (lines, answers, card) = simulated_learner(&hone, 150, days, 7);
    assert!(answers > 900, "{answers}");
    feed(&hone, &lines, days);
    let now = after(days);
    let before = hone.json_at(&now, &["show", &card, "--json"])["state"].clone();

    let found = hone.json_at(&now, &["optimize", "--json"]);
    eprintln!("{found}");
    assert_eq!(found["reviews"], answers - 150);
    assert_eq!(found["parameters"].as_array().unwrap().len(), 21);
    let loss = |model: &str| found["metrics"][model]["log_loss"].as_f64().unwrap();
    assert!(loss("fsrs_optimized") < loss("sm2"), "{found}");
    for model in ["sm2", "fsrs_default", "fsrs_optimized"] {
        let rmse = found["metrics"][model]["rmse"].as_f64().unwrap();
        assert!((0.0..1.0).contains(&rmse), "{model}: {rmse}");
    }

    // The fit is a versioned line of this machine's parameters log, and in use at once.
    let dir = hone.data_dir().join("parameters");
    let logs: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(logs.len(), 1);
    let line: Value =
        serde_json::from_str(fs::read_to_string(logs[0].path()).unwrap().trim()).unwrap();
    assert_eq!(line["v"], 1);
    assert_eq!(line["parameters"], found["parameters"]);
    let fitted = hone.json_at(&now, &["show", &card, "--json"])["state"].clone();
    assert_eq!(fitted["due"], before["due"], "SM-2 schedules as before");
    assert_ne!(
        fitted["stability"], before["stability"],
        "the memory model changed"
    );
    assert_eq!(hone.json_at(&now, &["doctor", "--json"])["ok"], true);

    // A restore to a backup from before the fit goes back to the defaults.
    let backups = hone.json_at(&now, &["backup", "--list", "--json"]);
    let first = backups[0]["id"].as_str().unwrap().to_owned();
    hone.ok_at(&now, &["restore", &first, "--yes"]);
    let text = fs::read_to_string(logs[0].path()).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let defaults: Vec<f64> = DEFAULT_PARAMETERS.iter().map(|w| f64::from(*w)).collect();
    let restored: Vec<f64> = last["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_f64().unwrap())
        .collect();
    for (a, b) in restored.iter().zip(&defaults) {
        assert!((a - b).abs() < 1e-6, "{restored:?}");
    }
}

#[test]
fn switching_schedulers_recomputes_every_schedule_from_the_log() {
    let hone = Hone::new();
    let day = |d: u32| format!("2026-03-{d:02}T09:00:00+01:00");
    hone.ok_at(&day(2), &["answer", "api/rest", "4"]);
    hone.ok_at(&day(3), &["answer", "api/rest", "4"]);
    let sm2 = hone.json_at(&day(3), &["show", "api/rest", "--json"])["state"].clone();
    assert_eq!(sm2["interval_days"], 6);
    assert!(sm2["stability"].as_f64().unwrap() > 5.0);
    assert!(sm2["retrievability"].as_f64().unwrap() > 0.99);

    // The fingerprint of the model the snapshot was folded with, from its header.
    let folded_with = || {
        let text = fs::read_to_string(hone.data_dir().join("local/snapshot.json")).unwrap();
        let head = &text[..text.find(",\"cards\":[").unwrap()];
        let header: Value = serde_json::from_str(&format!("{head}}}")).unwrap();
        header["model"].as_str().unwrap().to_owned()
    };
    hone.ok_at(&day(3), &["answer", "--stdin"]);
    let sm2_model = folded_with();

    hone.ok(&["config", "scheduler", "fsrs"]);
    let fsrs = hone.json_at(&day(3), &["show", "api/rest", "--json"])["state"].clone();
    assert_ne!(
        folded_with(),
        sm2_model,
        "the reader rebuilt the snapshot and wrote it again"
    );
    assert_eq!(fsrs["stability"], sm2["stability"], "the same memory state");
    assert_eq!(fsrs["repetitions"], sm2["repetitions"]);
    let stability = fsrs["stability"].as_f64().unwrap();
    assert_eq!(
        fsrs["interval_days"],
        stability.round() as u64,
        "R = 90% at S"
    );

    // An answer under FSRS reports the memory state; why explains the step and agrees.
    let answer = hone.json_at(&day(5), &["answer", "api/graphql", "5", "--json"]);
    assert_eq!(answer["interval_days"], 8, "S = 8.2956 for a first Easy");
    assert!(answer["stability"].as_f64().is_some());
    assert!(answer["difficulty"].as_f64().is_some());
    let why = hone.json_at(&day(5), &["why", "api/rest", "--json"]);
    for step in why["steps"].as_array().unwrap() {
        assert_eq!(step["interval_rule"], "fsrs", "{step}");
        assert_eq!(step["agrees"], true, "{step}");
        assert!(step["memory"]["stability_after"].as_f64().is_some());
    }
    assert!(
        hone.ok_at(&day(5), &["why", "api/rest"])
            .contains("I = S / f × (DR^(−1/w20) − 1)")
    );
    // Undo under FSRS restores the card exactly.
    hone.ok_at(&day(5), &["undo"]);
    assert_eq!(
        hone.json_at(&day(5), &["show", "api/graphql", "--json"])["state"],
        Value::Null
    );

    hone.ok(&["config", "desired_retention", "0.8"]);
    let lax = hone.json_at(&day(3), &["show", "api/rest", "--json"])["state"].clone();
    assert!(lax["interval_days"].as_u64() > fsrs["interval_days"].as_u64());

    hone.ok(&["config", "scheduler", "sm2"]);
    let back = hone.json_at(&day(3), &["show", "api/rest", "--json"])["state"].clone();
    assert_eq!(back, sm2, "SM-2 again, exactly");
    let plain = hone.json_at(&day(3), &["answer", "api/graphql", "5", "--json"]);
    assert!(plain.get("stability").is_none(), "{plain}");
    assert_eq!(hone.json_at(&day(3), &["doctor", "--json"])["ok"], true);
}

#[test]
fn readiness_and_the_plan_speak_of_expected_recall_under_both_schedulers() {
    let hone = Hone::new();
    let day = |d: u32| format!("2026-03-{d:02}T09:00:00+01:00");
    hone.ok_at(&day(2), &["plan", "--interview", "2026-03-30"]);
    for card in ["api/rest", "api/graphql"] {
        hone.ok_at(&day(2), &["answer", card, "4"]);
        hone.ok_at(&day(3), &["answer", card, "4"]);
    }
    for scheduler in ["sm2", "fsrs"] {
        hone.ok(&["config", "scheduler", scheduler]);
        let readiness = hone.json_at(&day(4), &["readiness", "--json"]);
        assert_eq!(readiness["interview"], "2026-03-30");
        let api = readiness["topics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tag"] == "api")
            .unwrap()
            .clone();
        let today = api["expected_recall"].as_f64().unwrap();
        let then = api["expected_recall_on_interview"].as_f64().unwrap();
        let cards = api["cards"].as_f64().unwrap();
        assert!(today > 0.0 && today < 2.0 * 0.75 / cards + 1e-9, "{api}");
        assert!(then < today, "{api}");
        assert_eq!(api["raise_most"].as_array().unwrap().len(), 3);

        let plan = hone.json_at(&day(4), &["plan", "--json"]);
        assert_eq!(plan["scheduler"], scheduler);
        let predicted = &plan["predicted"];
        assert_eq!(predicted["interview"], "2026-03-30");
        let overall = predicted["expected_recall"].as_f64().unwrap();
        assert!(overall > 0.5 && overall < 1.0, "{scheduler}: {predicted}");
        assert!(
            predicted["topics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["tag"] == "api")
        );
    }
    hone.ok_at(&day(4), &["plan", "--clear"]);
    let plan = hone.json_at(&day(4), &["plan", "--json"]);
    assert_eq!(plan["predicted"], Value::Null);
    let readiness = hone.json_at(&day(4), &["readiness", "--json"]);
    assert!(
        readiness["topics"][0]
            .get("expected_recall_on_interview")
            .is_none()
    );
}

#[test]
fn an_unusable_fit_is_skipped_with_a_warning_naming_its_line() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "4"]);
    let defaults = hone.json(&["show", "api/rest", "--json"])["state"].clone();
    let dir = hone.data_dir().join("parameters");
    fs::create_dir_all(&dir).unwrap();
    let newer = r#"{"v":2,"id":"n","hlc":[1,0],"at":"2026-03-02T09:00:00+01:00","reviews":9,"parameters":[]}"#;
    fs::write(dir.join("other.jsonl"), format!("not json\n{newer}\n")).unwrap();
    let out = hone.run_at(NOW, &["show", "api/rest", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("other.jsonl:1:2: not a parameters entry: expected true, false or null;"),
        "{text}"
    );
    assert!(
        text.contains("other.jsonl:2 was written by a newer hone"),
        "{text}"
    );
    assert!(text.contains("is skipped"), "{text}");
    let state: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(
        state["state"], defaults,
        "FSRS's defaults, as without the file"
    );
    let doctor = hone.json(&["doctor", "--json"]);
    assert_eq!(doctor["ok"], true, "a fit only tunes the model: {doctor}");
    let check = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "parameters")
        .cloned()
        .unwrap_or_default();
    assert_eq!(check["status"], "warning", "{doctor}");
    let detail = check["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("other.jsonl:1:2: not a parameters entry")
            && detail.contains("(and 1 more)")
            && detail.ends_with("the model uses FSRS's default parameters"),
        "{detail}"
    );
}
