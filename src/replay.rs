//! How the review logs of any number of devices become one state: the replay order every
//! machine agrees on, and the fold that recomputes each review by SM-2 from the state the entries
//! before it left. Pure: no I/O, no clock.
//!
//! A log line's own `before` and `after` are what its device saw when it was written; once logs
//! from two machines meet, only the replay decides. The order: by moment, a log's moments clamped
//! so that they never go back (a device's entries happened in the order it wrote them, even if
//! its clock was moved back), then by log name, then by place in the log. A review taken back by
//! an undo is left out, and an entry seen twice (the same id, as in a copied log) counts once.

use chrono::{DateTime, FixedOffset};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Action, CardId, CardState, Event, ReviewState};
use crate::sm2;

pub type Moment = DateTime<FixedOffset>;

/// The entries of one log in the order written, after `clamp`: the latest moment of its entries
/// already replayed, if any.
pub struct LogEntries<'a> {
    pub name: &'a str,
    pub clamp: Option<Moment>,
    pub events: Vec<Event>,
}

impl LogEntries<'_> {
    /// The moment each entry counts at in the replay order: its own, or the latest before it in
    /// this log if that is later.
    fn moments(&self) -> impl Iterator<Item = Moment> + '_ {
        let mut latest = self.clamp;
        self.events.iter().map(move |event| {
            let moment = latest.map_or(event.at, |l| l.max(event.at));
            latest = Some(moment);
            moment
        })
    }

    /// The clamp for whatever is appended to this log next.
    pub fn last_moment(&self) -> Option<Moment> {
        self.moments().last().or(self.clamp)
    }
}

/// Where an entry falls in the replay order: the moment it counts at, and its place in `logs`.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub moment: Moment,
    pub log: usize,
    pub index: usize,
}

/// Every entry of `logs` in replay order.
pub fn in_order(logs: &[LogEntries<'_>]) -> Vec<Place> {
    let mut all = Vec::with_capacity(logs.iter().map(|l| l.events.len()).sum());
    for (log, entries) in logs.iter().enumerate() {
        all.extend(entries.moments().enumerate().map(|(index, moment)| Place {
            moment,
            log,
            index,
        }));
    }
    if logs.len() > 1 {
        // Stable: entries of one log at the same moment keep the order they were written in.
        all.sort_by(|a, b| {
            a.moment
                .cmp(&b.moment)
                .then_with(|| logs[a.log].name.cmp(logs[b.log].name))
        });
    }
    all
}

/// An undo that cannot be applied on top of the state: the review it takes back is not the last
/// one applied to its card here. Replaying the logs from the start resolves it.
#[derive(Debug, PartialEq, Eq)]
pub struct NeedsFullReplay;

/// The state, and what is needed to take back the reviews applied one at a time.
#[derive(Debug, Default)]
pub struct Replay {
    pub state: ReviewState,
    /// Per card: the reviews applied with `apply`, newest last, each with the card's state
    /// before it.
    undoable: FxHashMap<CardId, Vec<(String, Option<CardState>)>>,
}

impl Replay {
    pub fn new(state: ReviewState) -> Self {
        Replay {
            state,
            undoable: FxHashMap::default(),
        }
    }

    /// Applies an entry that comes after every entry applied so far in the replay order.
    pub fn apply(&mut self, event: &Event) -> Result<(), NeedsFullReplay> {
        match &event.action {
            Action::UndoReview { undoes, .. } => match self
                .undoable
                .get_mut(&event.card)
                .and_then(|reviews| reviews.pop_if(|review| &review.0 == undoes))
            {
                Some((_, before)) => {
                    match before {
                        Some(state) => self.state.cards.insert(event.card.clone(), state),
                        None => self.state.cards.remove(&event.card),
                    };
                    Ok(())
                }
                _ => Err(NeedsFullReplay),
            },
            _ => {
                if let Some(before) = fold(&mut self.state, event) {
                    self.undoable
                        .entry(event.card.clone())
                        .or_default()
                        .push((event.id.clone(), before.0));
                }
                Ok(())
            }
        }
    }
}

/// Replays whole logs from their first entries: the state they determine, and the places of
/// their distinct entries in replay order. Each review's `before` and `after` are rewritten to
/// what the replay computes (for a review that was taken back, what it would have done).
pub fn replay_all(logs: &mut [LogEntries<'_>]) -> (ReviewState, Vec<Place>) {
    let undone: FxHashSet<String> = logs
        .iter()
        .flat_map(|log| &log.events)
        .filter_map(|e| e.undoes().map(str::to_owned))
        .collect();
    let mut places = in_order(logs);
    if logs.len() > 1 {
        // Only logs from different places can hold the same entry twice. Ids are compared
        // through their hashes first, so that no id is copied.
        let mut seen: FxHashMap<u64, Vec<(usize, usize)>> = FxHashMap::default();
        places.retain(|p| {
            let id = &logs[p.log].events[p.index].id;
            let same = seen.entry(hash(id)).or_default();
            if same.iter().any(|&(l, i)| logs[l].events[i].id == *id) {
                return false;
            }
            same.push((p.log, p.index));
            true
        });
    }
    let mut state = ReviewState::default();
    for place in &places {
        let event = &mut logs[place.log].events[place.index];
        let recomputed = if undone.contains(&event.id) {
            // Taken back: the day still counts as one with answers, as it did when it was made.
            let mut scratch = ReviewState::default();
            if let Some(before) = state.cards.get(&event.card) {
                scratch.cards.insert(event.card.clone(), *before);
            }
            state.active_days.insert(event.day);
            fold(&mut scratch, event)
        } else if event.undoes().is_some() {
            None
        } else {
            fold(&mut state, event)
        };
        if let (Action::Review { before, after, .. }, Some((b, a))) =
            (&mut event.action, recomputed)
        {
            *before = b;
            *after = a;
        }
    }
    (state, places)
}

fn hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Folds one entry that is not an undo into `state`; for a review, returns the card's state
/// before and after it.
fn fold(state: &mut ReviewState, event: &Event) -> Option<(Option<CardState>, CardState)> {
    let card = &event.card;
    match &event.action {
        Action::Review { answer, .. } => {
            let before = state.cards.get(card).copied();
            let after = sm2::review(before.as_ref(), answer.grade, event.day);
            state.cards.insert(card.clone(), after);
            state.active_days.insert(event.day);
            return Some((before, after));
        }
        Action::Practice { .. } => {
            state.active_days.insert(event.day);
        }
        Action::Suspend => {
            state.suspended.insert(card.clone());
        }
        Action::Unsuspend => {
            state.suspended.remove(card);
        }
        Action::UndoReview { .. } | Action::UndoPractice { .. } => {}
    }
    None
}

/// Every distinct entry of `logs` in replay order, with the index of its log, each review with
/// the `before` and `after` the replay computes: the history as this machine sees it.
pub fn history(mut logs: Vec<LogEntries<'_>>) -> Vec<(usize, Event)> {
    let (_, places) = replay_all(&mut logs);
    let mut slots: Vec<Vec<Option<Event>>> = logs
        .into_iter()
        .map(|log| log.events.into_iter().map(Some).collect())
        .collect();
    places
        .into_iter()
        .filter_map(|place| Some((place.log, slots[place.log][place.index].take()?)))
        .collect()
}

#[cfg(test)]
#[path = "replay_tests.rs"]
mod tests;
