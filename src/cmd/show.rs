//! `hone show CARD-ID`: one card, its state and every answer logged for it.

use crate::cli::CardArgs;
use crate::render;
use crate::views::{ShowView, StateView};

use super::{Ctx, find_card};

pub fn run(ctx: &mut Ctx, args: CardArgs) -> anyhow::Result<()> {
    let mut catalog = ctx.index()?;
    let id = find_card(&catalog, &args.card)?.id.clone();
    ctx.with_text(&mut catalog, std::slice::from_ref(&id))?;
    let card = find_card(&catalog, &id)?;
    let state = ctx.state()?;
    let (current, suspended) = (
        state.cards.get(&card.id).copied(),
        state.suspended.contains(&card.id),
    );
    let log = ctx.store.history(&card.id)?;
    let model = ctx.store.model()?;
    let today = ctx.today();
    let state = current.map(|s| StateView::today(&s, &model, today));
    ctx.emit(
        args.json,
        &ShowView::of(card, state, suspended, &log),
        render::show,
    )
}
