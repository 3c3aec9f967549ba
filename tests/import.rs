//! `hone import`, `hone check`, `hone export` and `hone deck`: every format, history kept across
//! re-imports, and bad input refused whole with the file, line and column.

mod common;

use std::fs;
use std::path::Path;

use common::{Hone, NOW, stderr, stdout};
use serde_json::Value;

const DECK_MD: &str = "+++\nid = \"mine\"\ntitle = \"My questions\"\ntags = [\"custom\"]\n+++\n\n## closure\n- kind: definition\n\nWhat is a closure?\n\n---\n\nA function with the variables it captured.\n";

fn deck_ids(hone: &Hone) -> Vec<String> {
    let decks = hone.json(&["decks", "--json"]);
    decks["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

fn card_ids(hone: &Hone, deck: &str) -> Vec<String> {
    let cards = hone.json(&["cards", "--deck", deck, "--json"]);
    cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every file under the data dir with its bytes, to show that nothing changed.
fn snapshot_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(snapshot_of(&path));
            } else if path.file_name().is_some_and(|n| n != "lock") {
                files.push((path.display().to_string(), fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn import(hone: &Hone, file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend(extra);
    hone.run_at(NOW, &args)
}

#[test]
fn a_tsv_file_becomes_a_deck_and_an_edit_keeps_history() {
    let hone = Hone::new();
    let file = hone.write("go.tsv", "What is a goroutine?\tA function running concurrently.\nWhat is a channel?\tA typed pipe.\n");
    let out = hone.ok(&["import", file.to_str().unwrap(), "--deck", "go-notes"]);
    assert!(
        out.contains("Imported 2 cards into deck 'go-notes' (tsv): 2 added"),
        "{out}"
    );

    let id = card_ids(&hone, "go-notes")[0].clone();
    assert!(
        id.starts_with("go-notes/what-is-a-goroutine-"),
        "a readable id derived from the front: {id}"
    );
    hone.ok(&["answer", &id, "5"]);

    // The original may vanish; the deck was copied.
    let edited = "What is a goroutine?\tA lightweight thread managed by the Go runtime.\nWhat is a select?\tWaits on channels.\n";
    fs::write(&file, edited).unwrap();
    let out = hone.ok(&["import", file.to_str().unwrap(), "--deck", "go-notes"]);
    assert!(
        out.contains("1 added, 1 updated, 0 unchanged; 1 no longer in the file, retired"),
        "{out}"
    );
    fs::remove_file(&file).unwrap();

    let show = hone.json(&["show", &id, "--json"]);
    assert_eq!(
        show["card"]["back"],
        "A lightweight thread managed by the Go runtime."
    );
    assert_eq!(
        show["history"].as_array().unwrap().len(),
        1,
        "the edit kept the history"
    );
    assert_eq!(show["state"]["repetitions"], 1);
}

#[test]
fn gone_cards_are_retired_with_their_history_and_come_back() {
    let hone = Hone::new();
    let file = hone.write("notes.csv", "id,front,back\nkeep,Q1,A1\ngo,Q2,A2\n");
    hone.ok(&["import", file.to_str().unwrap()]);
    hone.ok(&["answer", "notes/go", "4"]);
    fs::write(&file, "id,front,back\nkeep,Q1,A1\n").unwrap();
    hone.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        card_ids(&hone, "notes"),
        ["notes/keep"],
        "a retired card is out of listings and reviews"
    );
    let retired = hone.json(&["show", "notes/go", "--json"]);
    assert_eq!(
        retired["history"].as_array().unwrap().len(),
        1,
        "its history is kept"
    );

    fs::write(&file, "id,front,back\nkeep,Q1,A1\ngo,Q2,A2 again\n").unwrap();
    let out = hone.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("1 back from retirement"), "{out}");
    assert_eq!(card_ids(&hone, "notes"), ["notes/keep", "notes/go"]);
    assert_eq!(
        hone.json(&["show", "notes/go", "--json"])["state"]["repetitions"],
        1
    );
}

#[test]
fn a_dry_run_reports_and_changes_nothing() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let before = snapshot_of(&hone.data_dir());
    let file = hone.write("mine.md", DECK_MD);
    let out = hone.json(&["import", file.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["added"], 1);
    assert_eq!(snapshot_of(&hone.data_dir()), before);
    assert!(!deck_ids(&hone).contains(&"mine".to_owned()));
}

#[test]
fn a_hone_deck_file_imports_under_its_own_id() {
    let hone = Hone::new();
    let file = hone.write("whatever.md", DECK_MD);
    hone.ok(&["import", file.to_str().unwrap()]);
    let card = hone.json(&["show", "mine/closure", "--json"]);
    assert_eq!(card["card"]["kind"], "definition");
    assert_eq!(card["card"]["tags"], serde_json::json!(["custom"]));
    let decks = hone.json(&["decks", "--json"]);
    let mine = decks["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "mine")
        .unwrap()
        .clone();
    assert_eq!(
        (
            mine["source"].as_str(),
            mine["title"].as_str(),
            mine["enabled"].as_bool()
        ),
        (Some("imported"), Some("My questions"), Some(true))
    );
}

#[test]
fn anki_notes_import_and_export_round_trip_by_guid() {
    let hone = Hone::new();
    let notes = "#separator:tab\n#html:true\n#deck:Interview Prep\n#guid column:1\n#tags column:4\n\
                 Xy+1/\tWhat is <b>ACID</b>?\tAtomicity, consistency,<br>isolation, durability\tdb Interview::SQL\n\
                 abc\t\"Multi\nline\"\tanswer\t\n";
    let file = hone.write("notes.txt", notes);
    let out = hone.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("deck 'interview-prep' (anki)"), "{out}");
    let cards = hone.json(&["cards", "--deck", "interview-prep", "--json"]);
    let acid = &cards["cards"][0];
    assert_eq!(acid["front"], "What is **ACID**?");
    assert_eq!(
        acid["back"],
        "Atomicity, consistency,\\\nisolation, durability"
    );
    assert_eq!(acid["tags"], serde_json::json!(["db", "interview-sql"]));

    let exported = hone.ok(&["export", "--deck", "interview-prep", "--format", "anki"]);
    assert!(
        exported.contains("#guid column:1") && exported.contains("Xy+1/\t"),
        "{exported}"
    );
    let again = hone.write("again.txt", &exported);
    let out = hone.ok(&[
        "import",
        again.to_str().unwrap(),
        "--deck",
        "interview-prep",
    ]);
    assert!(
        out.contains("0 added, 0 updated, 2 unchanged"),
        "no duplicates: {out}"
    );
}

#[test]
fn every_export_format_imports_back_without_loss() {
    let hone = Hone::new();
    let original = hone.json(&["cards", "--deck", "sql", "--json"])["cards"].clone();
    for format in ["hone", "anki", "csv", "tsv", "json"] {
        let path = hone.path(&format!("sql.{format}"));
        hone.ok(&[
            "export",
            "--deck",
            "sql",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        let deck = format!("copy-{format}");
        hone.ok(&[
            "import",
            path.to_str().unwrap(),
            "--deck",
            &deck,
            "--format",
            format,
        ]);
        let copy = hone.json(&["cards", "--deck", &deck, "--json"])["cards"].clone();
        let strip = |cards: &Value| -> Vec<Value> {
            cards
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    serde_json::json!([
                        c["id"].as_str().unwrap().split_once('/').unwrap().1,
                        c["kind"],
                        c["front"],
                        c["back"],
                        c["tags"]
                    ])
                })
                .collect()
        };
        assert_eq!(strip(&copy), strip(&original), "{format}");
    }
}

#[test]
fn the_history_exports_as_the_log_does() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["suspend", "api/grpc"]);
    let history = hone.ok(&["export", "--history"]);
    let device = std::fs::read_dir(hone.data_dir().join("reviews"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let device = device.file_stem().unwrap().to_str().unwrap();
    let lines: Vec<Value> = history
        .lines()
        .map(|l| {
            // Each line as logged, plus the device whose log holds it, for `hone merge`.
            let mut line: Value = serde_json::from_str(l).unwrap();
            assert_eq!(line["device"], device);
            line.as_object_mut().unwrap().remove("device");
            line
        })
        .collect();
    assert_eq!(lines, hone.log_lines());
}

#[test]
fn every_problem_of_a_bad_file_is_reported_and_nothing_changes() {
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let before = snapshot_of(&hone.data_dir());
    let file = hone.write(
        "bad.csv",
        "front,back,id\nok,fine,a\n\"unclosed,x,b\nlater,line,c\n",
    );
    let out = import(&hone, &file, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.csv:3:1: this quote is never closed"),
        "{}",
        stderr(&out)
    );

    let file = hone.write(
        "bad.tsv",
        "good\tline\nno tab\n\tno front\nfront\t\ngood\tline again\n",
    );
    let out = hone.run_at(NOW, &["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for located in [
        "bad.tsv:2: expected 2 fields",
        "bad.tsv:3:1: the front",
        "bad.tsv:4:7: the back",
        "bad.tsv:5: the same card id",
    ] {
        assert!(err.contains(located), "{located} missing from {err}");
    }
    assert_eq!(import(&hone, &file, &[]).status.code(), Some(1));

    let file = hone.write(
        "bad.md",
        &DECK_MD.replace("---\n\nA function", "\nA function"),
    );
    let out = import(&hone, &file, &[]);
    assert!(
        stderr(&out).contains("bad.md:7: card 'closure' has no `---` line"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        snapshot_of(&hone.data_dir()),
        before,
        "nothing already saved changed"
    );
}

#[test]
fn encodings_and_line_ends_are_handled_with_true_line_numbers() {
    let hone = Hone::new();
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "latin1.tsv",
            b"ok\tfine\ncaf\xe9\tcoffee\n".to_vec(),
            "latin1.tsv:2:4: not valid UTF-8",
        ),
        (
            "utf16.tsv",
            "a\tb\n".encode_utf16().flat_map(u16::to_le_bytes).collect(),
            "utf16.tsv:1: the file is UTF-16",
        ),
        (
            "nul.tsv",
            b"a\tb\nc\0\td\n".to_vec(),
            "nul.tsv:2:2: a NUL byte",
        ),
        (
            "crlf.tsv",
            b"a\tb\r\nc\td\r\nonly one\r\n".to_vec(),
            "crlf.tsv:3: expected 2 fields",
        ),
        (
            "cr.tsv",
            b"a\tb\rc\td\ronly one\r".to_vec(),
            "cr.tsv:3: expected 2 fields",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = hone.path(name);
        fs::write(&file, bytes).unwrap();
        let out = import(&hone, &file, &["--deck", "x"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
    }
    let file = hone.path("bom.tsv");
    fs::write(&file, b"\xEF\xBB\xBFhello\tworld\r\n").unwrap();
    hone.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        hone.json(&["cards", "--deck", "bom", "--json"])["cards"][0]["front"],
        "hello",
        "the BOM is gone"
    );
}

#[test]
fn a_file_larger_than_one_read_reports_true_lines_and_columns() {
    let hone = Hone::new();
    // Far more than one 256 KiB read, with CRLF line ends and two-byte characters, so reads
    // end inside lines, characters and CRLFs.
    let mut csv = String::from("front,back\r\n");
    let rows = 30_000;
    for i in 0..rows {
        csv.push_str(&format!("qu\u{e9}stion {i},r\u{e9}ponse {i}\r\n"));
    }
    assert!(csv.len() > 3 * 256 * 1024);
    let good = hone.write("big-ok.csv", &csv);
    let out = hone.json(&["check", good.to_str().unwrap(), "--json"]);
    assert_eq!(out["cards"], rows);

    let bad = hone.write(
        "big-bad.csv",
        &format!("{csv}only one field\r\n\"unclosed,x\r\n"),
    );
    let out = hone.run_at(NOW, &["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "big-bad.csv:{}:1: this quote is never closed",
            rows + 3
        )),
        "{}",
        stderr(&out)
    );

    let mut latin1 = csv.into_bytes();
    latin1.extend(b"caf\xe9,coffee\r\n");
    let file = hone.path("big-latin1.csv");
    fs::write(&file, latin1).unwrap();
    let out = hone.run_at(NOW, &["check", file.to_str().unwrap()]);
    assert!(
        stderr(&out).contains(&format!("big-latin1.csv:{}:4: not valid UTF-8", rows + 2)),
        "{}",
        stderr(&out)
    );
}

#[test]
fn files_that_are_not_decks_are_refused_before_reading() {
    let hone = Hone::new();
    let expect = |path: &str, message: &str| {
        let out = hone.run_at(NOW, &["import", path, "--deck", "x"]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        assert!(stderr(&out).contains(message), "{path}: {}", stderr(&out));
    };
    expect(hone.path("missing.tsv").to_str().unwrap(), "cannot open");
    expect(hone.path("").to_str().unwrap(), "is a directory");
    expect("/dev/zero", "is not a regular file");
    let fifo = hone.path("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    expect(fifo.to_str().unwrap(), "is not a regular file");
    let file = hone.write("plain", "x");
    expect(&format!("{}/below", file.display()), "cannot open");

    let big = hone.path("big.tsv");
    fs::File::create(&big)
        .unwrap()
        .set_len(257 * 1024 * 1024)
        .unwrap();
    expect(
        big.to_str().unwrap(),
        "larger than 256 MiB, the limit for a deck file",
    );
    let long = hone.write(
        "long.tsv",
        &format!("a\tb\n{}\tx\n", "y".repeat(300 * 1024)),
    );
    expect(
        long.to_str().unwrap(),
        "long.tsv:2: the line is longer than 256 KiB",
    );
}

#[test]
fn a_22_mb_anki_export_of_100000_cards_imports() {
    let hone = Hone::new();
    let mut notes = String::from("#separator:tab\n#html:true\n#deck:Big Deck\n");
    for i in 0..100_000 {
        notes.push_str(&format!(
            "What does <b>component {i}</b> of the payment system do, and why?\t\
             It validates request {i}, records it in the ledger, and answers<br>within the \
             latency budget of the service it is part of, retried safely by its clients.\n"
        ));
    }
    assert!(notes.len() > 22_000_000, "{} bytes", notes.len());
    let file = hone.write("big-export.txt", &notes);
    let out = hone.json(&["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (&out["deck"], &out["format"], &out["added"]),
        (
            &Value::from("big-deck"),
            &Value::from("anki"),
            &Value::from(100_000)
        )
    );
}

#[test]
fn import_dash_reads_the_deck_from_stdin() {
    let hone = Hone::new();
    let csv = "front,back\nWhat is a goroutine?,A function running concurrently.\n\"What is a channel?\",\"A typed\npipe.\"\n";
    let args = [
        "import", "-", "--format", "csv", "--deck", "piped", "--json",
    ];
    let out = hone.run_with_stdin(NOW, &args, csv);
    assert!(out.status.success(), "{}", stderr(&out));
    let view: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&view["deck"], &view["format"], &view["added"]),
        (&Value::from("piped"), &Value::from("csv"), &Value::from(2))
    );
    let cards = hone.json(&["cards", "--deck", "piped", "--json"]);
    assert_eq!(cards["cards"][1]["back"], "A typed\npipe.");
    let again = hone.run_with_stdin(NOW, &args, csv);
    let view: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(view["unchanged"], 2, "the same deck again changes nothing");

    let before = snapshot_of(&hone.data_dir());
    let out = hone.run_with_stdin(
        NOW,
        &["import", "-", "--format", "tsv", "--deck", "piped"],
        "a\tb\nonly one field\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stdin:2: expected 2 fields"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot_of(&hone.data_dir()), before, "nothing changed");
}

#[test]
fn import_dash_without_format_or_deck_says_which_is_missing() {
    let hone = Hone::new();
    for (args, missing, given) in [
        (&["import", "-"][..], &["--format", "--deck"][..], None),
        (
            &["import", "-", "--deck", "x"],
            &["--format"],
            Some("--deck"),
        ),
        (
            &["import", "-", "--format", "auto", "--deck", "x"],
            &["--format"],
            Some("--deck"),
        ),
        (
            &["import", "-", "--format", "csv"],
            &["--deck"],
            Some("--format"),
        ),
    ] {
        let out = hone.run_with_stdin(NOW, args, "front,back\nq,a\n");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("standard input"), "{args:?}: {err}");
        for flag in missing {
            assert!(err.contains(flag), "{args:?}: {flag} not named in {err}");
        }
        if let Some(flag) = given {
            assert!(!err.contains(flag), "{args:?}: {flag} was given: {err}");
        }
    }
    assert!(!hone.data_dir().exists(), "nothing was written");
}

#[test]
fn control_characters_in_names_and_cards_are_shown_escaped() {
    let hone = Hone::new();
    let name = "evil\u{1b}[2J.tsv";
    let file = hone.write(name, "only one field\n");
    let out = import(&hone, &file, &["--deck", "x"]);
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
    assert!(
        stderr(&out).contains("evil\\u{1b}[2J.tsv:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn deeply_nested_markdown_imports_and_renders() {
    let hone = Hone::new();
    let nested = format!("{}deep\n", "> ".repeat(3000))
        + &(0..300)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>();
    let json = serde_json::json!([{"id": "deep", "front": "Q?", "back": nested}]).to_string();
    let file = hone.write("deep.json", &json);
    hone.ok(&["import", file.to_str().unwrap()]);
    let shown = hone.ok(&["show", "deep/deep"]);
    assert!(shown.contains("deep") && shown.contains("item"));
}

#[test]
fn a_built_in_deck_cannot_be_replaced_or_removed_but_can_be_disabled() {
    let hone = Hone::new();
    let file = hone.write("api.tsv", "q\ta\n");
    let out = import(&hone, &file, &["--deck", "api"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'api' is a built-in deck"));
    let out = hone.run_at(NOW, &["deck", "remove", "api"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("hone deck disable api"));

    hone.ok(&["deck", "disable", "api"]);
    let due = hone.json(&["due", "--json"]);
    assert!(
        due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["deck"] != "api")
    );
    let decks = hone.json(&["decks", "--json"]);
    let api = decks["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "api")
        .unwrap();
    assert_eq!(api["enabled"], false);
    assert!(
        !card_ids(&hone, "api").is_empty(),
        "a deck named explicitly still lists"
    );
    hone.ok(&["deck", "enable", "api"]);
    let due = hone.json(&["due", "--json", "--deck", "api"]);
    assert_eq!(due["cards"][0]["deck"], "api");
}

#[test]
fn removing_a_deck_keeps_history_unless_purged_with_confirmation() {
    let hone = Hone::new();
    let file = hone.write("mine.md", DECK_MD);
    hone.ok(&["import", file.to_str().unwrap()]);
    hone.ok(&["answer", "mine/closure", "5"]);
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["deck", "remove", "mine"]);
    assert!(!deck_ids(&hone).contains(&"mine".to_owned()));
    assert_eq!(hone.log_lines().len(), 2, "history kept");
    hone.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        hone.json(&["show", "mine/closure", "--json"])["state"]["repetitions"],
        1,
        "and back with the deck"
    );

    let out = hone.run_at(NOW, &["deck", "remove", "mine", "--purge"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("add --yes"));
    assert!(
        deck_ids(&hone).contains(&"mine".to_owned()),
        "nothing removed without confirmation"
    );

    let out = hone.ok(&["deck", "remove", "mine", "--purge", "--yes"]);
    assert!(
        out.contains("took back 1 entry of its review history"),
        "{out}"
    );
    // The log only grows: the purge is a retraction every machine replays the same way.
    let log = hone.log_lines();
    assert_eq!(log.len(), 3);
    assert_eq!(log[2]["kind"], "retract");
    assert_eq!(log[2]["retracts"], serde_json::json!([log[0]["id"]]));
    assert_eq!(
        hone.json(&["show", "api/rest", "--json"])["state"]["repetitions"],
        1
    );
    hone.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        hone.json(&["show", "mine/closure", "--json"])["state"],
        serde_json::Value::Null,
        "back as a new card"
    );
    let _ = stdout;
}

#[test]
fn an_imported_deck_comes_up_within_a_day_and_says_when() {
    let hone = Hone::new();
    let file = hone.write(
        "company.csv",
        "front,back\nWhy did you join?,Because.\nWhat is our stack?,Rust.\n",
    );
    let out = hone.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.contains("Its new cards start coming up today (2026-03-02)"),
        "{out}"
    );
    let view = hone.json(&["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(view["first_new_day"], "2026-03-02");
    // Interleaved with the built-in decks: one of its cards is in today's ten.
    let due = hone.json(&["due", "--json"]);
    let decks: Vec<&str> = due["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["deck"].as_str().unwrap())
        .collect();
    assert!(decks.contains(&"company"), "{decks:?}");
    let distinct: std::collections::BTreeSet<&str> = decks.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        decks.len(),
        "one new card from each of ten decks: {decks:?}"
    );

    // Deck by deck, it waits behind the curriculum; put first, it comes before everything.
    hone.ok(&["config", "new_order", "deck"]);
    let view = hone.json(&["import", file.to_str().unwrap(), "--json"]);
    let later = view["first_new_day"].as_str().unwrap();
    assert!(later > "2026-03-20", "{view}");
    let out = hone.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.contains(&format!("Its new cards start coming up on {later}")),
        "{out}"
    );
    hone.ok(&["deck", "first", "company"]);
    let due = hone.json(&["due", "--json"]);
    assert_eq!(due["cards"][0]["deck"], "company");
    assert_eq!(due["cards"][1]["deck"], "company");
    let decks = hone.json(&["decks", "--json"]);
    let company = decks["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "company")
        .unwrap()
        .clone();
    assert_eq!(company["priority"], 1);
    hone.ok(&["deck", "priority", "company", "0"]);
    assert_ne!(hone.json(&["due", "--json"])["cards"][0]["deck"], "company");
    let out = hone.run_at(NOW, &["deck", "priority", "company", "101"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_deck_errors_name_one_position_in_plain_words() {
    let hone = Hone::new();
    let trailing = hone.write(
        "j2.json",
        "{\"id\": \"j2\", \"cards\": [\n  {\"id\": \"a\", \"front\": \"Q?\", \"back\": \"A.\",}\n]}\n",
    );
    let out = hone.run_at(NOW, &["check", trailing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("j2.json:2:43: not valid JSON: a comma with nothing after it"),
        "{err}"
    );
    assert!(!err.contains("line 2 column"), "one position only: {err}");
    assert!(!err.contains("key must be a string"), "{err}");

    let typed = hone.write("j5.json", "[{\"front\": \"Q?\", \"back\": 4}]");
    let err = stderr(&hone.run_at(NOW, &["check", typed.to_str().unwrap()]));
    assert!(
        err.contains(
            "j5.json:1:26: not a card: 'back': invalid type: integer `4`, expected a string"
        ),
        "{err}"
    );
}

#[test]
fn check_json_prints_the_problems_and_exits_1() {
    let hone = Hone::new();
    let bad = hone.write(
        "bad.csv",
        "front,back\n,An answer without a question.\nQ?,\n",
    );
    let out = hone.run_at(NOW, &["check", bad.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(view["format"], "csv");
    assert_eq!(view["deck"], serde_json::Value::Null);
    let problems = view["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{view}");
    assert_eq!(problems[0]["line"], 2);
    assert!(
        problems[0]["message"].as_str().unwrap().contains("empty"),
        "{view}"
    );
    assert!(
        !stderr(&out).is_empty(),
        "people still read the problems on stderr"
    );

    let good = hone.write("good.csv", "front,back\nQ?,A.\n");
    let view = hone.json(&["check", good.to_str().unwrap(), "--json"]);
    assert_eq!(view["problems"], serde_json::json!([]));
    assert_eq!(view["cards"], 1);
    assert_eq!(view["deck"], "good");
}
