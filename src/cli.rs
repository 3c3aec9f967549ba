//! The command line: clap types only, a doc line on every argument. Parsing happens here and
//! nowhere else; the commands receive these plain values. The help's examples (`help`), the
//! manual pages (`man`) and the answers to completion scripts (`complete`) are generated from
//! the same definition.

mod complete;
mod help;
mod man;

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use clap::{Args, Parser, Subcommand, ValueHint};

use crate::model::{CardId, DeckId};

pub use complete::{COMPLETE_VAR, Candidate, Completing, complete, write_completions};
pub use man::{ManPage, man_pages};

#[derive(Debug, Parser)]
#[command(
    name = "hone",
    version,
    about = "Drill backend-developer interview questions with spaced repetition (SM-2).",
    long_about = "Drill backend-developer interview questions with spaced repetition (SM-2).\n\n\
        Run `hone review` to study the cards due today. Without a command, hone shows what is due.",
    after_help = help::HONE.text
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes. The environment variables that stand in for them are read by
/// `env`, not by clap: a value from the environment must not show in a usage line as if typed.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Directory holding the review state [env: HONE_DATA_DIR] [default: the user's data directory, e.g. ~/.local/share/hone]
    #[arg(long, global = true, value_name = "PATH", value_hint = ValueHint::DirPath)]
    pub data_dir: Option<PathBuf>,

    /// Settings file [env: HONE_CONFIG] [default: config.toml in the user's config directory, e.g. ~/.config/hone]
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Act as if it were this moment: RFC 3339 with a UTC offset, e.g. 2026-11-23T09:00:00+01:00 [env: HONE_NOW]
    #[arg(long, global = true, value_name = "TIMESTAMP", value_parser = parse_timestamp)]
    pub now: Option<DateTime<FixedOffset>>,

    /// When to use colours (auto: on a terminal, unless NO_COLOR is set)
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
    #[command(after_help = help::REVIEW.text)]
    Review(ReviewArgs),
    /// List the decks with their card counts and cards due
    #[command(after_help = help::DECKS.text)]
    Decks(JsonArgs),
    /// List cards with their questions and answers
    #[command(after_help = help::CARDS.text)]
    Cards(CardsArgs),
    /// List the cards due now, in review order
    #[command(after_help = help::DUE.text)]
    Due(DueArgs),
    /// Show the card a review would show next
    #[command(after_help = help::NEXT.text)]
    Next(NextArgs),
    /// Record the grade of one answer, or of many read from stdin
    #[command(after_help = help::ANSWER.text)]
    Answer(AnswerArgs),
    /// Show a card, its state and its review history
    #[command(after_help = help::SHOW.text)]
    Show(CardArgs),
    /// Import a deck: hone (.md), Anki notes text, CSV, TSV or JSON; again to update it
    #[command(after_help = help::IMPORT.text)]
    Import(ImportArgs),
    /// Check a deck file without importing it: every problem, with its line
    #[command(after_help = help::CHECK.text)]
    Check(CheckArgs),
    /// Write a deck in a format hone (and Anki) can import, or the review log
    #[command(after_help = help::EXPORT.text)]
    Export(ExportArgs),
    /// Remove, enable or disable a deck
    #[command(subcommand, after_help = help::DECK.text)]
    Deck(DeckCommand),
    /// Check the data dir, and say how to repair or restore it
    #[command(after_help = help::DOCTOR.text)]
    Doctor(JsonArgs),
    /// Back up the data dir now, or list the backups
    #[command(after_help = help::BACKUP.text)]
    Backup(BackupArgs),
    /// Put the data dir back as a backup has it; the current state is backed up first
    #[command(after_help = help::RESTORE.text)]
    Restore(RestoreArgs),
    /// Sync through git: commit this machine's logs, fold in the other machines', push
    #[command(after_help = help::SYNC.text)]
    Sync(JsonArgs),
    /// Fold in the reviews of another data dir or of a `hone export --history` file
    #[command(after_help = help::MERGE.text)]
    Merge(MergeArgs),
    /// Show or change settings
    #[command(after_help = help::CONFIG.text)]
    Config(ConfigArgs),
    /// Take a card out of every review until it is unsuspended
    #[command(after_help = help::SUSPEND.text)]
    Suspend(CardArgs),
    /// Bring a suspended card back
    #[command(after_help = help::UNSUSPEND.text)]
    Unsuspend(CardArgs),
    /// Take back the last answer recorded on this machine
    #[command(after_help = help::UNDO.text)]
    Undo(JsonArgs),
    /// Statistics: cards by state, reviews, retention, streaks, a calendar and a forecast
    #[command(after_help = help::STATS.text)]
    Stats(StatsArgs),
    /// How much of each topic you would recall, now and at the interview, and what to drill
    #[command(after_help = help::READINESS.text)]
    Readiness(ReadinessArgs),
    /// Run a timed mock interview across topics, or list past mocks with their scores
    #[command(after_help = help::MOCK.text)]
    Mock(MockArgs),
    /// The key points you miss most, with their cards, so you know what to say next time
    #[command(after_help = help::POINTS.text)]
    Points(PointsArgs),
    /// Prepare for an interview date, or show the plan, its workload and predicted recall
    #[command(after_help = help::PLAN.text)]
    Plan(PlanArgs),
    /// Explain a card's schedule review by review: SM-2's arithmetic and the memory model's
    #[command(after_help = help::WHY.text)]
    Why(CardArgs),
    /// Fit FSRS parameters to your review history, and say how well each model predicts it
    #[command(after_help = help::OPTIMIZE.text)]
    Optimize(JsonArgs),
    /// Print a shell completion script: commands, options, deck ids, card ids and tags
    #[command(after_help = help::COMPLETIONS.text)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write a page for every command to a directory
    #[command(after_help = help::MAN.text)]
    Man(ManArgs),
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
    /// 2 wrong but easy once seen, 1 wrong but familiar once seen, 0 blackout; with --covered,
    /// the grade the coverage proposes if left out
    #[arg(value_name = "GRADE", value_parser = clap::value_parser!(u8).range(0..=5), required_unless_present_any = ["stdin", "covered"])]
    pub grade: Option<u8>,

    /// The card's key points your answer covered, by position: 1,3,4 (none: none of them)
    #[arg(long, value_name = "LIST", allow_hyphen_values = false)]
    pub covered: Option<String>,

    /// Read answers from stdin, one JSON object per line: {"card": ID, "grade": G, "covered":
    /// [1, 3], "at": TIMESTAMP}
    #[arg(long, conflicts_with_all = ["card", "grade", "covered"])]
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

    /// Write the statistics as a self-contained HTML page with charts (`-` for stdout)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
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
pub struct PointsArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// Show at most this many points (0: all of them)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("listing").args(["dry_run", "history"])))]
pub struct MockArgs {
    #[command(flatten)]
    pub filter: Filter,

    /// The mock's length [default: 45, or the time its questions take with --questions]
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=600))]
    pub minutes: Option<u32>,

    /// How many questions [default: as many as the minutes hold]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub questions: Option<u32>,

    /// Every question's time, instead of its kind's (definition 90, question 240, design
    /// exercise 600)
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub seconds: Option<u32>,

    /// Ask definition cards too, not only questions
    #[arg(long)]
    pub definitions: bool,

    /// Draw the questions with this seed: the same seed draws the same mock while no answer is
    /// recorded in between [default: a random one]
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,

    /// Print the questions the mock would ask, with their times, without starting it
    #[arg(long)]
    pub dry_run: bool,

    /// List past mocks with their scores, oldest first
    #[arg(long, conflicts_with_all = ["dry_run", "minutes", "questions", "seconds", "definitions", "seed", "deck", "tag"])]
    pub history: bool,

    /// Print JSON instead of text (with --dry-run or --history)
    #[arg(long, requires = "listing")]
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
    /// wrote (`-` reads that history from stdin)
    #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
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
pub struct ManArgs {
    /// Write hone.1 and a hone-COMMAND.1 for every command into this directory, instead of
    /// printing hone.1
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import, or - to read the deck from standard input (then --format and --deck
    /// are required)
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,

    /// Deck id to import into [default: the id the file gives, else one from the file name]
    #[arg(long, value_name = "ID")]
    pub deck: Option<DeckId>,

    /// The file's format
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
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,

    /// The file's format
    #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
    pub format: FormatChoice,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// A deck file format, or `auto` to recognise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatChoice {
    /// Recognise the format from the file's content and extension
    Auto,
    /// hone's deck format, as the built-in decks are written (.md)
    Hone,
    /// Anki's "Notes in Plain Text" export, with its #separator, #html, ... headers
    Anki,
    /// Comma-separated, with a header row naming front and back (or question and answer)
    Csv,
    /// Tab-separated; without a header row, front and back on each line
    Tsv,
    /// An array of cards, or an object with a "cards" array
    Json,
}

/// A format to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// hone's deck format, as the built-in decks are written
    Hone,
    /// Anki's "Notes in Plain Text", with a GUID column so that the deck can come back
    Anki,
    /// Comma-separated, with a header row
    Csv,
    /// Tab-separated, with a header row
    Tsv,
    /// A deck object; without --deck, every deck as {"decks": [...]}
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

    /// Write to this file instead of stdout (`-` is stdout)
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DeckCommand {
    /// Remove an imported deck; its review history is kept unless --purge
    #[command(after_help = help::DECK_REMOVE.text)]
    Remove(DeckRemoveArgs),
    /// Bring a disabled deck back into reviews
    #[command(after_help = help::DECK_ENABLE.text)]
    Enable(DeckIdArgs),
    /// Leave a deck (built-in or imported) out of reviews, keeping its history
    #[command(after_help = help::DECK_DISABLE.text)]
    Disable(DeckIdArgs),
    /// Introduce this deck's new cards before every other deck's
    #[command(after_help = help::DECK_FIRST.text)]
    First(DeckIdArgs),
    /// Set the priority of a deck's new cards: higher comes first, 0 is the default
    #[command(after_help = help::DECK_PRIORITY.text)]
    Priority(DeckPriorityArgs),
}

#[derive(Debug, Args)]
pub struct DeckPriorityArgs {
    /// The deck id
    #[arg(value_name = "ID")]
    pub deck: DeckId,

    /// The priority, from -100 to 100 (0: as any other deck)
    #[arg(value_name = "PRIORITY", allow_negative_numbers = true, value_parser = clap::value_parser!(i32).range(-100..=100))]
    pub priority: i32,
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

    /// Also take back the deck's review history: its cards start over as new
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

fn parse_timestamp(s: &str) -> Result<DateTime<FixedOffset>, String> {
    crate::model::parse_moment(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
