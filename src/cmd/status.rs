//! `hone` alone, `hone due` and `hone next`: what is due now.

use crate::cli::{DueArgs, Filter, NextArgs};
use crate::queue::{self, Entry};
use crate::render;
use crate::stats;
use crate::views::{DueCardView, DueView, NextCardView, NextView, StatusView};

use super::{Ctx, select};

fn count_new(queue: &[Entry]) -> usize {
    queue.iter().filter(|e| matches!(e, Entry::New(_))).count()
}

pub fn run(ctx: &mut Ctx) -> anyhow::Result<()> {
    let (catalog, agenda) = ctx.load()?;
    let cards = select(&catalog, &Filter::default())?;
    let today = agenda.today;
    let state = ctx.state()?;
    let queue = agenda.queue(&cards, state);
    let new = count_new(&queue);
    let streak = stats::streak(&state.active_days, today);
    let view = StatusView {
        day: today.to_string(),
        due: queue.len(),
        new,
        review: queue.len() - new,
        next_due: queue::next_due_after(cards.iter().copied(), state, today, agenda.active_plan())
            .map(|d| d.to_string()),
        streak: streak.current,
        longest_streak: streak.longest,
        last_streak: streak.last,
        interview: agenda.active_plan().map(|p| p.interview.to_string()),
    };
    ctx.emit(false, &view, render::status)
}

pub fn due(ctx: &mut Ctx, args: DueArgs) -> anyhow::Result<()> {
    if args.count {
        return count(ctx, &args.filter);
    }
    let (catalog, agenda) = ctx.load()?;
    let cards = select(&catalog, &args.filter)?;
    let today = agenda.today;
    let state = ctx.state()?;
    let queue = agenda.queue(&cards, state);
    let new = count_new(&queue);
    let view = DueView {
        day: today.to_string(),
        count: queue.len(),
        new,
        review: queue.len() - new,
        cards: queue.iter().map(|e| DueCardView::of(e, today)).collect(),
    };
    ctx.emit(args.json, &view, render::due)
}

/// `hone due --count`, meant to run on every shell prompt: answered from the memo while no
/// file it depends on has changed, and remembered when computed without warnings (which must
/// then be shown again next time).
fn count(ctx: &mut Ctx, filter: &Filter) -> anyhow::Result<()> {
    let question = format!(
        "due-count 1 {} {:016x} {} {:?} {:?}",
        env!("CARGO_PKG_VERSION"),
        crate::deck::BUILTIN_DIGEST,
        ctx.today(),
        ctx.settings,
        filter
    );
    let inputs = ctx.store.fingerprint(&question);
    let remembered = inputs
        .as_ref()
        .and_then(|inputs| ctx.store.remembered_count(inputs));
    let count = match remembered {
        Some(count) => count,
        None => {
            let (catalog, agenda) = ctx.load()?;
            let cards = select(&catalog, filter)?;
            let count = agenda.queue(&cards, ctx.state()?).len();
            if let Some(inputs) = inputs.filter(|_| !ctx.store.has_warnings()) {
                ctx.store.remember_count(&inputs, count);
            }
            count
        }
    };
    ctx.flush_warnings();
    writeln!(ctx.out, "{count}")?;
    Ok(())
}

pub fn next(ctx: &mut Ctx, args: NextArgs) -> anyhow::Result<()> {
    let (mut catalog, agenda) = ctx.load()?;
    let cards = select(&catalog, &args.filter)?;
    let today = agenda.today;
    let state = ctx.state()?;
    let queue = agenda.queue(&cards, state);
    let first = queue
        .first()
        .map(|entry| (entry.card().id.clone(), DueCardView::of(entry, today)));
    let remaining = queue.len();
    let next_due = match first {
        Some(_) => None,
        None => queue::next_due_after(cards.iter().copied(), state, today, agenda.active_plan())
            .map(|d| d.to_string()),
    };
    let card = match first {
        None => None,
        Some((id, due)) => {
            // Only this card's text is read, not the whole deck's.
            ctx.with_text(&mut catalog, std::slice::from_ref(&id))?;
            catalog.card(&id).map(|card| NextCardView {
                due,
                kind: card.kind.as_str(),
                front: card.front.clone(),
                back: card.back.clone(),
                tags: card.tags.clone(),
                points: card.points.clone(),
            })
        }
    };
    let view = NextView {
        day: today.to_string(),
        card,
        remaining,
        next_due,
    };
    ctx.emit(args.json, &view, render::next)
}
