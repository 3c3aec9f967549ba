//! Shell completion. The scripts `hone completions SHELL` prints run hone again on every Tab,
//! with `HONE_COMPLETE` set and the words typed so far; hone answers with the candidates and
//! exits. Commands, options and their values come from the parser's definition; deck ids, card
//! ids and tags from the data dir, through a lookup the caller supplies. Nothing of this runs
//! unless `HONE_COMPLETE` is set.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::anyhow;
use clap::{Arg, Command, CommandFactory};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::Shells;
use clap_complete::{CompleteEnv, Shell};

use super::Cli;

/// The environment variable with which a completion script asks hone for candidates.
pub const COMPLETE_VAR: &str = "HONE_COMPLETE";

/// A value completed from the data dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completing {
    /// A deck id, for every argument named `deck`.
    Deck,
    /// A card id, for every argument named `card`.
    Card,
    /// A tag, for every argument named `tag`.
    Tag,
}

/// One completion: the value, and what a shell that shows descriptions shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: Option<String>,
}

/// The candidates for a kind of value, given the `--data-dir` typed on the line, if any.
pub type Lookup = fn(Completing, Option<&Path>) -> Vec<Candidate>;

/// Writes the script that has `shell` complete hone's command lines by asking hone. It calls
/// the `hone` found on PATH.
pub fn write_completions(shell: Shell, out: &mut dyn Write) -> anyhow::Result<()> {
    let shells = Shells::builtins();
    let completer = shells
        .completer(&shell.to_string())
        .ok_or_else(|| anyhow!("no completion script for {shell}"))?;
    completer.write_registration(COMPLETE_VAR, "hone", "hone", "hone", out)?;
    Ok(())
}

/// Answers a completion script: if `HONE_COMPLETE` is set, prints the candidates for the words
/// in `args` (as the script passes them) and returns true.
pub fn complete(
    args: &[OsString],
    current_dir: Option<&Path>,
    lookup: Lookup,
) -> anyhow::Result<bool> {
    let data_dir = data_dir_typed(args);
    let values: Values = Arc::new(move |completing| lookup(completing, data_dir.as_deref()));
    let completed = CompleteEnv::with_factory(move || with_candidates(Cli::command(), &values))
        .var(COMPLETE_VAR)
        .try_complete(args.iter().cloned(), current_dir)
        .map_err(|e| anyhow!("completion: {}", e.render()))?;
    Ok(completed)
}

type Values = Arc<dyn Fn(Completing) -> Vec<Candidate> + Send + Sync>;

/// `cmd` with the data dir's values attached to every `deck`, `card` and `tag` argument, in
/// every command.
fn with_candidates(cmd: Command, values: &Values) -> Command {
    let attach = |arg: Arg| {
        let completing = match arg.get_id().as_str() {
            "deck" => Completing::Deck,
            "card" => Completing::Card,
            "tag" => Completing::Tag,
            _ => return arg,
        };
        let values = Arc::clone(values);
        arg.add(ArgValueCandidates::new(move || {
            values(completing)
                .into_iter()
                .map(|c| CompletionCandidate::new(c.value).help(c.help.map(Into::into)))
                .collect::<Vec<_>>()
        }))
    };
    cmd.mut_args(attach)
        .mut_subcommands(|sub| with_candidates(sub, values))
}

/// The value of `--data-dir` among the words typed, if any: completion reads that data dir.
fn data_dir_typed(args: &[OsString]) -> Option<PathBuf> {
    let mut found = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--data-dir" {
            found = words.next().map(PathBuf::from);
        } else if let Some(dir) = word.to_str().and_then(|w| w.strip_prefix("--data-dir=")) {
            found = Some(PathBuf::from(dir));
        }
    }
    found.filter(|dir| !dir.as_os_str().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    fn lookup(completing: Completing, data_dir: Option<&Path>) -> Vec<Candidate> {
        let dir = data_dir.map_or("default".to_owned(), |d| d.display().to_string());
        let value = match completing {
            Completing::Deck => format!("deck-in-{dir}"),
            Completing::Card => format!("deck/card-in-{dir}"),
            Completing::Tag => format!("tag-in-{dir}"),
        };
        vec![Candidate { value, help: None }]
    }

    /// The candidates clap's engine gives for the last word of `line`.
    fn candidates(line: &str) -> Vec<String> {
        let args = words(line);
        let data_dir = data_dir_typed(&args);
        let values: Values = Arc::new(move |c| lookup(c, data_dir.as_deref()));
        let mut cmd = with_candidates(Cli::command(), &values);
        let index = args.len() - 1;
        clap_complete::engine::complete(&mut cmd, args, index, None)
            .unwrap()
            .into_iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn every_deck_card_and_tag_argument_completes_from_the_data_dir() {
        // An option's value is all that can come next; a positional argument's comes first,
        // before the options that could come instead.
        for line in [
            "hone review --deck ",
            "hone cards --deck ",
            "hone due --deck ",
            "hone next --deck ",
            "hone stats --deck ",
            "hone readiness --deck ",
            "hone mock --deck ",
            "hone export --deck ",
            "hone import notes.md --deck ",
            "hone deck remove ",
            "hone deck enable ",
            "hone deck disable ",
        ] {
            assert_eq!(candidates(line)[0], "deck-in-default", "{line:?}");
        }
        for line in [
            "hone answer ",
            "hone show ",
            "hone why ",
            "hone suspend ",
            "hone unsuspend ",
        ] {
            assert_eq!(candidates(line)[0], "deck/card-in-default", "{line:?}");
        }
        for line in [
            "hone review --tag ",
            "hone cards --tag ",
            "hone stats --tag ",
            "hone mock --tag ",
        ] {
            assert_eq!(candidates(line), ["tag-in-default"], "{line:?}");
        }
    }

    #[test]
    fn the_data_dir_typed_on_the_line_is_the_one_read() {
        assert_eq!(
            candidates("hone --data-dir /elsewhere review --deck "),
            ["deck-in-/elsewhere"]
        );
        assert_eq!(
            candidates("hone review --data-dir=/there --deck "),
            ["deck-in-/there"]
        );
    }

    #[test]
    fn candidates_are_filtered_by_what_is_typed() {
        assert_eq!(
            candidates("hone review --deck deck-in"),
            ["deck-in-default"]
        );
        assert!(candidates("hone review --deck nothing-like-it").is_empty());
    }

    #[test]
    fn commands_and_the_values_of_other_options_still_complete() {
        let commands = candidates("hone re");
        for command in ["review", "readiness", "restore"] {
            assert!(commands.iter().any(|c| c == command), "{commands:?}");
        }
        assert_eq!(candidates("hone import x --format cs"), ["csv"]);
    }

    #[test]
    fn every_shell_has_a_script() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let mut script = Vec::new();
            write_completions(shell, &mut script).unwrap();
            let script = String::from_utf8(script).unwrap();
            assert!(script.contains(COMPLETE_VAR), "{shell}: {script}");
        }
    }
}
