//! Crash safety: `hone answer --stdin` and an interactive session killed with SIGKILL at random
//! moments. After every kill, every answer that was acknowledged is in the log, the data dir
//! loads, the next run leaves no temporary file behind, and the snapshot agrees with a replay
//! of the log. `cargo test` runs 50 kills of the scripted answers and 10 of the session;
//! scripts/long-tests.sh runs 1,000 with HONE_TORTURE_ROUNDS.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::{Hone, NOW, doctor_detail};
use serde_json::Value;

fn rounds(default: usize) -> usize {
    std::env::var("HONE_TORTURE_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A deterministic sequence of numbers, so a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn logged_ids(hone: &Hone) -> BTreeSet<String> {
    hone.log_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect()
}

/// What must hold after a kill: the data dir loads, the next run cleans up after the killed
/// one, and the doctor finds the snapshot and logs in agreement.
fn check_after_kill(hone: &Hone, acknowledged: &BTreeSet<String>, round: usize) {
    let logged = logged_ids(hone);
    let lost: Vec<&String> = acknowledged.difference(&logged).collect();
    assert!(
        lost.is_empty(),
        "round {round}: acknowledged answers missing from the log: {lost:?}"
    );
    assert!(
        hone.run_at(NOW, &["due", "--count"]).status.success(),
        "round {round}: the data dir does not load"
    );
    // The next writer removes what the killed one left.
    assert!(
        hone.run_with_stdin(NOW, &["answer", "--stdin"], "")
            .status
            .success(),
        "round {round}"
    );
    let leftovers: Vec<String> = ["local", "reviews", "decks", ""]
        .iter()
        .filter_map(|d| std::fs::read_dir(hone.data_dir().join(d)).ok())
        .flat_map(|entries| entries.flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.starts_with(".probe-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "round {round}: left behind: {leftovers:?}"
    );
    let doctor = hone.run_at(NOW, &["doctor", "--json"]);
    let report: Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert_eq!(report["ok"], true, "round {round}: {report}");
    match doctor_detail(&report, "snapshot") {
        // A kill before the first checkpoint leaves no snapshot, which is fine; one that exists
        // must agree with the log.
        Some(snapshot) => assert!(
            ["matches a replay", "not written yet"]
                .iter()
                .any(|ok| snapshot.contains(ok)),
            "round {round}: {snapshot}"
        ),
        None => assert!(
            logged.is_empty(),
            "round {round}: a log but no snapshot check: {report}"
        ),
    }
}

#[test]
fn killed_answer_streams_never_lose_an_acknowledged_answer() {
    let hone = Hone::new();
    let cards = hone.json(&["cards", "--json"]);
    let ids: Vec<String> = cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .take(80)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let mut rng = Lcg(42);
    let mut acknowledged = BTreeSet::new();
    for round in 0..rounds(50) {
        let mut child = hone
            .command(&["answer", "--stdin", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let lines: Vec<String> = (0..2000)
            .map(|_| {
                format!(
                    "{{\"card\": \"{}\", \"grade\": {}}}\n",
                    ids[rng.next(ids.len() as u64) as usize],
                    rng.next(6)
                )
            })
            .collect();
        // Lines go in small bursts, so the process commits many separate batches.
        let writer = thread::spawn(move || {
            for chunk in lines.chunks(7) {
                if stdin.write_all(chunk.concat().as_bytes()).is_err() {
                    return;
                }
                thread::sleep(Duration::from_micros(300));
            }
        });
        let acks = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let acks = Arc::clone(&acks);
            let stdout = child.stdout.take().unwrap();
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Ok(v) = serde_json::from_str::<Value>(&line) {
                        acks.lock()
                            .unwrap()
                            .push(v["review_id"].as_str().unwrap_or_default().to_owned());
                    }
                }
            })
        };
        thread::sleep(Duration::from_millis(rng.next(40)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        reader.join().unwrap();
        writer.join().unwrap();
        acknowledged.extend(acks.lock().unwrap().drain(..));
        check_after_kill(&hone, &acknowledged, round);
    }
    assert!(
        acknowledged.len() > 50,
        "the kills came late enough for answers to be acknowledged: {}",
        acknowledged.len()
    );
    eprintln!(
        "answer --stdin: {} kills survived, {} acknowledged answers all in the log",
        rounds(50),
        acknowledged.len()
    );
}

#[cfg(unix)]
#[test]
fn a_killed_review_session_keeps_every_answer_it_showed_as_saved() {
    use expectrl::Expect;
    let hone = Hone::new();
    hone.ok(&["config", "new_per_day", "500"]);
    let mut rng = Lcg(7);
    let mut saved = 0;
    for round in 0..rounds(10).min(200) {
        // A new study day each round, so the cards never run out.
        let start: chrono::DateTime<chrono::FixedOffset> = NOW.parse().unwrap();
        let now = (start + chrono::Days::new(round as u64)).to_rfc3339();
        let mut cmd = std::process::Command::new(common::BIN);
        cmd.arg("review")
            .arg("--color")
            .arg("never")
            .env_clear()
            .env("TERM", "xterm");
        cmd.env("HONE_DATA_DIR", hone.data_dir())
            .env("HONE_CONFIG", hone.config_file())
            .env("HONE_NOW", &now);
        let mut session = expectrl::Session::spawn(cmd).unwrap();
        session.set_expect_timeout(Some(Duration::from_secs(10)));
        let answers = 1 + rng.next(4);
        for _ in 0..answers {
            session.expect("Enter show the answer").unwrap();
            session.send("\r").unwrap();
            session.expect("Right: 3 hard").unwrap();
            session.send(rng.next(6).to_string()).unwrap();
            session.expect("Saved ").unwrap();
            saved += 1;
        }
        // Die at a random moment: waiting for a key, or while the next answer is written.
        if rng.next(2) == 0 {
            session.send("\r").unwrap();
            session.send("4").unwrap();
            thread::sleep(Duration::from_micros(rng.next(3000)));
        }
        session
            .get_process_mut()
            .kill(expectrl::process::unix::Signal::SIGKILL)
            .unwrap();
        let logged = hone
            .log_lines()
            .iter()
            .filter(|l| l["kind"] == "review" || l["kind"] == "practice")
            .count();
        assert!(
            logged >= saved,
            "round {round}: {saved} answers shown as saved, {logged} in the log"
        );
        saved = logged;
        check_after_kill(&hone, &BTreeSet::new(), round);
    }
    eprintln!(
        "review: {} kills survived, {saved} answers shown as saved all in the log",
        rounds(10).min(200)
    );
}
