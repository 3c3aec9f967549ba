//! The command line's own documentation, through the real binary: the help of every command.

mod common;

use assert_cmd::prelude::*;
use clap::CommandFactory;
use common::Hone;
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
