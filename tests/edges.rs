//! Nothing lost at the edges: each test is named after what broke, and runs the real binary
//! the way a new user, a script or an attacker did when it broke.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::{Hone, NOW, doctor_detail, stderr, stdout};
use serde_json::Value;

fn own_log(hone: &Hone) -> std::path::PathBuf {
    fs::read_dir(hone.data_dir().join("reviews"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap()
}

fn backup_count(hone: &Hone) -> usize {
    hone.json(&["backup", "--list", "--json"])
        .as_array()
        .unwrap()
        .len()
}

// Repeated answers.

#[test]
fn six_answers_to_one_card_in_one_morning_schedule_it_once() {
    let hone = Hone::new();
    for minute in 0..6 {
        let at = format!("2026-03-02T09:{minute:02}:00+01:00");
        hone.ok_at(&at, &["answer", "api/rest", "4"]);
    }
    let show = hone.json(&["show", "api/rest", "--json"]);
    assert_eq!(show["state"]["interval_days"], 1, "{show}");
    assert_eq!(show["state"]["reviews"], 1);
    let kinds: Vec<String> = hone
        .log_lines()
        .iter()
        .map(|l| l["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "review", "practice", "practice", "practice", "practice", "practice"
        ]
    );
    // The next study day it is a review again.
    let next = hone.json_at(
        "2026-03-03T09:00:00+01:00",
        &["answer", "api/rest", "4", "--json"],
    );
    assert_eq!(
        (next["kind"].as_str(), next["interval_days"].as_u64()),
        (Some("review"), Some(6))
    );
}

#[test]
fn intervals_stop_at_maximum_interval_days_and_dates_keep_four_digits() {
    let hone = Hone::new();
    hone.ok(&["config", "maximum_interval_days", "30"]);
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut last = Value::Null;
    for _ in 0..12 {
        let at = format!("{day}T09:00:00+01:00");
        last = hone.json_at(&at, &["answer", "api/rest", "5", "--json"]);
        assert!(last["interval_days"].as_u64().unwrap() <= 30, "{last}");
        day = last["due"].as_str().unwrap().parse().unwrap();
    }
    assert_eq!(last["interval_days"], 30);
    // Near the end of the calendar, a due date stops at 9999-12-31.
    let late = hone.json_at(
        "9999-12-30T09:00:00+01:00",
        &["answer", "api/graphql", "5", "--json"],
    );
    assert!(late["due"].as_str().unwrap() <= "9999-12-31", "{late}");
    let out = hone.run_at(NOW, &["due", "--now", "10000-01-01T00:00:00Z"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a timestamp"), "{}", stderr(&out));
}

// The log is append-only, and a rewritten one is never trusted by its length.

#[test]
fn a_log_edited_in_place_to_the_same_length_is_replayed_with_a_warning() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "--stdin"]); // a snapshot that reflects the log
    let log = own_log(&hone);
    let text = fs::read_to_string(&log).unwrap();
    let edited = text.replace("\"grade\":5", "\"grade\":4");
    assert_eq!(edited.len(), text.len());
    fs::write(&log, edited).unwrap();
    let out = hone.run_at(NOW, &["show", "api/rest", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown["state"]["ease"], 2.5,
        "grade 4 keeps the ease: {shown}"
    );
    let name = log.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        stderr(&out).contains(&format!("{name} was rewritten")),
        "{}",
        stderr(&out)
    );
    assert_eq!(hone.json(&["doctor", "--json"])["ok"], true);
}

#[test]
fn a_log_rewritten_and_grown_past_its_old_length_is_replayed_not_misread() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "--stdin"]);
    let log = own_log(&hone);
    // Another machine's copy, longer, arrives by a sync tool: a different first line.
    let other = Hone::new();
    other.ok(&["answer", "api/graphql", "3"]);
    other.ok(&["answer", "sql/joins", "4"]);
    fs::write(&log, fs::read(own_log(&other)).unwrap()).unwrap();
    let out = hone.run_at(NOW, &["due", "--json"]);
    assert!(
        out.status.success(),
        "no `not a review record`: {}",
        stderr(&out)
    );
    let show = hone.json(&["show", "api/graphql", "--json"]);
    assert_eq!(show["state"]["reviews"], 1, "{show}");
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["state"],
        Value::Null
    );
    assert_eq!(hone.json(&["doctor", "--json"])["ok"], true);
}

// Backups and doctor.

#[test]
fn doctor_does_not_wait_on_its_own_lock_when_there_is_an_imported_deck() {
    let hone = Hone::new();
    let deck = hone.write("x.csv", "front,back\nq1,a1\n");
    hone.ok(&["import", deck.to_str().unwrap()]);
    let started = Instant::now();
    let report = hone.json(&["doctor", "--json"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(report["ok"], true, "{report}");
    assert!(
        doctor_detail(&report, "curriculum")
            .unwrap()
            .contains("1 imported deck"),
        "{report}"
    );
}

#[test]
fn with_a_damaged_log_no_command_writes_anything_not_even_a_backup() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok_at("2026-03-02T10:00:00+01:00", &["answer", "api/graphql", "4"]); // a backup
    let backups = backup_count(&hone);
    let log = own_log(&hone);
    let text = fs::read_to_string(&log)
        .unwrap()
        .replacen("\"grade\":5", "\"grade\":\"five\"", 1);
    fs::write(&log, &text).unwrap();
    let deck = hone.write("x.csv", "front,back\nq1,a1\n");
    for later in ["11", "12", "13"] {
        let at = format!("2026-03-02T{later}:00:00+01:00");
        let out = hone.run_at(&at, &["import", deck.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(".jsonl:1"), "{}", stderr(&out));
    }
    let out = hone.run_at("2026-03-02T14:00:00+01:00", &["answer", "sql/joins", "4"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&log).unwrap(), text, "nothing appended");
    assert_eq!(backup_count(&hone), backups, "no backup of the damage");
    assert!(
        !hone.data_dir().join("curriculum").exists(),
        "nothing imported"
    );
}

#[test]
fn doctor_says_what_a_restore_would_take_back_and_the_restore_repairs_by_appending() {
    let hone = Hone::new();
    hone.ok_at("2026-03-02T09:00:00+01:00", &["answer", "api/rest", "5"]);
    hone.ok_at("2026-03-02T09:40:00+01:00", &["answer", "api/graphql", "4"]); // backed up first
    hone.ok_at("2026-03-02T09:41:00+01:00", &["answer", "sql/joins", "4"]);
    let log = own_log(&hone);
    let damaged =
        fs::read_to_string(&log)
            .unwrap()
            .replacen("\"grade\":5", "\"grade\":\"five\"", 1);
    fs::write(&log, &damaged).unwrap();
    let out = hone.run_at(NOW, &["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["restore"]["answers_taken_back"], 2, "{report}");
    let text = stdout(&hone.run_at(NOW, &["doctor"]));
    assert!(
        text.contains("takes back 2 answers recorded on this machine"),
        "{text}"
    );
    let id = report["restore"]["backup"].as_str().unwrap().to_owned();

    let restored = hone.json_at(
        "2026-03-02T10:00:00+01:00",
        &["restore", &id, "--yes", "--json"],
    );
    assert_eq!(restored["repaired"], 1, "{restored}");
    assert_eq!(
        restored["put_back"], 1,
        "the damaged answer, from the backup"
    );
    assert_eq!(restored["answers_taken_back"], 2);
    // Appended, never rewritten: the damaged line is still there, settled by a repair.
    let now = fs::read_to_string(&log).unwrap();
    assert!(now.starts_with(&damaged), "the log only grew");
    assert!(now.contains("\"kind\":\"repair\""));
    assert_eq!(hone.json(&["doctor", "--json"])["ok"], true);
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["state"]["reviews"],
        1
    );
    assert_eq!(
        hone.json(&["show", "sql/joins", "--json"])["state"],
        Value::Null
    );
}

#[test]
fn doctor_fails_a_data_dir_that_is_a_file_and_a_lock_that_is_a_directory() {
    let hone = Hone::new();
    fs::write(hone.data_dir(), "not a directory").unwrap();
    let out = hone.run_at(NOW, &["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["checks"][0]["status"], "failed", "{report}");

    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let lock = hone.data_dir().join("local/lock");
    fs::remove_file(&lock).unwrap();
    fs::create_dir(&lock).unwrap();
    let out = hone.run_at(NOW, &["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let detail = doctor_detail(&report, "lock").unwrap();
    assert!(detail.contains("is a directory"), "{report}");
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_logs_is_skipped_never_waited_on() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let fifo = hone.data_dir().join("reviews/evil.jsonl");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let started = Instant::now();
    for args in [
        &["answer", "api/graphql", "4"][..],
        &["doctor"],
        &["backup"],
    ] {
        let out = hone.run_at("2026-03-02T10:00:00+01:00", args);
        assert!(
            out.status.success() || args == ["doctor"],
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("evil.jsonl") || args == ["doctor"],
            "{}",
            stderr(&out)
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "nothing blocked"
    );
}

// Merging.

#[test]
fn an_entry_merged_in_with_its_id_here_and_other_content_is_refused_whole() {
    let a = Hone::new();
    let b = Hone::new();
    a.ok(&["answer", "api/rest", "5"]);
    b.ok(&["merge", a.data_dir().to_str().unwrap()]);
    // Someone edits the copy on b: same id, another grade.
    let copied = own_log_named(&b, &own_log(&a));
    let text = fs::read_to_string(&copied)
        .unwrap()
        .replace("\"grade\":5", "\"grade\":2");
    fs::write(&copied, text).unwrap();
    a.ok(&["answer", "api/graphql", "4"]);
    let before = fs::read_to_string(own_log(&a)).unwrap();
    let out = a.run_at(NOW, &["merge", b.data_dir().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("other content"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was changed"));
    assert_eq!(fs::read_to_string(own_log(&a)).unwrap(), before);
}

/// The log in `hone`'s data dir with the file name of `like`.
fn own_log_named(hone: &Hone, like: &std::path::Path) -> std::path::PathBuf {
    hone.data_dir()
        .join("reviews")
        .join(like.file_name().unwrap())
}

#[test]
fn merging_the_same_source_again_makes_no_new_side_log_and_lists_each_log_once() {
    let a = Hone::new();
    let b = Hone::new();
    a.ok(&["answer", "api/rest", "5"]);
    b.ok(&["merge", a.data_dir().to_str().unwrap()]);
    // a's log and b's copy of it part: a restore on a took its answer back.
    a.ok_at("2026-03-02T09:10:00+01:00", &["answer", "api/graphql", "4"]);
    let copy = own_log_named(&b, &own_log(&a));
    let mut parted = fs::read_to_string(&copy).unwrap();
    parted.push_str(&fs::read_to_string(own_log(&answered("sql/joins"))).unwrap());
    fs::write(&copy, parted).unwrap();
    let first = b.json(&["merge", a.data_dir().to_str().unwrap(), "--json"]);
    let logs = first["logs"].as_array().unwrap();
    let unique: std::collections::BTreeSet<String> = logs.iter().map(Value::to_string).collect();
    assert_eq!(unique.len(), logs.len(), "{first}");
    let count = || fs::read_dir(b.data_dir().join("reviews")).unwrap().count();
    let after_first = count();
    a.ok_at("2026-03-02T09:20:00+01:00", &["answer", "sql/crud", "4"]);
    b.ok(&["merge", a.data_dir().to_str().unwrap()]);
    assert_eq!(count(), after_first, "the same side log again");
}

/// A data dir of its own with one answer.
fn answered(card: &str) -> Hone {
    let hone = Hone::new();
    hone.ok(&["answer", card, "4"]);
    hone
}

// Files of older hones, and changes of several files.

#[test]
fn a_plan_or_deck_settings_file_of_a_newer_hone_is_refused_by_every_command_alike() {
    for (file, text) in [
        ("plan.json", r#"{"schema":9,"interview":"2026-12-01"}"#),
        ("deck-settings.json", r#"{"schema":9,"disabled":[]}"#),
    ] {
        let hone = Hone::new();
        let deck = hone.write("x.csv", "front,back\nq,a\n");
        hone.ok(&["import", deck.to_str().unwrap()]);
        // A data dir an older hone's sync brought the file into, untouched since.
        fs::remove_dir_all(hone.data_dir().join("curriculum")).unwrap();
        fs::write(hone.data_dir().join(file), text).unwrap();
        for args in [
            &["plan", "--interview", "2026-04-01"][..],
            &["plan", "--clear"],
            &["deck", "remove", "x"],
            &["due"],
        ] {
            let out = hone.run_at(NOW, args);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{file} {args:?}: {}",
                stderr(&out)
            );
            assert!(stderr(&out).contains("newer hone"), "{}", stderr(&out));
        }
        assert_eq!(
            fs::read_to_string(hone.data_dir().join(file)).unwrap(),
            text
        );
    }
}

#[test]
fn config_keeps_comments_and_unset_defaults_and_warns_of_unknown_keys() {
    let hone = Hone::new();
    let text = "# mine\nnew_per_day = 5 # weekdays\nfrom_the_future = 1\n";
    fs::write(hone.config_file(), text).unwrap();
    let out = hone.run_at(NOW, &["config", "reviews_per_day", "50"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown setting 'from_the_future'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(hone.config_file()).unwrap(),
        format!("{text}reviews_per_day = 50\n")
    );
}

// Terminal safety.

#[test]
fn json_output_escapes_c1_and_bidi_controls() {
    let hone = Hone::new();
    let deck = hone.write(
        "x.json",
        r#"[{"id": "c", "front": "csi \u009b31m and \u202eevil", "back": "b"}]"#,
    );
    hone.ok(&["import", deck.to_str().unwrap()]);
    let out = hone.ok(&["cards", "--deck", "x", "--json"]);
    assert!(
        !out.contains('\u{9b}') && !out.contains('\u{202e}'),
        "{out}"
    );
    assert!(out.contains("\\u009b") && out.contains("\\u202e"), "{out}");
    let value: Value = serde_json::from_str(&out).unwrap();
    assert!(value.to_string().contains('\u{9b}'), "the same JSON value");
}

#[test]
fn errors_echo_input_escaped_and_cut_short() {
    let hone = Hone::new();
    let out = hone.run_at(NOW, &["config", "x\u{1b}]52;c;Zm9v\u{7}"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    let out = hone.run_at(NOW, &["due", "--deck", "x\u{9b}y\u{202e}"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        !err.contains('\u{9b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    let huge = format!(
        "{{\"card\": \"{}\", \"grade\": 4}}\n",
        "x".repeat(5_000_000)
    );
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &huge);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).len() < 2_000, "{} bytes", stderr(&out).len());
}

#[test]
fn an_error_says_a_thing_once() {
    let hone = Hone::new();
    let file = hone.write("file", "x");
    let out = hone
        .command(&["answer", "api/rest", "5"])
        .env("HONE_DATA_DIR", file.join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("Not a directory").count(), 1, "{err}");
}

#[test]
fn a_plan_years_away_is_refused_at_once() {
    let hone = Hone::new();
    let started = Instant::now();
    let out = hone.run_at(NOW, &["plan", "--interview", "9999-12-31"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("more than two years away"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

// One lock per change.

#[test]
fn two_imports_of_one_deck_at_once_lose_no_card() {
    for _ in 0..3 {
        let hone = Hone::new();
        let first = hone.write("a.csv", "id,front,back\nx,qx,ax\n");
        let second = hone.write("b.csv", "id,front,back\ny,qy,ay\n");
        let spawn = |file: &std::path::Path| {
            hone.command(&["import", file.to_str().unwrap(), "--deck", "mine", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(&first), spawn(&second));
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let views: Vec<Value> = outs
            .iter()
            .map(|o| {
                assert!(o.status.success(), "{}", stderr(o));
                serde_json::from_slice(&o.stdout).unwrap()
            })
            .collect();
        // One import came first: the other saw its card, and retired it.
        let retired: u64 = views.iter().map(|v| v["retired"].as_u64().unwrap()).sum();
        assert_eq!(retired, 1, "{views:?}");
        let cards = hone.json(&["show", "mine/x", "--json"]);
        let other = hone.json(&["show", "mine/y", "--json"]);
        assert!(
            cards["card"].is_object() && other["card"].is_object(),
            "both cards kept"
        );
    }
}

#[test]
fn two_undos_at_once_take_back_two_answers() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "api/graphql", "4"]);
    let spawn = || {
        hone.command(&["undo", "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    let undone: std::collections::BTreeSet<String> = outs
        .iter()
        .map(|o| {
            assert!(o.status.success(), "{}", stderr(o));
            let v: Value = serde_json::from_slice(&o.stdout).unwrap();
            v["undone"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(undone.len(), 2, "two different answers taken back");
    let out = hone.run_at(NOW, &["undo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing to undo"));
}

#[test]
fn undoing_the_review_that_made_a_leech_takes_its_suspension_back() {
    let hone = Hone::new();
    hone.ok(&["config", "leech_action", "suspend"]);
    hone.ok(&["config", "leech_threshold", "1"]);
    hone.ok_at("2026-03-02T09:00:00+01:00", &["answer", "api/rest", "5"]);
    hone.ok_at("2026-03-03T09:00:00+01:00", &["answer", "api/rest", "5"]);
    hone.ok_at("2026-03-09T09:00:00+01:00", &["answer", "api/rest", "1"]);
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["suspended"],
        true
    );
    hone.ok_at("2026-03-09T09:01:00+01:00", &["undo"]);
    let show = hone.json(&["show", "api/rest", "--json"]);
    assert_eq!(show["suspended"], false, "{show}");
    assert_eq!(show["state"]["lapses"], 0);
}

#[test]
fn a_script_that_retries_with_an_id_records_each_answer_once() {
    let hone = Hone::new();
    let lines = "{\"card\": \"api/rest\", \"grade\": 5, \"id\": \"run-1/1\"}\n{\"card\": \"api/graphql\", \"grade\": 4, \"id\": \"run-1/2\"}\n";
    let first = hone.run_with_stdin(NOW, &["answer", "--stdin", "--json"], lines);
    assert!(first.status.success(), "{}", stderr(&first));
    // Killed before it saw the acknowledgements, the script sends everything again.
    let again = hone.run_with_stdin(NOW, &["answer", "--stdin", "--json"], lines);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again),
        stdout(&first),
        "acknowledged again, the same way"
    );
    assert_eq!(hone.log_lines().len(), 2);
    let out = hone.run_with_stdin(
        NOW,
        &["answer", "--stdin"],
        "{\"card\": \"api/rest\", \"grade\": 5, \"id\": \"\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stdin:1: 'id' must be"),
        "{}",
        stderr(&out)
    );
}
