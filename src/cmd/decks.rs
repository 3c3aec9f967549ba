//! `hone decks` and `hone cards`: what there is to study.

use crate::cli::{CardsArgs, JsonArgs};
use crate::render;
use crate::views::{CardView, CardsView, DecksView, deck_view};

use super::{Ctx, check_deck};

pub fn decks(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let catalog = ctx.catalog()?;
    let today = ctx.today();
    let states = ctx.states()?;
    let decks = catalog
        .decks()
        .iter()
        .map(|deck| {
            let mut due = 0;
            let mut new = 0;
            for card in &deck.cards {
                match states.get(&card.id) {
                    None => new += 1,
                    Some(state) if state.due <= today => due += 1,
                    Some(_) => {}
                }
            }
            deck_view(deck, due, new)
        })
        .collect();
    ctx.emit(args.json, &DecksView { decks }, render::decks)
}

pub fn cards(ctx: &mut Ctx, args: CardsArgs) -> anyhow::Result<()> {
    let catalog = ctx.catalog()?;
    check_deck(&catalog, args.deck.as_ref())?;
    let cards = catalog
        .cards()
        .filter(|c| args.deck.as_ref().is_none_or(|d| c.id.deck() == d.as_str()))
        .map(CardView::of)
        .collect();
    ctx.emit(args.json, &CardsView { cards }, render::cards)
}
