//! The command line: clap types only, a doc line on every argument. Parsing happens here and
//! nowhere else; the commands receive these plain values.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::model::{CardId, DeckId};

#[derive(Debug, Parser)]
#[command(
    name = "hone",
    version,
    about = "Drill backend-developer interview questions with spaced repetition (SM-2).",
    long_about = "Drill backend-developer interview questions with spaced repetition (SM-2).\n\n\
        Run `hone review` to study the cards due today. Without a command, hone shows what is due.",
    after_help = "Exit codes: 0 success, 1 error, 2 bad command line, 75 data dir busy (try again)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Directory holding the review state [default: the user's data directory, e.g. ~/.local/share/hone]
    #[arg(long, global = true, env = "HONE_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,

    /// Settings file [default: config.toml in the user's config directory, e.g. ~/.config/hone]
    #[arg(long, global = true, env = "HONE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Act as if it were this moment: RFC 3339 with a UTC offset, e.g. 2026-11-23T09:00:00+01:00
    #[arg(long, global = true, env = "HONE_NOW", value_name = "TIMESTAMP", value_parser = parse_timestamp)]
    pub now: Option<DateTime<FixedOffset>>,

    /// When to use colours: auto (a terminal, and NO_COLOR unset), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Which cards a command looks at.
#[derive(Debug, Clone, Default, Args)]
pub struct Filter {
    /// Only cards of this deck
    #[arg(long, value_name = "ID")]
    pub deck: Option<DeckId>,

    /// Only cards with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study the cards due today, in the terminal
    Review(ReviewArgs),
    /// List the decks with their card counts and cards due
    Decks(JsonArgs),
    /// List cards with their questions and answers
    Cards(CardsArgs),
    /// List the cards due now, in review order
    Due(DueArgs),
    /// Show the card a review would show next
    Next(NextArgs),
    /// Record the grade of one answer, or of many read from stdin
    Answer(AnswerArgs),
    /// Show a card, its state and its review history
    Show(CardArgs),
    /// Import a deck: hone (.md), Anki notes text, CSV, TSV or JSON; again to update it
    Import(ImportArgs),
    /// Check a deck file without importing it: every problem, with its line
    Check(CheckArgs),
    /// Write a deck in a format hone (and Anki) can import, or the review log
    Export(ExportArgs),
    /// Remove, enable or disable a deck
    #[command(subcommand)]
    Deck(DeckCommand),
    /// Check the data dir, and say how to repair or restore it
    Doctor(JsonArgs),
    /// Back up the data dir now, or list the backups
    Backup(BackupArgs),
    /// Put the data dir back as a backup has it; the current state is backed up first
    Restore(RestoreArgs),
    /// Sync through git: commit this machine's reviews, pull with rebase, push
    Sync(JsonArgs),
    /// Fold in the reviews of another data dir or of a `hone export --history` file
    Merge(MergeArgs),
    /// Show or change settings
    Config(ConfigArgs),
    /// Take a card out of every review until it is unsuspended
    Suspend(CardArgs),
    /// Bring a suspended card back
    Unsuspend(CardArgs),
    /// Take back the last answer recorded on this machine
    Undo(JsonArgs),
    /// Statistics: cards by state, reviews, retention, streaks, a calendar and a forecast
    Stats(StatsArgs),
    /// How ready you are, topic by topic, and what to drill next
    Readiness(ReadinessArgs),
    /// Prepare for an interview date, or show the plan and its daily workload
    Plan(PlanArgs),
    /// Explain a card's schedule, review by review, with the SM-2 arithmetic
    Why(CardArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the manual page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// At most this many cards in the session
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// At most this many new cards in the session, instead of what is left of today's limit
    #[arg(long = "new", value_name = "N")]
    pub new_cards: Option<usize>,

    /// Drill cards whether due or not, without changing their schedule
    #[arg(long)]
    pub cram: bool,
}

#[derive(Debug, Args)]
pub struct CardsArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// Print JSON instead of text
    #[arg(long, conflicts_with = "count")]
    pub json: bool,

    /// Print only the number of cards due
    #[arg(long)]
    pub count: bool,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AnswerArgs {
    /// The card answered, as DECK/CARD
    #[arg(value_name = "CARD-ID", required_unless_present = "stdin")]
    pub card: Option<CardId>,

    /// Your grade: 5 perfect, 4 correct after hesitation, 3 correct with serious difficulty,
    /// 2 wrong but easy once seen, 1 wrong but familiar once seen, 0 blackout
    #[arg(value_name = "GRADE", value_parser = clap::value_parser!(u8).range(0..=5), required_unless_present = "stdin")]
    pub grade: Option<u8>,

    /// Read answers from stdin, one JSON object per line: {"card": ID, "grade": G, "at": TIMESTAMP}
    #[arg(long, conflicts_with_all = ["card", "grade"])]
    pub stdin: bool,

    /// Print JSON instead of text (one line per answer with --stdin)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CardArgs {
    /// The card, as DECK/CARD
    #[arg(value_name = "CARD-ID")]
    pub card: CardId,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// Print JSON instead of text
    #[arg(long, conflicts_with = "html")]
    pub json: bool,

    /// Write the statistics as a self-contained HTML page with charts
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReadinessArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// One row for every tag, not just each card's area (its first tag)
    #[arg(long)]
    pub every_tag: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The interview date, YYYY-MM-DD: scheduling prepares for it from now on
    #[arg(long, value_name = "DATE", conflicts_with = "clear")]
    pub interview: Option<chrono::NaiveDate>,

    /// Remove the plan and return to plain SM-2
    #[arg(long)]
    pub clear: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// List the backups instead of making one
    #[arg(long)]
    pub list: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore, as `hone backup --list` names it
    #[arg(value_name = "BACKUP")]
    pub backup: String,

    /// Do not ask for confirmation (needed without a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Another data dir, one of its `reviews/*.jsonl` logs, or a file `hone export --history`
    /// wrote
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import, or - to read the deck from standard input (then --format and --deck
    /// are required)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Deck id to import into [default: the id the file gives, else one from the file name]
    #[arg(long, value_name = "ID")]
    pub deck: Option<DeckId>,

    /// The file's format [default: auto, from its content and extension]
    #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
    pub format: FormatChoice,

    /// Check and report what would change, without changing anything
    #[arg(long)]
    pub dry_run: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The file's format [default: auto, from its content and extension]
    #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
    pub format: FormatChoice,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// A deck file format, or `auto` to recognise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatChoice {
    Auto,
    Hone,
    Anki,
    Csv,
    Tsv,
    Json,
}

/// A format to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Hone,
    Anki,
    Csv,
    Tsv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The deck to export; without it, every deck (JSON only)
    #[arg(long, value_name = "ID", conflicts_with = "history")]
    pub deck: Option<DeckId>,

    /// The format to write
    #[arg(
        long,
        value_enum,
        required_unless_present = "history",
        conflicts_with = "history"
    )]
    pub format: Option<ExportFormat>,

    /// Write the review log (JSON Lines) instead of a deck
    #[arg(long)]
    pub history: bool,

    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Remove an imported deck; its review history is kept unless --purge
    Remove(DeckRemoveArgs),
    /// Bring a disabled deck back into reviews
    Enable(DeckIdArgs),
    /// Leave a deck (built-in or imported) out of reviews, keeping its history
    Disable(DeckIdArgs),
}

#[derive(Debug, Args)]
pub struct DeckIdArgs {
    /// The deck id
    #[arg(value_name = "ID")]
    pub deck: DeckId,
}

#[derive(Debug, Args)]
pub struct DeckRemoveArgs {
    /// The deck id
    #[arg(value_name = "ID")]
    pub deck: DeckId,

    /// Also delete the deck's review history, for good
    #[arg(long)]
    pub purge: bool,

    /// Do not ask for confirmation (needed for --purge without a terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The setting to show or change; without it, show all
    #[arg(value_name = "KEY")]
    pub key: Option<String>,

    /// The new value
    #[arg(value_name = "VALUE", requires = "key")]
    pub value: Option<String>,

    /// Print the path of the settings file
    #[arg(long, conflicts_with_all = ["key", "json"])]
    pub path: bool,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// Writes the completion script for `shell`, generated from the same definition as the parser.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "hone", out);
}

/// Writes the manual page, generated from the same definition as the parser.
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

fn parse_timestamp(s: &str) -> Result<DateTime<FixedOffset>, String> {
    crate::model::parse_moment(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
