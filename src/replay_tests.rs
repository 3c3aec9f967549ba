use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;

use super::*;
use crate::answer::{self, Moment as When};
use crate::model::{Grade, Graded};

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn when(s: &str) -> When {
    When {
        at: at(s),
        day_start_hour: 4,
        max_interval: sm2::MAX_INTERVAL,
    }
}

fn graded(q: u8) -> Graded {
    Graded {
        grade: Grade::new(q).unwrap(),
        elapsed_ms: None,
        response: None,
        coverage: None,
        mock: None,
    }
}

/// A review of `card` graded `q` at `moment`, computed from `before` as its device saw it.
fn review(card: &str, q: u8, moment: &str, before: Option<&CardState>, id: &str) -> Event {
    let card: CardId = card.parse().unwrap();
    answer::answer(
        &card,
        graded(q),
        ReviewKind::Scheduled,
        before,
        when(moment),
        id.to_owned(),
        &crate::memory::Model::default(),
    )
}

/// `event` as a writer that had seen stamps up to `seen` writes it.
fn stamped(event: Event, seen: Option<Stamp>) -> Event {
    let stamp = seen.unwrap_or_default().next(event.at.timestamp_millis());
    Event {
        stamp: Some(stamp),
        ..event
    }
}

/// Entries stamped as one device writes them, one after the other.
fn written(events: &[Event]) -> Vec<Event> {
    let mut seen = None;
    events
        .iter()
        .map(|e| {
            let e = stamped(e.clone(), seen);
            seen = e.stamp;
            e
        })
        .collect()
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
    replay_all(&mut logs, &crate::memory::Model::default())
        .unwrap()
        .state
}

/// Applies entries one at a time in the order given, as one device appending them would.
fn applied(events: &[Event]) -> Result<Replay, NeedsFullReplay> {
    let mut replay = Replay::default();
    let entries = [log("x.jsonl", events)];
    for (event, stamp) in events.iter().zip(entries[0].stamps()) {
        replay.apply(event, stamp)?;
    }
    Ok(replay)
}

fn card(id: &str) -> CardId {
    id.parse().unwrap()
}

#[test]
fn one_log_replayed_whole_equals_its_entries_applied_one_at_a_time() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let second = review("d/a", 4, "2026-03-02T09:00:00+01:00", first.after(), "2");
    let other = review("d/b", 2, "2026-03-02T09:01:00+01:00", None, "3");
    let events = written(&[first, second, other]);
    let replay = applied(&events).unwrap();
    assert_eq!(state_of(&[log("x.jsonl", &events)]), replay.state);
    assert_eq!(replay.state.cards.len(), 2);
    assert_eq!(replay.state.cards[&card("d/a")].interval_days, 6);
}

#[test]
fn reviews_on_two_machines_are_recomputed_in_time_order() {
    // The laptop learns the card on Monday; the desktop, not yet synced, sees it as new on
    // Tuesday. Replayed together, Tuesday's review is the card's second success.
    let monday = written(&[review("d/a", 5, "2026-03-02T09:00:00+01:00", None, "m")]);
    let tuesday = written(&[review("d/a", 5, "2026-03-03T09:00:00+01:00", None, "t")]);
    assert_eq!(tuesday[0].after().unwrap().interval_days, 1);
    let state = state_of(&[log("laptop.jsonl", &monday), log("desktop.jsonl", &tuesday)]);
    let a = &state.cards[&card("d/a")];
    assert_eq!((a.repetitions, a.interval_days, a.reviews), (2, 6, 2));
    // Whichever order the logs come in.
    let swapped = state_of(&[log("desktop.jsonl", &tuesday), log("laptop.jsonl", &monday)]);
    assert_eq!(swapped, state);
}

#[test]
fn an_entry_written_after_seeing_another_replays_after_it_whatever_the_clocks_say() {
    // A suspends at 10:00. B, whose clock is 20 minutes behind, merges A's log and then
    // unsuspends at 09:40 by its own clock: the unsuspension was made knowing the suspension.
    let suspend = stamped(
        answer::suspension(
            &card("api/rest"),
            true,
            when("2026-03-02T10:00:00+00:00"),
            "s".into(),
        ),
        None,
    );
    let unsuspend = stamped(
        answer::suspension(
            &card("api/rest"),
            false,
            when("2026-03-02T09:40:00+00:00"),
            "u".into(),
        ),
        suspend.stamp,
    );
    assert!(unsuspend.stamp > suspend.stamp);
    let state = state_of(&[
        log("a.jsonl", std::slice::from_ref(&suspend)),
        log("b.jsonl", &[unsuspend]),
    ]);
    assert!(state.suspended.is_empty(), "the later decision stands");
    // Unstamped (version 1) entries still order by their moments.
    let mut old = suspend.clone();
    old.stamp = None;
    assert_eq!(own_stamp(&old).millis, old.at.timestamp_millis());
}

#[test]
fn a_clock_moved_back_does_not_reorder_one_machines_entries() {
    let first = review("d/a", 5, "2026-03-10T09:00:00+01:00", None, "1");
    // The clock went back nine days (a version-1 log, without stamps); the device still
    // answered after its first review.
    let second = review("d/a", 1, "2026-03-01T09:00:00+01:00", first.after(), "2");
    let events = [first, second];
    let entries = [log("x.jsonl", &events)];
    let order: Vec<usize> = in_order(&entries).iter().map(|p| p.index).collect();
    assert_eq!(order, [0, 1]);
    assert_eq!(
        entries[0].last_stamp().unwrap().millis,
        at("2026-03-10T09:00:00+01:00").timestamp_millis()
    );
    let state = state_of(&entries);
    assert_eq!(state.cards[&card("d/a")].repetitions, 0);
}

#[test]
fn an_entry_seen_twice_counts_once_and_a_changed_copy_is_a_conflict() {
    let events = written(&[review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1")]);
    let once = state_of(&[log("a.jsonl", &events)]);
    let twice = state_of(&[log("a.jsonl", &events), log("a-copy.jsonl", &events)]);
    assert_eq!(once, twice);
    assert_eq!(
        history(
            vec![log("a.jsonl", &events), log("b.jsonl", &events)],
            &crate::memory::Model::default()
        )
        .unwrap()
        .len(),
        1
    );
    // A line duplicated within one log, too.
    let doubled = [events[0].clone(), events[0].clone()];
    assert_eq!(state_of(&[log("a.jsonl", &doubled)]), once);
    // The same id saying something else: an edit, never silently resolved.
    let mut edited = events.clone();
    if let Action::Review { answer, .. } = &mut edited[0].action {
        answer.grade = Grade::new(0).unwrap();
    }
    let mut logs = [log("a.jsonl", &events), log("b.jsonl", &edited)];
    let conflict = replay_all(&mut logs, &crate::memory::Model::default())
        .err()
        .unwrap();
    assert_eq!(conflict.id, "1");
    assert_eq!((conflict.first.log, conflict.second.log), (0, 1));
}

#[test]
fn a_card_is_scheduled_once_a_study_day_however_many_answers_it_gets() {
    // Two machines, not synced, review the same card the same morning.
    let a = written(&[review("d/a", 4, "2026-03-02T09:00:00+01:00", None, "a")]);
    let b = written(&[review("d/a", 4, "2026-03-02T11:00:00+01:00", None, "b")]);
    let state = state_of(&[log("a.jsonl", &a), log("b.jsonl", &b)]);
    let s = &state.cards[&card("d/a")];
    assert_eq!((s.reviews, s.interval_days), (1, 1));
    let seen = history(
        vec![log("a.jsonl", &a), log("b.jsonl", &b)],
        &crate::memory::Model::default(),
    )
    .unwrap();
    assert!(matches!(seen[1].1.action, Action::Practice { .. }));
    // Six answers in one morning from a retrying script: one review.
    let mut before = None;
    let mut retries = Vec::new();
    for i in 0..6 {
        let event = review(
            "d/r",
            4,
            "2026-03-02T09:00:00+01:00",
            None,
            &format!("r{i}"),
        );
        before = before.or(event.after().copied());
        retries.push(event);
    }
    let state = state_of(&[log("x.jsonl", &written(&retries))]);
    assert_eq!(state.cards[&card("d/r")].interval_days, 1);
}

#[test]
fn an_undone_review_is_left_out_whether_replayed_whole_or_one_at_a_time() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let second = review("d/a", 1, "2026-03-02T09:00:00+01:00", first.after(), "2");
    let undo = answer::undo(&second, when("2026-03-02T09:00:05+01:00"), "3".into()).unwrap();
    let events = written(&[first.clone(), second, undo]);
    let replay = applied(&events).unwrap();
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
    let other = review("d/a", 3, "2026-03-02T10:00:00+01:00", first.after(), "2");
    let undo = answer::undo(&first, when("2026-03-02T11:00:00+01:00"), "3".into()).unwrap();
    let events = written(&[first, other, undo]);
    assert_eq!(applied(&events).err(), Some(NeedsFullReplay));
    // Replayed whole, only the second review counts: the card was seen once, graded 3.
    let state = state_of(&[log("x.jsonl", &events)]);
    let a = &state.cards[&card("d/a")];
    assert_eq!((a.reviews, a.repetitions), (1, 1));
}

#[test]
fn undoing_the_review_that_made_a_leech_takes_its_suspension_back() {
    let review = review("d/a", 1, "2026-03-01T09:00:00+01:00", None, "r");
    let suspension =
        answer::leech_suspension(&review, when("2026-03-01T09:00:00+01:00"), "s".into());
    let undo = answer::undo(&review, when("2026-03-01T09:01:00+01:00"), "u".into()).unwrap();
    let events = written(&[review, suspension, undo]);
    let replay = applied(&events).unwrap();
    assert!(replay.state.suspended.is_empty());
    assert_eq!(state_of(&[log("x.jsonl", &events)]), replay.state);
    // A suspension the learner chose stays.
    let manual = answer::suspension(
        &card("d/a"),
        true,
        when("2026-03-01T09:00:30+01:00"),
        "m".into(),
    );
    let mut events = events;
    events.insert(2, manual);
    let events = written(&events);
    let replay = applied(&events).unwrap();
    assert!(replay.state.suspended.contains(&card("d/a")));
    assert_eq!(state_of(&[log("x.jsonl", &events)]), replay.state);
}

#[test]
fn a_retraction_takes_entries_back_and_a_retracted_retraction_lets_them_stand() {
    let first = review("d/a", 5, "2026-03-01T09:00:00+01:00", None, "1");
    let second = review("d/a", 5, "2026-03-02T09:00:00+01:00", first.after(), "2");
    let when_ = when("2026-03-03T09:00:00+01:00");
    let retract = answer::retraction(&card("d/a"), vec!["2".into()], when_, "x".into());
    let events = written(&[first.clone(), second.clone(), retract.clone()]);
    assert_eq!(applied(&events).err(), Some(NeedsFullReplay));
    let state = state_of(&[log("x.jsonl", &events)]);
    assert_eq!(state.cards[&card("d/a")], *first.after().unwrap());
    assert_eq!(
        state.active_days.len(),
        1,
        "a retracted answer was never given"
    );
    let again = answer::retraction(&card("d/a"), vec!["x".into()], when_, "y".into());
    let events = written(&[first, second.clone(), retract, again]);
    let state = state_of(&[log("x.jsonl", &events)]);
    assert_eq!(state.cards[&card("d/a")].reviews, 2);
}

#[test]
fn the_history_carries_the_states_the_replay_computed() {
    let monday = written(&[review("d/a", 5, "2026-03-02T09:00:00+01:00", None, "m")]);
    let tuesday = written(&[review("d/a", 5, "2026-03-03T09:00:00+01:00", None, "t")]);
    let events = history(
        vec![log("b.jsonl", &tuesday), log("a.jsonl", &monday)],
        &crate::memory::Model::default(),
    )
    .unwrap();
    let ids: Vec<(usize, &str)> = events
        .iter()
        .map(|(log, e)| (*log, e.id.as_str()))
        .collect();
    assert_eq!(ids, [(1, "m"), (0, "t")]);
    assert_eq!(events[1].1.after().unwrap().interval_days, 6);
}

/// One step of two devices drilling the same cards, their clocks hours apart.
#[derive(Debug, Clone)]
enum Op {
    /// Device `dev` answers `card` with `q`, `minutes` after its previous entry.
    Answer {
        dev: usize,
        card: u8,
        q: u8,
        minutes: u32,
    },
    /// Device `dev` takes back its latest answer not taken back yet.
    Undo {
        dev: usize,
    },
    Suspend {
        dev: usize,
        card: u8,
        suspend: bool,
    },
    /// Device `dev` retracts its entries from the `from`th on (a restore).
    Restore {
        dev: usize,
        from: usize,
    },
    /// Device `dev` receives everything the other has written.
    Sync {
        dev: usize,
    },
}

/// Where a reader refreshes, as a share of the way through a history.
fn unit() -> impl Strategy<Value = f64> {
    crate::floats::f64_in(0.0, 1.0)
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2usize, 0u8..3, 0u8..6, 0u32..3000)
            .prop_map(|(dev, card, q, minutes)| Op::Answer { dev, card, q, minutes }),
        1 => (0..2usize).prop_map(|dev| Op::Undo { dev }),
        1 => (0..2usize, 0u8..3, any::<bool>())
            .prop_map(|(dev, card, suspend)| Op::Suspend { dev, card, suspend }),
        1 => (0..2usize, 0..20usize).prop_map(|(dev, from)| Op::Restore { dev, from }),
        2 => (0..2usize).prop_map(|dev| Op::Sync { dev }),
    ]
}

/// The logs two devices write for `ops`, their clocks `skew` minutes apart.
fn simulate(ops: &[Op], skew: i64) -> [Vec<Event>; 2] {
    let mut logs: [Vec<Event>; 2] = [Vec::new(), Vec::new()];
    let mut received = [0usize; 2];
    let mut clocks = [
        at("2026-03-01T08:00:00+00:00"),
        at("2026-03-01T08:00:00+00:00") + chrono::Duration::minutes(skew),
    ];
    let mut next_id = 0;
    for op in ops {
        let dev = match op {
            Op::Answer { dev, .. }
            | Op::Undo { dev }
            | Op::Suspend { dev, .. }
            | Op::Restore { dev, .. }
            | Op::Sync { dev } => *dev,
        };
        let other = 1 - dev;
        if let Op::Sync { .. } = op {
            received[dev] = logs[other].len();
            continue;
        }
        let seen = logs[dev]
            .iter()
            .chain(&logs[other][..received[dev]])
            .filter_map(|e| e.stamp)
            .max();
        let view = {
            let mut entries = [
                log("a", &logs[dev]),
                log("b", &logs[other][..received[dev]]),
            ];
            replay_all(&mut entries, &crate::memory::Model::default())
                .unwrap()
                .state
        };
        next_id += 1;
        let id = format!("{dev}-{next_id}");
        let w = |moment| When {
            at: moment,
            day_start_hour: 4,
            max_interval: sm2::MAX_INTERVAL,
        };
        let event = match op {
            Op::Answer {
                card: c,
                q,
                minutes,
                ..
            } => {
                clocks[dev] += chrono::Duration::minutes(i64::from(*minutes));
                let c = card(&format!("d/c{c}"));
                let before = view.cards.get(&c);
                answer::answer(
                    &c,
                    graded(*q),
                    ReviewKind::Scheduled,
                    before,
                    w(clocks[dev]),
                    id,
                    &crate::memory::Model::default(),
                )
            }
            Op::Undo { .. } => {
                let undone: Vec<&str> = logs[dev].iter().filter_map(Event::undoes).collect();
                let Some(last) = logs[dev]
                    .iter()
                    .rev()
                    .find(|e| e.graded().is_some() && !undone.contains(&e.id.as_str()))
                else {
                    continue;
                };
                answer::undo(last, w(clocks[dev]), id).unwrap()
            }
            Op::Suspend {
                card: c, suspend, ..
            } => answer::suspension(&card(&format!("d/c{c}")), *suspend, w(clocks[dev]), id),
            Op::Restore { from, .. } => {
                let ids: Vec<String> = logs[dev].iter().skip(*from).map(|e| e.id.clone()).collect();
                if ids.is_empty() {
                    continue;
                }
                answer::retraction(&card("d/c0"), ids, w(clocks[dev]), id)
            }
            Op::Sync { .. } => unreachable!(),
        };
        logs[dev].push(stamped(event, seen));
    }
    logs
}

/// The state a reader reaches that refreshes after each of `arrivals` (how much of each log it
/// has seen then), applying what is new on top where it can and replaying whole where not.
fn refreshed(logs: &[Vec<Event>], names: &[&str], arrivals: &[Vec<usize>]) -> ReviewState {
    let mut replay = Replay::default();
    let mut read = vec![0usize; logs.len()];
    let mut clamps: Vec<Option<Stamp>> = vec![None; logs.len()];
    for upto in arrivals {
        let tails: Vec<LogEntries> = (0..logs.len())
            .map(|i| LogEntries {
                name: names[i],
                clamp: clamps[i],
                events: logs[i][read[i]..upto[i].max(read[i])].to_vec(),
            })
            .collect();
        let on_top = in_order(&tails)
            .iter()
            .all(|p| replay.apply(&tails[p.log].events[p.index], p.stamp).is_ok());
        for (i, tail) in tails.iter().enumerate() {
            clamps[i] = tail.last_stamp();
            read[i] = upto[i].max(read[i]);
        }
        if !on_top {
            let mut whole: Vec<LogEntries> = (0..logs.len())
                .map(|i| log(names[i], &logs[i][..read[i]]))
                .collect();
            let replayed = replay_all(&mut whole, &crate::memory::Model::default()).unwrap();
            replay = Replay::new(
                replayed.state,
                replayed.latest,
                crate::memory::Model::default(),
            );
        }
    }
    replay.state
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn applying_on_top_gives_what_a_full_replay_gives(
        ops in proptest::collection::vec(any_op(), 1..60),
        skew in -300i64..300,
        cuts in proptest::collection::vec((unit(), unit(), unit()), 0..6),
        copy in any::<bool>(),
    ) {
        let [a, b] = simulate(&ops, skew);
        // A sync tool's conflict copy of one log, or none.
        let c = if copy { a[..a.len() / 2].to_vec() } else { Vec::new() };
        let logs = [a, b, c];
        let names = ["a.jsonl", "b.jsonl", "a.sync-conflict.jsonl"];
        let full = state_of(&[log(names[0], &logs[0]), log(names[1], &logs[1]), log(names[2], &logs[2])]);
        // Whichever order the logs are listed in.
        let swapped = state_of(&[log(names[2], &logs[2]), log(names[1], &logs[1]), log(names[0], &logs[0])]);
        prop_assert_eq!(&swapped, &full);
        let mut arrivals: Vec<Vec<usize>> = cuts
            .iter()
            .map(|&(x, y, z)| {
                let at = |f: f64, n: usize| (f * n as f64) as usize;
                vec![at(x, logs[0].len()), at(y, logs[1].len()), at(z, logs[2].len())]
            })
            .collect();
        // Logs only grow: each reader sees ever longer prefixes.
        for i in 1..arrivals.len() {
            let earlier = arrivals[i - 1].clone();
            for (upto, before) in arrivals[i].iter_mut().zip(earlier) {
                *upto = (*upto).max(before);
            }
        }
        arrivals.push(logs.iter().map(Vec::len).collect());
        prop_assert_eq!(refreshed(&logs, &names, &arrivals), full);
    }
}
