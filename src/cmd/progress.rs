//! `hone stats`, `hone readiness`, `hone plan` and `hone why`: progress, read from the log.

use crate::cli::{CardArgs, Filter, PlanArgs, PointsArgs, ReadinessArgs, StatsArgs};
use crate::model::{Card, StudyDay};
use crate::plan::{self, Plan};
use crate::queue;
use crate::render;
use crate::stats;
use crate::views::mock::MockHistoryView;
use crate::views::{PlanView, PointsView, ReadinessView, StatsView, WhyView};

use super::{Ctx, UsageError, find_card, select};

/// Seconds an answer takes when the log has no timings yet.
const DEFAULT_SECONDS_PER_ANSWER: u64 = 30;

pub fn stats(ctx: &mut Ctx, args: StatsArgs) -> anyhow::Result<()> {
    let (catalog, agenda) = ctx.load()?;
    let cards = select(&catalog, &args.filter)?;
    let log = ctx.store.log()?;
    let threshold = ctx.settings.leech_threshold;
    let model = ctx.store.model()?;
    let pace = plan::Pace {
        plan: agenda.active_plan(),
        new_per_day: ctx.settings.new_per_day,
        max_interval: ctx.settings.max_interval_days,
        model: &model,
    };
    let state = ctx.state()?;
    let done = agenda.done(state).new as usize;
    let stats = stats::stats(&cards, state, &log, agenda.today, threshold, &pace, done);
    let view = StatsView::of(&stats, args.filter.deck.as_ref().map(ToString::to_string));
    if let Some(path) = &args.html {
        // With a deck or tag, only the mock answers to its cards count.
        let ids: rustc_hash::FxHashSet<&crate::model::CardId> =
            cards.iter().map(|c| &c.id).collect();
        let filtered = args.filter.deck.is_some() || args.filter.tag.is_some();
        let mocks = crate::mock::history(&log, filtered.then_some(&ids));
        let page = render::html::stats_page(&view, &MockHistoryView::of(&mocks));
        if ctx.deliver(Some(path), page.as_bytes())? {
            writeln!(ctx.out, "Wrote {}.", crate::store::shown(path))?;
        }
        return Ok(());
    }
    ctx.emit(args.json, &view, render::stats)
}

pub fn readiness(ctx: &mut Ctx, args: ReadinessArgs) -> anyhow::Result<()> {
    let (catalog, agenda) = ctx.load()?;
    let cards = select(&catalog, &args.filter)?;
    let log = ctx.store.log()?;
    let model = ctx.store.model()?;
    let (today, threshold) = (ctx.today(), ctx.settings.leech_threshold);
    let horizon = stats::Horizon {
        model: &model,
        today,
        interview: agenda.active_plan().map(|p| p.interview),
    };
    let state = ctx.state()?;
    let topics = stats::readiness(&cards, state, &log, threshold, args.every_tag, horizon);
    ctx.emit(
        args.json,
        &ReadinessView::of(today, horizon.interview, &topics),
        render::readiness,
    )
}

pub fn points(ctx: &mut Ctx, args: PointsArgs) -> anyhow::Result<()> {
    let catalog = ctx.index()?;
    let cards = select(&catalog, &args.filter)?;
    let log = ctx.store.log()?;
    let missed = stats::missed_points(&cards, &log);
    let checked = stats::checked_answers(&cards, &log);
    let view = PointsView::of(&missed, checked, args.limit);
    ctx.emit(args.json, &view, render::points)
}

pub fn plan(ctx: &mut Ctx, args: PlanArgs) -> anyhow::Result<()> {
    let today = ctx.today();
    if let Some(date) = args.interview {
        let interview = StudyDay::from_date(date);
        if interview <= today {
            return Err(UsageError(format!(
                "the interview date {interview} must be after today ({today})"
            ))
            .into());
        }
        if today.days_until(interview) > i64::from(plan::MAX_HORIZON_DAYS) {
            return Err(UsageError(format!(
                "the interview date {interview} is more than two years away; set a plan up to {}, or drill without one",
                today.plus(plan::MAX_HORIZON_DAYS)
            ))
            .into());
        }
        let plan = Plan { interview };
        ctx.store.set_plan(ctx.now, Some(plan))?;
        if today > plan.last_new_day() {
            eprintln!(
                "hone: warning: the interview is in fewer than {} days: no new cards will be introduced, only reviews",
                plan::NEW_CARD_LEAD_DAYS + 1
            );
        }
    } else if args.clear {
        ctx.store.set_plan(ctx.now, None)?;
    }
    let (catalog, agenda) = ctx.load()?;
    let log = ctx.store.log()?;
    let timed: Vec<u64> = log.iter().filter_map(|e| e.graded()?.elapsed_ms).collect();
    let seconds = match timed.len() {
        0 => DEFAULT_SECONDS_PER_ANSWER,
        n => (timed.iter().sum::<u64>() / n as u64 / 1000).max(1),
    };
    let all = select(&catalog, &Filter::default())?;
    let model = ctx.store.model()?;
    let shares = stats::last_shares(&log, &all);
    let state = ctx.state()?;
    let unseen = all
        .iter()
        .filter(|c| !state.cards.contains_key(&c.id) && !state.suspended.contains(&c.id))
        .count();
    let (days, predicted) = match agenda.active_plan() {
        Some(plan) => {
            // Cards seen, then new ones in the order the queue introduces them.
            let mut cards: Vec<&Card> = all
                .iter()
                .filter(|c| state.cards.contains_key(&c.id) && !state.suspended.contains(&c.id))
                .copied()
                .collect();
            cards.extend(queue::new_in_order(&all, state, &agenda.new_order));
            let simulated = cards
                .iter()
                .map(|c| plan::SimCard {
                    key: c.id.stable_hash(),
                    state: state.cards.get(&c.id).copied(),
                    share: shares.get(&c.id).copied().unwrap_or(0.0),
                })
                .collect();
            let done = agenda.done(state).new as usize;
            let simulation = plan::workload(plan, agenda.today, simulated, done, &model);
            let predicted =
                stats::predicted_recall(&cards, &simulation.cards, &model, plan.interview);
            (simulation.loads, Some(predicted))
        }
        None => (Vec::new(), None),
    };
    let view = PlanView::of(
        agenda.today,
        agenda.plan.as_ref(),
        unseen,
        agenda.limits,
        seconds,
        &days,
    )
    .with(model.scheduler, predicted.as_ref());
    ctx.emit(args.json, &view, render::plan)
}

pub fn why(ctx: &mut Ctx, args: CardArgs) -> anyhow::Result<()> {
    let (catalog, agenda) = ctx.load()?;
    let found = find_card(&catalog, &args.card)?;
    let (card, points) = (found.id.clone(), found.points.clone());
    let history = ctx.store.history(&card)?;
    let day_start_hour = ctx.settings.day_start_hour;
    let state = ctx.state()?.cards.get(&card).copied();
    let plan_due = state
        .as_ref()
        .map(|s| plan::due_day(agenda.active_plan(), agenda.today, &card, s));
    let model = ctx.store.model()?;
    let steps = stats::explain(&history, &model);
    let view = WhyView::of(
        card.as_str(),
        state.as_ref(),
        plan_due,
        day_start_hour,
        &steps,
        &points,
    );
    ctx.emit(args.json, &view, render::why)
}
