//! `hone review`: the interactive session. Each answer is on disk before the next card shows.

use anyhow::anyhow;

use crate::answer::{self, Answer};
use crate::cli::ReviewArgs;
use crate::model::CardId;
use crate::queue::Entry;
use crate::session::{Pass, Session};
use crate::ui;

use super::{Ctx, check_deck, todays_queue};

pub fn run(ctx: &mut Ctx, args: ReviewArgs) -> anyhow::Result<()> {
    if !ctx.env.stdin_is_terminal || !ctx.env.stdout_is_terminal {
        return Err(anyhow!(
            "hone review needs a terminal; scripts can use `hone next --json` and `hone answer` (or `hone answer --stdin`)"
        ));
    }
    let catalog = ctx.catalog()?;
    check_deck(&catalog, args.deck.as_ref())?;
    let (today, limits) = (ctx.today(), ctx.limits());
    let states = ctx.states()?;
    let queue = todays_queue(&catalog, states, args.deck.as_ref(), today, limits);
    if queue.is_empty() {
        writeln!(
            ctx.out,
            "Nothing due today. Come back tomorrow, or add cards with `hone import`."
        )?;
        return Ok(());
    }
    let session = Session::new(queue.iter().map(|entry| match entry {
        Entry::New(card) => (card.id.clone(), Pass::New),
        Entry::Review(card, _) => (card.id.clone(), Pass::Review),
    }));
    ctx.out.flush()?;

    let (env, day_start_hour) = (ctx.env, ctx.settings.day_start_hour);
    let store = &mut ctx.store;
    let mut record = |card: &CardId, grade, kind| {
        let at = env.now();
        store.record(|states, store| {
            let answer = Answer {
                card,
                grade,
                kind,
                at,
                day_start_hour,
            };
            let review = answer::review(answer, states.get(card), store.new_review_id());
            Ok((vec![review.clone()], review))
        })
    };
    let outcome = ui::run_session(session, &catalog, &mut record)?;
    ctx.store.checkpoint()?;
    let share = (outcome.passed * 100)
        .checked_div(outcome.scheduled)
        .unwrap_or(0);
    writeln!(
        ctx.out,
        "\n{} answered ({} scheduled, {share}% recalled){}.",
        outcome.answered,
        outcome.scheduled,
        if outcome.quit_early {
            "; the rest waits for next time"
        } else {
            ""
        }
    )?;
    Ok(())
}
