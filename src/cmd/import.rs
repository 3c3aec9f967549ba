//! `hone import FILE` and `hone check FILE`: read a deck in any supported format, check all of
//! it, and (for import) copy it into the data dir. All or nothing: a file with any problem
//! imports nothing and changes nothing.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::anyhow;
use serde::Serialize;

use crate::cli::{CheckArgs, FormatChoice, ImportArgs};
use crate::deck::decode::{MAX_FILE_BYTES, decode};
use crate::deck::import::{Defaults, Format, detect, parse};
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
}

#[derive(Debug, Serialize)]
pub struct CheckView {
    pub file: String,
    pub format: &'static str,
    pub deck: String,
    pub cards: usize,
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

/// Reads, decodes and parses a deck file; every problem comes back with the file's name.
fn read_deck(
    path: &Path,
    choice: FormatChoice,
    deck_id: Option<&str>,
) -> anyhow::Result<(ParsedDeck, Format)> {
    let shown = visible(&path.display().to_string()).into_owned();
    let located = |errors: Vec<LineError>| FileErrors {
        file: shown.clone(),
        errors,
    };
    let bytes = read_bytes(path, &shown)?;
    let text = decode(&bytes).map_err(located)?;
    let format =
        chosen(choice).unwrap_or_else(|| detect(path.extension().and_then(|e| e.to_str()), &text));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let defaults = Defaults {
        id: slug(&stem, 64),
        title: stem.clone(),
    };
    let deck = parse(format, &text, &defaults, deck_id).map_err(located)?;
    if deck.id.is_empty() {
        return Err(UsageError(format!(
            "cannot name a deck after '{shown}': give it an id with --deck ID"
        ))
        .into());
    }
    Ok((deck, format))
}

/// The bytes of a file a user named, refusing what is not a regular file of a sane size
/// before reading it: a FIFO would block, `/dev/zero` never ends.
fn read_bytes(path: &Path, shown: &str) -> anyhow::Result<Vec<u8>> {
    let meta = fs::metadata(path).map_err(|e| anyhow!("cannot open {shown}: {e}"))?;
    if meta.is_dir() {
        return Err(anyhow!("{shown} is a directory, not a deck file"));
    }
    if !meta.is_file() {
        return Err(anyhow!(
            "{shown} is not a regular file (a FIFO, socket or device); save the deck to a file first"
        ));
    }
    let limit = MAX_FILE_BYTES;
    let too_big = || {
        anyhow!(
            "{shown} is larger than {} MiB, the limit for a deck file",
            limit / 1024 / 1024
        )
    };
    if meta.len() > limit {
        return Err(too_big());
    }
    let file = fs::File::open(path).map_err(|e| anyhow!("cannot open {shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

pub fn check(ctx: &mut Ctx, args: CheckArgs) -> anyhow::Result<()> {
    let (deck, format) = read_deck(&args.file, args.format, None)?;
    let view = CheckView {
        file: visible(&args.file.display().to_string()).into_owned(),
        format: format.as_str(),
        deck: deck.id,
        cards: deck.cards.len(),
    };
    ctx.emit(args.json, &view, |v, _| {
        format!(
            "{}: no problems; {} cards for deck '{}' ({} format).\n",
            v.file, v.cards, v.deck, v.format
        )
    })
}

pub fn run(ctx: &mut Ctx, args: ImportArgs) -> anyhow::Result<()> {
    let override_id = args.deck.as_ref().map(ToString::to_string);
    let (parsed, format) = read_deck(&args.file, args.format, override_id.as_deref())?;
    let shown = visible(&args.file.display().to_string()).into_owned();
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
    };
    ctx.emit(args.json, &view, |v, _| {
        let verb = if v.dry_run {
            "Would import"
        } else {
            "Imported"
        };
        let mut text = format!(
            "{verb} {} cards into deck '{}' ({}): {} added, {} updated, {} unchanged",
            v.cards, v.deck, v.format, v.added, v.updated, v.unchanged
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
            Some(day) if !v.dry_run => text.push_str(&format!(
                "Its new cards start coming up on {day} (`hone deck first {}` puts them before every other deck's).\n",
                v.deck
            )),
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
