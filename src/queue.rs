//! Which cards to review today and in what order, within the daily limits. Pure: the day, the
//! cards and their states are arguments.
//!
//! Order: due reviews, most overdue first (ties in catalog order), then new cards. New cards
//! come deck by deck in priority order (`hone deck first`); among decks of one priority they
//! are interleaved (the default): each next new card comes from the deck with the fewest cards
//! introduced so far, ties to the user's own (imported) decks and then catalog order, each deck
//! in its own order; so a deck imported today gets its first new card today, not after the
//! curriculum. With
//! `new_order = deck` a deck's new cards all come before the next deck's. Suspended cards never
//! appear. The same inputs always give the same queue.

use std::collections::BTreeMap;

use crate::model::{Card, CardState, ReviewState, StudyDay};
use crate::plan::{self, DoneToday, Limits, Plan};

/// How new cards are ordered across decks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewOrder {
    /// Deck by deck, instead of interleaved.
    pub by_deck: bool,
    /// Per deck id, when not 0: higher comes first.
    pub priority: BTreeMap<String, i32>,
    /// The decks the user imported, which come first among decks that are otherwise level.
    pub own: std::collections::BTreeSet<String>,
}

impl NewOrder {
    fn priority(&self, card: &Card) -> i32 {
        self.priority.get(card.id.deck()).copied().unwrap_or(0)
    }
}

/// The new cards among `cards` (catalog order), in the order they are introduced, given how
/// many of each deck's cards have been introduced (reviewed at least once) so far.
pub fn new_in_order<'a>(
    cards: &[&'a Card],
    state: &ReviewState,
    order: &NewOrder,
) -> Vec<&'a Card> {
    // Decks in catalog order, each with its priority, the count introduced, its new cards,
    // and whether it is one of the user's own.
    let mut decks: Vec<(&str, i32, usize, Vec<&'a Card>, bool)> = Vec::new();
    for card in cards {
        let deck = card.id.deck();
        if decks.last().is_none_or(|d| d.0 != deck) {
            let own = order.own.contains(deck);
            decks.push((deck, order.priority(card), 0, Vec::new(), own));
        }
        let Some(entry) = decks.last_mut() else {
            continue;
        };
        if state.cards.contains_key(&card.id) {
            entry.2 += 1;
        } else if !state.suspended.contains(&card.id) {
            entry.3.push(card);
        }
    }
    // Highest priority first; a stable sort keeps catalog order within a priority.
    decks.sort_by_key(|d| std::cmp::Reverse(d.1));
    let mut ordered = Vec::new();
    let mut start = 0;
    while start < decks.len() {
        let level = decks[start].1;
        let end = decks[start..]
            .iter()
            .position(|d| d.1 != level)
            .map_or(decks.len(), |n| start + n);
        let group = &mut decks[start..end];
        if order.by_deck {
            for deck in group.iter() {
                ordered.extend(deck.3.iter().copied());
            }
        } else {
            let mut next = vec![0usize; group.len()];
            loop {
                // The deck with the fewest introduced (counting those taken here) that has a
                // new card left; ties to the user's own decks first, then catalog order.
                let pick = (0..group.len())
                    .filter(|&d| next[d] < group[d].3.len())
                    .min_by_key(|&d| (group[d].2 + next[d], !group[d].4, d));
                let Some(d) = pick else { break };
                ordered.push(group[d].3[next[d]]);
                next[d] += 1;
            }
        }
        start = end;
    }
    ordered
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
    (limits, done): (Limits, DoneToday),
    plan: Option<&Plan>,
    order: &NewOrder,
) -> Vec<Entry<'a>> {
    let new_left = limits.new_per_day.saturating_sub(done.new) as usize;
    let reviews_left = limits.reviews_per_day.saturating_sub(done.reviews) as usize;
    let cards: Vec<&'a Card> = cards.into_iter().collect();
    let mut reviews = Vec::new();
    for card in cards
        .iter()
        .copied()
        .filter(|c| !state.suspended.contains(&c.id))
    {
        if let Some(s) = state.cards.get(&card.id) {
            let due = plan::due_day(plan, today, &card.id, s);
            if due <= today {
                reviews.push(Entry::Review(card, s, due));
            }
        }
    }
    let new: Vec<Entry<'a>> = if new_left == 0 {
        Vec::new()
    } else {
        new_in_order(&cards, state, order)
            .into_iter()
            .take(new_left)
            .map(Entry::New)
            .collect()
    };
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
/// first), then new cards in the order they would be introduced. Suspended cards stay out.
pub fn cram<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
    state: &'a ReviewState,
    order: &NewOrder,
) -> Vec<Entry<'a>> {
    let cards: Vec<&'a Card> = cards.into_iter().collect();
    let mut reviewed = Vec::new();
    for card in cards
        .iter()
        .copied()
        .filter(|c| !state.suspended.contains(&c.id))
    {
        if let Some(s) = state.cards.get(&card.id) {
            reviewed.push(Entry::Review(card, s, s.due));
        }
    }
    reviewed.sort_by_key(|entry| entry.state().map(|s| s.due));
    reviewed.extend(
        new_in_order(&cards, state, order)
            .into_iter()
            .map(Entry::New),
    );
    reviewed
}

/// The first study day from `today` on whose queue holds a new card of deck `deck`, if the
/// new cards of `cards` are introduced `new_per_day` a day (`left_today` of them still today)
/// and nothing else changes; `None` if that is more than a year away or never.
pub fn first_new_day(
    cards: &[&Card],
    state: &ReviewState,
    order: &NewOrder,
    deck: &str,
    today: StudyDay,
    (left_today, new_per_day): (u32, u32),
) -> Option<StudyDay> {
    let place = new_in_order(cards, state, order)
        .iter()
        .position(|c| c.id.deck() == deck)?;
    // Interleaving takes account of what was introduced; a deck's place in today's order is
    // where its first card would come, as later days only bring it forward.
    let place = place as u64;
    if place < u64::from(left_today) {
        return Some(today);
    }
    if new_per_day == 0 {
        return None;
    }
    let days = (place - u64::from(left_today)) / u64::from(new_per_day) + 1;
    (days <= 366).then(|| today.plus(days as u32))
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
            memory: None,
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
            (LIMITS, DoneToday::default()),
            None,
            &NewOrder::default(),
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
            ids(&due(
                &cards,
                &state,
                day(TODAY),
                (LIMITS, done),
                None,
                &NewOrder::default()
            )),
            ["d/r1", "d/n1"]
        );
        let done = DoneToday {
            new: 5,
            reviews: 50,
        };
        assert!(
            due(
                &cards,
                &state,
                day(TODAY),
                (LIMITS, done),
                None,
                &NewOrder::default()
            )
            .is_empty()
        );
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
                (LIMITS, DoneToday::default()),
                None,
                &NewOrder::default()
            )),
            ["d/n2"]
        );
        assert_eq!(ids(&cram(&cards, &state, &NewOrder::default())), ["d/n2"]);
        assert_eq!(
            next_due_after(&cards, &state, day("2026-02-01"), None),
            None
        );
    }

    #[test]
    fn cram_takes_every_card_soonest_due_first_then_new() {
        let cards = ["d/n1", "d/late", "d/soon"].map(card);
        let state = state(&[("d/late", "2027-01-01"), ("d/soon", "2026-03-20")]);
        assert_eq!(
            ids(&cram(&cards, &state, &NewOrder::default())),
            ["d/soon", "d/late", "d/n1"]
        );
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
            (LIMITS, DoneToday::default()),
            Some(&plan),
            &NewOrder::default(),
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
                (LIMITS, DoneToday::default()),
                Some(&after),
                &NewOrder::default()
            )
            .is_empty()
        );
    }

    #[test]
    fn new_cards_interleave_across_decks_fewest_introduced_first() {
        let cards = ["a/1", "a/2", "a/3", "b/1", "b/2", "c/1"].map(card);
        let order = NewOrder::default();
        let none = ReviewState::default();
        assert_eq!(
            ids(&cram(&cards, &none, &order)),
            ["a/1", "b/1", "c/1", "a/2", "b/2", "a/3"]
        );
        // Two of a's cards were introduced already: b and c catch up first.
        let mut some = state(&[("a/1", "2026-04-01"), ("a/2", "2026-04-01")]);
        some.suspended.insert("b/2".parse().unwrap());
        assert_eq!(
            ids(&cram(&cards, &some, &order))[2..],
            ["b/1", "c/1", "a/3"]
        );
        let by_deck = NewOrder {
            by_deck: true,
            ..NewOrder::default()
        };
        assert_eq!(
            ids(&cram(&cards, &none, &by_deck)),
            ["a/1", "a/2", "a/3", "b/1", "b/2", "c/1"]
        );
        // The user's own deck c first among equals.
        let own = NewOrder {
            own: ["c".to_owned()].into(),
            ..NewOrder::default()
        };
        assert_eq!(ids(&cram(&cards, &none, &own))[..3], ["c/1", "a/1", "b/1"]);
    }

    #[test]
    fn a_deck_put_first_gives_all_its_new_cards_before_the_others() {
        let cards = ["a/1", "a/2", "b/1", "b/2", "c/1"].map(card);
        let order = NewOrder {
            priority: BTreeMap::from([("c".to_owned(), 1)]),
            ..NewOrder::default()
        };
        let none = ReviewState::default();
        assert_eq!(
            ids(&cram(&cards, &none, &order)),
            ["c/1", "a/1", "b/1", "a/2", "b/2"]
        );
        let queue = due(
            &cards,
            &none,
            day(TODAY),
            (LIMITS, DoneToday::default()),
            None,
            &order,
        );
        assert_eq!(ids(&queue), ["c/1", "a/1"]);
    }

    #[test]
    fn a_new_decks_first_day_is_where_its_first_card_falls_in_the_order() {
        let mut cards: Vec<Card> = (0..30).map(|i| card(&format!("big/{i}"))).collect();
        cards.push(card("mine/1"));
        let refs: Vec<&Card> = cards.iter().collect();
        let none = ReviewState::default();
        let today = day(TODAY);
        let interleaved = NewOrder::default();
        assert_eq!(
            first_new_day(&refs, &none, &interleaved, "mine", today, (10, 10)),
            Some(today)
        );
        let by_deck = NewOrder {
            by_deck: true,
            ..NewOrder::default()
        };
        assert_eq!(
            first_new_day(&refs, &none, &by_deck, "mine", today, (0, 10)),
            Some(today.plus(4)),
            "30 cards before it, 10 a day, none left today"
        );
        assert_eq!(
            first_new_day(&refs, &none, &by_deck, "mine", today, (5, 0)),
            None
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
            plan::done_on([&first, &again, &old], day(TODAY)),
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
