//! Topic readiness: per topic tag, how much of it the learner has seen and how well it sticks,
//! least ready first.
//!
//! A card is *solid* when it has been reviewed, recalled at least twice in a row (n >= 2), and
//! is not a leech. A topic's readiness is its share of solid cards. Ties are broken by true
//! retention (lower first), then by the tag. Mock interviews add how the topic's cards fared in
//! their latest mock answers.

use std::collections::{BTreeMap, HashMap};

use super::{Recall, is_leech, kept_answers, retention_grade};
use crate::model::{Card, CardId, Event, ReviewState};

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

/// Readiness per topic. A card's topic is its first tag (its area), or, with `every_tag`, each
/// of its tags.
pub fn readiness(
    cards: &[&Card],
    state: &ReviewState,
    log: &[Event],
    leech_threshold: u32,
    every_tag: bool,
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
            for (covered, points) in members.iter().filter_map(|c| mocked.get(&c.id)) {
                topic.mock.cards += 1;
                topic.mock.covered += covered;
                topic.mock.points += points;
            }
            topic
        })
        .collect();
    topics.sort_by(|a, b| {
        a.readiness
            .total_cmp(&b.readiness)
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
