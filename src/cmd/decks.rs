//! `hone decks` and `hone cards`: what there is to study.

use crate::cli::{CardsArgs, JsonArgs};
use crate::render;
use crate::views::{CardView, CardsView, DeckCounts, DecksView, deck_view};

use super::{Ctx, select};

pub fn decks(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let catalog = ctx.index()?;
    let today = ctx.today();
    let priority = ctx.new_order.priority.clone();
    let state = ctx.state()?;
    let decks = catalog
        .decks()
        .iter()
        .map(|deck| {
            let (mut due, mut new) = (0, 0);
            // Retired cards are no longer part of the deck.
            for card in catalog
                .deck_cards(deck)
                .filter(|c| !state.suspended.contains(&c.id))
            {
                match state.cards.get(&card.id) {
                    None => new += 1,
                    Some(s) if s.due <= today => due += 1,
                    Some(_) => {}
                }
            }
            let counts = DeckCounts {
                cards: catalog.deck_cards(deck).count(),
                enabled: catalog.is_enabled(&deck.id),
                due,
                new,
                priority: priority.get(deck.id.as_str()).copied().unwrap_or(0),
            };
            deck_view(deck, counts)
        })
        .collect();
    ctx.emit(args.json, &DecksView { decks }, render::decks)
}

pub fn cards(ctx: &mut Ctx, args: CardsArgs) -> anyhow::Result<()> {
    let catalog = ctx.catalog()?;
    let cards = select(&catalog, &args.filter)?
        .into_iter()
        .map(CardView::of)
        .collect();
    ctx.emit(args.json, &CardsView { cards }, render::cards)
}
