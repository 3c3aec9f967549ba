//! `hone answer`: record grades from the command line or, one JSON object per line, from stdin.
//!
//! Each result is printed only after its review is fsynced. Lines that arrive together are
//! committed together (one fsync for all that are already buffered), so a script that waits for
//! each acknowledgement gets it at once, and a file of 10,000 lines does not pay 10,000 fsyncs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::answer::{self, Moment};
use crate::cli::AnswerArgs;
use crate::deck::Catalog;
use crate::mock::MockAnswer;
use crate::model::{CardId, CardState, Event, Grade, Graded, ReviewKind, ReviewState};
use crate::points::{self, Coverage};
use crate::render;
use crate::settings::{LeechAction, Settings};
use crate::store::Store;
use crate::views::AnswerView;

use super::{Ctx, UsageError, find_card};

/// At most this many answers share one fsync.
const MAX_BATCH: usize = 1024;

pub fn run(ctx: &mut Ctx, args: AnswerArgs) -> anyhow::Result<()> {
    ctx.before_writing();
    if args.stdin {
        return from_stdin(ctx, args.json);
    }
    let Some(card) = args.card else {
        return Err(UsageError("give CARD-ID and GRADE, or --stdin".to_owned()).into());
    };
    let catalog = ctx.index()?;
    let card = find_card(&catalog, &card)?;
    let coverage = match &args.covered {
        None => None,
        Some(list) => Some(
            points::parse_positions(list)
                .and_then(|positions| Coverage::new(&card.points, &positions))
                .map_err(|e| UsageError(format!("--covered: {e} ({})", card.id)))?,
        ),
    };
    let grade = match (args.grade, &coverage) {
        (Some(grade), _) => {
            Grade::new(grade).ok_or_else(|| UsageError(format!("grade {grade} is not 0-5")))?
        }
        (None, Some(coverage)) => coverage.proposed_grade(),
        (None, None) => {
            return Err(UsageError("give a GRADE, or --covered".to_owned()).into());
        }
    };
    let wanted = Wanted {
        card: card.id.clone(),
        grade,
        coverage,
        at: ctx.now,
        key: None,
        mock: None,
    };
    let reviews = record(ctx, vec![wanted])?;
    emit_answers(ctx, &reviews, args.json)
}

fn emit_answers(ctx: &mut Ctx, events: &[Recorded], json: bool) -> anyhow::Result<()> {
    for (event, state) in events {
        let fsrs = ctx.settings.scheduler == crate::memory::Scheduler::Fsrs;
        if let Some(mut view) = AnswerView::of(event, state.as_ref()) {
            if fsrs && event.after().is_some() {
                view = view.with_memory(event.after());
            }
            ctx.emit(json, &view, render::answer)?;
        }
    }
    Ok(())
}

/// A logged entry and the card's state after it (for practice, the state it left alone).
type Recorded = (Event, Option<CardState>);

/// Logs scheduled answers, each against the card's state as it is on disk now, and suspends
/// a card that became a leech if the settings say so.
fn record(ctx: &mut Ctx, answers: Vec<Wanted>) -> anyhow::Result<Vec<Recorded>> {
    let settings = ctx.settings;
    let keyed = answers.iter().any(|a| a.key.is_some());
    ctx.store.record(|state, store| {
        // Answers given before under the same keys (a retried script): read under this lock,
        // so that two retries at once still record one answer.
        let before: HashMap<String, Event> = if keyed {
            store
                .own_log()?
                .into_iter()
                .filter(|e| e.id.starts_with(KEYED))
                .map(|e| (e.id.clone(), e))
                .collect()
        } else {
            HashMap::new()
        };
        let model = store.model()?;
        // Cards answered earlier in this batch, whose new state is not on disk yet.
        let mut changed: HashMap<&CardId, CardState> = HashMap::new();
        let mut logged = Vec::with_capacity(answers.len());
        let mut acknowledged = Vec::with_capacity(answers.len());
        for wanted in &answers {
            let card = &wanted.card;
            let id = match &wanted.key {
                Some(key) => store.keyed_id(key)?,
                None => store.new_review_id(),
            };
            let current = changed.get(card).or_else(|| state.cards.get(card)).copied();
            if let Some(earlier) = before.get(&id) {
                acknowledged.push((earlier.clone(), current));
                continue;
            }
            if logged.iter().any(|e: &Event| e.id == id) {
                continue; // the same key twice in one batch
            }
            let graded = Graded {
                grade: wanted.grade,
                elapsed_ms: None,
                response: None,
                coverage: wanted.coverage.clone(),
                mock: wanted.mock.clone(),
            };
            let when = Moment {
                at: wanted.at,
                day_start_hour: settings.day_start_hour,
                max_interval: settings.max_interval_days,
            };
            // A mock's answer is practice: it never moves the schedule.
            let kind = match wanted.mock {
                Some(_) => ReviewKind::Practice,
                None => ReviewKind::Scheduled,
            };
            let event = answer::answer(card, graded, kind, current.as_ref(), when, id, &model);
            if let Some(after) = event.after() {
                changed.insert(card, *after);
            }
            let after = changed.get(card).or_else(|| state.cards.get(card)).copied();
            let suspend = leech_suspension(&event, state, &settings, when, store);
            logged.push(event.clone());
            acknowledged.push((event, after));
            if let Some(suspend) = suspend {
                logged.push(suspend.clone());
                acknowledged.push((suspend, after));
            }
        }
        Ok((logged, acknowledged))
    })
}

/// How the ids of answers given with an idempotency key begin.
const KEYED: &str = "k-";

/// The suspension of a card that `review` just made a leech, when leeches are to be suspended.
pub fn leech_suspension(
    review: &Event,
    state: &ReviewState,
    settings: &Settings,
    when: Moment,
    store: &mut Store,
) -> Option<Event> {
    let wanted = settings.leech_action == LeechAction::Suspend
        && answer::made_leech(review, settings.leech_threshold)
        && !state.suspended.contains(&review.card);
    wanted.then(|| answer::leech_suspension(review, when, store.new_review_id()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputLine {
    card: String,
    /// Optional with `covered`: the grade the coverage proposes.
    grade: Option<serde_json::Value>,
    covered: Option<Vec<serde_json::Value>>,
    at: Option<String>,
    /// A key the script chooses for this answer: sent again (a retry after a kill), it is
    /// acknowledged again and recorded once.
    id: Option<String>,
    /// The answer was given in a mock interview: recorded as practice, with its mock.
    mock: Option<MockInput>,
}

/// A mock interview's part of an input line, as `hone mock --dry-run --json` plans it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MockInput {
    id: String,
    question: u32,
    questions: u32,
    minutes: u32,
    seconds: u32,
    used_ms: u64,
    #[serde(default)]
    timed_out: bool,
    /// When the mock began; the answer's moment if left out.
    started: Option<String>,
}

/// The longest idempotency key accepted.
const MAX_KEY: usize = 200;

/// One answer to record.
struct Wanted {
    card: CardId,
    grade: Grade,
    coverage: Option<Coverage>,
    at: DateTime<FixedOffset>,
    key: Option<String>,
    mock: Option<MockAnswer>,
}

/// Checks one input line; the error is the message for `stdin:LINE: ...`.
fn parse_line(text: &str, catalog: &Catalog, now: DateTime<FixedOffset>) -> Result<Wanted, String> {
    let line: InputLine = crate::input::from_json(text).map_err(|p| {
        format!(
            "{}: {}; a line reads {{\"card\": ID, \"grade\": 0-5, \"covered\": [1, 3] (optional), \"at\": TIMESTAMP (optional), \"id\": KEY (optional), \"mock\": {{...}} (optional)}}",
            p.column, p.words
        )
    })?;
    if let Some(key) = &line.id
        && (key.is_empty() || key.chars().count() > MAX_KEY)
    {
        return Err(format!("'id' must be 1 to {MAX_KEY} characters"));
    }
    let card: CardId = line.card.parse()?;
    let Some(found) = catalog.card(&card) else {
        return Err(format!("unknown card '{card}'; `hone cards` lists them"));
    };
    let coverage = match &line.covered {
        None => None,
        Some(positions) => {
            let positions = positions
                .iter()
                .map(|p| {
                    p.as_u64()
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| format!("'covered': {p} is not a point number"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(Coverage::new(&found.points, &positions).map_err(|e| format!("'covered': {e}"))?)
        }
    };
    let grade = match (&line.grade, &coverage) {
        (Some(grade), _) => grade
            .as_u64()
            .and_then(|g| u8::try_from(g).ok())
            .and_then(Grade::new)
            .ok_or_else(|| format!("grade {grade} is not a whole number from 0 to 5"))?,
        (None, Some(coverage)) => coverage.proposed_grade(),
        (None, None) => return Err("a line needs \"grade\", or \"covered\"".to_owned()),
    };
    let at = match line.at {
        None => now,
        Some(at) => crate::model::parse_moment(&at).map_err(|e| format!("'at': {e}"))?,
    };
    let mock = match line.mock {
        None => None,
        Some(mock) => {
            let started = match &mock.started {
                None => at,
                Some(started) => crate::model::parse_moment(started)
                    .map_err(|e| format!("'mock': 'started': {e}"))?,
            };
            let mock = MockAnswer {
                id: mock.id,
                started,
                minutes: mock.minutes,
                question: mock.question,
                questions: mock.questions,
                seconds: mock.seconds,
                used_ms: mock.used_ms,
                timed_out: mock.timed_out,
            };
            if let Some(problem) = mock.problem() {
                return Err(format!("'mock': {problem}"));
            }
            Some(mock)
        }
    };
    Ok(Wanted {
        card,
        grade,
        coverage,
        at,
        key: line.id,
        mock,
    })
}

fn from_stdin(ctx: &mut Ctx, json: bool) -> anyhow::Result<()> {
    let catalog = ctx.index()?;
    catalog.index();
    // Our own buffer, so we can see whether more input is already waiting.
    let stdin = ctx
        .input
        .take()
        .ok_or_else(|| anyhow!("stdin was already read"))?;
    let mut input = BufReader::with_capacity(64 * 1024, stdin);
    let mut batch = Vec::new();
    let mut number = 0usize;
    let mut recorded = 0usize;
    let mut text = String::new();
    let failure = loop {
        text.clear();
        let read = match input.read_line(&mut text) {
            Ok(read) => read,
            Err(e) => break Some(anyhow!("stdin:{}: cannot read: {e}", number + 1)),
        };
        if read > 0 {
            number += 1;
            if !text.trim().is_empty() {
                match parse_line(text.trim(), &catalog, ctx.now) {
                    Ok(answer) => batch.push(answer),
                    // A message that starts with a column number continues the position.
                    Err(message) => {
                        let sep = if message.starts_with(|c: char| c.is_ascii_digit()) {
                            ":"
                        } else {
                            ": "
                        };
                        break Some(anyhow!("stdin:{number}{sep}{message}"));
                    }
                }
            }
        }
        let more_buffered = !input.buffer().is_empty();
        if read == 0 || !more_buffered || batch.len() >= MAX_BATCH {
            recorded += commit(ctx, &mut batch, json)?;
        }
        if read == 0 {
            break None;
        }
    };
    // Lines before a bad one stay recorded, and are acknowledged as such.
    recorded += commit(ctx, &mut batch, json)?;
    ctx.store.checkpoint_or_warn();
    match failure {
        Some(e) => Err(anyhow!(
            "{e:#} ({})",
            match recorded {
                0 => "no answer before it was recorded".to_owned(),
                1 => "the answer before it was recorded".to_owned(),
                n => format!("the {n} answers before it were recorded"),
            }
        )),
        None => Ok(()),
    }
}

/// Records and acknowledges a batch; returns how many answers it held.
fn commit(ctx: &mut Ctx, batch: &mut Vec<Wanted>, json: bool) -> anyhow::Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let reviews = record(ctx, std::mem::take(batch))?;
    emit_answers(ctx, &reviews, json)?;
    ctx.out.flush()?;
    Ok(reviews.len())
}
