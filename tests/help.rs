//! The command line's own documentation, through the real binary: every command's help (as
//! insta snapshots), the manual pages, and shell completion run by bash itself.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use clap::CommandFactory;
use common::{BIN, Hone, NOW, stderr, stdout};
use predicates::prelude::*;

/// Every command and nested command as its words, `[]` for hone itself.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut sub_path = path.clone();
            sub_path.push(sub.get_name().to_owned());
            walk(sub, sub_path, out);
        }
        out.push(path);
    }
    let mut out = Vec::new();
    walk(&hone::cli::Cli::command(), Vec::new(), &mut out);
    out.sort();
    out
}

fn help(hone: &Hone, path: &[String], flag: &str) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push(flag);
    hone.ok(&args)
}

#[test]
fn every_command_has_the_help_of_its_snapshot() {
    let hone = Hone::new();
    for path in command_paths() {
        let name = format!(
            "help-{}",
            ["hone"]
                .iter()
                .copied()
                .chain(path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("-")
        );
        insta::assert_snapshot!(name, help(&hone, &path, "--help"));
    }
}

#[test]
fn every_command_help_ends_with_examples() {
    let hone = Hone::new();
    for path in command_paths() {
        for flag in ["-h", "--help"] {
            let text = help(&hone, &path, flag);
            let examples = text
                .split_once("\nExamples:\n")
                .unwrap_or_else(|| panic!("{path:?} {flag}: no examples:\n{text}"))
                .1;
            let count = examples.lines().filter(|l| l.starts_with("    ")).count();
            assert!((2..=4).contains(&count), "{path:?}: {examples}");
        }
    }
}

#[test]
fn review_help_lists_the_keys_of_a_session_and_the_grades() {
    let hone = Hone::new();
    let keys = [
        "Enter, Space    show the answer",
        "t               type a rough answer first",
        "0-5             grade your answer",
        "a, h, g, e      again, hard, good, easy: grades 1, 3, 4, 5",
        "u               undo the last answer",
        "s               suspend this card",
        "q, Esc, Ctrl-C  end the session",
    ];
    let grades = [
        "5  perfect recall",
        "4  correct, after some hesitation",
        "3  correct, with serious difficulty",
        "2  wrong, but the answer seemed easy once seen",
        "1  wrong, but the answer was familiar once seen",
        "0  blackout: no recall at all",
    ];
    let mut assert = hone.command(&["review", "--help"]).assert().success();
    for line in keys.into_iter().chain(grades) {
        assert = assert.stdout(predicate::str::contains(format!("\n  {line}")));
    }
}

const GLOBAL_OPTIONS: [&str; 4] = ["--data-dir", "--config", "--now", "--color"];

#[test]
fn global_options_stand_under_their_own_heading() {
    let hone = Hone::new();
    for path in command_paths() {
        let text = help(&hone, &path, "--help");
        let (own, global) = text
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{path:?}: no global options heading:\n{text}"));
        let global = global.split("\nExamples:\n").next().unwrap();
        for option in GLOBAL_OPTIONS {
            assert!(
                !own.contains(&format!("  {option} ")),
                "{path:?}: {option} among the command's own"
            );
            assert!(
                global.contains(&format!("  {option} ")),
                "{path:?}: {option} missing"
            );
        }
    }
}

/// The options of a help text, each with the lines of its description.
fn option_entries(text: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        if line.trim_start().starts_with('-') && (2..=6).contains(&indent) {
            entries.push(line.to_owned());
        } else if indent == 0 && !line.is_empty() {
            entries.push(String::new()); // a heading ends the entry before it
        } else if let Some(entry) = entries.last_mut() {
            entry.push('\n');
            entry.push_str(line);
        }
    }
    entries
}

#[test]
fn an_option_says_its_default_once() {
    let hone = Hone::new();
    for path in command_paths() {
        for flag in ["-h", "--help"] {
            for entry in option_entries(&help(&hone, &path, flag)) {
                assert!(
                    entry.matches("[default:").count() <= 1,
                    "{path:?} {flag}:\n{entry}"
                );
            }
        }
    }
    hone.command(&["import", "-h"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The file's format [default: auto] [possible values:",
        ));
}

#[test]
fn values_from_the_environment_are_not_shown_as_given_in_usage() {
    // The harness sets HONE_DATA_DIR, HONE_CONFIG and HONE_NOW.
    let hone = Hone::new();
    for (args, usage) in [
        (&["answer"][..], "Usage: hone answer <CARD-ID> <GRADE>\n"),
        (&["show"], "Usage: hone show <CARD-ID>\n"),
        (&["restore"], "Usage: hone restore <BACKUP>\n"),
        (&["export"], "Usage: hone export --format <FORMAT>\n"),
        (&["import"], "Usage: hone import <FILE>\n"),
    ] {
        hone.command(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(usage))
            .stderr(predicate::str::contains("--data-dir").not())
            .stderr(predicate::str::contains("--now").not());
    }
}

#[test]
fn the_environment_stands_in_for_the_global_options_which_win() {
    let hone = Hone::new();
    // HONE_NOW gives the moment; --now wins over it.
    let answer = hone.json(&[
        "answer",
        "api/rest",
        "4",
        "--json",
        "--now",
        "2026-03-05T09:00:00+01:00",
    ]);
    assert_eq!(answer["day"], "2026-03-05");
    assert_eq!(
        hone.json(&["answer", "api/grpc", "4", "--json"])["day"],
        "2026-03-02"
    );
    // HONE_DATA_DIR gives the data dir; --data-dir wins over it.
    let other = hone.path("other");
    hone.ok(&[
        "answer",
        "api/graphql",
        "4",
        "--data-dir",
        other.to_str().unwrap(),
    ]);
    assert!(other.join("reviews").is_dir());
    assert_eq!(
        hone.log_lines().len(),
        2,
        "the other answer went to the other data dir"
    );
    // Set but empty, as an empty flag value would be: a usage error naming the variable.
    for name in ["HONE_DATA_DIR", "HONE_CONFIG", "HONE_NOW"] {
        hone.command(&["due"])
            .env(name, "")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(name));
    }
    hone.command(&["due"])
        .env("HONE_NOW", "yesterday")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "HONE_NOW: 'yesterday' is not a timestamp",
        ));
}

/// `hone man --dir`: the file names written, and the text of each page with roff's escapes of
/// '-' undone.
fn man_pages(hone: &Hone) -> Vec<(String, String)> {
    let dir = hone.path("man");
    hone.command(&["man", "--dir", dir.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote"));
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap().replace("\\-", "-");
            (path.file_name().unwrap().to_str().unwrap().to_owned(), text)
        })
        .collect();
    pages.sort();
    pages
}

/// The pages `text` refers to, as `hone-review(1)` names hone-review.1; font changes removed.
fn references(text: &str) -> BTreeSet<String> {
    let plain = text
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "");
    let mut found = BTreeSet::new();
    for (at, _) in plain.match_indices("hone") {
        let name: String = plain[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let rest = &plain[at + name.len()..];
        if let Some(section) = rest
            .strip_prefix('(')
            .and_then(|r| r.get(..2))
            .filter(|s| s.ends_with(')'))
        {
            found.insert(format!("{name}.{}", &section[..1]));
        }
    }
    found
}

#[test]
fn man_dir_writes_a_page_for_hone_and_every_command() {
    let hone = Hone::new();
    let written: BTreeSet<String> = man_pages(&hone).into_iter().map(|(name, _)| name).collect();
    let expected: BTreeSet<String> = command_paths()
        .iter()
        .map(|path| {
            let mut name = vec!["hone".to_owned()];
            name.extend(path.iter().cloned());
            format!("{}.1", name.join("-"))
        })
        .collect();
    assert_eq!(written, expected);
}

#[test]
fn every_page_a_man_page_refers_to_exists() {
    let hone = Hone::new();
    let pages = man_pages(&hone);
    let names: BTreeSet<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    let mut checked = 0;
    for (name, text) in &pages {
        for reference in references(text) {
            assert!(
                names.contains(reference.as_str()),
                "{name} refers to {reference}, not written"
            );
            checked += 1;
        }
    }
    assert!(
        checked > pages.len(),
        "every page refers to at least one other"
    );
}

#[test]
fn plain_man_prints_the_page_of_hone() {
    let hone = Hone::new();
    let printed = hone.ok(&["man"]).replace("\\-", "-");
    let pages = man_pages(&hone);
    let (_, written) = pages.iter().find(|(name, _)| name == "hone.1").unwrap();
    assert_eq!(&printed, written);
}

#[test]
fn the_manual_has_examples_environment_files_and_exit_status() {
    let hone = Hone::new();
    let pages = man_pages(&hone);
    let page = |name: &str| &pages.iter().find(|(n, _)| n == name).unwrap().1;
    let hone_1 = page("hone.1");
    for section in [
        ".SH EXAMPLES",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(hone_1.contains(section), "hone.1 has no {section}");
    }
    let after = |heading: &str| {
        hone_1
            .split(heading)
            .nth(1)
            .unwrap()
            .split("\n.SH")
            .next()
            .unwrap()
            .to_owned()
    };
    let environment = after(".SH ENVIRONMENT");
    for name in [
        "HONE_DATA_DIR",
        "HONE_CONFIG",
        "HONE_NOW",
        "HONE_LOCK_TIMEOUT",
        "NO_COLOR",
    ] {
        assert!(environment.contains(&format!("\\fB{name}\\fR")), "{name}");
    }
    let files = after(".SH FILES");
    for path in [
        "reviews/DEVICE.jsonl",
        "curriculum/DEVICE.jsonl",
        "local/",
        "config.toml",
    ] {
        assert!(files.contains(path), "{path}");
    }
    let exit = after(".SH \"EXIT STATUS\"");
    for code in ["0", "1", "2", "75", "128+N"] {
        assert!(exit.contains(&format!("\\fB{code}\\fR")), "{code}");
    }
    for (name, text) in &pages {
        assert!(text.contains(".SH EXAMPLES"), "{name}");
    }
    for section in [".SH KEYS", ".SH GRADES"] {
        assert!(page("hone-review.1").contains(section), "{section}");
    }
}

#[test]
fn man_pages_are_valid_roff() {
    let hone = Hone::new();
    let dir = hone.path("man");
    let _ = man_pages(&hone);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        // groff's warnings (-ww), with output discarded (-z), as man would run it.
        let Ok(out) = Command::new("groff")
            .args(["-man", "-ww", "-z"])
            .arg(&path)
            .output()
        else {
            eprintln!("groff is not installed: roff not checked");
            return;
        };
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}: {}",
            path.display(),
            stderr(&out)
        );
    }
}

/// What bash's completion function for hone offers for the last of `words`, as a shell
/// would: the script `hone completions bash` prints, sourced, with COMP_WORDS and COMP_CWORD
/// set, in `cwd`, with the hone under test first on PATH.
fn complete(hone: &Hone, cwd: &Path, words: &[&str]) -> Vec<String> {
    let script = hone.write("hone.bash", &hone.ok(&["completions", "bash"]));
    let bin_dir = Path::new(BIN).parent().unwrap();
    let out = Command::new("bash")
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("HONE_DATA_DIR", hone.data_dir())
        .env("HONE_CONFIG", hone.config_file())
        .env("HONE_NOW", NOW)
        .current_dir(cwd)
        .arg("-c")
        .arg(
            r#"source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
            _clap_complete_hone hone "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&script)
        .args(words)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{words:?}: {}", stderr(&out));
    stdout(&out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A data dir with a deck of its own: `notes`, cards `notes/q1` and `notes/q2`, tag `my-topic`.
fn with_imported_deck() -> Hone {
    let hone = Hone::new();
    let file = hone.write(
        "notes.tsv",
        "id\tfront\tback\ttags\nq1\tWhat is one?\tOne.\tmy-topic\nq2\tWhat is two?\tTwo.\tmy-topic other\n",
    );
    hone.ok(&["import", file.to_str().unwrap(), "--deck", "notes"]);
    hone
}

#[test]
fn bash_completes_deck_ids_card_ids_and_tags_from_the_data_dir() {
    let hone = with_imported_deck();
    let cwd = hone.path("");
    let decks = complete(&hone, &cwd, &["hone", "review", "--deck", ""]);
    assert!(
        decks.contains(&"api".to_owned()) && decks.contains(&"notes".to_owned()),
        "{decks:?}"
    );
    assert_eq!(
        complete(&hone, &cwd, &["hone", "review", "--deck", "no"]),
        ["notes"]
    );
    assert_eq!(
        complete(&hone, &cwd, &["hone", "deck", "remove", "no"]),
        ["notes"]
    );

    let cards = complete(&hone, &cwd, &["hone", "show", ""]);
    assert!(
        cards.contains(&"api/rest".to_owned()) && cards.contains(&"notes/q1".to_owned()),
        "{cards:?}"
    );
    assert_eq!(
        complete(&hone, &cwd, &["hone", "answer", "notes/"]),
        ["notes/q1", "notes/q2"]
    );
    let rest = complete(&hone, &cwd, &["hone", "why", "api/rest"]);
    assert!(rest.contains(&"api/rest".to_owned()), "{rest:?}");
    assert!(rest.iter().all(|c| c.starts_with("api/rest")), "{rest:?}");

    let tags = complete(&hone, &cwd, &["hone", "cards", "--tag", ""]);
    assert!(
        tags.contains(&"caching".to_owned()) && tags.contains(&"my-topic".to_owned()),
        "{tags:?}"
    );
    assert_eq!(
        complete(&hone, &cwd, &["hone", "review", "--tag", "my-"]),
        ["my-topic"]
    );
}

#[test]
fn bash_completion_of_a_deck_offers_no_file_names() {
    let hone = with_imported_deck();
    let cwd = hone.path("");
    hone.write("notes-draft.txt", "not a deck id");
    assert_eq!(
        complete(&hone, &cwd, &["hone", "stats", "--deck", "not"]),
        ["notes"]
    );
    // Where a path is wanted, paths are offered.
    assert_eq!(
        complete(&hone, &cwd, &["hone", "import", "notes-d"]),
        ["notes-draft.txt"]
    );
}

#[test]
fn bash_completion_reads_the_data_dir_on_the_line_and_writes_nothing() {
    let hone = with_imported_deck();
    let cwd = hone.path("");
    let elsewhere = hone.path("elsewhere");
    let decks = complete(
        &hone,
        &cwd,
        &[
            "hone",
            "--data-dir",
            elsewhere.to_str().unwrap(),
            "due",
            "--deck",
            "",
        ],
    );
    assert!(decks.contains(&"api".to_owned()), "{decks:?}");
    assert!(!decks.contains(&"notes".to_owned()), "{decks:?}");
    assert!(
        !elsewhere.exists(),
        "completion created the data dir it read"
    );
    // Commands and options complete as before.
    let commands = complete(&hone, &cwd, &["hone", "un"]);
    assert_eq!(commands, ["unsuspend", "undo"]);
    assert_eq!(
        complete(&hone, &cwd, &["hone", "export", "--format", "an"]),
        ["anki"]
    );
}
