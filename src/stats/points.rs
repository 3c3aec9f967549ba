//! `hone points`: the key points missed most, counted over the answers whose points were
//! checked. A point is matched by its key, so its counts follow it when the card's points are
//! reordered, and a reworded point starts again from nothing.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Card, CardId, Event};
use crate::points::PointKey;

/// One of a card's current key points, and how it fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointTally<'a> {
    pub card: &'a CardId,
    /// 1-based, in the card's points now.
    pub position: usize,
    pub point: &'a str,
    /// Answers that checked this point and left it out.
    pub missed: u32,
    /// Answers that checked this point.
    pub reviews: u32,
}

/// The points of `cards` missed at least once, most missed first (then the larger share of
/// misses, then catalog order).
pub fn missed_points<'a>(cards: &[&'a Card], log: &[Event]) -> Vec<PointTally<'a>> {
    let with_points: FxHashSet<&CardId> = cards
        .iter()
        .filter(|c| !c.points.is_empty())
        .map(|c| &c.id)
        .collect();
    let mut tallies: FxHashMap<(&CardId, PointKey), (u32, u32)> = FxHashMap::default();
    for event in super::kept_answers(log, &with_points) {
        let Some(coverage) = event.graded().and_then(|g| g.coverage.as_ref()) else {
            continue;
        };
        for (i, key) in coverage.points.iter().enumerate() {
            let (missed, reviews) = tallies.entry((&event.card, *key)).or_default();
            *reviews += 1;
            if !coverage.covers(i + 1) {
                *missed += 1;
            }
        }
    }
    let mut out: Vec<(usize, PointTally)> = Vec::new();
    for (order, card) in cards.iter().enumerate() {
        for (i, point) in card.points.iter().enumerate() {
            if let Some(&(missed, reviews)) = tallies.get(&(&card.id, PointKey::of(point)))
                && missed > 0
            {
                out.push((
                    order,
                    PointTally {
                        card: &card.id,
                        position: i + 1,
                        point,
                        missed,
                        reviews,
                    },
                ));
            }
        }
    }
    out.sort_by(|(order_a, a), (order_b, b)| {
        b.missed
            .cmp(&a.missed)
            // The larger share of misses: b.missed / b.reviews against a.missed / a.reviews.
            .then(
                (u64::from(b.missed) * u64::from(a.reviews))
                    .cmp(&(u64::from(a.missed) * u64::from(b.reviews))),
            )
            .then(order_a.cmp(order_b))
            .then(a.position.cmp(&b.position))
    });
    out.into_iter().map(|(_, tally)| tally).collect()
}

/// How many kept answers of `cards` had their points checked.
pub fn checked_answers(cards: &[&Card], log: &[Event]) -> usize {
    let ids: FxHashSet<&CardId> = cards.iter().map(|c| &c.id).collect();
    super::kept_answers(log, &ids)
        .filter(|e| e.graded().is_some_and(|g| g.coverage.is_some()))
        .count()
}
