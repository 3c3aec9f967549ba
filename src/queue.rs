//! Which cards to review today and in what order, within the daily limits. Pure: the day, the
//! cards and their states are arguments.
//!
//! Order: due reviews, most overdue first (ties in catalog order), then new cards in catalog
//! order. Suspended cards never appear. The same inputs always give the same queue.

use crate::model::{Card, CardState, ReviewState, StudyDay};
use crate::plan::{self, Plan};

/// How many cards a study day may bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub new_per_day: u32,
    pub reviews_per_day: u32,
}

/// What has already been done on a study day, which counts against its limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoneToday {
    /// Cards first reviewed that day.
    pub new: u32,
    /// Cards reviewed that day that had been reviewed before it.
    pub reviews: u32,
}

/// Counts what was done on `day`, from every card's state.
pub fn done_on<'a>(states: impl IntoIterator<Item = &'a CardState>, day: StudyDay) -> DoneToday {
    let mut done = DoneToday::default();
    for state in states {
        if state.first_reviewed == day {
            done.new += 1;
        } else if state.last_reviewed == day {
            done.reviews += 1;
        }
    }
    done
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<'a> {
    /// A card never reviewed.
    New(&'a Card),
    /// A card whose due day (`due`, brought forward by an interview plan if one is active) has
    /// come.
    Review(&'a Card, &'a CardState, StudyDay),
}

impl<'a> Entry<'a> {
    pub fn card(&self) -> &'a Card {
        match self {
            Entry::New(card) | Entry::Review(card, ..) => card,
        }
    }

    pub fn state(&self) -> Option<&'a CardState> {
        match self {
            Entry::New(_) => None,
            Entry::Review(_, state, _) => Some(state),
        }
    }
}

/// The cards due on `today` among `cards` (in catalog order), within what is left of `limits`.
/// An active interview `plan` brings due days forward (see `plan`).
pub fn due<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    state: &'a ReviewState,
    today: StudyDay,
    limits: Limits,
    done: DoneToday,
    plan: Option<&Plan>,
) -> Vec<Entry<'a>> {
    let new_left = limits.new_per_day.saturating_sub(done.new) as usize;
    let reviews_left = limits.reviews_per_day.saturating_sub(done.reviews) as usize;
    let mut reviews = Vec::new();
    let mut new = Vec::new();
    for card in cards
        .into_iter()
        .filter(|c| !state.suspended.contains(&c.id))
    {
        match state.cards.get(&card.id) {
            Some(s) => {
                let due = plan::due_day(plan, today, &card.id, s);
                if due <= today {
                    reviews.push(Entry::Review(card, s, due));
                }
            }
            None if new.len() < new_left => new.push(Entry::New(card)),
            None => {}
        }
    }
    // A stable sort keeps catalog order among cards due on the same day.
    reviews.sort_by_key(|entry| match entry {
        Entry::Review(_, _, due) => *due,
        Entry::New(_) => today,
    });
    reviews.truncate(reviews_left);
    reviews.extend(new);
    reviews
}

/// Every card among `cards` for cramming, due or not: reviewed cards by due day (soonest
/// first), then new cards in catalog order. Suspended cards stay out.
pub fn cram<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    state: &'a ReviewState,
) -> Vec<Entry<'a>> {
    let mut reviewed = Vec::new();
    let mut new = Vec::new();
    for card in cards
        .into_iter()
        .filter(|c| !state.suspended.contains(&c.id))
    {
        match state.cards.get(&card.id) {
            Some(s) => reviewed.push(Entry::Review(card, s, s.due)),
            None => new.push(Entry::New(card)),
        }
    }
    reviewed.sort_by_key(|entry| entry.state().map(|s| s.due));
    reviewed.extend(new);
    reviewed
}

/// The earliest due day after `today` among `cards`, for "nothing due until ...".
pub fn next_due_after<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    state: &ReviewState,
    today: StudyDay,
    plan: Option<&Plan>,
) -> Option<StudyDay> {
    cards
        .into_iter()
        .filter(|card| !state.suspended.contains(&card.id))
        .filter_map(|card| {
            Some(plan::due_day(
                plan,
                today,
                &card.id,
                state.cards.get(&card.id)?,
            ))
        })
        .filter(|due| *due > today)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CardKind;

    fn card(id: &str) -> Card {
        Card {
            id: id.parse().unwrap(),
            kind: CardKind::Question,
            front: "f".into(),
            back: "b".into(),
            points: vec![],
            tags: vec![],
            retired: false,
        }
    }

    fn day(s: &str) -> StudyDay {
        s.parse().unwrap()
    }

    fn reviewed(due: &str) -> CardState {
        CardState {
            repetitions: 2,
            ease: 2.5,
            interval_days: 6,
            due: day(due),
            reviews: 2,
            lapses: 0,
            first_reviewed: day("2026-01-01"),
            last_reviewed: day("2026-01-02"),
        }
    }

    fn state(cards: &[(&str, &str)]) -> ReviewState {
        let mut state = ReviewState::default();
        for (id, due) in cards {
            state.cards.insert(id.parse().unwrap(), reviewed(due));
        }
        state
    }

    const LIMITS: Limits = Limits {
        new_per_day: 2,
        reviews_per_day: 10,
    };
    const TODAY: &str = "2026-03-10";

    fn ids(entries: &[Entry]) -> Vec<String> {
        entries.iter().map(|e| e.card().id.to_string()).collect()
    }

    #[test]
    fn most_overdue_reviews_first_then_new_cards_in_catalog_order() {
        let cards = ["d/a", "d/b", "d/c", "d/n1", "d/n2", "d/n3", "d/later"].map(card);
        let state = state(&[
            ("d/a", "2026-03-09"),
            ("d/b", "2026-03-01"),
            ("d/c", "2026-03-09"),
            ("d/later", "2026-03-11"),
        ]);
        let queue = due(
            &cards,
            &state,
            day(TODAY),
            LIMITS,
            DoneToday::default(),
            None,
        );
        assert_eq!(ids(&queue), ["d/b", "d/a", "d/c", "d/n1", "d/n2"]);
        assert!(matches!(queue[3], Entry::New(_)));
    }

    #[test]
    fn limits_count_what_was_done_today() {
        let cards = ["d/r1", "d/r2", "d/n1", "d/n2"].map(card);
        let state = state(&[("d/r1", "2026-03-01"), ("d/r2", "2026-03-02")]);
        let done = DoneToday { new: 1, reviews: 9 };
        assert_eq!(
            ids(&due(&cards, &state, day(TODAY), LIMITS, done, None)),
            ["d/r1", "d/n1"]
        );
        let done = DoneToday {
            new: 5,
            reviews: 50,
        };
        assert!(due(&cards, &state, day(TODAY), LIMITS, done, None).is_empty());
    }

    #[test]
    fn suspended_cards_never_come_up() {
        let cards = ["d/r1", "d/n1", "d/n2"].map(card);
        let mut state = state(&[("d/r1", "2026-03-01")]);
        state.suspended.insert("d/r1".parse().unwrap());
        state.suspended.insert("d/n1".parse().unwrap());
        assert_eq!(
            ids(&due(
                &cards,
                &state,
                day(TODAY),
                LIMITS,
                DoneToday::default(),
                None
            )),
            ["d/n2"]
        );
        assert_eq!(ids(&cram(&cards, &state)), ["d/n2"]);
        assert_eq!(
            next_due_after(&cards, &state, day("2026-02-01"), None),
            None
        );
    }

    #[test]
    fn cram_takes_every_card_soonest_due_first_then_new() {
        let cards = ["d/n1", "d/late", "d/soon"].map(card);
        let state = state(&[("d/late", "2027-01-01"), ("d/soon", "2026-03-20")]);
        assert_eq!(ids(&cram(&cards, &state)), ["d/soon", "d/late", "d/n1"]);
    }

    #[test]
    fn an_interview_plan_brings_reviews_forward_into_its_window() {
        let cards = ["d/far", "d/near"].map(card);
        let state = state(&[("d/far", "2026-06-01"), ("d/near", "2026-03-20")]);
        let plan = Plan {
            interview: day("2026-03-11"),
        }; // window 03-08 to 03-10
        let queue = due(
            &cards,
            &state,
            day(TODAY),
            LIMITS,
            DoneToday::default(),
            Some(&plan),
        );
        let mut got = ids(&queue);
        got.sort();
        assert_eq!(got, ["d/far", "d/near"], "both come due in the window");
        let dues: Vec<StudyDay> = queue
            .iter()
            .map(|e| {
                if let Entry::Review(_, _, due) = e {
                    *due
                } else {
                    day(TODAY)
                }
            })
            .collect();
        assert!(
            dues.windows(2).all(|w| w[0] <= w[1]) && dues.iter().all(|d| *d >= day("2026-03-08"))
        );
        let after = Plan {
            interview: day("2026-03-01"),
        };
        assert!(
            due(
                &cards,
                &state,
                day(TODAY),
                LIMITS,
                DoneToday::default(),
                Some(&after)
            )
            .is_empty()
        );
    }

    #[test]
    fn done_on_tells_new_from_review() {
        let mut first = reviewed("2026-03-11");
        first.first_reviewed = day(TODAY);
        first.last_reviewed = day(TODAY);
        let mut again = reviewed("2026-03-16");
        again.last_reviewed = day(TODAY);
        let old = reviewed("2026-03-20");
        assert_eq!(
            done_on([&first, &again, &old], day(TODAY)),
            DoneToday { new: 1, reviews: 1 }
        );
    }

    #[test]
    fn next_due_after_skips_today_and_earlier() {
        let cards = ["d/a", "d/b"].map(card);
        let state = state(&[("d/a", TODAY), ("d/b", "2026-03-12")]);
        assert_eq!(
            next_due_after(&cards, &state, day(TODAY), None),
            Some(day("2026-03-12"))
        );
    }
}
