//! What mocks add up to: each mock's answers gathered from the log (its history), and the
//! scorecard of one. A mock's score is the share of key points its answers covered.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashSet;

use crate::model::{Card, CardId, Event, Grade};
use crate::points::PointKey;
use crate::stats::PointTally;

/// One answered question of a mock, as its log entry has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered<'a> {
    pub card: &'a CardId,
    /// Its place in the mock, from 1.
    pub question: u32,
    /// Key points covered, of `points` checked. A card without key points counts as one point,
    /// covered when the answer was graded 3 or more.
    pub covered: usize,
    pub points: usize,
    /// Its time budget.
    pub seconds: u32,
    /// Time from showing the question to revealing the answer.
    pub used_ms: u64,
    pub timed_out: bool,
    /// The points left out.
    pub missed: Vec<PointKey>,
}

impl Answered<'_> {
    /// The share covered, 0 to 1.
    pub fn share(&self) -> f64 {
        self.covered as f64 / self.points.max(1) as f64
    }
}

/// A mock as the log tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct MockSummary<'a> {
    pub id: &'a str,
    pub started: DateTime<FixedOffset>,
    pub minutes: u32,
    /// Questions planned.
    pub questions: u32,
    /// The answers kept (not undone), by question; the latest where a question was answered
    /// twice.
    pub answers: Vec<Answered<'a>>,
}

impl MockSummary<'_> {
    pub fn covered(&self) -> usize {
        self.answers.iter().map(|a| a.covered).sum()
    }

    pub fn points(&self) -> usize {
        self.answers.iter().map(|a| a.points).sum()
    }

    /// The share of key points covered, 0 to 1, over the questions answered.
    pub fn score(&self) -> f64 {
        self.covered() as f64 / self.points().max(1) as f64
    }

    /// Every question planned was answered: the mock was not cut short.
    pub fn complete(&self) -> bool {
        self.answers.len() >= self.questions as usize
    }

    pub fn used_ms(&self) -> u64 {
        self.answers.iter().map(|a| a.used_ms).sum()
    }
}

/// The answer an entry gives to a mock's question, if it is one.
fn answered(event: &Event) -> Option<(&crate::mock::MockAnswer, Answered<'_>)> {
    let graded = event.graded()?;
    let mock = graded.mock.as_ref()?;
    let (covered, points, missed) = match &graded.coverage {
        Some(coverage) => (
            coverage.covered.len(),
            coverage.points.len(),
            coverage.missed().map(|p| coverage.points[p - 1]).collect(),
        ),
        None => (usize::from(graded.grade >= Grade::PASS), 1, Vec::new()),
    };
    Some((
        mock,
        Answered {
            card: &event.card,
            question: mock.question,
            covered,
            points,
            seconds: mock.seconds,
            used_ms: mock.used_ms,
            timed_out: mock.timed_out,
            missed,
        },
    ))
}

/// The key points a mock's answer covered, of those checked, if the entry is one.
pub fn coverage_of(event: &Event) -> Option<(usize, usize)> {
    answered(event).map(|(_, answer)| (answer.covered, answer.points))
}

/// Every mock in `log` (in replay order), oldest first: its kept answers grouped by the mock's
/// id. With `only`, just the answers to those cards count, and a mock with none is left out.
pub fn history<'a>(log: &'a [Event], only: Option<&FxHashSet<&CardId>>) -> Vec<MockSummary<'a>> {
    let undone: BTreeSet<&str> = log.iter().filter_map(Event::undoes).collect();
    let mut mocks: BTreeMap<&str, MockSummary> = BTreeMap::new();
    for event in log {
        if undone.contains(event.id.as_str())
            || only.is_some_and(|only| !only.contains(&event.card))
        {
            continue;
        }
        let Some((mock, answer)) = answered(event) else {
            continue;
        };
        let summary = mocks.entry(&mock.id).or_insert_with(|| MockSummary {
            id: &mock.id,
            started: mock.started,
            minutes: mock.minutes,
            questions: mock.questions,
            answers: Vec::new(),
        });
        summary.started = summary.started.min(mock.started);
        summary.questions = summary.questions.max(mock.questions);
        summary.answers.retain(|a| a.question != answer.question);
        summary.answers.push(answer);
    }
    let mut mocks: Vec<MockSummary> = mocks.into_values().collect();
    for mock in &mut mocks {
        mock.answers.sort_by_key(|a| a.question);
    }
    mocks.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(b.id)));
    mocks
}

/// A topic's share of a mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicScore {
    /// The cards' first tag (their area), or their deck.
    pub topic: String,
    pub questions: usize,
    pub covered: usize,
    pub points: usize,
}

/// A point a mock's answer left out, and how often it has been left out in every answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedPoint {
    pub card: CardId,
    /// 1-based, in the card's points now.
    pub position: usize,
    pub point: String,
    /// Answers that left it out, of `checked` that checked it, mocks and reviews alike.
    pub missed: u32,
    pub checked: u32,
}

/// What a mock adds up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard<'a> {
    pub mock: MockSummary<'a>,
    /// Weakest first.
    pub topics: Vec<TopicScore>,
    /// The points this mock missed, those missed most often overall first, at most
    /// [`MISSED_SHOWN`].
    pub missed: Vec<MissedPoint>,
    /// The cards whose answers fell short, weakest first, at most [`DRILL_SHOWN`].
    pub drill: Vec<CardId>,
}

/// How many missed points a scorecard lists.
pub const MISSED_SHOWN: usize = 5;
/// How many cards a scorecard names to drill next.
pub const DRILL_SHOWN: usize = 5;

/// The scorecard of `mock`; `card` finds a card as it is now, and `tallies` are the key points
/// missed over every kept answer (`stats::missed_points`).
pub fn scorecard<'a, 'c>(
    mock: MockSummary<'a>,
    card: impl Fn(&CardId) -> Option<&'c Card>,
    tallies: &[PointTally],
) -> Scorecard<'a> {
    let mut topics: BTreeMap<String, TopicScore> = BTreeMap::new();
    let mut missed: Vec<(u32, MissedPoint)> = Vec::new();
    for answer in &mock.answers {
        let found = card(answer.card);
        let topic = found
            .and_then(|c| c.tags.first().cloned())
            .unwrap_or_else(|| answer.card.deck().to_owned());
        let score = topics.entry(topic.clone()).or_insert(TopicScore {
            topic,
            questions: 0,
            covered: 0,
            points: 0,
        });
        score.questions += 1;
        score.covered += answer.covered;
        score.points += answer.points;
        let Some(found) = found else { continue };
        for key in &answer.missed {
            // A point reworded since has no words to show.
            let Some(position) = found.points.iter().position(|p| PointKey::of(p) == *key) else {
                continue;
            };
            let (times, checked) = tallies
                .iter()
                .find(|t| t.card == answer.card && t.position == position + 1)
                .map_or((1, 1), |t| (t.missed, t.reviews));
            missed.push((
                answer.question,
                MissedPoint {
                    card: answer.card.clone(),
                    position: position + 1,
                    point: found.points[position].clone(),
                    missed: times,
                    checked,
                },
            ));
        }
    }
    missed.sort_by(|(qa, a), (qb, b)| {
        b.missed
            .cmp(&a.missed)
            .then(
                (u64::from(b.missed) * u64::from(a.checked))
                    .cmp(&(u64::from(a.missed) * u64::from(b.checked))),
            )
            .then(qa.cmp(qb))
            .then(a.position.cmp(&b.position))
    });
    let mut topics: Vec<TopicScore> = topics.into_values().collect();
    topics.sort_by(|a, b| {
        // a.covered / a.points against b.covered / b.points, without division.
        (a.covered * b.points.max(1))
            .cmp(&(b.covered * a.points.max(1)))
            .then(a.topic.cmp(&b.topic))
    });
    let mut short: Vec<&Answered> = mock
        .answers
        .iter()
        .filter(|a| a.covered < a.points)
        .collect();
    short.sort_by(|a, b| {
        (a.covered * b.points)
            .cmp(&(b.covered * a.points))
            .then(a.question.cmp(&b.question))
    });
    let drill = short
        .iter()
        .take(DRILL_SHOWN)
        .map(|a| a.card.clone())
        .collect();
    Scorecard {
        topics,
        missed: missed
            .into_iter()
            .take(MISSED_SHOWN)
            .map(|(_, m)| m)
            .collect(),
        drill,
        mock,
    }
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
