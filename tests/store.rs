//! The state on disk: durability, versions, damage and concurrent writers, with the real binary.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::thread;

use common::{Hone, NOW, stderr};
use serde_json::Value;

fn answer_line(card: &str, grade: u8) -> String {
    format!("{{\"card\": \"{card}\", \"grade\": {grade}}}\n")
}

/// The first `n` built-in card ids.
fn card_ids(hone: &Hone, n: usize) -> Vec<String> {
    let cards = hone.json(&["cards", "--json"]);
    let ids: Vec<String> = cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= n, "need {n} cards, have {}", ids.len());
    ids.into_iter().take(n).collect()
}

/// Answers some cards through stdin, which also writes the snapshot at the end.
fn answer_some(hone: &Hone) {
    let input: String = card_ids(hone, 5)
        .iter()
        .map(|id| answer_line(id, 4))
        .collect();
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn snapshot(hone: &Hone) -> std::path::PathBuf {
    hone.data_dir().join("local/snapshot.json")
}

fn the_log(hone: &Hone) -> std::path::PathBuf {
    let dir = hone.data_dir().join("reviews");
    let mut logs: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1);
    logs.pop().unwrap()
}

#[test]
fn a_snapshot_from_a_newer_hone_is_refused_and_left_untouched() {
    let hone = Hone::new();
    answer_some(&hone);
    let newer = r#"{"schema": 99, "something": "new"}"#;
    fs::write(snapshot(&hone), newer).unwrap();
    for args in [&["due"][..], &["answer", "api/rest", "4"]] {
        let out = hone.run_at(NOW, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("snapshot.json was written by a newer hone (format version 99"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(fs::read_to_string(snapshot(&hone)).unwrap(), newer);
    assert_eq!(hone.log_lines().len(), 5, "nothing appended");
}

#[test]
fn a_log_line_from_a_newer_hone_is_refused() {
    let hone = Hone::new();
    answer_some(&hone);
    fs::remove_file(snapshot(&hone)).unwrap();
    let log = the_log(&hone);
    let mut text = fs::read_to_string(&log).unwrap();
    text.push_str("{\"v\": 3, \"future\": true}\n");
    fs::write(&log, &text).unwrap();
    let out = hone.run_at(NOW, &["due"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".jsonl:6 was written by a newer hone (format version 3"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&log).unwrap(), text);
}

#[test]
fn a_damaged_snapshot_is_reported_set_aside_intact_and_rebuilt_from_the_log() {
    let cases: [(&[u8], &str); 4] = [
        (b"", "the file is empty"),
        (&[0u8; 64], "only zero bytes"),
        (b"{\"schema\": 1, \"logs\": {", "cut short"),
        (b"\xff\xfe not json", "not a valid hone file"),
    ];
    for (garbage, reason) in cases {
        let hone = Hone::new();
        answer_some(&hone);
        let due_before = hone.ok(&["due", "--json"]);
        fs::write(snapshot(&hone), garbage).unwrap();
        let log_before = fs::read(the_log(&hone)).unwrap();

        let out = hone.run_at(NOW, &["due", "--json"]);
        assert!(out.status.success(), "{reason}: {}", stderr(&out));
        let warning = stderr(&out);
        assert!(
            warning.contains("snapshot.json") && warning.contains(reason),
            "{warning}"
        );
        assert!(
            warning.contains("set aside, intact")
                && warning.contains("rebuilt from the review logs"),
            "{warning}"
        );
        assert_eq!(
            common::stdout(&out),
            due_before,
            "the rebuilt state is the log's"
        );

        let damaged: Vec<_> = fs::read_dir(hone.data_dir().join("local/damaged"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(damaged.len(), 1);
        assert_eq!(
            fs::read(&damaged[0]).unwrap(),
            garbage,
            "kept byte for byte"
        );
        assert_eq!(
            fs::read(the_log(&hone)).unwrap(),
            log_before,
            "the log is never touched"
        );
        hone.ok(&["answer", "api/rest", "4"]);
    }
}

#[test]
fn a_corrupt_log_line_is_reported_with_its_line() {
    let hone = Hone::new();
    answer_some(&hone);
    fs::remove_file(snapshot(&hone)).unwrap();
    let log = the_log(&hone);
    let mut text = fs::read_to_string(&log).unwrap();
    text = text.replacen("\"grade\":4", "\"grade\":\"four\"", 2);
    fs::write(&log, &text).unwrap();
    let out = hone.run_at(NOW, &["due"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    let (place, problem) = text.split_once(": not a review record: ").expect(&text);
    let column = place
        .rsplit_once(".jsonl:1:")
        .map(|(_, c)| c.parse::<u32>());
    assert!(matches!(column, Some(Ok(_))), "file:line:column: {text}");
    assert!(
        problem.starts_with("'grade': invalid type: string \"four\", expected u8;"),
        "names the field, and gives no second position: {text}"
    );
}

#[test]
fn a_log_line_that_is_not_json_says_so_in_words_at_one_position() {
    let hone = Hone::new();
    answer_some(&hone);
    let log = the_log(&hone);
    let mut text = fs::read_to_string(&log).unwrap();
    text.push_str("{\"v\":1,\"card\":\"api/rest\",}\n");
    let lines = text.lines().count();
    fs::write(&log, &text).unwrap();
    let out = hone.run_at(NOW, &["due"]);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        ".jsonl:{lines}:26: not a review record: a comma with nothing after it before `}}` or `]`"
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert!(!stderr(&out).contains(" column "), "{}", stderr(&out));
}

#[test]
fn the_snapshot_rebuilt_from_the_log_equals_the_stored_one() {
    let hone = Hone::new();
    let ids = card_ids(&hone, 40);
    let mut input = String::new();
    for (i, id) in ids.iter().enumerate() {
        input.push_str(&answer_line(id, (i % 6) as u8));
        input.push_str(&answer_line(id, 5));
    }
    assert!(
        hone.run_with_stdin(NOW, &["answer", "--stdin"], &input)
            .status
            .success()
    );
    let stored = fs::read(snapshot(&hone)).unwrap();
    let due_before = hone.ok_at("2026-03-09T09:00:00+01:00", &["due", "--json"]);

    fs::remove_file(snapshot(&hone)).unwrap();
    assert_eq!(
        hone.ok_at("2026-03-09T09:00:00+01:00", &["due", "--json"]),
        due_before,
        "replaying the log gives the same queue"
    );
    // An empty batch of answers still checkpoints, which writes the snapshot anew.
    assert!(
        hone.run_with_stdin(NOW, &["answer", "--stdin"], "")
            .status
            .success()
    );
    assert_eq!(fs::read(snapshot(&hone)).unwrap(), stored);
}

#[test]
fn a_torn_last_line_is_ignored_then_set_aside_before_the_next_answer() {
    let hone = Hone::new();
    answer_some(&hone);
    let log = the_log(&hone);
    let intact = fs::read(&log).unwrap();
    let mut torn = intact.clone();
    torn.extend_from_slice(b"{\"v\":1,\"id\":\"abc\",\"kind\":\"rev");
    fs::write(&log, &torn).unwrap();

    let out = hone.run_at(NOW, &["due", "--count"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains(":6: ignored an incomplete last line"),
        "{}",
        stderr(&out)
    );

    hone.ok(&["answer", "api/rest", "5"]);
    let after = fs::read(&log).unwrap();
    assert!(after.starts_with(&intact));
    assert_eq!(
        hone.log_lines().len(),
        6,
        "the torn line is gone, the new answer is there"
    );
    let kept = hone.data_dir().join("local/torn");
    assert_eq!(
        fs::read_dir(kept).unwrap().count(),
        1,
        "the fragment is kept for inspection"
    );
}

#[test]
fn an_acknowledged_answer_survives_kill_9() {
    let hone = Hone::new();
    let mut child = hone
        .command(&["answer", "--stdin", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut acks = BufReader::new(child.stdout.take().unwrap());
    stdin
        .write_all(answer_line("api/rest", 5).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let mut ack = String::new();
    acks.read_line(&mut ack).unwrap();
    let ack: Value = serde_json::from_str(&ack).unwrap();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let logged = hone.log_lines();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0]["id"], ack["review_id"]);
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["state"]["due"],
        "2026-03-03"
    );
}

#[test]
fn two_processes_answering_200_cards_each_at_once_lose_nothing() {
    let hone = Hone::new();
    let ids = card_ids(&hone, 250);
    // Overlapping halves, so both processes also answer the same cards.
    let halves = [ids[..200].to_vec(), ids[50..250].to_vec()];
    let workers: Vec<_> = halves
        .into_iter()
        .map(|cards| {
            let mut child = hone
                .command(&["answer", "--stdin", "--json"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            thread::spawn(move || {
                let mut stdin = child.stdin.take().unwrap();
                let mut acks = BufReader::new(child.stdout.take().unwrap());
                // One line at a time, waiting for each acknowledgement: 200 separate commits.
                for card in &cards {
                    stdin.write_all(answer_line(card, 4).as_bytes()).unwrap();
                    stdin.flush().unwrap();
                    let mut ack = String::new();
                    acks.read_line(&mut ack).unwrap();
                    assert!(ack.contains(card.as_str()), "ack {ack:?} for {card}");
                }
                drop(stdin);
                let out = child.wait_with_output().unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }

    let logged = hone.log_lines();
    assert_eq!(logged.len(), 400);
    let kinds_of = |id: &str| -> Vec<&str> {
        let mut kinds: Vec<&str> = logged
            .iter()
            .filter(|l| l["card"] == id)
            .map(|l| l["kind"].as_str().unwrap())
            .collect();
        kinds.sort_unstable();
        kinds
    };
    assert_eq!(kinds_of(&ids[0]), ["review"]);
    // Each overlapping card's second answer saw the first, made the same study day: practice,
    // whichever process recorded it.
    assert_eq!(kinds_of(&ids[100]), ["practice", "review"]);
    let show = hone.json(&["show", &ids[100], "--json"]);
    assert_eq!(show["state"]["reviews"], 1);
    assert_eq!(show["state"]["repetitions"], 1);
}

#[test]
fn a_busy_data_dir_is_refused_after_a_bounded_wait_with_exit_75() {
    let hone = Hone::new();
    answer_some(&hone);
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(hone.data_dir().join("local/lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = hone
        .command(&["answer", "api/rest", "4"])
        .env("HONE_LOCK_TIMEOUT", "0.2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(75));
    assert!(stderr(&out).contains("data dir busy"), "{}", stderr(&out));
    lock.unlock().unwrap();
    hone.ok(&["answer", "api/rest", "4"]);
    assert_eq!(hone.log_lines().len(), 6);
}

#[test]
fn writers_importers_and_readers_at_once_lose_nothing() {
    let hone = Hone::new();
    let ids = card_ids(&hone, 120);
    let started = std::time::Instant::now();
    let mut workers = Vec::new();
    // Four answerers, each waiting for every acknowledgement.
    for w in 0..4 {
        let cards: Vec<String> = ids.iter().skip(w * 30).take(30).cloned().collect();
        let mut child = hone
            .command(&["answer", "--stdin", "--json"])
            .env("HONE_LOCK_TIMEOUT", "5")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        workers.push(thread::spawn(move || {
            let mut stdin = child.stdin.take().unwrap();
            let mut acks = BufReader::new(child.stdout.take().unwrap());
            let mut acknowledged = Vec::new();
            for card in &cards {
                if stdin.write_all(answer_line(card, 4).as_bytes()).is_err() {
                    break;
                }
                let mut ack = String::new();
                if acks.read_line(&mut ack).unwrap_or(0) == 0 {
                    break;
                }
                let ack: Value = serde_json::from_str(&ack).unwrap();
                acknowledged.push(ack["review_id"].as_str().unwrap().to_owned());
            }
            drop(stdin);
            let out = child.wait_with_output().unwrap();
            let code = out.status.code();
            assert!(
                code == Some(0)
                    || (code == Some(75)
                        && String::from_utf8_lossy(&out.stderr).contains("data dir busy")),
                "{code:?}"
            );
            acknowledged
        }));
    }
    // Two importers re-importing their decks.
    let importers: Vec<_> = (0..2)
        .map(|i| {
            let file = hone.write(
                &format!("deck{i}.tsv"),
                &format!("question {i}\tanswer\nanother {i}\tanswer\n"),
            );
            let mut cmd = hone.command(&["import", file.to_str().unwrap()]);
            cmd.env("HONE_LOCK_TIMEOUT", "5");
            thread::spawn(move || {
                for _ in 0..10 {
                    let code = cmd.output().unwrap().status.code();
                    assert!(code == Some(0) || code == Some(75), "{code:?}");
                }
                Vec::new()
            })
        })
        .collect();
    // Four readers, timed.
    let readers: Vec<_> = (0..4)
        .map(|r| {
            let mut cmd = hone.command(&[["due", "stats", "decks", "next"][r], "--json"]);
            thread::spawn(move || {
                let mut slowest = std::time::Duration::ZERO;
                for _ in 0..15 {
                    let t = std::time::Instant::now();
                    assert!(cmd.output().unwrap().status.success());
                    slowest = slowest.max(t.elapsed());
                }
                slowest
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    for worker in workers.into_iter().chain(importers) {
        acknowledged.extend(worker.join().unwrap());
    }
    let slowest = readers
        .into_iter()
        .map(|r| r.join().unwrap())
        .max()
        .unwrap();
    assert!(
        slowest < std::time::Duration::from_secs(3),
        "a reader waited {slowest:?}"
    );
    let logged: std::collections::BTreeSet<String> = hone
        .log_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        acknowledged.iter().all(|id| logged.contains(id)),
        "an acknowledged answer is missing"
    );
    assert!(
        acknowledged.len() >= 100,
        "most answers went through: {}",
        acknowledged.len()
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// Enough answers that their log outgrows what a reader replays without writing a snapshot.
fn answer_many(hone: &Hone) {
    let ids = card_ids(hone, 200);
    // Four rounds on four days: each answer a scheduled review, with its states in the log.
    let input: String = (0..800)
        .map(|i| {
            let card = &ids[i % ids.len()];
            let day = 2 + i / ids.len();
            format!("{{\"card\": \"{card}\", \"grade\": 4, \"at\": \"2026-03-0{day}T09:00:00+01:00\"}}\n")
        })
        .collect();
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fs::metadata(the_log(hone)).unwrap().len() > 256 * 1024);
}

#[test]
fn a_reader_that_replayed_a_long_log_writes_the_snapshot_for_the_next() {
    let hone = Hone::new();
    answer_many(&hone);
    let due = hone.ok(&["due", "--json"]);
    // A snapshot from an older hone: an outdated cache, replayed from the log.
    fs::write(snapshot(&hone), r#"{"schema":1,"logs":{},"cards":{}}"#).unwrap();
    let out = hone.run_at(NOW, &["due", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "an outdated cache is not worth a warning");
    assert_eq!(common::stdout(&out), due);
    let written = fs::read_to_string(snapshot(&hone)).unwrap();
    assert!(
        written.starts_with("{\"schema\":5,"),
        "rewritten: {written:.80}"
    );
    assert_eq!(hone.json(&["doctor", "--json"])["ok"], true);
}

#[test]
fn a_torn_line_is_reported_once_even_when_the_reader_writes_the_snapshot() {
    let hone = Hone::new();
    answer_many(&hone);
    fs::remove_file(snapshot(&hone)).unwrap();
    let mut log = fs::OpenOptions::new()
        .append(true)
        .open(the_log(&hone))
        .unwrap();
    log.write_all(b"{\"v\":1,\"id\":\"cut").unwrap();
    let out = hone.run_at(NOW, &["due", "--count"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("incomplete last line").count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(snapshot(&hone).exists(), "the reader wrote the snapshot");
}

#[test]
fn the_curriculum_index_is_a_cache_that_never_decides_what_exists() {
    let hone = Hone::new();
    let deck = hone.write(
        "mine.csv",
        "id,front,back\na,Q one?,A one.\nb,Q two?,A two.\n",
    );
    hone.ok(&["import", deck.to_str().unwrap()]);
    let cards = |hone: &Hone| {
        let json = hone.json(&["cards", "--deck", "mine", "--json"]);
        json["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(cards(&hone), ["mine/a", "mine/b"]);
    let index = hone.data_dir().join("local/curriculum.index");
    assert!(index.exists(), "the first read writes the index");

    // A change to the log is seen at once, whatever the index says.
    let edited = hone.write(
        "mine.csv",
        "id,front,back\na,Q one?,A one.\nc,Q three?,A three.\n",
    );
    hone.ok(&["import", edited.to_str().unwrap()]);
    assert_eq!(cards(&hone), ["mine/a", "mine/c"]);
    assert_eq!(
        hone.json(&["show", "mine/c", "--json"])["card"]["back"],
        "A three."
    );

    // A damaged or foreign index is folded over, never an error.
    for junk in ["", "not an index", "{\"schema\":99}\nE\n"] {
        std::fs::write(&index, junk).unwrap();
        assert_eq!(cards(&hone), ["mine/a", "mine/c"], "{junk:?}");
    }
    // An index that claims a curriculum the logs do not hold (another data dir's) is ignored.
    let other = Hone::new();
    let theirs = other.write("mine.csv", "id,front,back\nz,Q?,A.\n");
    other.ok(&["import", theirs.to_str().unwrap()]);
    other.ok(&["cards"]);
    std::fs::copy(other.data_dir().join("local/curriculum.index"), &index).unwrap();
    assert_eq!(cards(&hone), ["mine/a", "mine/c"]);
}
