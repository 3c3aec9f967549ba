//! `hone mock`: a timed mock interview, the questions it would ask (`--dry-run`), and the mocks
//! so far (`--history`). Each answer is a practice entry with its mock's part, on disk before
//! the next question shows; the scorecard is read back from what was recorded.

use anyhow::anyhow;

use crate::answer::{self, Moment};
use crate::cli::MockArgs;
use crate::env::Env;
use crate::mock::{self, Pool, Request};
use crate::model::{CardId, Event, Graded, ReviewKind};
use crate::render;
use crate::settings::Settings;
use crate::stats;
use crate::store::Store;
use crate::ui::{self, MockJournal, MockQuestion, MockRun};
use crate::views::mock::{MockHistoryView, MockPlanView, ScorecardView};

use super::{Ctx, UsageError, select};

/// A seed drawn for the learner is kept short enough to read and type again.
const SEED_RANGE: u64 = 1_000_000;

/// Records a mock's answers in the store, each at the moment it is given.
struct StoreJournal<'a> {
    store: &'a mut Store,
    env: &'a Env,
    settings: Settings,
}

impl MockJournal for StoreJournal<'_> {
    fn answer(&mut self, card: &CardId, graded: Graded) -> anyhow::Result<Event> {
        let when = Moment {
            at: self.env.now(),
            day_start_hour: self.settings.day_start_hour,
            max_interval: self.settings.max_interval_days,
        };
        self.store.record(|state, store| {
            // Practice: a mock never moves a card's schedule.
            let event = answer::answer(
                card,
                graded,
                ReviewKind::Practice,
                state.cards.get(card),
                when,
                store.new_review_id(),
                &store.model()?,
            );
            Ok((vec![event.clone()], event))
        })
    }
}

pub fn run(ctx: &mut Ctx, args: MockArgs) -> anyhow::Result<()> {
    if args.history {
        return history(ctx, args.json);
    }
    let mut catalog = ctx.index()?;
    let cards = select(&catalog, &args.filter)?;
    let log = ctx.store.log()?;
    let model = ctx.store.model()?;
    let today = ctx.today();
    let state = ctx.state()?;
    let pool = Pool {
        deck: None, // `select` has applied the filter, and named what it could not find
        tag: None,
        definitions: args.definitions,
    };
    // The memory model's recall today weighs a card seen before; one never seen has none.
    let recall = |id: &CardId| {
        let card = state.cards.get(id)?;
        Some(f64::from(crate::memory::recall_on(&model, card, today)))
    };
    let candidates = mock::candidates(&cards, state, &log, recall, &pool);
    if candidates.is_empty() {
        return Err(UsageError(format!(
            "no card to ask: a mock asks question cards that are not suspended{}",
            if args.definitions {
                ""
            } else {
                " (--definitions adds definitions)"
            }
        ))
        .into());
    }
    let seed = args.seed.unwrap_or(ctx.env.seed % SEED_RANGE);
    let request = Request {
        minutes: args.minutes,
        questions: args.questions,
        seconds: args.seconds,
        seed,
    };
    let plan = mock::plan(&candidates, &request).map_err(|e| UsageError(e.to_string()))?;
    if args.dry_run {
        return ctx.emit(
            args.json,
            &MockPlanView::of(&plan, seed),
            render::mock::plan,
        );
    }
    let minutes = plan.minutes;
    let planned: Vec<(CardId, u32)> = plan
        .questions
        .iter()
        .map(|q| (q.card.clone(), q.seconds))
        .collect();
    if !ctx.env.stdin_is_terminal || !ctx.env.stdout_is_terminal {
        return Err(anyhow!(
            "hone mock needs a terminal; scripts can use `hone mock --dry-run --json` and record answers with `hone answer --stdin` (a \"mock\" object on each line)"
        ));
    }
    // Refuse now, not after the first answer, if answers cannot be saved.
    ctx.store.check_writable()?;
    ctx.before_writing();
    ctx.flush_warnings();
    ctx.out.flush()?;
    let ids: Vec<CardId> = planned.iter().map(|(id, _)| id.clone()).collect();
    ctx.with_text(&mut catalog, &ids)?;
    let questions = planned
        .iter()
        .map(|(id, seconds)| {
            let card = catalog
                .card(id)
                .ok_or_else(|| anyhow!("card {id} is gone"))?;
            Ok(MockQuestion {
                card,
                seconds: *seconds,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let run = MockRun {
        id: ctx.store.new_review_id(),
        started: ctx.env.now(),
        minutes,
        questions,
    };
    let mut journal = StoreJournal {
        store: &mut ctx.store,
        env: ctx.env,
        settings: ctx.settings,
    };
    let (_, recorded) = ui::run_mock(&run, &mut journal, ctx.env.color)?;
    ctx.store.checkpoint_or_warn();

    // The scorecard: this mock's answers as recorded, the points missed over every answer.
    let all = select(&catalog, &Default::default())?;
    let log = ctx.store.log()?;
    let tallies = stats::missed_points(&all, &log);
    let summary = mock::history(&recorded, None).into_iter().next();
    let Some(summary) = summary else {
        writeln!(
            ctx.out,
            "The mock ended before its first answer; nothing was recorded."
        )?;
        return Ok(());
    };
    let card = mock::scorecard(summary, |id| catalog.card(id), &tallies);
    let look = ctx.look();
    ctx.out
        .write_all(render::mock::scorecard(&ScorecardView::of(&card), look).as_bytes())?;
    Ok(())
}

fn history(ctx: &mut Ctx, json: bool) -> anyhow::Result<()> {
    let log = ctx.store.log()?;
    let mocks = mock::history(&log, None);
    ctx.emit(json, &MockHistoryView::of(&mocks), render::mock::history)
}
