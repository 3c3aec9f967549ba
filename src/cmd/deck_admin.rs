//! `hone deck remove|enable|disable ID`: decks in and out of reviews. Removing keeps the review
//! history unless `--purge`, which asks first.

use crate::cli::{DeckCommand, DeckIdArgs, DeckRemoveArgs};
use crate::deck::builtin_decks;
use crate::model::DeckId;
use crate::store::Load;
use crate::ui;

use super::{Ctx, UsageError};

pub fn run(ctx: &mut Ctx, command: DeckCommand) -> anyhow::Result<()> {
    match command {
        DeckCommand::Enable(args) => set_enabled(ctx, args, true),
        DeckCommand::Disable(args) => set_enabled(ctx, args, false),
        DeckCommand::Remove(args) => remove(ctx, args),
        DeckCommand::First(args) => prioritize(ctx, &args.deck, None),
        DeckCommand::Priority(args) => prioritize(ctx, &args.deck, Some(args.priority)),
    }
}

/// Sets a deck's priority for new cards; `None`: above every other deck's.
fn prioritize(ctx: &mut Ctx, deck: &DeckId, priority: Option<i32>) -> anyhow::Result<()> {
    let catalog = ctx.index()?;
    if catalog.deck(deck).is_none() {
        return Err(UsageError(format!("unknown deck '{deck}'; `hone decks` lists them")).into());
    }
    let set = ctx.store.set_deck_priority(ctx.now, deck, |current| {
        priority.unwrap_or_else(|| {
            let others = current
                .priority
                .iter()
                .filter(|(d, _)| *d != deck)
                .map(|(_, p)| *p)
                .max()
                .unwrap_or(0);
            let own = current.priority.get(deck).copied().unwrap_or(0);
            if own > others { own } else { others + 1 }
        })
    })?;
    if set == 0 {
        writeln!(ctx.out, "Deck '{deck}' has the default priority again.")?;
    } else {
        ctx.say(&format!(
            "Deck '{deck}' has priority {set}: its new cards come before those of decks below it."
        ))?;
    }
    Ok(())
}

fn set_enabled(ctx: &mut Ctx, args: DeckIdArgs, enabled: bool) -> anyhow::Result<()> {
    let catalog = ctx.index()?;
    if catalog.deck(&args.deck).is_none() {
        return Err(UsageError(format!(
            "unknown deck '{}'; `hone decks` lists them",
            args.deck
        ))
        .into());
    }
    ctx.store.set_deck_enabled(ctx.now, &args.deck, enabled)?;
    let state = if enabled {
        "back in reviews"
    } else {
        "out of reviews; its history is kept"
    };
    writeln!(ctx.out, "Deck '{}' is {state}.", args.deck)?;
    Ok(())
}

fn remove(ctx: &mut Ctx, args: DeckRemoveArgs) -> anyhow::Result<()> {
    let id = &args.deck;
    if builtin_decks().iter().any(|d| &d.id == id) {
        return Err(UsageError(format!("'{id}' is built in and cannot be removed; `hone deck disable {id}` leaves it out of reviews")).into());
    }
    let deck = ctx
        .store
        .curriculum(Load::Index)?
        .imported_decks()
        .into_iter()
        .find(|d| &d.id == id);
    let Some(deck) = deck else {
        return Err(UsageError(format!("no imported deck '{id}'; `hone decks` lists them")).into());
    };
    if args.purge && !args.yes {
        if !ctx.env.stdin_is_terminal {
            return Err(UsageError(
                "--purge deletes review history for good: add --yes to confirm".to_owned(),
            )
            .into());
        }
        let question = format!(
            "Delete deck '{id}' and the review history of its {} for good?",
            crate::render::plural(deck.cards.len(), "card", "cards")
        );
        if !ui::confirm(&question)? {
            writeln!(ctx.out, "Nothing was removed.")?;
            return Ok(());
        }
    }
    // One lock for the backup and both logs: nothing changes in between, and each change is
    // checked against what the other left.
    let _lock = ctx.store.exclusive()?;
    ctx.store
        .backup(if args.purge { "purge" } else { "remove" }, ctx.now)?;
    // The history first: if the removal then fails, running the command again finishes it.
    let forgotten = if args.purge {
        let when = ctx.moment();
        Some(ctx.store.forget(|card| card.deck() == id.as_str(), when)?)
    } else {
        None
    };
    ctx.store.remove_imported_deck(ctx.now, id)?;
    match forgotten {
        Some(forgotten) => ctx.say(&format!(
            "Removed deck '{id}' and took back {} of its review history; its cards start over as new if it is imported again.",
            crate::render::plural(forgotten, "entry", "entries")
        ))?,
        None => ctx.say(&format!(
            "Removed deck '{id}'; its review history is kept, and importing the deck again brings it back."
        ))?,
    }
    Ok(())
}
