//! How the review logs of any number of devices become one state: the replay order every
//! machine agrees on, and the one fold that recomputes each review (SM-2's step, the memory
//! state, and the interval of the scheduler in use: `memory::Model`) from the state the entries
//! before it left. Pure: no I/O, no clock.
//!
//! A log line's own `before` and `after` are what its device saw when it was written; once logs
//! from two machines meet, only the replay decides. The order: by stamp (a hybrid logical clock
//! reading, so that an entry comes after everything its writer had seen; a version-1 entry
//! counts at its moment), a log's stamps clamped so they never go back, then by log name, then
//! by place in the log. An entry seen twice (the same id, as in a copied log) counts once; the
//! same id with different content is a conflict. Retracted entries count as never written, a
//! review taken back by an undo is left out, and a card is scheduled at most once a study day:
//! a later review that day counts as practice.
//!
//! [`Replay::apply`] adds entries on top of a state one at a time. It is only a faster way to
//! reach what [`replay_all`] computes from the start, and refuses (`NeedsFullReplay`) whatever
//! it could not apply with the same result.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::memory::Model;
use crate::model::{Action, CardId, CardState, Event, ReviewKind, ReviewState, Stamp};
use crate::{answer, sm2};

/// What the replay order needs of an entry, in any log folded this way (review logs, and the
/// curriculum logs of `crate::curriculum`).
pub trait Entry {
    fn id(&self) -> &str;
    /// The stamp it was written with; `None` for an entry of a log older than stamps.
    fn stamp(&self) -> Option<Stamp>;
    /// For an entry without a stamp, the one that stands for it: its moment.
    fn moment_stamp(&self) -> Stamp {
        Stamp::default()
    }
    /// The ids of the entries it retracts.
    fn retracts(&self) -> &[String];
    /// Whether two entries with one id say the same thing.
    fn same_as(&self, other: &Self) -> bool;
}

impl Entry for Event {
    fn id(&self) -> &str {
        &self.id
    }

    fn stamp(&self) -> Option<Stamp> {
        self.stamp
    }

    fn moment_stamp(&self) -> Stamp {
        Stamp {
            millis: self.at.timestamp_millis().max(0),
            counter: 0,
        }
    }

    fn retracts(&self) -> &[String] {
        Event::retracts(self)
    }

    fn same_as(&self, other: &Self) -> bool {
        same_entry(self, other)
    }
}

/// The entries of one log in the order written, after `clamp`: the stamp of its entries
/// already replayed, if any.
pub struct LogEntries<'a, E = Event> {
    pub name: &'a str,
    pub clamp: Option<Stamp>,
    pub events: Vec<E>,
}

/// An entry's own stamp: the one it was written with, or, for a version-1 entry, its moment.
pub fn own_stamp(event: &Event) -> Stamp {
    event.stamp.unwrap_or_else(|| event.moment_stamp())
}

impl<E: Entry> LogEntries<'_, E> {
    /// The stamp each entry counts at in the replay order. A stamped entry counts at its
    /// stamp, wherever it stands (an entry put back by a restore keeps its old place). An entry
    /// from before stamps counts at its moment, or at the latest stamp before it in this log if
    /// that is later: a device's entries happened in the order it wrote them, even if its clock
    /// was moved back.
    pub fn stamps(&self) -> impl Iterator<Item = Stamp> + '_ {
        let mut latest = self.clamp;
        self.events.iter().map(move |event| {
            let stamp = match event.stamp() {
                Some(stamp) => stamp,
                None => latest.map_or(event.moment_stamp(), |l| l.max(event.moment_stamp())),
            };
            latest = Some(latest.map_or(stamp, |l| l.max(stamp)));
            stamp
        })
    }

    /// The clamp for whatever is appended to this log next: the latest stamp in it.
    pub fn last_stamp(&self) -> Option<Stamp> {
        self.stamps()
            .fold(self.clamp, |latest, s| Some(latest.map_or(s, |l| l.max(s))))
    }
}

/// Where an entry falls in the replay order: the stamp it counts at, and its place in `logs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub stamp: Stamp,
    pub log: usize,
    pub index: usize,
}

/// Every entry of `logs` in replay order, copies included.
pub fn in_order<E: Entry>(logs: &[LogEntries<'_, E>]) -> Vec<Place> {
    let mut all = Vec::with_capacity(logs.iter().map(|l| l.events.len()).sum());
    for (log, entries) in logs.iter().enumerate() {
        all.extend(
            entries
                .stamps()
                .enumerate()
                .map(|(index, stamp)| Place { stamp, log, index }),
        );
    }
    if logs.len() > 1 {
        // Stable: entries of one log with the same stamp keep the order they were written in.
        all.sort_by(|a, b| {
            a.stamp
                .cmp(&b.stamp)
                .then_with(|| logs[a.log].name.cmp(logs[b.log].name))
        });
    }
    all
}

/// Two entries with one id that say different things: a log edited or forged, not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub id: String,
    pub first: Place,
    pub second: Place,
}

/// Whether two entries with one id say the same thing. The `before`/`after` a device recorded
/// are only what it saw then (an exported history carries the replay's); they do not count.
pub fn same_entry(a: &Event, b: &Event) -> bool {
    fn essence(event: &Event) -> Event {
        let mut event = event.clone();
        match &mut event.action {
            Action::Review { before, after, .. } => {
                *before = None;
                *after = sm2::review(None, crate::model::Grade::PASS, event.day, 1);
            }
            Action::UndoReview { restored, .. } => *restored = None,
            _ => {}
        }
        event
    }
    a.id == b.id && essence(a) == essence(b)
}

/// Every distinct entry of `logs` in replay order: a copy of an entry already placed is left
/// out; the same id with different content is a [`Conflict`].
pub fn distinct_in_order<E: Entry>(logs: &[LogEntries<'_, E>]) -> Result<Vec<Place>, Conflict> {
    let mut places = in_order(logs);
    if logs.len() < 2 && logs.iter().all(|l| l.events.len() < 2) {
        return Ok(places);
    }
    // Ids are compared through their hashes first, so that no id is copied: the first entry
    // with each hash, and the rare later ones with the same hash and another id.
    let mut seen: FxHashMap<u64, Place> = FxHashMap::default();
    seen.reserve(places.len());
    let mut collided: FxHashMap<u64, Vec<Place>> = FxHashMap::default();
    let mut conflict = None;
    places.retain(|p| {
        let event = &logs[p.log].events[p.index];
        let hash = crate::model::stable_hash(event.id().as_bytes());
        let first = match seen.entry(hash) {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(*p);
                return true;
            }
            std::collections::hash_map::Entry::Occupied(first) => *first.get(),
        };
        let same = std::iter::once(&first)
            .chain(collided.get(&hash).into_iter().flatten())
            .find(|q| logs[q.log].events[q.index].id() == event.id());
        if let Some(first) = same {
            if conflict.is_none() && !logs[first.log].events[first.index].same_as(event) {
                conflict = Some(Conflict {
                    id: event.id().to_owned(),
                    first: *first,
                    second: *p,
                });
            }
            return false;
        }
        collided.entry(hash).or_default().push(*p);
        true
    });
    match conflict {
        Some(conflict) => Err(conflict),
        None => Ok(places),
    }
}

/// The ids that count as never written: those a retraction names, unless that retraction is
/// itself retracted. A retraction only reaches entries before it, so one pass from the end
/// settles every chain.
pub fn retracted<E: Entry>(logs: &[LogEntries<'_, E>], places: &[Place]) -> FxHashSet<String> {
    let mut void: FxHashSet<String> = FxHashSet::default();
    for place in places.iter().rev() {
        let event = &logs[place.log].events[place.index];
        if !void.contains(event.id()) {
            void.extend(event.retracts().iter().cloned());
        }
    }
    void
}

/// An entry that cannot be applied on top of the state with the result a replay from the start
/// would give: replay the logs from the start.
#[derive(Debug, PartialEq, Eq)]
pub struct NeedsFullReplay;

/// A review applied one at a time, as an undo on top would take it back.
#[derive(Debug, Clone)]
struct Applied {
    id: String,
    /// The card's state before it; `None` for a review that counted as practice.
    before: Option<Option<CardState>>,
}

/// The state, and what is needed to apply later entries on top of it.
#[derive(Debug, Default)]
pub struct Replay {
    pub state: ReviewState,
    /// The stamp of the latest entry applied: anything new must come after it.
    pub latest: Option<Stamp>,
    /// Per card: the reviews applied with `apply`, newest last.
    undoable: FxHashMap<CardId, Vec<Applied>>,
    /// Per card suspended as a leech by `apply`: the review that made it one.
    leech_cause: FxHashMap<CardId, String>,
    /// What reviews are folded with.
    pub model: Model,
}

impl Replay {
    pub fn new(state: ReviewState, latest: Option<Stamp>, model: Model) -> Self {
        Replay {
            state,
            latest,
            model,
            ..Replay::default()
        }
    }

    /// Applies an entry that counts at `stamp`, after every entry applied so far.
    pub fn apply(&mut self, event: &Event, stamp: Stamp) -> Result<(), NeedsFullReplay> {
        if self.latest.is_some_and(|latest| stamp <= latest) {
            // At the very stamp of one applied: perhaps a copy of it, which only a replay from
            // the start counts once.
            return Err(NeedsFullReplay);
        }
        let card = &event.card;
        match &event.action {
            Action::UndoReview { undoes, .. } => {
                let applied = self
                    .undoable
                    .get_mut(card)
                    .and_then(|reviews| reviews.pop_if(|review| &review.id == undoes))
                    .ok_or(NeedsFullReplay)?;
                match applied.before {
                    Some(Some(before)) => {
                        self.state.cards.insert(card.clone(), before);
                    }
                    Some(None) => {
                        self.state.cards.remove(card);
                    }
                    None => {}
                }
                if self.leech_cause.get(card) == Some(undoes) {
                    self.leech_cause.remove(card);
                    self.state.suspended.remove(card);
                }
            }
            Action::Retract { .. } => return Err(NeedsFullReplay),
            Action::Suspend { cause } => {
                self.state.suspended.insert(card.clone());
                match cause {
                    Some(review) => self.leech_cause.insert(card.clone(), review.clone()),
                    None => self.leech_cause.remove(card),
                };
            }
            Action::Unsuspend => {
                self.state.suspended.remove(card);
                self.leech_cause.remove(card);
            }
            _ => {
                if let Some(folded) = fold(&mut self.state, event, &self.model) {
                    let before = match folded {
                        Folded::Scheduled { before, .. } => Some(before),
                        Folded::Practice => None,
                    };
                    self.undoable
                        .entry(card.clone())
                        .or_default()
                        .push(Applied {
                            id: event.id.clone(),
                            before,
                        });
                }
            }
        }
        self.latest = Some(stamp);
        Ok(())
    }
}

#[cfg(test)]
impl Replay {
    /// Applies an entry as the next one a device writes, stamped after everything applied.
    pub fn push(&mut self, event: &Event) -> Result<(), NeedsFullReplay> {
        let stamp = self
            .latest
            .unwrap_or_default()
            .next(event.at.timestamp_millis());
        self.apply(event, stamp)
    }
}

/// What a review came to in the fold.
#[derive(Debug, Clone, Copy)]
enum Folded {
    /// An SM-2 step from `before` to `after`.
    Scheduled {
        before: Option<CardState>,
        after: CardState,
    },
    /// The card had had its scheduled review that study day: practice, the state unchanged.
    Practice,
}

/// Folds one entry that is not an undo, a retraction or a suspension into `state`; for a
/// review, returns what it came to.
fn fold(state: &mut ReviewState, event: &Event, model: &Model) -> Option<Folded> {
    let card = &event.card;
    match &event.action {
        Action::Review {
            answer,
            max_interval,
            ..
        } => {
            state.active_days.insert(event.day);
            let before = state.cards.get(card).copied();
            if answer::kind_on(event.day, before.as_ref(), ReviewKind::Scheduled)
                == ReviewKind::Practice
            {
                return Some(Folded::Practice);
            }
            let after = model.review(before.as_ref(), answer.grade, event.day, *max_interval);
            state.cards.insert(card.clone(), after);
            Some(Folded::Scheduled { before, after })
        }
        Action::Practice { .. } => {
            state.active_days.insert(event.day);
            None
        }
        Action::Suspend { .. } => {
            state.suspended.insert(card.clone());
            None
        }
        Action::Unsuspend => {
            state.suspended.remove(card);
            None
        }
        Action::UndoReview { .. } | Action::UndoPractice { .. } | Action::Retract { .. } => None,
    }
}

/// The result of replaying whole logs.
pub struct Replayed {
    pub state: ReviewState,
    /// The stamp of the latest entry.
    pub latest: Option<Stamp>,
    /// The distinct entries that count, in replay order.
    pub places: Vec<Place>,
}

/// Replays whole logs from their first entries. Each review's `before` and `after` are
/// rewritten to what the replay computes (for a review taken back, what it would have done);
/// a review that counted as practice becomes a practice entry.
pub fn replay_all(logs: &mut [LogEntries<'_>], model: &Model) -> Result<Replayed, Conflict> {
    let mut places = distinct_in_order(logs)?;
    let latest = places.iter().map(|p| p.stamp).max();
    let void = retracted(logs, &places);
    places.retain(|p| !void.contains(&logs[p.log].events[p.index].id));
    let live = |p: &Place| &logs[p.log].events[p.index];
    let undone: FxHashSet<String> = places
        .iter()
        .filter_map(|p| live(p).undoes().map(str::to_owned))
        .collect();
    let mut state = ReviewState::default();
    for place in &places {
        let event = &mut logs[place.log].events[place.index];
        let folded = match &event.action {
            Action::Review { .. } if undone.contains(&event.id) => {
                // Taken back: the day still counts as one with answers, as it did when made.
                let mut scratch = ReviewState::default();
                if let Some(before) = state.cards.get(&event.card) {
                    scratch.cards.insert(event.card.clone(), *before);
                }
                state.active_days.insert(event.day);
                fold(&mut scratch, event, model)
            }
            Action::Suspend {
                cause: Some(review),
            } if undone.contains(review) => None,
            Action::UndoReview { .. } | Action::UndoPractice { .. } => None,
            _ => fold(&mut state, event, model),
        };
        match (&mut event.action, folded) {
            (
                Action::Review { before, after, .. },
                Some(Folded::Scheduled {
                    before: b,
                    after: a,
                }),
            ) => {
                *before = b;
                *after = a;
            }
            (Action::Review { answer, .. }, Some(Folded::Practice)) => {
                event.action = Action::Practice {
                    answer: answer.clone(),
                };
            }
            _ => {}
        }
    }
    Ok(Replayed {
        state,
        latest,
        places,
    })
}

/// Every entry of `logs` that counts, in replay order, with the index of its log, as the
/// replay sees it: reviews with the `before` and `after` it computes, those that counted as
/// practice as practice. The history as this machine sees it.
pub fn history(
    mut logs: Vec<LogEntries<'_>>,
    model: &Model,
) -> Result<Vec<(usize, Event)>, Conflict> {
    let places = replay_all(&mut logs, model)?.places;
    Ok(take_in_order(logs, &places))
}

/// Moves the entries at `places` out of `logs`, in that order.
pub fn take_in_order<E>(logs: Vec<LogEntries<'_, E>>, places: &[Place]) -> Vec<(usize, E)> {
    let mut slots: Vec<Vec<Option<E>>> = logs
        .into_iter()
        .map(|log| log.events.into_iter().map(Some).collect())
        .collect();
    places
        .iter()
        .filter_map(|place| Some((place.log, slots[place.log][place.index].take()?)))
        .collect()
}

#[cfg(test)]
#[path = "replay_tests.rs"]
mod tests;
