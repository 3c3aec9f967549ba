//! What `hone mock` prints: the questions a mock would ask (`--dry-run`), the mocks so far
//! (`--history`) and a mock's scorecard.

use serde::Serialize;

use super::timestamp;
use crate::mock::{MockPlan, MockSummary, Scorecard};

/// `hone mock --dry-run`.
#[derive(Debug, Serialize)]
pub struct MockPlanView {
    pub minutes: u32,
    /// The seed that drew these questions: `--seed` with it draws them again, as long as no
    /// answer is recorded in between.
    pub seed: u64,
    pub questions: Vec<MockQuestionView>,
}

#[derive(Debug, Serialize)]
pub struct MockQuestionView {
    pub card: String,
    pub deck: String,
    /// `question`, `design` or `definition`.
    pub kind: &'static str,
    /// Its time budget.
    pub seconds: u32,
}

impl MockPlanView {
    pub fn of(plan: &MockPlan, seed: u64) -> Self {
        MockPlanView {
            minutes: plan.minutes,
            seed,
            questions: plan
                .questions
                .iter()
                .map(|q| MockQuestionView {
                    card: q.card.to_string(),
                    deck: q.card.deck().to_owned(),
                    kind: q.kind.as_str(),
                    seconds: q.seconds,
                })
                .collect(),
        }
    }
}

/// `hone mock --history`.
#[derive(Debug, Serialize)]
pub struct MockHistoryView {
    /// Oldest first.
    pub mocks: Vec<MockSummaryView>,
}

#[derive(Debug, Serialize)]
pub struct MockSummaryView {
    pub id: String,
    pub started: String,
    pub minutes: u32,
    /// Questions planned.
    pub questions: u32,
    /// Questions answered (and not undone).
    pub answered: usize,
    /// Key points covered, of `points` checked, over the questions answered.
    pub covered: usize,
    pub points: usize,
    /// `covered / points`, 0 to 1.
    pub score: f64,
    /// Every question planned was answered.
    pub complete: bool,
    /// Time spent answering, until each answer was revealed.
    pub seconds_used: u64,
}

impl MockSummaryView {
    pub fn of(mock: &MockSummary) -> Self {
        MockSummaryView {
            id: mock.id.to_owned(),
            started: timestamp(mock.started),
            minutes: mock.minutes,
            questions: mock.questions,
            answered: mock.answers.len(),
            covered: mock.covered(),
            points: mock.points(),
            score: mock.score(),
            complete: mock.complete(),
            seconds_used: mock.used_ms() / 1000,
        }
    }
}

impl MockHistoryView {
    pub fn of(mocks: &[MockSummary]) -> Self {
        MockHistoryView {
            mocks: mocks.iter().map(MockSummaryView::of).collect(),
        }
    }
}

/// A mock's scorecard, for people (its figures, per question, per topic and overall).
#[derive(Debug, Serialize)]
pub struct ScorecardView {
    pub mock: MockSummaryView,
    pub answers: Vec<ScoredAnswerView>,
    pub topics: Vec<TopicScoreView>,
    pub missed: Vec<MissedPointView>,
    pub drill: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ScoredAnswerView {
    pub question: u32,
    pub card: String,
    pub covered: usize,
    pub points: usize,
    pub seconds: u32,
    pub used_ms: u64,
    pub timed_out: bool,
}

#[derive(Debug, Serialize)]
pub struct TopicScoreView {
    pub topic: String,
    pub questions: usize,
    pub covered: usize,
    pub points: usize,
}

#[derive(Debug, Serialize)]
pub struct MissedPointView {
    pub card: String,
    pub position: usize,
    pub point: String,
    pub missed: u32,
    pub checked: u32,
}

impl ScorecardView {
    pub fn of(card: &Scorecard) -> Self {
        ScorecardView {
            mock: MockSummaryView::of(&card.mock),
            answers: card
                .mock
                .answers
                .iter()
                .map(|a| ScoredAnswerView {
                    question: a.question,
                    card: a.card.to_string(),
                    covered: a.covered,
                    points: a.points,
                    seconds: a.seconds,
                    used_ms: a.used_ms,
                    timed_out: a.timed_out,
                })
                .collect(),
            topics: card
                .topics
                .iter()
                .map(|t| TopicScoreView {
                    topic: t.topic.clone(),
                    questions: t.questions,
                    covered: t.covered,
                    points: t.points,
                })
                .collect(),
            missed: card
                .missed
                .iter()
                .map(|m| MissedPointView {
                    card: m.card.to_string(),
                    position: m.position,
                    point: m.point.clone(),
                    missed: m.missed,
                    checked: m.checked,
                })
                .collect(),
            drill: card.drill.iter().map(ToString::to_string).collect(),
        }
    }
}
