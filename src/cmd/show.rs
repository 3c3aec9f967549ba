//! `hone show CARD-ID`: one card, its state and every answer logged for it.

use crate::cli::ShowArgs;
use crate::render;
use crate::views::ShowView;

use super::{Ctx, find_card};

pub fn run(ctx: &mut Ctx, args: ShowArgs) -> anyhow::Result<()> {
    let catalog = ctx.catalog()?;
    let card = find_card(&catalog, &args.card)?;
    let state = ctx.states()?.get(&card.id).copied();
    let history = ctx.store.history(&card.id)?;
    ctx.emit(
        args.json,
        &ShowView::of(card, state.as_ref(), &history),
        render::show,
    )
}
