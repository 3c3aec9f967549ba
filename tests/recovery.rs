//! `hone doctor`, backups and `hone restore`, end to end.

mod common;

use std::fs;

use common::{Hone, NOW, doctor_detail, stderr};
use serde_json::Value;

fn at(minutes: i64) -> String {
    let start: chrono::DateTime<chrono::FixedOffset> = NOW.parse().unwrap();
    (start + chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn backups(hone: &Hone) -> Vec<Value> {
    hone.json(&["backup", "--list", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn the_log(hone: &Hone) -> std::path::PathBuf {
    fs::read_dir(hone.data_dir().join("reviews"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

#[test]
fn doctor_passes_a_fresh_and_a_healthy_data_dir() {
    let hone = Hone::new();
    let fresh = hone.json(&["doctor", "--json"]);
    assert_eq!(fresh["ok"], true);
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "--stdin"]); // checkpoint: a snapshot to compare
    let healthy = hone.json(&["doctor", "--json"]);
    assert_eq!(healthy["ok"], true, "{healthy}");
    let names: Vec<&str> = healthy["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for name in ["lock", "snapshot", "writable", "backups", "config"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let snapshot = doctor_detail(&healthy, "snapshot").unwrap_or_default();
    assert!(
        snapshot.contains("matches a replay of the logs"),
        "{snapshot}"
    );
}

#[test]
fn a_damaged_log_fails_the_doctor_which_points_at_a_backup() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "api/graphql", "4"]);
    let log = the_log(&hone);
    let text = fs::read_to_string(&log)
        .unwrap()
        .replacen("\"grade\":5", "\"grade\":\"five\"", 1);
    fs::write(&log, text).unwrap();
    let out = hone.run_at(NOW, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let report = common::stdout(&out);
    assert!(
        report.contains("failed") && report.contains(".jsonl:1"),
        "{report}"
    );
    assert!(
        report.contains("hone restore 20260302T080000Z-periodic"),
        "{report}"
    );
    assert!(stderr(&out).contains("checks failed"));
}

#[test]
fn a_snapshot_that_disagrees_with_the_log_fails_the_doctor() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "--stdin"]);
    let path = hone.data_dir().join("local/snapshot.json");
    let original = fs::read_to_string(&path).unwrap();
    // The card's row: [id, repetitions, ease, interval_days, ...]; give it another interval.
    let tampered: String = original
        .lines()
        .map(|line| match line.strip_prefix("[\"api/rest\",") {
            Some(rest) => {
                let mut fields: Vec<&str> = rest.split(',').collect();
                fields[2] = "9";
                format!("[\"api/rest\",{}\n", fields.join(","))
            }
            None => format!("{line}\n"),
        })
        .collect();
    assert_ne!(tampered, original, "the card is in the snapshot");
    fs::write(&path, tampered).unwrap();
    let out = hone.run_at(NOW, &["doctor", "--json"]);
    let doctor: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doctor["ok"], false);
    let out = hone.run_at(NOW, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stdout(&out).contains("1 cards differ from a replay of the logs"),
        "{}",
        common::stdout(&out)
    );
}

#[test]
fn backups_come_before_imports_and_every_30_minutes_of_use() {
    let hone = Hone::new();
    hone.ok_at(&at(0), &["answer", "api/rest", "5"]); // nothing to back up before the first answer
    assert!(backups(&hone).is_empty());
    hone.ok_at(&at(10), &["answer", "api/graphql", "5"]); // the first backup
    hone.ok_at(&at(20), &["answer", "api/grpc", "5"]);
    let list = backups(&hone);
    assert_eq!(list.len(), 1, "one periodic backup: {list:?}");
    assert_eq!(list[0]["reason"], "periodic");
    hone.ok_at(&at(39), &["answer", "sql/joins", "5"]);
    assert_eq!(backups(&hone).len(), 1, "not 30 minutes since the last");
    hone.ok_at(&at(41), &["answer", "sql/crud", "5"]);
    assert_eq!(backups(&hone).len(), 2, "31 minutes since the last");

    let file = hone.write("mine.tsv", "q\ta\n");
    hone.ok_at(&at(56), &["import", file.to_str().unwrap()]);
    let list = backups(&hone);
    assert_eq!(list.last().unwrap()["reason"], "import");
    assert_eq!(
        list.last().unwrap()["files"],
        1,
        "the log, before the import"
    );
}

#[test]
fn restore_goes_back_and_can_itself_be_undone() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let made = hone.json_at(&at(1), &["backup", "--json"]);
    let id = made["id"].as_str().unwrap().to_owned();
    let before = hone.ok_at(&at(2), &["due", "--json"]);
    hone.ok_at(&at(3), &["answer", "api/graphql", "2"]);
    let file = hone.write("mine.tsv", "q\ta\n");
    hone.ok_at(&at(4), &["import", file.to_str().unwrap()]);
    let lines_before = hone.log_lines().len();

    let out = hone.run_at(&at(5), &["restore", &id]);
    assert_eq!(out.status.code(), Some(2), "no terminal, no --yes: refused");
    let out = hone.json_at(&at(5), &["restore", &id, "--yes", "--json"]);
    assert_eq!(out["answers_taken_back"], 1, "{out}");
    assert_eq!(
        out["retracted"], 3,
        "an answer, and the deck and card of the import: {out}"
    );
    assert_eq!(out["put_back"], 0);
    assert_eq!(
        hone.ok_at(&at(2), &["due", "--json"]),
        before,
        "the answer and the deck since are gone"
    );
    // Gone by an appended retraction: the log only ever grows.
    let log = hone.log_lines();
    assert_eq!(log.len(), lines_before + 1);
    assert_eq!(log.last().unwrap()["kind"], "retract");

    let safety = out["safety"].as_str().unwrap().to_owned();
    hone.ok_at(&at(6), &["restore", &safety, "--yes"]);
    assert_eq!(
        hone.json(&["show", "api/graphql", "--json"])["state"]["repetitions"],
        0,
        "back to the state before the restore: the answer counts again"
    );
    assert!(
        hone.json(&["decks", "--json"])["decks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == "mine")
    );
    let out = hone.run_at(NOW, &["restore", "../etc", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no backup '../etc'"));
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_changes() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let id = hone.json_at(&at(1), &["backup", "--json"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dir = hone
        .data_dir()
        .join("local/backups")
        .join(&id)
        .join("reviews");
    let copy = fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    fs::write(&copy, "truncated").unwrap();
    let log_before = fs::read(the_log(&hone)).unwrap();
    let out = hone.run_at(&at(2), &["restore", &id, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is damaged"), "{}", stderr(&out));
    assert_eq!(fs::read(the_log(&hone)).unwrap(), log_before);
}

#[cfg(unix)]
#[test]
fn a_backup_copies_the_logs_and_keeps_the_version_it_saw() {
    use std::os::unix::fs::MetadataExt;
    let hone = Hone::new();
    let file = hone.write("mine.tsv", "first question?\tfirst answer\n");
    hone.ok_at(&at(0), &["import", file.to_str().unwrap()]);
    hone.ok_at(&at(1), &["answer", "api/rest", "5"]);
    let id = hone.json_at(&at(2), &["backup", "--json"])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let saved = hone.data_dir().join("local/backups").join(&id);
    let inode = |p: &std::path::Path| fs::metadata(p).unwrap().ino();
    let log = the_log(&hone);
    let relative = log.strip_prefix(hone.data_dir()).unwrap();
    assert_ne!(
        inode(&saved.join(relative)),
        inode(&log),
        "a log grows in place, so it is copied"
    );
    let old = fs::read(&log).unwrap();
    hone.ok_at(&at(3), &["answer", "api/graphql", "5"]);
    assert_ne!(fs::read(&log).unwrap(), old);
    assert_eq!(
        fs::read(saved.join(relative)).unwrap(),
        old,
        "the backup keeps what it saw"
    );
}
