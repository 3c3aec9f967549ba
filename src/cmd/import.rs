//! `hone import FILE`: copy a hone deck file or a TSV file into the data dir as a deck.
//! All or nothing: a file with any problem imports nothing and changes nothing.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, anyhow};

use crate::cli::ImportArgs;
use crate::deck::parse::{LineError, parse_deck};
use crate::deck::tsv::parse_tsv;
use crate::deck::{self, FileErrors};
use crate::model::DeckSource;

use super::{Ctx, UsageError};

/// No real deck comes near this; a bigger file is refused before it is read into memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub fn run(ctx: &mut Ctx, args: ImportArgs) -> anyhow::Result<()> {
    let path = &args.file;
    let shown = path.display().to_string();
    let is_hone = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    // A TSV file names no deck, so it needs --deck; say so before reading anything.
    let tsv_deck = match (is_hone, &args.deck) {
        (true, _) => None,
        (false, Some(id)) => Some(id),
        (false, None) => {
            return Err(UsageError(format!(
                "{shown} is read as TSV, which names no deck: add --deck ID"
            ))
            .into());
        }
    };
    let text = read_text(path, &shown)?;
    let parsed = match tsv_deck {
        None => parse_deck(&text).map(|mut d| {
            if let Some(id) = &args.deck {
                d.id = id.to_string();
            }
            d
        }),
        Some(id) => {
            let title = path
                .file_stem()
                .map_or_else(|| id.to_string(), |s| s.to_string_lossy().into_owned());
            parse_tsv(&text, id.as_str(), &title)
        }
    }
    .map_err(|errors| FileErrors {
        file: shown.clone(),
        errors,
    })?;

    let deck =
        deck::from_parsed(parsed, DeckSource::Imported).map_err(|e| anyhow!("{shown}: {e}"))?;
    if deck::builtin_decks().iter().any(|d| d.id == deck.id) {
        return Err(UsageError(format!(
            "'{}' is a built-in deck; import under another id with --deck ID",
            deck.id
        ))
        .into());
    }
    let previous = ctx
        .store
        .imported_decks()?
        .into_iter()
        .find(|d| d.id == deck.id);
    let (mut added, mut updated, mut unchanged) = (0, 0, 0);
    for card in &deck.cards {
        match previous
            .as_ref()
            .and_then(|p| p.cards.iter().find(|c| c.id == card.id))
        {
            None => added += 1,
            Some(old) if old == card => unchanged += 1,
            Some(_) => updated += 1,
        }
    }
    let gone = previous.as_ref().map_or(0, |p| {
        p.cards
            .iter()
            .filter(|old| !deck.cards.iter().any(|c| c.id == old.id))
            .count()
    });
    ctx.store.save_imported_deck(&deck)?;
    writeln!(
        ctx.out,
        "Imported {} cards into deck '{}': {added} added, {updated} updated, {unchanged} unchanged, {gone} no longer in the file (their history is kept).",
        deck.cards.len(),
        deck.id
    )?;
    Ok(())
}

/// Reads a deck file as UTF-8, naming the file, and the line of the first bad byte.
fn read_text(path: &Path, shown: &str) -> anyhow::Result<String> {
    let file = fs::File::open(path).with_context(|| format!("cannot open {shown}"))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {shown}"))?;
    if meta.is_dir() {
        return Err(anyhow!("{shown} is a directory, not a deck file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {shown}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(anyhow!(
            "{shown} is larger than {} MiB, the limit for a deck file",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        FileErrors {
            file: shown.to_owned(),
            errors: vec![LineError {
                line,
                message: "not valid UTF-8; save the file as UTF-8".to_owned(),
            }],
        }
        .into()
    })
}
