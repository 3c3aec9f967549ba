//! What `--help` shows after the options, and the manual pages repeat: examples for every
//! command, the exit codes, and the keys and grades of a review session. Constants built by
//! `concat!`, so that they cost nothing when the command line is parsed.

/// The end of one command's help: sections of notes, then examples.
pub struct Extra {
    /// Headings and their preformatted lines (indented by two spaces), shown before the
    /// examples.
    pub sections: &'static [(&'static str, &'static str)],
    /// What an example does, and its command line.
    pub examples: &'static [(&'static str, &'static str)],
    /// All of it as `--help` shows it, with headings styled as clap styles its own (clap strips
    /// the styles when its output is not a terminal).
    pub text: &'static str,
}

/// `extra!([HEADING] "lines" ... "what it does" => "command line", ...)`.
macro_rules! extra {
    ($([$heading:literal] $body:literal)* $($what:literal => $line:literal),+ $(,)?) => {
        Extra {
            sections: &[$(($heading, $body)),*],
            examples: &[$(($what, $line)),+],
            text: concat!(
                $("\x1b[1m\x1b[4m", $heading, ":\x1b[0m\n", $body, "\n\n",)*
                "\x1b[1m\x1b[4mExamples:\x1b[0m",
                $("\n  ", $what, ":\n    ", $line,)+
            ),
        }
    };
}

/// The extra help of the command at `path` (`""` for hone itself, `"deck remove"` for a
/// nested one).
pub fn extra(path: &str) -> Option<&'static Extra> {
    Some(match path {
        "" => &HONE,
        "review" => &REVIEW,
        "decks" => &DECKS,
        "cards" => &CARDS,
        "due" => &DUE,
        "next" => &NEXT,
        "answer" => &ANSWER,
        "show" => &SHOW,
        "import" => &IMPORT,
        "check" => &CHECK,
        "export" => &EXPORT,
        "deck" => &DECK,
        "deck remove" => &DECK_REMOVE,
        "deck enable" => &DECK_ENABLE,
        "deck disable" => &DECK_DISABLE,
        "deck first" => &DECK_FIRST,
        "deck priority" => &DECK_PRIORITY,
        "doctor" => &DOCTOR,
        "backup" => &BACKUP,
        "restore" => &RESTORE,
        "sync" => &SYNC,
        "merge" => &MERGE,
        "config" => &CONFIG,
        "suspend" => &SUSPEND,
        "unsuspend" => &UNSUSPEND,
        "undo" => &UNDO,
        "stats" => &STATS,
        "readiness" => &READINESS,
        "points" => &POINTS,
        "mock" => &MOCK,
        "plan" => &PLAN,
        "why" => &WHY,
        "optimize" => &OPTIMIZE,
        "completions" => &COMPLETIONS,
        "man" => &MAN,
        _ => return None,
    })
}

pub const HONE: Extra = extra!(
    ["Exit codes"]
    "  0      success, including \"nothing due\"
  1      an error (the message says which); a failed check of `hone doctor`
  2      bad command line: an unknown command, option, value, deck, card or tag
  75     the data dir was busy: another hone process held it; try again
  128+N  `hone review` or `hone mock` ended by signal N; every answer given
         before is saved"
    "See what is due today" => "hone",
    "Study it" => "hone review",
    "Grade one answer from a script" => "hone answer api/rest 4 --json",
);

pub const REVIEW: Extra = extra!(
    ["Keys"]
    "  Enter, Space    show the answer (on the question)
  t               type a rough answer first, then show the answer
  0-5             grade your answer (on the answer)
  a, h, g, e      again, hard, good, easy: grades 1, 3, 4, 5
  u               undo the last answer; its card's state is restored exactly
  s               suspend this card; `hone unsuspend CARD-ID` brings it back
  q, Esc, Ctrl-C  end the session; every answer given is already saved"
    ["Grades"]
    "  5  perfect recall
  4  correct, after some hesitation
  3  correct, with serious difficulty
  2  wrong, but the answer seemed easy once seen
  1  wrong, but the answer was familiar once seen
  0  blackout: no recall at all
  A card graded below 4 comes back later in the session, until graded 4 or 5."
    "Study the cards due today" => "hone review",
    "At most 15 cards, from one deck" => "hone review --deck sql --limit 15",
    "One topic across decks, with up to 20 new cards" => "hone review --tag caching --new 20",
    "Drill a deck whether due or not; schedules stay as they are" => "hone review --cram --deck security",
);

pub const DECKS: Extra = extra!(
    "List the decks, with cards due and new" => "hone decks",
    "The ids of the decks with cards due" => "hone decks --json | jq -r '.decks[] | select(.due > 0) | .id'",
);

pub const CARDS: Extra = extra!(
    "The cards of one deck" => "hone cards --deck api",
    "The cards of one topic, across decks, as JSON" => "hone cards --tag caching --json",
);

pub const DUE: Extra = extra!(
    "The cards due now, in review order" => "hone due",
    "Only their number, fast enough for a shell prompt" => "hone due --count",
    "The cards of one deck due now, as JSON" => "hone due --deck sql --json",
);

pub const NEXT: Extra = extra!(
    "The card a review would show next" => "hone next",
    "The next card of one deck, as JSON" => "hone next --deck api --json",
);

pub const ANSWER: Extra = extra!(
    "Grade an answer to api/rest 4 (correct, after some hesitation)" => "hone answer api/rest 4",
    "The same, printing the card's new schedule as JSON" => "hone answer api/rest 4 --json",
    "Covered key points 1, 3 and 4: the grade is the one that proposes" => "hone answer api/rest --covered 1,3,4",
    "Many answers, one JSON object per line on stdin" => "hone answer --stdin --json < answers.jsonl",
);

pub const SHOW: Extra = extra!(
    "A card, its state and its review history" => "hone show api/rest",
    "The same as JSON" => "hone show api/rest --json",
);

pub const IMPORT: Extra = extra!(
    "Import a deck; its id comes from the file name" => "hone import company-questions.csv",
    "Import Anki's notes export under a deck id of your choice" => "hone import anki-export.txt --deck company",
    "Report what importing an edited file would change, changing nothing" => "hone import notes.md --dry-run",
    "Import a deck another program writes to standard input" => "export-cards | hone import - --format csv --deck company",
);

pub const CHECK: Extra = extra!(
    "Every problem in a deck file, with its line" => "hone check notes.md",
    "Check an Anki export, reporting as JSON" => "hone check anki-export.txt --format anki --json",
);

pub const EXPORT: Extra = extra!(
    "Write a deck for Anki, to a file" => "hone export --deck sql --format anki -o sql.txt",
    "Write every deck as JSON" => "hone export --format json > decks.json",
    "Write the review log, one JSON line per entry" => "hone export --history > history.jsonl",
);

pub const DECK: Extra = extra!(
    "Leave a deck out of reviews" => "hone deck disable security",
    "Bring it back" => "hone deck enable security",
    "Remove an imported deck, keeping its history" => "hone deck remove company",
);

pub const DECK_REMOVE: Extra = extra!(
    "Remove an imported deck; importing it again picks up its history" => "hone deck remove company",
    "Remove it and take back its history too, without asking" => "hone deck remove company --purge --yes",
);

pub const DECK_ENABLE: Extra = extra!(
    "Bring a disabled deck back into reviews" => "hone deck enable security",
    "The ids of the disabled decks" => "hone decks --json | jq -r '.decks[] | select(.enabled | not) | .id'",
);

pub const DECK_DISABLE: Extra = extra!(
    "Leave a deck out of reviews, keeping its history" => "hone deck disable security",
    "Drill it all the same, by naming it" => "hone review --deck security",
);

pub const DECK_FIRST: Extra = extra!(
    "Meet your own deck's new cards before the curriculum's" => "hone deck first company",
    "See the priorities it set" => "hone decks --json | jq '.decks[] | {id, priority}'",
);

pub const DECK_PRIORITY: Extra = extra!(
    "Start the security deck's new cards before the others" => "hone deck priority security 10",
    "Leave a deck's new cards until the others are done" => "hone deck priority frameworks -10",
    "Back to the default order" => "hone deck priority security 0",
);

pub const DOCTOR: Extra = extra!(
    "Check every file of the data dir; on a problem, name a backup to go back to" => "hone doctor",
    "The same as JSON" => "hone doctor --json",
);

pub const BACKUP: Extra = extra!(
    "Back up the data dir now" => "hone backup",
    "List the backups" => "hone backup --list",
    "List them as JSON" => "hone backup --list --json",
);

pub const RESTORE: Extra = extra!(
    "Go back to a backup, after confirming; the present is backed up first" => "hone restore 20261123T081500Z-periodic",
    "The same from a script" => "hone restore 20261123T081500Z-periodic --yes --json",
);

pub const SYNC: Extra = extra!(
    "Once, make the data dir a git repository with a remote" => "cd ~/.local/share/hone && git init && git remote add origin URL",
    "Commit this machine's logs, fold in the others', push" => "hone sync",
    "The same, reporting as JSON" => "hone sync --json",
);

pub const MERGE: Extra = extra!(
    "Fold in another machine's data dir" => "hone merge /media/usb/hone",
    "Fold in a review log that `hone export --history` wrote" => "hone merge laptop-history.jsonl",
    "The same, straight from the other machine" => "ssh laptop hone export --history | hone merge -",
    "Reporting as JSON" => "hone merge /media/usb/hone --json",
);

pub const CONFIG: Extra = extra!(
    "Show every setting" => "hone config",
    "Show one" => "hone config new_per_day",
    "Change one" => "hone config new_per_day 20",
    "Where the settings file is" => "hone config --path",
);

pub const SUSPEND: Extra = extra!(
    "Take a card out of every review" => "hone suspend api/rest",
    "The same, reporting as JSON" => "hone suspend api/rest --json",
);

pub const UNSUSPEND: Extra = extra!(
    "Bring a suspended card back" => "hone unsuspend api/rest",
    "The same, reporting as JSON" => "hone unsuspend api/rest --json",
);

pub const UNDO: Extra = extra!(
    "Take back the last answer recorded on this machine" => "hone undo",
    "The same, printing the card's state now as JSON" => "hone undo --json",
);

pub const STATS: Extra = extra!(
    "Cards by state, reviews, retention, streaks, a calendar and a forecast" => "hone stats",
    "The same for one deck" => "hone stats --deck sql",
    "A self-contained page with charts" => "hone stats --html stats.html",
    "Every figure as JSON" => "hone stats --json",
);

pub const POINTS: Extra = extra!(
    "The key points you miss most, across every deck" => "hone points",
    "In one deck, all of them" => "hone points --deck databases --limit 0",
    "As JSON, for a script" => "hone points --json",
);

pub const MOCK: Extra = extra!(
    ["Keys"]
    "  Enter, Space    show the model answer (the end of the time shows it too)
  t               type your answer as the clock runs: Enter shows the model
                  answer, Esc stops typing
  Up, Down        choose a key point (on the answer)
  Space           mark it covered, or not
  Enter           record what your answer covered; the next question follows
  0-5             grade a card without key points (3 or more: covered)
  q, Esc, Ctrl-C  end the mock; every answer given is already saved"
    ["Time per question"]
    "  definition 1:30, question 4:00, design exercise 10:00 (its tag:
  design-exercise). 45 minutes hold one design exercise, asked last, and
  eight questions."
    "A 45-minute mock across every deck" => "hone mock",
    "The questions a 20-minute mock would ask, as JSON" => "hone mock --minutes 20 --dry-run --json",
    "Five questions on one topic, definitions too" => "hone mock --tag caching --questions 5 --definitions",
    "Your mocks so far, with their scores" => "hone mock --history",
);

pub const READINESS: Extra = extra!(
    "How ready you are in each area, least ready first" => "hone readiness",
    "One row for every tag" => "hone readiness --every-tag",
    "The same as JSON" => "hone readiness --json",
);

pub const PLAN: Extra = extra!(
    "Prepare the schedule for an interview date" => "hone plan --interview 2026-12-15",
    "Show the plan and its daily workload" => "hone plan",
    "Return to the plain schedule" => "hone plan --clear",
);

pub const WHY: Extra = extra!(
    "Why a card is due when it is, review by review" => "hone why api/rest",
    "The same as JSON" => "hone why api/rest --json",
);

pub const OPTIMIZE: Extra = extra!(
    "Fit FSRS parameters to your reviews and compare SM-2, FSRS and FSRS fitted" => "hone optimize",
    "Then schedule with FSRS and the fitted parameters" => "hone config scheduler fsrs",
    "The figures as JSON" => "hone optimize --json",
);

pub const COMPLETIONS: Extra = extra!(
    "Complete commands, deck ids, card ids and tags in bash: add to ~/.bashrc" => "source <(hone completions bash)",
    "The same in zsh: add to ~/.zshrc, after compinit" => "source <(hone completions zsh)",
    "The same in fish" => "hone completions fish > ~/.config/fish/completions/hone.fish",
);

pub const MAN: Extra = extra!(
    "Read the manual page" => "hone man | man -l -",
    "Install every page, one per command" => "hone man --dir ~/.local/share/man/man1",
);

#[cfg(test)]
mod tests {
    use clap::{Command, CommandFactory, Parser};

    use super::*;
    use crate::cli::Cli;

    /// Every command and nested command, with its path (`""` for hone itself).
    fn commands() -> Vec<(String, Command)> {
        fn walk(cmd: &Command, path: &str, out: &mut Vec<(String, Command)>) {
            out.push((path.to_owned(), cmd.clone()));
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let sub_path = format!("{path} {}", sub.get_name());
                walk(sub, sub_path.trim(), out);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let mut out = Vec::new();
        walk(&cmd, "", &mut out);
        out
    }

    #[test]
    fn every_command_shows_two_to_four_examples_after_its_options() {
        for (path, cmd) in commands() {
            let extra = extra(&path).unwrap_or_else(|| panic!("no examples for '{path}'"));
            assert!(
                (2..=4).contains(&extra.examples.len()) || path.is_empty(),
                "'{path}' has {} examples",
                extra.examples.len()
            );
            assert_eq!(
                cmd.get_after_help().map(|help| help.ansi().to_string()),
                Some(extra.text.to_owned()),
                "the help of '{path}' shows its examples"
            );
            for (_, line) in extra.examples {
                assert!(line.contains("hone"), "'{path}': {line}");
            }
        }
    }

    /// The hone command in an example's shell line: before a pipe or redirection, after a
    /// pipe, or inside `<(...)`.
    fn hone_command(line: &str) -> Option<&str> {
        let line = line.split(" > ").next()?.split(" < ").next()?;
        let line = line.rsplit("<(").next()?.trim_end_matches(')');
        line.split(" | ")
            .chain(line.split(" && "))
            .map(str::trim)
            .find(|part| part.starts_with("hone"))
    }

    #[test]
    fn every_example_is_a_command_line_hone_accepts() {
        for (path, _) in commands() {
            for (what, line) in extra(&path).unwrap().examples {
                let Some(command) = hone_command(line) else {
                    assert!(line.contains("git init"), "'{path}': {line}");
                    continue;
                };
                let words = command.split_whitespace();
                if let Err(e) = Cli::try_parse_from(words) {
                    panic!("'{path}': {what}: `{command}` is refused:\n{e}");
                }
            }
        }
    }

    #[test]
    fn every_line_fits_in_80_columns_where_clap_would_wrap_it_unindented() {
        for (path, _) in commands() {
            for line in extra(&path).unwrap().text.lines() {
                assert!(line.chars().count() <= 80, "'{path}': {line}");
            }
            for (_, line) in extra(&path).unwrap().examples {
                assert!(4 + line.chars().count() <= 80, "'{path}': {line}");
            }
        }
    }

    #[test]
    fn the_review_help_lists_every_key_and_grade() {
        let keys = REVIEW.sections[0].1;
        for key in [
            "Enter, Space",
            "t ",
            "0-5",
            "a, h, g, e",
            "u ",
            "s ",
            "q, Esc, Ctrl-C",
        ] {
            assert!(keys.contains(key), "{key}");
        }
        let grades = REVIEW.sections[1].1;
        for grade in 0..=5 {
            assert!(grades.contains(&format!("  {grade}  ")), "{grade}");
        }
    }
}
