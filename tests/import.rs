//! `hone import`: TSV and hone deck files, history kept across re-imports, and bad input refused
//! whole with the file and line.

mod common;

use std::fs;

use common::{Hone, NOW, stderr};

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

#[test]
fn a_tsv_file_becomes_a_deck_and_an_edit_keeps_history() {
    let hone = Hone::new();
    let file = hone.write("go.tsv", "What is a goroutine?\tA function running concurrently.\nWhat is a channel?\tA typed pipe.\n");
    let out = hone.ok(&["import", file.to_str().unwrap(), "--deck", "go-notes"]);
    assert!(
        out.contains("Imported 2 cards into deck 'go-notes': 2 added"),
        "{out}"
    );

    let cards = hone.json(&["cards", "--deck", "go-notes", "--json"]);
    let id = cards["cards"][0]["id"].as_str().unwrap().to_owned();
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
        out.contains("1 added, 1 updated, 0 unchanged, 1 no longer in the file"),
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
fn a_hone_deck_file_imports_under_its_own_id() {
    let hone = Hone::new();
    let file = hone.write("mine.md", DECK_MD);
    hone.ok(&["import", file.to_str().unwrap()]);
    assert!(deck_ids(&hone).contains(&"mine".to_owned()));
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
    assert_eq!(mine["source"], "imported");
    assert_eq!(mine["title"], "My questions");
}

#[test]
fn every_problem_of_a_bad_file_is_reported_and_nothing_is_imported() {
    let hone = Hone::new();
    let file = hone.write("bad.tsv", "good\tline\nno tab\n\tno front\nfront\t\n");
    let out = hone.run_at(NOW, &["import", file.to_str().unwrap(), "--deck", "bad"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [2, 3, 4] {
        assert!(
            err.contains(&format!("bad.tsv:{line}: ")),
            "line {line} missing from {err}"
        );
    }
    assert!(!deck_ids(&hone).contains(&"bad".to_owned()));

    let file = hone.write(
        "bad.md",
        &DECK_MD.replace("---\n\nA function", "\nA function"),
    );
    let out = hone.run_at(NOW, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.md:7: card 'closure' has no `---` line"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_built_in_deck_cannot_be_replaced() {
    let hone = Hone::new();
    let file = hone.write("api.tsv", "q\ta\n");
    let out = hone.run_at(NOW, &["import", file.to_str().unwrap(), "--deck", "api"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'api' is a built-in deck"));
}

#[test]
fn unreadable_input_is_refused_with_a_clear_message() {
    let hone = Hone::new();
    let missing = hone.path("missing.tsv");
    let out = hone.run_at(NOW, &["import", missing.to_str().unwrap(), "--deck", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot open") && stderr(&out).contains("missing.tsv"),
        "{}",
        stderr(&out)
    );

    let out = hone.run_at(
        NOW,
        &["import", hone.path("").to_str().unwrap(), "--deck", "x"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));

    let file = hone.path("latin1.tsv");
    fs::write(&file, b"caf\xe9\tcoffee\n").unwrap();
    let out = hone.run_at(NOW, &["import", file.to_str().unwrap(), "--deck", "x"]);
    assert!(
        stderr(&out).contains("latin1.tsv:1: not valid UTF-8"),
        "{}",
        stderr(&out)
    );

    let out = hone.run_at(NOW, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("add --deck ID"), "{}", stderr(&out));
}
