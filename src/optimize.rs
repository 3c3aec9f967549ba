//! `hone optimize`: FSRS parameters fitted to the learner's own history by the `fsrs` crate,
//! and how well each model predicts that history: SM-2, FSRS with its default parameters, and
//! FSRS with parameters fitted on the earlier reviews, each judged on the later ones it was not
//! fitted on. Pure: the history comes in, parameters and figures go out; no I/O, no clock.
//!
//! Every scheduled review of a card seen before is one prediction: the probability of recalling
//! it, given the card's earlier reviews and the days since the last, against whether it was
//! recalled (graded 3 or more). SM-2 predicts no probability; as srs-benchmark does, hone reads
//! its interval I as the day recall falls to 90%: R = 0.9^(t / I) after t days, where I is the
//! interval SM-2 gave at the card's previous review (SM-2's own, whichever scheduler ran).

use std::collections::{BTreeSet, HashMap};

use crate::memory::{self, Model, Scheduler};
use crate::model::{Action, CardId, CardState, Event, Grade, StudyDay};
use crate::sm2;

/// Reviews the fit needs: 64 to fit on, the `fsrs` crate's threshold for fitting more than the
/// first-review stabilities, and a fifth more held out to judge the fit on.
pub const MIN_REVIEWS: usize = FIT_MIN + FIT_MIN.div_ceil(HELD_OUT_PART - 1);
/// The reviews the crate needs to fit every parameter.
const FIT_MIN: usize = 64;
/// One review in this many, the latest, is held out of the fit the figures come from.
const HELD_OUT_PART: usize = 5;
/// Predictions are kept this far from 0 and 1, so one confident miss cannot make the log loss
/// infinite.
const CLAMP: f64 = 1e-4;

/// One prediction to make: a card's scheduled reviews up to and including the one predicted.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// (FSRS rating, days since the previous review), the first with 0.
    pub reviews: Vec<(u32, u32)>,
    /// The interval SM-2 had given at the previous review.
    pub sm2_interval: u32,
}

impl Item {
    fn recalled(&self) -> bool {
        self.reviews.last().is_some_and(|(rating, _)| *rating > 1)
    }

    fn elapsed(&self) -> u32 {
        self.reviews.last().map_or(0, |(_, days)| *days)
    }

    fn fsrs(&self) -> fsrs::FSRSItem {
        fsrs::FSRSItem {
            reviews: self
                .reviews
                .iter()
                .map(|&(rating, delta_t)| fsrs::FSRSReview { rating, delta_t })
                .collect(),
        }
    }
}

/// A card's scheduled reviews so far (rating, day) and its SM-2 state after them.
type Reviewed = (Vec<(u32, StudyDay)>, CardState);

/// Every prediction a history holds, in the order of the review predicted (the replay's),
/// with the card each is of. Undone reviews and practice do not count.
pub fn items(history: &[Event]) -> Vec<(CardId, Item)> {
    let undone: BTreeSet<&str> = history.iter().filter_map(Event::undoes).collect();
    let mut cards: HashMap<&CardId, Reviewed> = HashMap::new();
    let mut items = Vec::new();
    for event in history {
        let Action::Review { answer, .. } = &event.action else {
            continue;
        };
        if undone.contains(event.id.as_str()) {
            continue;
        }
        let rating = memory::rating(answer.grade);
        match cards.get_mut(&event.card) {
            None => {
                let state = sm2::review(None, answer.grade, event.day, sm2::MAX_INTERVAL);
                cards.insert(&event.card, (vec![(rating, event.day)], state));
            }
            Some((reviews, state)) => {
                let mut item_reviews = Vec::with_capacity(reviews.len() + 1);
                let mut last: Option<StudyDay> = None;
                for &(r, day) in reviews.iter().chain(std::iter::once(&(rating, event.day))) {
                    let delta = last.map_or(0, |l| memory::elapsed(l, day));
                    item_reviews.push((r, delta));
                    last = Some(day);
                }
                items.push((
                    event.card.clone(),
                    Item {
                        reviews: item_reviews,
                        sm2_interval: state.interval_days.max(1),
                    },
                ));
                *state = sm2::review(Some(state), answer.grade, event.day, sm2::MAX_INTERVAL);
                reviews.push((rating, event.day));
            }
        }
    }
    items
}

/// How well a model predicts: log loss (lower is better) and the RMSE of recall over bins of
/// similar reviews, as srs-benchmark and the `fsrs` crate bin them (by interval, number of
/// reviews and lapses; weighted by bin size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub log_loss: f64,
    pub rmse: f64,
}

/// What `hone optimize` finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimized {
    /// The reviews of cards seen before: the predictions the parameters are fitted on.
    pub reviews: usize,
    /// The latest reviews, held out of the fit the figures come from.
    pub held_out: usize,
    /// Fitted on every review.
    pub parameters: Vec<f32>,
    pub sm2: Metrics,
    pub fsrs_default: Metrics,
    pub fsrs_optimized: Metrics,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    #[error(
        "hone optimize needs at least {needed} reviews of cards seen before ({fit} to fit on, the last fifth held out to measure the fit against); the history has {have}: {more} more to go",
        needed = MIN_REVIEWS,
        fit = FIT_MIN,
        more = MIN_REVIEWS - .have
    )]
    TooFew { have: usize },
    #[error("the fsrs crate could not fit parameters to this history: {0}")]
    Fit(String),
}

/// Fits FSRS parameters to `items` (in time order) and measures the three models on the last
/// fifth, with parameters fitted on the rest.
pub fn optimize(items: &[(CardId, Item)]) -> Result<Optimized, OptimizeError> {
    if items.len() < MIN_REVIEWS {
        return Err(OptimizeError::TooFew { have: items.len() });
    }
    let held_out = items.len() / HELD_OUT_PART;
    let (earlier, later) = items.split_at(items.len() - held_out);
    let fitted_earlier = fit(earlier)?;
    let parameters = fit(items)?;
    let default = Model::default();
    let optimized = Model::new(Scheduler::Fsrs, memory::DEFAULT_RETENTION, &fitted_earlier)
        .map_err(|e| OptimizeError::Fit(e.to_string()))?;
    let later: Vec<&Item> = later.iter().map(|(_, item)| item).collect();
    Ok(Optimized {
        reviews: items.len(),
        held_out,
        parameters,
        sm2: measure(&later, sm2_prediction),
        fsrs_default: measure(&later, |item| fsrs_prediction(&default, item)),
        fsrs_optimized: measure(&later, |item| fsrs_prediction(&optimized, item)),
    })
}

/// Parameters fitted to `items` by the `fsrs` crate.
fn fit(items: &[(CardId, Item)]) -> Result<Vec<f32>, OptimizeError> {
    let mut ids: HashMap<&CardId, i64> = HashMap::new();
    let card_ids = items
        .iter()
        .map(|(card, _)| {
            let next = ids.len() as i64;
            *ids.entry(card).or_insert(next)
        })
        .collect();
    let input = fsrs::ComputeParametersInput {
        train_set: items.iter().map(|(_, item)| item.fsrs()).collect(),
        card_ids: Some(card_ids),
        ..Default::default()
    };
    fsrs::compute_parameters(input).map_err(|e| OptimizeError::Fit(format!("{e:?}")))
}

/// SM-2's prediction: its interval read as the day recall falls to 90%.
pub fn sm2_prediction(item: &Item) -> f64 {
    0.9f64.powf(f64::from(item.elapsed()) / f64::from(item.sm2_interval.max(1)))
}

/// FSRS's prediction with `model`'s parameters: R after the card's earlier reviews.
pub fn fsrs_prediction(model: &Model, item: &Item) -> f64 {
    let mut memory = None;
    let mut day = StudyDay::from_date(chrono::NaiveDate::MIN);
    let count = item.reviews.len().saturating_sub(1);
    for &(rating, delta) in &item.reviews[..count] {
        day = day.plus(delta);
        memory = Some((model.step(memory, grade_of(rating), day), day));
    }
    match memory {
        Some((m, _)) => f64::from(model.retrievability(m, item.elapsed() as f32)),
        None => 0.5,
    }
}

/// A hone grade standing for an FSRS rating.
fn grade_of(rating: u32) -> Grade {
    let value = match rating {
        1 => 1,
        2 => 3,
        3 => 4,
        _ => 5,
    };
    Grade::new(value).unwrap_or(Grade::GOOD)
}

/// Log loss and binned RMSE of `predict` on `items`.
pub fn measure(items: &[&Item], predict: impl Fn(&Item) -> f64) -> Metrics {
    let mut loss = 0.0;
    let mut bins: HashMap<(u32, u32, u32), (f64, f64, f64)> = HashMap::new();
    for item in items {
        let p = predict(item).clamp(CLAMP, 1.0 - CLAMP);
        let y = if item.recalled() { 1.0 } else { 0.0 };
        loss -= y * p.ln() + (1.0 - y) * (1.0 - p).ln();
        let bin = bins.entry(bin_of(item)).or_default();
        bin.0 += p;
        bin.1 += y;
        bin.2 += 1.0;
    }
    let n = items.len().max(1) as f64;
    let mut bins: Vec<(f64, f64, f64)> = bins.into_values().collect();
    // Summed in one order, so the figure is the same on every run.
    bins.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.total_cmp(&b.2))
    });
    let squares: f64 = bins
        .iter()
        .map(|(p, y, count)| (p / count - y / count).powi(2) * count)
        .sum();
    Metrics {
        log_loss: loss / n,
        rmse: (squares / n).sqrt(),
    }
}

/// The bin srs-benchmark puts a review in: its interval, the card's number of reviews and its
/// lapses, each on a logarithmic scale.
fn bin_of(item: &Item) -> (u32, u32, u32) {
    let delta = f64::from(item.elapsed());
    let delta_bin = (2.48 * 3.62f64.powf(delta.log(3.62).floor()) * 100.0).round() as u32;
    let long_term = item.reviews.iter().filter(|(_, d)| *d > 0).count() as f64;
    let length = long_term + 1.0;
    let length_bin = (1.99 * 1.89f64.powf(length.log(1.89).floor())).round() as u32;
    let count = item.reviews.len().saturating_sub(1);
    let lapses = item.reviews[..count]
        .iter()
        .filter(|(rating, d)| *rating == 1 && *d > 0)
        .count();
    if lapses == 0 {
        return (delta_bin, length_bin, 0);
    }
    let lapse_bin = (1.65 * 1.73f64.powf((lapses as f64).log(1.73).floor())).round() as u32;
    (delta_bin, length_bin, lapse_bin)
}

#[cfg(test)]
#[path = "optimize_tests.rs"]
mod tests;
