//! The manual: `hone.1` and a page for every command (`hone-review.1`, `hone-deck-remove.1`),
//! generated from the parser's definition by clap_mangen, with the sections it cannot know:
//! examples, the keys of a session, the environment, the files and the exit status.

use std::io::{self, Write};

use clap::{Command, CommandFactory};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::Cli;
use super::help::{self, Extra};

/// One manual page.
pub struct ManPage {
    /// `hone.1`, `hone-review.1`, ...
    pub file_name: String,
    pub roff: Vec<u8>,
}

/// hone.1 first, then a page for every command and nested command, in the order of `--help`.
pub fn man_pages() -> io::Result<Vec<ManPage>> {
    fn without_help_commands(cmd: Command) -> Command {
        cmd.disable_help_subcommand(true)
            .mut_subcommands(without_help_commands)
    }
    let mut root = without_help_commands(Cli::command());
    root.build();
    let mut pages = Vec::new();
    collect(&root, &[], &mut pages)?;
    Ok(pages)
}

fn collect(cmd: &Command, path: &[&str], pages: &mut Vec<ManPage>) -> io::Result<()> {
    let man = Man::new(cmd.clone())
        .source(format!("hone {}", env!("CARGO_PKG_VERSION")))
        .manual("hone manual");
    let mut roff = Vec::new();
    render(&man, cmd, path, &mut roff)?;
    pages.push(ManPage {
        file_name: man.get_filename(),
        roff,
    });
    for sub in cmd.get_subcommands() {
        let mut sub_path = path.to_vec();
        sub_path.push(sub.get_name());
        collect(sub, &sub_path, pages)?;
    }
    Ok(())
}

fn render(man: &Man, cmd: &Command, path: &[&str], out: &mut Vec<u8>) -> io::Result<()> {
    man.render_title(out)?;
    let mut section = |render: &dyn Fn(&mut dyn Write) -> io::Result<()>| {
        let mut buf = Vec::new();
        render(&mut buf)?;
        out.extend_from_slice(without_preamble(&buf));
        io::Result::Ok(())
    };
    section(&|w| man.render_name_section(w))?;
    section(&|w| man.render_synopsis_section(w))?;
    section(&|w| man.render_description_section(w))?;
    section(&|w| man.render_options_section(w))?;
    if cmd.has_subcommands() {
        section(&|w| man.render_subcommands_section(w))?;
    }
    let extra = help::extra(&path.join(" "));
    let root = path.is_empty();
    // In the order of man-pages(7).
    section(&|w| {
        let mut roff = Roff::new();
        if let Some(extra) = extra {
            notes(&mut roff, extra);
        }
        if root {
            exit_status(&mut roff);
            environment(&mut roff);
            files(&mut roff);
        }
        if let Some(extra) = extra {
            examples(&mut roff, extra);
        }
        if !root {
            see_also(&mut roff, path);
        }
        roff.to_writer(w)
    })?;
    if root {
        section(&|w| man.render_version_section(w))?;
    }
    Ok(())
}

/// Every rendering starts with the same preamble, which one page needs once (before `.TH`).
fn without_preamble(rendered: &[u8]) -> &[u8] {
    const PREAMBLE: &[u8] = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    rendered.strip_prefix(PREAMBLE).unwrap_or(rendered)
}

/// The help's sections, preformatted as in the terminal; but for its exit codes, which EXIT
/// STATUS gives in full.
fn notes(roff: &mut Roff, extra: &Extra) {
    for (heading, body) in extra.sections {
        if *heading == "Exit codes" {
            continue;
        }
        roff.control("SH", [heading.to_uppercase().as_str()]);
        roff.control("nf", []);
        for line in body.lines() {
            roff.text([roman(line.strip_prefix("  ").unwrap_or(line))]);
        }
        roff.control("fi", []);
    }
}

fn examples(roff: &mut Roff, extra: &Extra) {
    roff.control("SH", ["EXAMPLES"]);
    for (what, line) in extra.examples {
        roff.control("PP", []);
        roff.text([roman(format!("{what}:"))]);
        roff.control("RS", ["4"]);
        roff.control("nf", []);
        roff.text([bold(*line)]);
        roff.control("fi", []);
        roff.control("RE", []);
    }
}

fn entries(roff: &mut Roff, heading: &str, entries: &[(&str, &str)], term: fn(&str) -> String) {
    roff.control("SH", [heading]);
    for (name, meaning) in entries {
        roff.control("TP", []);
        roff.text([bold(term(name))]);
        roff.text([roman(*meaning)]);
    }
}

fn environment(roff: &mut Roff) {
    entries(roff, "ENVIRONMENT", ENVIRONMENT, str::to_owned);
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([roman(
        "The data dir is $XDG_DATA_HOME/hone, else ~/.local/share/hone (see HONE_DATA_DIR). \
         It holds JSON only; every file but those in local/ may be synced between machines.",
    )]);
    for (path, meaning) in FILES {
        roff.control("TP", []);
        roff.text([italic(*path)]);
        roff.text([roman(*meaning)]);
    }
}

fn exit_status(roff: &mut Roff) {
    entries(roff, "EXIT STATUS", EXIT_STATUS, str::to_owned);
}

fn see_also(roff: &mut Roff, path: &[&str]) {
    roff.control("SH", ["SEE ALSO"]);
    let mut line = vec![
        bold("hone"),
        roman("(1), for the environment, the files and the exit status"),
    ];
    for end in 1..path.len() {
        line.push(roman("; "));
        line.push(bold(format!("hone-{}", path[..end].join("-"))));
        line.push(roman("(1)"));
    }
    roff.text(line);
}

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "HONE_DATA_DIR",
        "The data dir, as --data-dir gives it (the option wins). \
         Default: $XDG_DATA_HOME/hone, else ~/.local/share/hone.",
    ),
    (
        "HONE_CONFIG",
        "The settings file, as --config gives it (the option wins). \
         Default: $XDG_CONFIG_HOME/hone/config.toml, else ~/.config/hone/config.toml.",
    ),
    (
        "HONE_NOW",
        "Act as if it were this moment, as --now gives it (the option wins): RFC 3339 with a \
         UTC offset, e.g. 2026-11-23T09:00:00+01:00. For tests and scripts.",
    ),
    (
        "HONE_LOCK_TIMEOUT",
        "Seconds to wait for another hone process to release the data dir (default 10, \
         fractions allowed); then hone gives up with exit status 75.",
    ),
    (
        "NO_COLOR",
        "Set and not empty: no colour or emphasis with --color auto, the default. \
         TERM=dumb does the same.",
    ),
    (
        super::COMPLETE_VAR,
        "Set by the scripts of hone completions when they ask hone for completions; \
         not for use by hand.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "reviews/DEVICE.jsonl",
        "This machine's review log: answers, undos, suspensions and retractions, one JSON line \
         each, appended and fsynced before hone says so. With the other machines' logs, the \
         source of truth. No command rewrites or shortens a log.",
    ),
    (
        "curriculum/DEVICE.jsonl",
        "This machine's log of changes to what is studied: imported cards, retirements, deck \
         removals, decks in or out of reviews, the interview date.",
    ),
    (
        "parameters/DEVICE.jsonl",
        "The FSRS parameters hone optimize fitted on this machine, one JSON line per fit; the \
         latest fit of any machine is in use. Absent until the first fit.",
    ),
    (
        ".gitignore, .stignore",
        "Written once, for syncing with git or Syncthing; edit them freely.",
    ),
    (
        "local/",
        "This machine's own, never synced: snapshot.json (every card's state, a checkpoint \
         rebuilt from the logs when needed), due-count.json (recent hone due --count results), \
         device.json (names this machine's logs), lock (serialises writers), sync.json (what a \
         hone sync is doing), backups/ (see hone-backup(1)), torn/ and damaged/ (what was set \
         aside).",
    ),
    (
        "~/.config/hone/config.toml",
        "The settings, in $XDG_CONFIG_HOME/hone if that is set (see HONE_CONFIG and \
         hone-config(1)).",
    ),
];

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success, including \"nothing due\"."),
    (
        "1",
        "An error, which the message on standard error names: an unreadable or damaged file, a \
         bad input line, no terminal for hone review; a failed check of hone doctor.",
    ),
    (
        "2",
        "A bad command line: an unknown command, option or value; an unknown deck, card or tag.",
    ),
    (
        "75",
        "The data dir was busy: another hone process held it longer than HONE_LOCK_TIMEOUT. \
         Try again.",
    ),
    (
        "128+N",
        "hone review was ended by signal N (129 SIGHUP, 130 SIGINT, 143 SIGTERM). Every answer \
         given before it is saved.",
    ),
];
