//! The interactive mock interview, driven through a real pseudo-terminal: a two-question mock
//! with a five-second budget (a countdown redrawn while nothing is pressed, a time-out, a
//! typed answer, the checklist, the scorecard), and the ways out (q, Ctrl-C, SIGTERM), each
//! leaving the terminal as it was found and every answer given in the log. As `review_pty`,
//! each test runs hone under `sh`, which reports the exit code and the terminal modes after.

#![cfg(unix)]

mod common;

use std::process::Command;

use common::Hone;
use common::pty_finish as finish;
use expectrl::{Expect, Regex};
use serde_json::{Value, json};

type Pty = expectrl::session::OsSession;

fn spawn(hone: &Hone, args: &str) -> Pty {
    // As in review_pty: the trap keeps sh alive through a SIGINT, and `read` waits for the pty
    // library to set its own size before ours is set.
    // `stty -g` before and after tells whether hone left every mode as it found it.
    let script = format!(
        "trap : INT; read go; stty cols 80 rows 30; before=$(stty -g); \"$0\" --color never mock {args}; echo \"exit=$?\"; [ \"$before\" = \"$(stty -g)\" ] && echo modes=same; stty -a; echo END",
    );
    common::pty(hone, &script, &[])
}

/// Every mode as before, raw mode's flags back on.
fn assert_terminal_restored(modes: &str) {
    assert!(
        modes.contains("modes=same"),
        "terminal modes changed: {modes}"
    );
    common::assert_cooked(modes);
}

/// The cards a mock with these options asks, from its dry run.
fn planned(hone: &Hone, args: &[&str]) -> Vec<String> {
    let mut all = vec!["mock", "--dry-run", "--json"];
    all.extend_from_slice(args);
    hone.json(&all)["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["card"].as_str().unwrap().to_owned())
        .collect()
}

fn points_of(hone: &Hone, card: &str) -> usize {
    hone.json(&["show", card, "--json"])["card"]["points"]
        .as_array()
        .unwrap()
        .len()
}

/// The pid of `sh`'s child, from /proc: the hone process under test.
fn child_of(parent: u32) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let after = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        if after
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
            == Some(parent)
        {
            return Some(pid);
        }
    }
    None
}

/// Five seconds a question: time enough to type an answer on a busy machine, short enough to
/// wait for the first question's time to run out.
const QUICK: &[&str] = &["--questions", "2", "--seconds", "5", "--seed", "5"];

#[test]
fn a_two_question_mock_times_out_takes_a_typed_answer_and_ends_with_its_scorecard() {
    let hone = Hone::new();
    let cards = planned(&hone, QUICK);
    assert_eq!(cards.len(), 2);
    let (first, second) = (&cards[0], &cards[1]);
    let mut s = spawn(&hone, &QUICK.join(" "));

    // The first question: its countdown goes down with nothing pressed, then the time is up.
    s.expect("Mock · question 1 of 2").unwrap();
    s.expect(first.as_str()).unwrap();
    // Drawn again as the seconds pass (which ones, a busy machine decides).
    s.expect("0:05 left of 0:05").unwrap();
    s.expect(Regex("0:0[1-4] left of 0:05")).unwrap();
    // The answer opens where the model answer starts; the clock says why it shows.
    s.expect("The time is up: 0:05 of 0:05 used.").unwrap();
    s.expect("Enter done (0 of").unwrap();
    s.send(" ").unwrap(); // the first point: covered; the view moves to it
    s.expect("[x] 1.").unwrap();
    s.expect("Enter done (1 of").unwrap();
    s.send("\r").unwrap();

    // The second: a typed answer, revealed before the time is up, nothing marked.
    s.expect(
        format!(
            "Question 1 saved: 1 of {} key points.",
            points_of(&hone, first)
        )
        .as_str(),
    )
    .unwrap();
    s.expect("Mock · question 2 of 2").unwrap();
    s.send("t").unwrap();
    s.expect("Type your answer").unwrap();
    s.send("idempotency keys").unwrap();
    s.expect("Your answer: idempotency keys_").unwrap();
    s.send("\r").unwrap();
    s.expect("Time used: 0:0").unwrap();
    s.send("\r").unwrap();

    // The scorecard.
    let second_points = points_of(&hone, second);
    let total = points_of(&hone, first) + second_points;
    s.expect("Mock interview of 2026-03-02 09:00: 2 of 2 questions answered in")
        .unwrap();
    s.expect(Regex(r"1\s+\S+\s+1/\d\s+0:05 of 0:05, time out"))
        .unwrap();
    s.expect(format!("0/{second_points}").as_str()).unwrap();
    s.expect("By topic, weakest first:").unwrap();
    s.expect(format!("Score: 1 of {total} key points covered").as_str())
        .unwrap();
    s.expect("Points missed most often (in how many answers that checked them):")
        .unwrap();
    s.expect("Drill next:").unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 0);
    assert_terminal_restored(&modes);

    let lines = hone.log_lines();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["kind"] == "practice"));
    assert_eq!(lines[0]["card"], first.as_str());
    assert_eq!(lines[0]["covered"], json!([1]));
    assert_eq!(lines[0]["mock"]["timed_out"], true);
    assert_eq!(lines[0]["mock"]["used_ms"], 5000);
    assert_eq!(lines[0]["mock"]["seconds"], 5);
    assert_eq!(lines[1]["covered"], json!([]));
    assert_eq!(lines[1]["response"], "idempotency keys");
    assert!(lines[1]["mock"].get("timed_out").is_none());
    assert!(lines[1]["mock"]["used_ms"].as_u64().unwrap() < 5000);
    assert_eq!(lines[1]["mock"]["question"], 2);
    assert_eq!(lines[0]["mock"]["id"], lines[1]["mock"]["id"]);
    assert_eq!(
        hone.json(&["show", first, "--json"])["state"],
        Value::Null,
        "practice"
    );

    let history = hone.json(&["mock", "--history", "--json"]);
    let mock = &history["mocks"][0];
    assert_eq!(mock["answered"], 2);
    assert_eq!(mock["complete"], true);
    assert_eq!(mock["covered"], 1);
    assert_eq!(mock["points"], total);
}

#[test]
fn quitting_after_one_answer_keeps_it_and_the_mock_is_incomplete() {
    let hone = Hone::new();
    let mut s = spawn(&hone, "--questions 3 --seconds 60 --seed 2");
    s.expect("Mock · question 1 of 3").unwrap();
    s.send("\r").unwrap();
    s.expect("Enter done").unwrap();
    s.send(" ").unwrap();
    s.send(" ").unwrap();
    s.expect("Enter done (2 of").unwrap();
    s.send("\r").unwrap();
    s.expect("Mock · question 2 of 3").unwrap();
    s.send("q").unwrap();
    s.expect("1 of 3 questions answered").unwrap();
    s.expect(Regex(
        r"it ended\s+early\s+and\s+is\s+kept\s+as\s+incomplete",
    ))
    .unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 0);
    assert_terminal_restored(&modes);
    let history = hone.json(&["mock", "--history", "--json"]);
    assert_eq!(history["mocks"][0]["answered"], 1);
    assert_eq!(history["mocks"][0]["complete"], false);
    assert_eq!(history["mocks"][0]["covered"], 2);
}

#[test]
fn ctrl_c_before_the_first_answer_records_nothing() {
    let hone = Hone::new();
    let mut s = spawn(&hone, "--questions 2 --seconds 60");
    s.expect("Mock · question 1 of 2").unwrap();
    s.send("\u{3}").unwrap();
    s.expect("The mock ended before its first answer; nothing was recorded.")
        .unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 0);
    assert_terminal_restored(&modes);
    assert!(hone.log_lines().is_empty());
}

#[test]
fn sigterm_mid_mock_restores_the_terminal_and_keeps_the_answers() {
    let hone = Hone::new();
    let mut s = spawn(&hone, "--questions 2 --seconds 60");
    s.expect("Mock · question 1 of 2").unwrap();
    s.send(" ").unwrap();
    s.expect("Enter done").unwrap();
    s.send("\r").unwrap();
    s.expect("Mock · question 2 of 2").unwrap();
    let shell = s.get_process().pid().as_raw() as u32;
    let hone_pid = child_of(shell).expect("hone runs under sh");
    let status = Command::new("kill")
        .args(["-TERM", &hone_pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    s.expect("interrupted").unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 143);
    assert_terminal_restored(&modes);
    let history = hone.json(&["mock", "--history", "--json"]);
    assert_eq!(history["mocks"][0]["answered"], 1);
    assert_eq!(history["mocks"][0]["complete"], false);
}
