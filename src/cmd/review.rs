//! `hone review`: the interactive session. Each answer is on disk before the next card shows.

use std::fmt::Write as _;

use anyhow::anyhow;

use crate::agenda::Agenda;
use crate::answer::{self, Moment};
use crate::cli::ReviewArgs;
use crate::env::Env;
use crate::model::{CardId, Event, Graded};
use crate::queue::{self, Entry};
use crate::render::{capitalized, percent, plural};
use crate::session::{Pass, Session};
use crate::settings::Settings;
use crate::stats;
use crate::store::Store;
use crate::ui::{self, Ended, Journal, Recorded};

use super::{Ctx, select};

/// Records the session's actions in the store, each at the moment it happens.
struct StoreJournal<'a> {
    store: &'a mut Store,
    env: &'a Env,
    settings: Settings,
}

impl StoreJournal<'_> {
    fn moment(&self) -> Moment {
        Moment {
            at: self.env.now(),
            day_start_hour: self.settings.day_start_hour,
            max_interval: self.settings.max_interval_days,
        }
    }
}

impl Journal for StoreJournal<'_> {
    fn answer(&mut self, card: &CardId, pass: Pass, graded: Graded) -> anyhow::Result<Recorded> {
        let (when, settings) = (self.moment(), self.settings);
        self.store.record(|state, store| {
            let event = answer::answer(
                card,
                graded,
                pass.review_kind(),
                state.cards.get(card),
                when,
                store.new_review_id(),
                &store.model()?,
            );
            let suspension = super::answer::leech_suspension(&event, state, &settings, when, store);
            let recorded = Recorded {
                event: event.clone(),
                suspended_as_leech: suspension.is_some(),
            };
            Ok((std::iter::once(event).chain(suspension).collect(), recorded))
        })
    }

    fn undo(&mut self, answered: &Event) -> anyhow::Result<()> {
        let when = self.moment();
        self.store.record(|_, store| {
            let undo = answer::undo(answered, when, store.new_review_id())
                .ok_or_else(|| anyhow!("not an answer"))?;
            Ok((vec![undo], ()))
        })
    }

    fn suspend(&mut self, card: &CardId) -> anyhow::Result<()> {
        let when = self.moment();
        self.store.record(|_, store| {
            Ok((
                vec![answer::suspension(card, true, when, store.new_review_id())],
                (),
            ))
        })
    }
}

pub fn run(ctx: &mut Ctx, args: ReviewArgs) -> anyhow::Result<()> {
    if !ctx.env.stdin_is_terminal || !ctx.env.stdout_is_terminal {
        return Err(anyhow!(
            "hone review needs a terminal; scripts can use `hone next --json` and `hone answer` (or `hone answer --stdin`)"
        ));
    }
    let (mut catalog, mut agenda) = ctx.load()?;
    let cards = select(&catalog, &args.filter)?;
    let today = agenda.today;
    let state = ctx.state()?;
    let queue = if args.cram {
        queue::cram(cards.iter().copied(), state, &agenda.new_order)
    } else {
        if let Some(n) = args.new_cards {
            let done = agenda.done(state);
            agenda.limits.new_per_day = done
                .new
                .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        }
        agenda.queue(&cards, state)
    };
    let entries = queue
        .iter()
        .take(args.limit.unwrap_or(usize::MAX))
        .map(|entry| {
            let pass = match (args.cram, entry) {
                (true, _) => Pass::Cram,
                (false, Entry::New(_)) => Pass::New,
                (false, Entry::Review(..)) => Pass::Review,
            };
            (entry.card().id.clone(), pass)
        })
        .collect::<Vec<_>>();
    if entries.is_empty() {
        let next = queue::next_due_after(cards.iter().copied(), state, today, agenda.active_plan());
        let streak = stats::streak(&state.active_days, today);
        let mut message = "Nothing due today".to_owned();
        if let Some(day) = next {
            let _ = write!(message, "; the next card is due on {day}");
        }
        let _ = write!(
            message,
            ". {}.",
            capitalized(&crate::render::streak_phrase(streak.current, streak.last))
        );
        let text = format!(
            "{message}\nDrill anyway with `hone review --cram`, or add cards with `hone import`."
        );
        ctx.say(&text)?;
        return Ok(());
    }
    // Refuse now, not after the first answer, if answers cannot be saved.
    ctx.store.check_writable()?;
    ctx.before_writing();
    ctx.out.flush()?;
    let ids: Vec<CardId> = entries.iter().map(|(id, _)| id.clone()).collect();
    ctx.with_text(&mut catalog, &ids)?;
    let mut session = Session::new(entries);

    let mut journal = StoreJournal {
        store: &mut ctx.store,
        env: ctx.env,
        settings: ctx.settings,
    };
    let ended = ui::run_session(&mut session, &catalog, &mut journal, ctx.env.color)?;
    ctx.store.checkpoint_or_warn();

    let summary = session.summary();
    let share = percent(summary.first_correct, summary.first_answers);
    let minutes = summary.elapsed_ms / 60_000;
    let seconds = summary.elapsed_ms / 1000 % 60;
    let today = ctx.today();
    let (limits, plan, new_order) = (ctx.limits(), ctx.plan, ctx.new_order.clone());
    let state = ctx.state()?;
    let streak = stats::streak(&state.active_days, today);
    let cards = select(&catalog, &args.filter)?;
    // What is left is what `hone review` would show now: within the daily limits, whatever
    // `--new`, `--limit` or `--cram` chose for this session.
    let daily = Agenda::new(today, limits, plan, &catalog, state, new_order);
    let left = daily.queue(&cards, state);
    let new_left = left.iter().filter(|e| matches!(e, Entry::New(_))).count();
    let due_left = left.len() - new_left;
    let next = queue::next_due_after(cards.iter().copied(), state, today, agenda.active_plan());
    let mut out = format!(
        "{} in {minutes}m {seconds:02}s: {share}% recalled at the first try",
        plural(summary.answers, "answer", "answers")
    );
    if ended == Ended::Quit {
        out.push_str("; the rest waits for next time");
    }
    let _ = write!(
        out,
        ".\n{}",
        capitalized(&crate::render::streak_phrase(streak.current, streak.last))
    );
    if left.is_empty() {
        if let Some(day) = next {
            let _ = write!(out, "; the next card is due on {day}");
        }
        out.push_str(".\n");
    } else {
        let _ = writeln!(
            out,
            "; still to do today: {} and {}. `hone review` goes on with them.",
            plural(due_left, "card due", "cards due"),
            plural(new_left, "new card", "new cards"),
        );
    }
    // Read on the terminal the session ran in, however narrow.
    ctx.say(&out)
}
