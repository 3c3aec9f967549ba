//! `hone export`: a deck in a format hone (and Anki) imports, or the review log.

use crate::cli::{ExportArgs, ExportFormat};
use crate::deck::export::export;
use crate::deck::import::Format;

use super::{Ctx, UsageError};

pub fn run(ctx: &mut Ctx, args: ExportArgs) -> anyhow::Result<()> {
    let mut text = Vec::new();
    if args.history {
        ctx.store.write_history(&mut text)?;
    } else {
        let format = match args
            .format
            .ok_or_else(|| UsageError("choose a --format".to_owned()))?
        {
            ExportFormat::Hone => Format::Hone,
            ExportFormat::Anki => Format::Anki,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Tsv => Format::Tsv,
            ExportFormat::Json => Format::Json,
        };
        let catalog = ctx.catalog()?;
        match &args.deck {
            Some(id) => {
                let deck = catalog.deck(id).ok_or_else(|| {
                    UsageError(format!("unknown deck '{id}'; `hone decks` lists them"))
                })?;
                text.extend(export(deck, format).into_bytes());
            }
            None if format == Format::Json => {
                // Every deck, as a JSON array of the deck objects import reads one at a time.
                let decks: Vec<serde_json::Value> = catalog
                    .decks()
                    .iter()
                    .map(|d| serde_json::from_str(&export(d, Format::Json)))
                    .collect::<Result<_, _>>()?;
                serde_json::to_writer_pretty(&mut text, &serde_json::json!({ "decks": decks }))?;
                text.push(b'\n');
            }
            None => {
                return Err(UsageError(format!(
                    "the {format} format holds one deck: choose it with --deck ID, or export every deck with --format json"
                ))
                .into());
            }
        }
    }
    ctx.deliver(args.output.as_deref(), &text)?;
    Ok(())
}
