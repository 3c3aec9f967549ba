//! Choosing a mock's questions: which cards may be asked, how weak each one is, and the draw
//! that fills the time. Pure: the seed is an argument, and the generator is hone's own, so the
//! same seed draws the same mock on every machine and in every release.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Card, CardId, CardKind, Event, ReviewState};
use crate::sm2::{INITIAL_EASE, MIN_EASE};

/// The time a definition gets: a crisp answer of two to five points and an example.
pub const DEFINITION_SECONDS: u32 = 90;
/// The time a question gets: three to seven points, each said with its reason, as an
/// interviewer expects them, with a moment to think first.
pub const QUESTION_SECONDS: u32 = 240;
/// The time a system-design exercise gets: requirements, an estimate, a sketch, one deep dive
/// and the trade-offs, compressed as a mixed interview compresses them.
pub const DESIGN_SECONDS: u32 = 600;
/// A mock's length when none is given: a typical technical interview.
pub const DEFAULT_MINUTES: u32 = 45;
/// The tag that makes a question card a system-design exercise.
pub const DESIGN_TAG: &str = "design-exercise";
/// A design exercise is planned only when the mock also holds this many other questions: it
/// is one part of the interview, not all of it.
pub const OTHERS_WITH_DESIGN: usize = 2;

/// The kinds of question a mock asks, each with its own time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Definition,
    Question,
    /// A question card tagged [`DESIGN_TAG`].
    Design,
}

impl Kind {
    pub fn of(card: &Card) -> Kind {
        match card.kind {
            CardKind::Definition => Kind::Definition,
            CardKind::Question if card.tags.iter().any(|t| t == DESIGN_TAG) => Kind::Design,
            CardKind::Question => Kind::Question,
        }
    }

    /// The kind's time budget, in seconds.
    pub fn seconds(self) -> u32 {
        match self {
            Kind::Definition => DEFINITION_SECONDS,
            Kind::Question => QUESTION_SECONDS,
            Kind::Design => DESIGN_SECONDS,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Definition => "definition",
            Kind::Question => "question",
            Kind::Design => "design",
        }
    }
}

/// What makes a card weak, as plain figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weakness {
    /// The card's SM-2 ease and lapses; `None` for a card never reviewed.
    pub state: Option<(f64, u32)>,
    /// Key points left out, over every kept answer whose points were checked.
    pub points_missed: u32,
    /// Key points checked, over the same answers.
    pub points_checked: u32,
    /// The memory model's predicted probability of recalling the card now (0 to 1), where a
    /// model gives one.
    pub recall: Option<f64>,
}

/// How much more likely than a card known well a card is to be asked. Every card starts at 1;
/// weakness adds to it:
///
/// | figure                                         | adds            |
/// | ---------------------------------------------- | --------------- |
/// | never answered (no review, no checked answer)  | 1               |
/// | share of its key points missed before          | up to 2         |
/// | ease below 2.5 (1.3, the floor, adds it all)   | up to 2         |
/// | each lapse                                     | 0.5, up to 2    |
/// | predicted recall r, where a model gives one    | 2 × (1 − r)     |
pub fn weight(w: &Weakness) -> f64 {
    let mut weight = 1.0;
    if w.state.is_none() && w.points_checked == 0 {
        weight += UNSEEN;
    }
    if w.points_checked > 0 {
        weight +=
            MISSED * f64::from(w.points_missed.min(w.points_checked)) / f64::from(w.points_checked);
    }
    if let Some((ease, lapses)) = w.state {
        weight += EASE * ((INITIAL_EASE - ease) / (INITIAL_EASE - MIN_EASE)).clamp(0.0, 1.0);
        weight += LAPSE * f64::from(lapses.min(MAX_LAPSES));
    }
    if let Some(recall) = w.recall.filter(|r| r.is_finite()) {
        weight += RECALL * (1.0 - recall.clamp(0.0, 1.0));
    }
    weight
}

const UNSEEN: f64 = 1.0;
const MISSED: f64 = 2.0;
const EASE: f64 = 2.0;
const LAPSE: f64 = 0.5;
const MAX_LAPSES: u32 = 4;
const RECALL: f64 = 2.0;

/// A card that may be asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub card: &'a CardId,
    pub kind: Kind,
    pub weakness: Weakness,
}

impl Candidate<'_> {
    pub fn deck(&self) -> &str {
        self.card.deck()
    }
}

/// Which cards a mock draws from.
#[derive(Debug, Clone, Default)]
pub struct Pool<'a> {
    /// Only this deck's cards.
    pub deck: Option<&'a str>,
    /// Only cards with this tag.
    pub tag: Option<&'a str>,
    /// Definitions too, not only questions.
    pub definitions: bool,
}

/// The cards of `cards` a mock may ask, in their order, with their weakness: questions (and
/// definitions, if the pool takes them) of the pool's deck and tag, neither suspended nor
/// retired. `recall` gives a card's predicted recall where a memory model exists.
pub fn candidates<'a>(
    cards: &[&'a Card],
    state: &ReviewState,
    log: &[Event],
    recall: impl Fn(&CardId) -> Option<f64>,
    pool: &Pool,
) -> Vec<Candidate<'a>> {
    let ids: FxHashSet<&CardId> = cards.iter().map(|c| &c.id).collect();
    let mut points: FxHashMap<&CardId, (u32, u32)> = FxHashMap::default();
    for event in crate::stats::kept_answers(log, &ids) {
        if let Some(coverage) = event.graded().and_then(|g| g.coverage.as_ref()) {
            let (missed, checked) = points.entry(&event.card).or_default();
            *checked += coverage.points.len() as u32;
            *missed += coverage.missed().count() as u32;
        }
    }
    cards
        .iter()
        .filter(|c| !c.retired && !state.suspended.contains(&c.id))
        .filter(|c| pool.deck.is_none_or(|deck| c.id.deck() == deck))
        .filter(|c| pool.tag.is_none_or(|tag| c.tags.iter().any(|t| t == tag)))
        .filter(|c| pool.definitions || c.kind == CardKind::Question)
        .map(|card| {
            let (points_missed, points_checked) = points.get(&card.id).copied().unwrap_or_default();
            Candidate {
                card: &card.id,
                kind: Kind::of(card),
                weakness: Weakness {
                    state: state.cards.get(&card.id).map(|s| (s.ease, s.lapses)),
                    points_missed,
                    points_checked,
                    recall: recall(&card.id),
                },
            }
        })
        .collect()
}

/// What the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// The mock's length; without it, [`DEFAULT_MINUTES`], unless `questions` is given.
    pub minutes: Option<u32>,
    /// How many questions; without it, as many as the minutes hold.
    pub questions: Option<u32>,
    /// Every question's time, instead of its kind's.
    pub seconds: Option<u32>,
    pub seed: u64,
}

/// One question of a mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned<'a> {
    pub card: &'a CardId,
    pub kind: Kind,
    /// Its time budget.
    pub seconds: u32,
}

/// A mock's questions, in the order they are asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockPlan<'a> {
    pub minutes: u32,
    pub questions: Vec<Planned<'a>>,
}

/// Why no mock could be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no card to ask")]
    NoCandidates,
    #[error("{minutes} minutes hold no question: the shortest takes {} (--seconds sets a shorter time)", clock(*.shortest))]
    TooShort { minutes: u32, shortest: u32 },
}

/// Seconds as `m:ss`.
pub fn clock(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Draws a mock from `candidates`: at most one design exercise, asked last, when the time
/// holds it and [`OTHERS_WITH_DESIGN`] other questions; then questions drawn by weight until
/// the time (or the number asked for) is used up. A deck already drawn from weighs less, so
/// the mock goes across topics, and two questions of one deck are never neighbours while
/// another deck has a card left.
pub fn plan<'a>(
    candidates: &[Candidate<'a>],
    request: &Request,
) -> Result<MockPlan<'a>, PlanError> {
    let budget = |kind: Kind| request.seconds.unwrap_or(kind.seconds());
    let mut rng = SplitMix64(request.seed);
    let limit = match request.questions {
        Some(_) => None,
        None => Some(
            request
                .minutes
                .unwrap_or(DEFAULT_MINUTES)
                .saturating_mul(60),
        ),
    };
    let count = request.questions.map_or(usize::MAX, |n| n as usize);
    let (designs, others): (Vec<&Candidate>, Vec<&Candidate>) =
        candidates.iter().partition(|c| c.kind == Kind::Design);
    // With nothing else to ask, design exercises are ordinary questions.
    let (designs, others) = if others.is_empty() {
        (Vec::new(), designs)
    } else {
        (designs, others)
    };
    let Some(shortest) = others.iter().map(|c| budget(c.kind)).min() else {
        return Err(PlanError::NoCandidates);
    };
    let room_for_design = match limit {
        Some(total) => {
            total
                >= budget(Kind::Design)
                    + OTHERS_WITH_DESIGN as u32 * budget(Kind::Question).max(shortest)
        }
        None => count > OTHERS_WITH_DESIGN,
    };
    let design = (room_for_design && !designs.is_empty()).then(|| {
        designs[rng.pick(
            &designs
                .iter()
                .map(|c| weight(&c.weakness))
                .collect::<Vec<_>>(),
        )]
    });
    let mut left = limit.map(|total| total.saturating_sub(design.map_or(0, |d| budget(d.kind))));
    let wanted = count.saturating_sub(usize::from(design.is_some()));
    let one_deck = candidates.windows(2).all(|w| w[0].deck() == w[1].deck());
    let mut drawn: Vec<&Candidate> = Vec::new();
    let mut taken = vec![false; others.len()];
    // Questions per deck so far: a deck drawn from weighs less, so the mock goes across topics.
    let mut per_deck: FxHashMap<&str, usize> = FxHashMap::default();
    let last = design.map(Candidate::deck);
    if let Some(deck) = last {
        per_deck.insert(deck, 1);
    }
    while drawn.len() < wanted {
        // A question may be drawn only if the mock can still be ordered with no two of one
        // deck in a row (a deck may hold one question more than all the others together).
        let mut decks: Vec<&str> = drawn.iter().map(|c| c.deck()).collect();
        let mut allowed: FxHashMap<&str, bool> = FxHashMap::default();
        let pool: Vec<usize> = (0..others.len())
            .filter(|&i| !taken[i] && left.is_none_or(|left| budget(others[i].kind) <= left))
            .filter(|&i| {
                let deck = others[i].deck();
                one_deck
                    || *allowed.entry(deck).or_insert_with(|| {
                        decks.push(deck);
                        let fine = orderable(&decks, None, last);
                        decks.pop();
                        fine
                    })
            })
            .collect();
        if pool.is_empty() {
            break;
        }
        let weights: Vec<f64> = pool
            .iter()
            .map(|&i| {
                let mine = per_deck.get(others[i].deck()).copied().unwrap_or(0);
                weight(&others[i].weakness) / (1 + mine) as f64
            })
            .collect();
        let i = pool[rng.pick(&weights)];
        taken[i] = true;
        *per_deck.entry(others[i].deck()).or_default() += 1;
        if let Some(left) = &mut left {
            *left -= budget(others[i].kind);
        }
        drawn.push(others[i]);
    }
    let mut chosen = arrange(drawn, design.map(Candidate::deck));
    chosen.extend(design);
    if chosen.is_empty() {
        return Err(PlanError::TooShort {
            minutes: request.minutes.unwrap_or(DEFAULT_MINUTES),
            shortest,
        });
    }
    let budgets: Vec<u32> = chosen.iter().map(|c| budget(c.kind)).collect();
    let total: u64 = budgets.iter().map(|&s| u64::from(s)).sum();
    let (minutes, seconds) = match (request.questions, request.minutes) {
        // Both given: the questions share the minutes as their kinds' times share the total.
        (Some(_), Some(minutes)) => {
            let room = u64::from(minutes) * 60;
            let scaled = budgets
                .iter()
                .map(|&s| {
                    u32::try_from(u64::from(s) * room / total.max(1))
                        .unwrap_or(u32::MAX)
                        .max(1)
                })
                .collect();
            (minutes, scaled)
        }
        (Some(_), None) => (
            u32::try_from(total.div_ceil(60)).unwrap_or(u32::MAX),
            budgets,
        ),
        (None, minutes) => (minutes.unwrap_or(DEFAULT_MINUTES), budgets),
    };
    Ok(MockPlan {
        minutes,
        questions: chosen
            .iter()
            .zip(seconds)
            .map(|(c, seconds)| Planned {
                card: c.card,
                kind: c.kind,
                seconds,
            })
            .collect(),
    })
}

/// `drawn` in the order they are asked: the order they were drawn in, except where that would
/// put two of one deck in a row while another order avoids it; the last is not of deck
/// `before_last` (the design exercise's, which follows them) where that can be avoided.
fn arrange<'c, 'a>(
    drawn: Vec<&'c Candidate<'a>>,
    before_last: Option<&str>,
) -> Vec<&'c Candidate<'a>> {
    let mut left = drawn;
    let mut order = Vec::with_capacity(left.len());
    let mut previous: Option<&str> = None;
    while !left.is_empty() {
        let at = (0..left.len())
            .find(|&i| {
                let deck = left[i].deck();
                Some(deck) != previous && {
                    let rest: Vec<&str> = (0..left.len())
                        .filter(|&j| j != i)
                        .map(|j| left[j].deck())
                        .collect();
                    orderable(&rest, Some(deck), before_last)
                }
            })
            .unwrap_or(0);
        let question = left.remove(at);
        previous = Some(question.deck());
        order.push(question);
    }
    order
}

/// Whether questions of `decks` can be ordered with no two of one deck in a row, the first not
/// of deck `first_not` and the last not of deck `last_not`: each deck may have one question
/// more than all the others together, less one for each end it may not take.
fn orderable(decks: &[&str], first_not: Option<&str>, last_not: Option<&str>) -> bool {
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for deck in decks {
        *counts.entry(deck).or_default() += 1;
    }
    counts.iter().all(|(deck, &mine)| {
        let ends = usize::from(first_not == Some(*deck)) + usize::from(last_not == Some(*deck));
        mine + ends <= decks.len() - mine + 1
    })
}

/// SplitMix64: a tiny generator whose output never changes between releases or platforms, so
/// that a seed names the same mock everywhere (`rand`'s generators promise no such stability).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index into `weights`, each drawn in proportion to its weight.
    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut at = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if at < *w {
                return i;
            }
            at -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;
