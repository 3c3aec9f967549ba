//! Topic readiness: per topic tag, how much of it the learner would recall, how much of it they
//! have seen and how well it sticks, least ready first.
//!
//! A topic's *expected recall* on a day is the expected share of its key points a candidate
//! would recall then: the mean over its cards of R (the memory model's probability of recalling
//! the card that day) × the share of the card's key points its last scheduled review reached
//! (`points::answered_share`); a card never reviewed counts 0. Topics are ordered by it, least
//! first; ties by true retention (lower first), then by the tag.
//!
//! The older measure stays beside it: a card is *solid* when it has been reviewed, recalled at
//! least twice in a row (n >= 2), and is not a leech; `readiness` is a topic's share of solid
//! cards.
//!
//! Mock interviews add how the topic's cards fared in their latest mock answers.

use std::collections::{BTreeMap, HashMap};

use super::{Recall, is_leech, kept_answers, retention_grade};
use crate::memory::{self, Model};
use crate::model::{Action, Card, CardId, CardState, Event, Grade, ReviewState, StudyDay};

/// How many cards `readiness` names as the ones to drill next, per topic.
pub const WEAKEST: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub tag: String,
    pub cards: usize,
    /// Cards reviewed at least once.
    pub seen: usize,
    /// Cards recalled at least twice in a row and not leeches.
    pub solid: usize,
    pub recall: Recall,
    /// Mean easiness factor of the cards seen.
    pub average_ease: Option<f64>,
    pub lapses: u32,
    pub leeches: usize,
    /// `solid / cards`, from 0 to 1.
    pub readiness: f64,
    /// The cards' latest answers in mock interviews.
    pub mock: MockTally,
    /// The expected share of the topic's key points recalled today, 0 to 1.
    pub expected_recall: f64,
    /// The same on the interview day, if nothing more were studied; with a plan only.
    pub expected_recall_on_interview: Option<f64>,
    /// The cards whose review today (answered as the model expects) would raise the topic's
    /// expected recall on the day that matters (the interview's, else today) the most.
    pub raise_most: Vec<CardId>,
    /// The cards to drill next: leeches, cards still in learning and cards whose ease fell below
    /// 2.5, weakest first (leeches, then the lowest ease, then the most lapses); then new cards
    /// in catalog order.
    pub weakest: Vec<CardId>,
}

/// Key points covered in the latest mock answer to each of a topic's cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MockTally {
    /// Cards answered in a mock.
    pub cards: usize,
    pub covered: usize,
    pub points: usize,
}

impl MockTally {
    /// The share covered, if any card was answered in a mock.
    pub fn score(&self) -> Option<f64> {
        (self.points > 0).then(|| self.covered as f64 / self.points as f64)
    }
}

/// What expected recall is computed with: the model, today, and the interview day if a plan is
/// set.
#[derive(Debug, Clone, Copy)]
pub struct Horizon<'a> {
    pub model: &'a Model,
    pub today: StudyDay,
    pub interview: Option<StudyDay>,
}

impl Horizon<'_> {
    /// The day whose recall matters: the interview's, else today.
    fn target(&self) -> StudyDay {
        self.interview
            .filter(|d| *d > self.today)
            .unwrap_or(self.today)
    }
}

/// The expected share of a card's key points recalled on `day`: R then × the share its last
/// review reached; 0 for a card never reviewed.
pub fn expected_recall(model: &Model, state: Option<&CardState>, share: f64, day: StudyDay) -> f64 {
    state.map_or(0.0, |s| f64::from(memory::recall_on(model, s, day)) * share)
}

/// Per card, the share of its key points its last scheduled review reached.
pub fn last_shares(log: &[Event], cards: &[&Card]) -> HashMap<CardId, f64> {
    let ids: rustc_hash::FxHashSet<&CardId> = cards.iter().map(|c| &c.id).collect();
    let mut shares = HashMap::new();
    for event in kept_answers(log, &ids) {
        if let Action::Review { answer, .. } = &event.action {
            let share = crate::points::answered_share(answer.grade, answer.coverage.as_ref());
            shares.insert(event.card.clone(), share);
        }
    }
    shares
}

/// Readiness per topic. A card's topic is its first tag (its area), or, with `every_tag`, each
/// of its tags.
pub fn readiness(
    cards: &[&Card],
    state: &ReviewState,
    log: &[Event],
    leech_threshold: u32,
    every_tag: bool,
    horizon: Horizon<'_>,
) -> Vec<Topic> {
    let ids: rustc_hash::FxHashSet<&CardId> = cards.iter().map(|c| &c.id).collect();
    let mut recall: HashMap<&CardId, Recall> = HashMap::new();
    // The latest mock answer of each card: how it stands under interview conditions now.
    let mut mocked: HashMap<&CardId, (usize, usize)> = HashMap::new();
    for event in kept_answers(log, &ids) {
        if let Some(grade) = retention_grade(event) {
            recall.entry(&event.card).or_default().add(grade);
        }
        if let Some(coverage) = crate::mock::coverage_of(event) {
            mocked.insert(&event.card, coverage);
        }
    }
    let shares = last_shares(log, cards);
    let mut groups: BTreeMap<&str, Vec<&Card>> = BTreeMap::new();
    for card in cards.iter().filter(|c| !state.suspended.contains(&c.id)) {
        let tags = if every_tag {
            &card.tags[..]
        } else {
            &card.tags[..card.tags.len().min(1)]
        };
        for tag in tags {
            groups.entry(tag.as_str()).or_default().push(card);
        }
    }
    let mut topics: Vec<Topic> = groups
        .into_iter()
        .map(|(tag, members)| {
            let mut topic = topic(tag, &members, state, &recall, leech_threshold);
            expect(&mut topic, &members, state, &shares, horizon);
            for (covered, points) in members.iter().filter_map(|c| mocked.get(&c.id)) {
                topic.mock.cards += 1;
                topic.mock.covered += covered;
                topic.mock.points += points;
            }
            topic
        })
        .collect();
    topics.sort_by(|a, b| {
        a.expected_recall
            .total_cmp(&b.expected_recall)
            .then_with(|| {
                a.recall
                    .rate()
                    .unwrap_or(-1.0)
                    .total_cmp(&b.recall.rate().unwrap_or(-1.0))
            })
            .then_with(|| a.tag.cmp(&b.tag))
    });
    topics
}

fn topic(
    tag: &str,
    members: &[&Card],
    state: &ReviewState,
    recall: &HashMap<&CardId, Recall>,
    threshold: u32,
) -> Topic {
    let mut topic = Topic {
        tag: tag.to_owned(),
        cards: members.len(),
        seen: 0,
        solid: 0,
        recall: Recall::default(),
        average_ease: None,
        lapses: 0,
        leeches: 0,
        readiness: 0.0,
        mock: MockTally::default(),
        expected_recall: 0.0,
        expected_recall_on_interview: None,
        raise_most: Vec::new(),
        weakest: Vec::new(),
    };
    let mut ease_sum = 0.0;
    let mut seen = Vec::new();
    for card in members {
        if let Some(r) = recall.get(&card.id) {
            topic.recall.reviews += r.reviews;
            topic.recall.passed += r.passed;
        }
        let Some(s) = state.cards.get(&card.id) else {
            continue;
        };
        let leech = is_leech(Some(s), threshold);
        topic.seen += 1;
        topic.lapses += s.lapses;
        topic.leeches += usize::from(leech);
        topic.solid += usize::from(!leech && s.repetitions >= crate::sm2::LEARNED_REPETITIONS);
        ease_sum += s.ease;
        seen.push((card, s, leech));
    }
    if topic.seen > 0 {
        topic.average_ease = Some(ease_sum / topic.seen as f64);
    }
    topic.readiness = topic.solid as f64 / topic.cards.max(1) as f64;
    seen.sort_by(|(a, sa, la), (b, sb, lb)| {
        lb.cmp(la)
            .then(sa.ease.total_cmp(&sb.ease))
            .then(sb.lapses.cmp(&sa.lapses))
            .then(a.id.cmp(&b.id))
    });
    topic.weakest = seen
        .into_iter()
        .filter(|(_, s, leech)| {
            *leech
                || s.repetitions < crate::sm2::LEARNED_REPETITIONS
                || s.ease < crate::sm2::INITIAL_EASE
        })
        .map(|(card, ..)| card.id.clone())
        .chain(
            members
                .iter()
                .filter(|c| !state.cards.contains_key(&c.id))
                .map(|c| c.id.clone()),
        )
        .take(WEAKEST)
        .collect();
    topic
}

/// A review today graded as the model expects of a card it predicts recalled: Good.
const EXPECTED: u8 = 4;

/// Fills in a topic's expected recall and the cards that would raise it most.
fn expect(
    topic: &mut Topic,
    members: &[&Card],
    state: &ReviewState,
    shares: &HashMap<CardId, f64>,
    horizon: Horizon<'_>,
) {
    let n = members.len().max(1) as f64;
    let model = horizon.model;
    let target = horizon.target();
    let good = Grade::new(EXPECTED).unwrap_or(Grade::GOOD);
    let mut sum_today = 0.0;
    let mut sum_interview = 0.0;
    let mut gains = Vec::with_capacity(members.len());
    for card in members {
        let s = state.cards.get(&card.id);
        let share = shares.get(&card.id).copied().unwrap_or(0.0);
        sum_today += expected_recall(model, s, share, horizon.today);
        let now = expected_recall(model, s, share, target);
        if horizon.interview.is_some() {
            sum_interview += now;
        }
        if s.is_some_and(|s| s.last_reviewed >= horizon.today) {
            continue; // reviewed today already: another answer today would be practice
        }
        // Reviewed today and recalled, the card would reach at least what a Good answer
        // stands for.
        let reviewed = model.review(s, good, horizon.today, crate::sm2::MAX_INTERVAL);
        let after = expected_recall(model, Some(&reviewed), share.max(0.75), target);
        gains.push((after - now, &card.id));
    }
    topic.expected_recall = sum_today / n;
    topic.expected_recall_on_interview = horizon.interview.map(|_| sum_interview / n);
    gains.sort_by(|(a, ia), (b, ib)| b.total_cmp(a).then_with(|| ia.cmp(ib)));
    topic.raise_most = gains
        .into_iter()
        .filter(|(gain, _)| *gain > 0.0)
        .take(WEAKEST)
        .map(|(_, id)| id.clone())
        .collect();
}

/// The expected recall the interview plan leads to: per topic (a card's first tag) and over
/// every card, on the interview day, once the simulation has answered every card as the model
/// expects until the day before.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicted {
    pub interview: StudyDay,
    pub expected_recall: f64,
    /// Per topic: its tag, its cards, its expected recall; least first.
    pub topics: Vec<(String, usize, f64)>,
}

/// `cards` and `simulated` in the same order, as `plan::simulate` returns them.
pub fn predicted_recall(
    cards: &[&Card],
    simulated: &[crate::plan::SimCard],
    model: &Model,
    interview: StudyDay,
) -> Predicted {
    let mut topics: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for (card, sim) in cards.iter().zip(simulated) {
        let recall = expected_recall(model, sim.state.as_ref(), sim.share, interview);
        total += recall;
        if let Some(tag) = card.tags.first() {
            let entry = topics.entry(tag.as_str()).or_default();
            entry.0 += 1;
            entry.1 += recall;
        }
    }
    let mut topics: Vec<(String, usize, f64)> = topics
        .into_iter()
        .map(|(tag, (n, sum))| (tag.to_owned(), n, sum / n.max(1) as f64))
        .collect();
    topics.sort_by(|a, b| a.2.total_cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    Predicted {
        interview,
        expected_recall: total / cards.len().max(1) as f64,
        topics,
    }
}
