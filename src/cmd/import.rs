//! `hone import FILE` and `hone check FILE`: read a deck in any supported format, a piece at a
//! time, check all of it, and (for import) copy it into the data dir. `hone import -` reads the
//! deck from standard input. All or nothing: a file with any problem imports nothing and
//! changes nothing.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::anyhow;
use serde::Serialize;

use crate::cli::{CheckArgs, FormatChoice, ImportArgs};
use crate::deck::decode::{Decoder, MAX_FILE_BYTES};
use crate::deck::import::{Format, Reader};
use crate::deck::names::Defaults;
use crate::deck::parse::{LineError, ParsedDeck};
use crate::deck::table::slug;
use crate::deck::{self, FileErrors};
use crate::model::DeckSource;
use crate::render::safe::visible;

use super::{Ctx, UsageError};

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Serialize)]
pub struct ImportView {
    pub deck: String,
    pub format: &'static str,
    /// Cards in the file.
    pub cards: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Cards gone from the file, now retired with their history kept.
    pub retired: usize,
    /// Retired cards back in the file, in reviews again.
    pub revived: usize,
    pub dry_run: bool,
    /// The first study day whose queue holds one of the deck's new cards, as the daily limits
    /// and the order of new cards stand; `null` if none comes within a year (or it has none).
    pub first_new_day: Option<String>,
    /// Today's study day, for the text to say "today".
    #[serde(skip)]
    pub today: String,
}

#[derive(Debug, Serialize)]
pub struct CheckView {
    pub file: String,
    /// `null` when the file's format could not be told (it did not decode).
    pub format: Option<&'static str>,
    /// `null` for a file with problems.
    pub deck: Option<String>,
    pub cards: usize,
    /// Every problem found, in the file's order; empty for a file that would import.
    pub problems: Vec<ProblemView>,
}

#[derive(Debug, Serialize)]
pub struct ProblemView {
    pub line: usize,
    /// 1-based, in characters; `null` where a column would not help.
    pub column: Option<usize>,
    pub message: String,
}

/// The problems of a deck file, and its format when it was told.
#[derive(Debug, thiserror::Error)]
#[error("{errors}")]
struct DeckProblems {
    format: Option<Format>,
    errors: FileErrors,
}

fn chosen(choice: FormatChoice) -> Option<Format> {
    match choice {
        FormatChoice::Auto => None,
        FormatChoice::Hone => Some(Format::Hone),
        FormatChoice::Anki => Some(Format::Anki),
        FormatChoice::Csv => Some(Format::Csv),
        FormatChoice::Tsv => Some(Format::Tsv),
        FormatChoice::Json => Some(Format::Json),
    }
}

/// Where a deck is read from.
enum Source<'a> {
    File(&'a Path),
    /// Standard input (`-`): the format and the deck id must be given.
    Stdin(&'a mut dyn Read),
}

/// How much of a deck is read at a time.
const CHUNK_BYTES: usize = 256 * 1024;

/// Reads, decodes and parses a deck, a piece at a time; every problem comes back with the
/// file's name.
fn read_deck(
    source: Source,
    choice: FormatChoice,
    deck_id: Option<&str>,
) -> anyhow::Result<(ParsedDeck, Format)> {
    let (shown, defaults, extension) = match &source {
        Source::File(path) => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let defaults = Defaults {
                id: slug(&stem, 64),
                title: stem,
            };
            let shown = visible(&path.display().to_string()).into_owned();
            (shown, defaults, path.extension().and_then(|e| e.to_str()))
        }
        Source::Stdin(_) => {
            let id = deck_id.unwrap_or_default().to_owned();
            let defaults = Defaults {
                title: id.clone(),
                id,
            };
            (STDIN.to_owned(), defaults, None)
        }
    };
    let located = |format: Option<Format>| {
        let file = shown.clone();
        move |errors: Vec<LineError>| DeckProblems {
            format,
            errors: FileErrors { file, errors },
        }
    };
    let too_big = || {
        anyhow!(
            "{shown} is larger than {} MiB, the limit for a deck file",
            MAX_FILE_BYTES / 1024 / 1024
        )
    };
    let mut file;
    let (input, size): (&mut dyn Read, u64) = match source {
        Source::File(path) => {
            let size = regular_file_size(path, &shown)?;
            if size > MAX_FILE_BYTES {
                return Err(too_big());
            }
            file = fs::File::open(path).map_err(|e| anyhow!("cannot open {shown}: {e}"))?;
            (&mut file, size)
        }
        Source::Stdin(input) => (input, 0),
    };
    let size_hint = usize::try_from(size).unwrap_or(0);
    let mut reader = Reader::new(chosen(choice), extension, size_hint);
    let mut decoder = Decoder::default();
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let mut total = 0u64;
    while !decoder.stopped() {
        let read = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow!("cannot read {shown}: {e}")),
        };
        total += read as u64;
        if total > MAX_FILE_BYTES {
            return Err(too_big());
        }
        decoder.feed(&buffer[..read], |text| reader.push(text));
    }
    drop(buffer);
    decoder
        .finish(|text| reader.push(text))
        .map_err(located(None))?;
    let (format, parsed) = reader.finish(&defaults, deck_id);
    let deck = parsed.map_err(located(Some(format)))?;
    if deck.id.is_empty() {
        return Err(UsageError(format!(
            "cannot name a deck after '{shown}': give it an id with --deck ID"
        ))
        .into());
    }
    Ok((deck, format))
}

/// How standard input is named in messages.
const STDIN: &str = "stdin";

/// The size of a file a user named, refusing what is not a regular file before reading it: a
/// FIFO would block, `/dev/zero` never ends.
fn regular_file_size(path: &Path, shown: &str) -> anyhow::Result<u64> {
    let meta = fs::metadata(path).map_err(|e| anyhow!("cannot open {shown}: {e}"))?;
    if meta.is_dir() {
        return Err(anyhow!("{shown} is a directory, not a deck file"));
    }
    if !meta.is_file() {
        return Err(anyhow!(
            "{shown} is not a regular file (a FIFO, socket or device); save the deck to a file first"
        ));
    }
    Ok(meta.len())
}

/// The source `hone import` reads: the file, or standard input for `-`, which needs the
/// format and the deck id given, as neither can be taken from a file name.
fn import_source<'a>(ctx: &'a mut Ctx, args: &'a ImportArgs) -> anyhow::Result<Source<'a>> {
    if args.file.as_os_str() != "-" {
        return Ok(Source::File(&args.file));
    }
    let mut missing = Vec::new();
    if args.format == FormatChoice::Auto {
        missing.push("--format FORMAT (hone, anki, csv, tsv or json)");
    }
    if args.deck.is_none() {
        missing.push("--deck ID");
    }
    if !missing.is_empty() {
        return Err(UsageError(format!(
            "importing from standard input ('-') needs {}: there is no file name to take them from",
            missing.join(" and ")
        ))
        .into());
    }
    let input = ctx
        .input
        .take()
        .ok_or_else(|| anyhow!("standard input was already read"))?;
    Ok(Source::Stdin(input))
}

pub fn check(ctx: &mut Ctx, args: CheckArgs) -> anyhow::Result<()> {
    let file = visible(&args.file.display().to_string()).into_owned();
    let (deck, format) = match read_deck(Source::File(&args.file), args.format, None) {
        Ok(read) => read,
        Err(e) => {
            // A script gets the problems as JSON on stdout too; the exit code stays 1.
            if args.json
                && let Some(problems) = e.downcast_ref::<DeckProblems>()
            {
                let view = CheckView {
                    file,
                    format: problems.format.map(Format::as_str),
                    deck: None,
                    cards: 0,
                    problems: problems
                        .errors
                        .errors
                        .iter()
                        .map(|p| ProblemView {
                            line: p.line,
                            column: p.column,
                            message: p.message.clone(),
                        })
                        .collect(),
                };
                ctx.emit(true, &view, |_, _| String::new())?;
            }
            return Err(e);
        }
    };
    let view = CheckView {
        file,
        format: Some(format.as_str()),
        deck: Some(deck.id),
        cards: deck.cards.len(),
        problems: Vec::new(),
    };
    ctx.emit_prose(args.json, &view, |v, _| {
        format!(
            "{}: no problems; {} for deck '{}' ({} format).\n",
            v.file,
            crate::render::plural(v.cards, "card", "cards"),
            v.deck.as_deref().unwrap_or_default(),
            v.format.unwrap_or_default()
        )
    })
}

pub fn run(ctx: &mut Ctx, args: ImportArgs) -> anyhow::Result<()> {
    let override_id = args.deck.as_ref().map(ToString::to_string);
    let (parsed, format) = read_deck(
        import_source(ctx, &args)?,
        args.format,
        override_id.as_deref(),
    )?;
    let shown = if args.file.as_os_str() == "-" {
        STDIN.to_owned()
    } else {
        visible(&args.file.display().to_string()).into_owned()
    };
    let incoming =
        deck::from_parsed(parsed, DeckSource::Imported).map_err(|e| anyhow!("{shown}: {e}"))?;
    if deck::builtin_decks().iter().any(|d| d.id == incoming.id) {
        return Err(UsageError(format!(
            "'{}' is a built-in deck; import under another id with --deck ID",
            incoming.id
        ))
        .into());
    }
    let counts = ctx.store.import_deck(ctx.now, &incoming, args.dry_run)?;
    let first_new_day = if args.dry_run {
        None
    } else {
        first_new_day(ctx, &incoming.id)?
    };
    let view = ImportView {
        first_new_day: first_new_day.map(|d| d.to_string()),
        deck: incoming.id.to_string(),
        format: format.as_str(),
        cards: incoming.cards.len(),
        added: counts.added,
        updated: counts.updated,
        unchanged: counts.unchanged,
        retired: counts.retired,
        revived: counts.revived,
        dry_run: args.dry_run,
        today: ctx.today().to_string(),
    };
    ctx.emit_prose(args.json, &view, |v, _| {
        let verb = if v.dry_run {
            "Would import"
        } else {
            "Imported"
        };
        let mut text = format!(
            "{verb} {} into deck '{}' ({}): {} added, {} updated, {} unchanged",
            crate::render::plural(v.cards, "card", "cards"),
            v.deck,
            v.format,
            v.added,
            v.updated,
            v.unchanged
        );
        if v.revived > 0 {
            text.push_str(&format!(", {} back from retirement", v.revived));
        }
        if v.retired > 0 {
            text.push_str(&format!(
                "; {} no longer in the file, retired with their history kept",
                v.retired
            ));
        }
        text.push_str(".\n");
        match &v.first_new_day {
            Some(day) if !v.dry_run => {
                let when = if *day == v.today {
                    format!("today ({day})")
                } else {
                    format!("on {day}")
                };
                text.push_str(&format!(
                    "Its new cards start coming up {when}; `hone deck first {}` puts them before every other deck's.\n",
                    v.deck
                ));
            }
            _ => {}
        }
        text
    })
}

/// When the first new card of `deck` comes up, as today's queue stands.
fn first_new_day(
    ctx: &mut Ctx,
    deck: &crate::model::DeckId,
) -> anyhow::Result<Option<crate::model::StudyDay>> {
    let (catalog, agenda) = ctx.load()?;
    let per_day = ctx.settings.new_per_day;
    let state = ctx.state()?;
    let cards: Vec<&crate::model::Card> = catalog.cards().collect();
    let done = agenda.done(state);
    let left_today = agenda.limits.new_per_day.saturating_sub(done.new);
    Ok(crate::queue::first_new_day(
        &cards,
        state,
        &agenda.new_order,
        deck.as_str(),
        agenda.today,
        (left_today, per_day),
    ))
}
