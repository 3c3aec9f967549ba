use chrono::DateTime;
use proptest::prelude::*;

use super::*;
use crate::answer::{self, Moment as When};
use crate::model::{Grade, Graded, ReviewKind};

fn at(s: &str) -> Moment {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn when(s: &str) -> When {
    When {
        at: at(s),
        day_start_hour: 4,
    }
}

/// A review of `card` graded `q` at `moment`, computed from `before` as its device saw it.
fn review(card: &str, q: u8, moment: &str, before: Option<&CardState>, id: &str) -> Event {
    let graded = Graded {
        grade: Grade::new(q).unwrap(),
        elapsed_ms: None,
        response: None,
    };
    let card: CardId = card.parse().unwrap();
    answer::answer(
        &card,
        graded,
        ReviewKind::Scheduled,
        before,
        when(moment),
        id.to_owned(),
    )
}

fn log<'a>(name: &'a str, events: &[Event]) -> LogEntries<'a> {
    LogEntries {
        name,
        clamp: None,
        events: events.to_vec(),
    }
}

fn state_of(logs: &[LogEntries<'_>]) -> ReviewState {
    let mut logs: Vec<LogEntries> = logs
        .iter()
        .map(|l| LogEntries {
            name: l.name,
            clamp: l.clamp,
            events: l.events.clone(),
        })
        .collect();
    replay_all(&mut logs).0
}

#[test]
fn one_log_replayed_whole_equals_its_entries_applied_one_at_a_time() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let second = review("d/a", 4, "2026-03-02T09:00:00+01:00", first.after(), "2");
    let other = review("d/b", 2, "2026-03-02T09:01:00+01:00", None, "3");
    let events = [first, second, other];
    let mut replay = Replay::default();
    for event in &events {
        replay.apply(event).unwrap();
    }
    assert_eq!(state_of(&[log("x.jsonl", &events)]), replay.state);
    assert_eq!(replay.state.cards.len(), 2);
    assert_eq!(replay.state.cards[&"d/a".parse().unwrap()].interval_days, 6);
}

#[test]
fn reviews_on_two_machines_are_recomputed_in_time_order() {
    // The laptop learns the card on Monday; the desktop, not yet synced, sees it as new on
    // Tuesday. Replayed together, Tuesday's review is the card's second success.
    let monday = review("d/a", 5, "2026-03-02T09:00:00+01:00", None, "m");
    let tuesday = review("d/a", 5, "2026-03-03T09:00:00+01:00", None, "t");
    assert_eq!(tuesday.after().unwrap().interval_days, 1);
    let laptop = [monday];
    let desktop = [tuesday];
    let state = state_of(&[log("laptop.jsonl", &laptop), log("desktop.jsonl", &desktop)]);
    let card = &state.cards[&"d/a".parse().unwrap()];
    assert_eq!(
        (card.repetitions, card.interval_days, card.reviews),
        (2, 6, 2)
    );
    // Whichever order the logs come in.
    let swapped = state_of(&[log("desktop.jsonl", &desktop), log("laptop.jsonl", &laptop)]);
    assert_eq!(swapped, state);
}

#[test]
fn a_clock_moved_back_does_not_reorder_one_machines_entries() {
    let first = review("d/a", 5, "2026-03-10T09:00:00+01:00", None, "1");
    // The clock went back nine days; the device still answered after its first review.
    let second = review("d/a", 1, "2026-03-01T09:00:00+01:00", first.after(), "2");
    let events = [first, second];
    let entries = [log("x.jsonl", &events)];
    let order: Vec<usize> = in_order(&entries).iter().map(|p| p.index).collect();
    assert_eq!(order, [0, 1]);
    assert_eq!(
        entries[0].last_moment(),
        Some(at("2026-03-10T09:00:00+01:00"))
    );
    let state = state_of(&entries);
    assert_eq!(state.cards[&"d/a".parse().unwrap()].repetitions, 0);
}

#[test]
fn an_entry_seen_twice_counts_once() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let events = [first];
    let once = state_of(&[log("a.jsonl", &events)]);
    let twice = state_of(&[log("a.jsonl", &events), log("a-copy.jsonl", &events)]);
    assert_eq!(once, twice);
    assert_eq!(
        history(vec![log("a.jsonl", &events), log("b.jsonl", &events)]).len(),
        1
    );
}

#[test]
fn an_undone_review_is_left_out_whether_replayed_whole_or_one_at_a_time() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let second = review("d/a", 1, "2026-03-02T09:00:00+01:00", first.after(), "2");
    let undo = answer::undo(&second, when("2026-03-02T09:00:05+01:00"), "3".into()).unwrap();
    let events = [first.clone(), second, undo];
    let mut replay = Replay::default();
    for event in &events {
        replay.apply(event).unwrap();
    }
    let whole = state_of(&[log("x.jsonl", &events)]);
    assert_eq!(whole, replay.state);
    assert_eq!(whole.cards[&first.card], *first.after().unwrap());
    assert_eq!(
        whole.active_days.len(),
        2,
        "the undone day still had an answer"
    );
}

#[test]
fn an_undo_of_a_review_not_applied_here_last_needs_a_full_replay() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let other = review("d/a", 3, "2026-03-01T10:00:00+01:00", first.after(), "2");
    let undo = answer::undo(&first, when("2026-03-01T11:00:00+01:00"), "3".into()).unwrap();
    let mut replay = Replay::default();
    replay.apply(&first).unwrap();
    replay.apply(&other).unwrap();
    assert_eq!(replay.apply(&undo), Err(NeedsFullReplay));
    // Replayed whole, only the second review counts: the card was seen once, graded 3.
    let state = state_of(&[log("x.jsonl", &[first, other, undo])]);
    let card = &state.cards[&"d/a".parse().unwrap()];
    assert_eq!((card.reviews, card.repetitions), (1, 1));
}

#[test]
fn the_history_carries_the_states_the_replay_computed() {
    let monday = review("d/a", 5, "2026-03-02T09:00:00+01:00", None, "m");
    let tuesday = review("d/a", 5, "2026-03-03T09:00:00+01:00", None, "t");
    let events = history(vec![log("b.jsonl", &[tuesday]), log("a.jsonl", &[monday])]);
    let ids: Vec<(usize, &str)> = events
        .iter()
        .map(|(log, e)| (*log, e.id.as_str()))
        .collect();
    assert_eq!(ids, [(1, "m"), (0, "t")]);
    assert_eq!(events[1].1.after().unwrap().interval_days, 6);
}

/// Two devices answering a few cards at random moments.
fn two_devices() -> impl Strategy<Value = (Vec<Event>, Vec<Event>)> {
    let device = |tag: &'static str| {
        let entry = (0u8..4, 0u8..6, 0u32..2000, any::<bool>());
        proptest::collection::vec(entry, 0..25).prop_map(move |raw| {
            let mut minutes: Vec<u32> = raw.iter().map(|r| r.2).collect();
            minutes.sort_unstable();
            raw.iter()
                .zip(minutes)
                .enumerate()
                .map(|(i, (&(card, q, _, suspend), minute))| {
                    let moment = at("2026-03-01T09:00:00+00:00")
                        + chrono::Duration::minutes(i64::from(minute) * 7);
                    let card: CardId = format!("d/c{card}").parse().unwrap();
                    let id = format!("{tag}{i}");
                    let w = When {
                        at: moment,
                        day_start_hour: 4,
                    };
                    if suspend && q == 0 {
                        answer::suspension(&card, i % 2 == 0, w, id)
                    } else {
                        let graded = Graded {
                            grade: Grade::new(q).unwrap(),
                            elapsed_ms: None,
                            response: None,
                        };
                        answer::answer(&card, graded, ReviewKind::Scheduled, None, w, id)
                    }
                })
                .collect::<Vec<Event>>()
        })
    };
    let a = device("a");
    (a, device("b"))
}

proptest! {
    #[test]
    fn the_state_does_not_depend_on_which_machine_replays((a, b) in two_devices()) {
        let one = state_of(&[log("a.jsonl", &a), log("b.jsonl", &b)]);
        let other = state_of(&[log("b.jsonl", &b), log("a.jsonl", &a)]);
        prop_assert_eq!(&one, &other);
        // Applied one at a time in the replay order, the same state.
        let logs = [log("a.jsonl", &a), log("b.jsonl", &b)];
        let mut replay = Replay::default();
        for place in in_order(&logs) {
            replay.apply(&logs[place.log].events[place.index]).unwrap();
        }
        prop_assert_eq!(&replay.state, &one);
        // And folding a log in after the other, when it is later, changes nothing either.
        let split = a.len() / 2;
        let mut early = Replay::default();
        let head = [log("a.jsonl", &a[..split])];
        for place in in_order(&head) {
            early.apply(&head[0].events[place.index]).unwrap();
        }
        let whole = state_of(&[log("a.jsonl", &a)]);
        let tail = [LogEntries { name: "a.jsonl", clamp: head[0].last_moment(), events: a[split..].to_vec() }];
        for place in in_order(&tail) {
            early.apply(&tail[0].events[place.index]).unwrap();
        }
        prop_assert_eq!(early.state, whole);
    }
}
