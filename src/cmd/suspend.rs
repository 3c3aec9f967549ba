//! `hone suspend`, `hone unsuspend` and `hone undo`: the session's `s` and `u` keys, for scripts.

use std::collections::BTreeSet;

use anyhow::anyhow;

use crate::answer;
use crate::cli::{CardArgs, JsonArgs};
use crate::model::Event;
use crate::render;
use crate::views::{ChangeView, StateView};

use super::{Ctx, find_card};

pub fn suspend(ctx: &mut Ctx, args: CardArgs, suspend: bool) -> anyhow::Result<()> {
    ctx.before_writing();
    let catalog = ctx.index()?;
    let card = find_card(&catalog, &args.card)?.id.clone();
    let when = ctx.moment();
    ctx.store.record(|state, store| {
        // Suspending a suspended card (or the reverse) changes nothing and logs nothing.
        let events = if state.suspended.contains(&card) == suspend {
            Vec::new()
        } else {
            vec![answer::suspension(
                &card,
                suspend,
                when,
                store.new_review_id(),
            )]
        };
        Ok((events, ()))
    })?;
    let view = ChangeView {
        card: card.to_string(),
        action: if suspend { "suspend" } else { "unsuspend" },
        undone: None,
        state: None,
        suspended: suspend,
    };
    ctx.emit(args.json, &view, render::change)
}

pub fn undo(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    ctx.before_writing();
    let when = ctx.moment();
    // The answer to take back is chosen under the same lock that records the undo: two undos
    // at once take back two answers, or one says there is nothing left.
    let (undo, undone) = ctx.store.record(|_, store| {
        let own_log = store.own_log()?;
        let gone: BTreeSet<&str> = own_log
            .iter()
            .filter_map(Event::undoes)
            .chain(
                own_log
                    .iter()
                    .flat_map(|e| e.retracts().iter().map(String::as_str)),
            )
            .collect();
        let last = own_log
            .iter()
            .rev()
            .find(|e| e.graded().is_some() && !gone.contains(e.id.as_str()))
            .ok_or_else(|| {
                anyhow!("nothing to undo: no answer recorded on this machine is left to take back")
            })?;
        let undo = answer::undo(last, when, store.new_review_id())
            .ok_or_else(|| anyhow!("not an answer"))?;
        Ok((vec![undo.clone()], (undo, last.id.clone())))
    })?;
    let state = ctx.state()?;
    let view = ChangeView {
        card: undo.card.to_string(),
        action: "undo",
        undone: Some(undone),
        state: Some(state.cards.get(&undo.card).map(StateView::of)),
        suspended: state.suspended.contains(&undo.card),
    };
    ctx.emit(args.json, &view, render::change)
}
