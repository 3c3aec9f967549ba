use chrono::DateTime;

use super::*;
use crate::answer::{self, Moment};
use crate::model::{CardId, CardKind, Graded, ReviewKind};
use crate::replay::{LogEntries, Replay, replay_all};

fn card(id: &str, tags: &[&str]) -> Card {
    Card {
        id: id.parse().unwrap(),
        kind: CardKind::Question,
        front: "f".into(),
        back: "b".into(),
        points: vec![],
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        retired: false,
    }
}

/// The default model.
static MODEL: std::sync::LazyLock<crate::memory::Model> =
    std::sync::LazyLock::new(crate::memory::Model::default);

/// The default settings, no plan.
fn pace() -> crate::plan::Pace<'static> {
    crate::plan::Pace {
        plan: None,
        new_per_day: 10,
        max_interval: crate::sm2::MAX_INTERVAL,
        model: &MODEL,
    }
}

fn day(s: &str) -> StudyDay {
    s.parse().unwrap()
}

/// A log built by answering, in order, (card, grade, day, elapsed seconds).
fn history(answers: &[(&str, u8, &str, u64)]) -> (ReviewState, Vec<Event>) {
    let mut replay = Replay::default();
    let mut log = Vec::new();
    for (i, (id, q, on, secs)) in answers.iter().enumerate() {
        let card: CardId = id.parse().unwrap();
        let at = DateTime::parse_from_rfc3339(&format!("{on}T09:00:00+00:00")).unwrap();
        let graded = Graded {
            grade: Grade::new(*q).unwrap(),
            elapsed_ms: Some(secs * 1000),
            response: None,
            coverage: None,
            mock: None,
        };
        let event = answer::answer(
            &card,
            graded,
            ReviewKind::Scheduled,
            replay.state.cards.get(&card),
            Moment {
                at,
                day_start_hour: 4,
                max_interval: crate::sm2::MAX_INTERVAL,
            },
            format!("e{i}"),
            &crate::memory::Model::default(),
        );
        replay.push(&event).unwrap();
        log.push(event);
    }
    (replay.state, log)
}

#[test]
fn cards_are_counted_by_stage_and_leeches_on_top() {
    let cards = [
        card("d/new", &[]),
        card("d/learn", &[]),
        card("d/young", &[]),
        card("d/sus", &[]),
    ];
    let refs: Vec<&Card> = cards.iter().collect();
    let (mut state, log) = history(&[
        ("d/learn", 5, "2026-03-01", 10),
        ("d/young", 5, "2026-03-01", 10),
        ("d/young", 5, "2026-03-02", 10),
        ("d/sus", 5, "2026-03-01", 10),
    ]);
    state.suspended.insert("d/sus".parse().unwrap());
    let stats = stats(&refs, &state, &log, day("2026-03-02"), 8, &pace(), 0);
    assert_eq!(
        stats.cards,
        CardCounts {
            total: 4,
            new: 1,
            learning: 1,
            young: 1,
            mature: 0,
            suspended: 1,
            leeches: 0
        }
    );
    let leeches = super::stats(&refs, &state, &log, day("2026-03-02"), 0, &pace(), 0)
        .cards
        .leeches;
    assert_eq!(
        leeches, 3,
        "with a threshold of 0 every reviewed card is a leech"
    );
}

#[test]
fn activity_counts_days_back_from_today() {
    let cards = [card("d/a", &[]), card("d/b", &[])];
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = history(&[
        ("d/a", 5, "2026-02-01", 30),
        ("d/a", 5, "2026-02-25", 30),
        ("d/b", 5, "2026-03-04", 20),
        ("d/b", 2, "2026-03-10", 40),
    ]);
    let s = stats(&refs, &state, &log, day("2026-03-10"), 8, &pace(), 0);
    assert_eq!(
        s.activity.today,
        Tally {
            reviews: 1,
            practice: 0,
            time_ms: 40_000
        }
    );
    assert_eq!(s.activity.last_7_days.reviews, 2);
    assert_eq!(s.activity.last_30_days.reviews, 3);
    assert_eq!(s.activity.all_time.time_ms, 120_000);
    assert_eq!(s.calendar.len(), CALENDAR_DAYS as usize);
    assert_eq!(s.calendar.last(), Some(&(day("2026-03-10"), 1)));
}

#[test]
fn true_retention_counts_reviews_of_cards_seen_before_and_skips_undone_ones() {
    let cards = [card("d/a", &[]), card("d/b", &[])];
    let refs: Vec<&Card> = cards.iter().collect();
    let (_, mut log) = history(&[
        ("d/a", 1, "2026-03-01", 0), // first sight: not retention
        ("d/a", 4, "2026-03-02", 0),
        ("d/b", 5, "2026-03-01", 0),
        ("d/b", 2, "2026-03-02", 0),
        ("d/b", 3, "2026-03-03", 0),
    ]);
    let when = Moment {
        at: log[4].at,
        day_start_hour: 4,
        max_interval: crate::sm2::MAX_INTERVAL,
    };
    let undo = answer::undo(&log[4], when, "u".into()).unwrap();
    log.push(undo);
    let state = replay_all(
        &mut [LogEntries {
            name: "x.jsonl",
            clamp: None,
            events: log.clone(),
        }],
        &crate::memory::Model::default(),
    )
    .unwrap()
    .state;
    let s = stats(&refs, &state, &log, day("2026-03-03"), 8, &pace(), 0);
    assert_eq!(
        s.retention,
        Recall {
            reviews: 2,
            passed: 1
        }
    );
    assert_eq!(s.retention.rate(), Some(0.5));
    assert_eq!(
        s.retention_by_day,
        [(
            day("2026-03-02"),
            Recall {
                reviews: 2,
                passed: 1
            }
        )]
    );
    assert_eq!(
        s.streak.current, 3,
        "an undone answer still marks a day of study"
    );
}

#[test]
fn the_forecast_counts_due_cards_per_day_with_overdue_today() {
    let cards = [card("d/a", &[]), card("d/b", &[]), card("d/c", &[])];
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = history(&[
        ("d/a", 5, "2026-03-01", 0),
        ("d/b", 5, "2026-03-05", 0),
        ("d/c", 5, "2026-03-06", 0),
    ]);
    let s = stats(&refs, &state, &log, day("2026-03-06"), 8, &pace(), 0);
    assert_eq!(s.forecast.len(), FORECAST_DAYS as usize);
    let reviews = |i: usize| (s.forecast[i].day, s.forecast[i].reviews);
    assert_eq!(reviews(0), (day("2026-03-06"), 2), "a (overdue) and b");
    assert_eq!(reviews(1), (day("2026-03-07"), 1));
    // Each answered good: a and b come back six days on, with c's second review.
    assert_eq!(reviews(6), (day("2026-03-12"), 2));
    assert_eq!(
        s.forecast.iter().map(|d| d.new).sum::<usize>(),
        0,
        "no new cards left"
    );
}

/// Expected recall as of 2026-03-03, without a plan.
fn horizon(model: &crate::memory::Model) -> Horizon<'_> {
    Horizon {
        model,
        today: day("2026-03-03"),
        interview: None,
    }
}

#[test]
fn readiness_puts_the_least_ready_topic_first_and_names_what_to_drill() {
    let model = crate::memory::Model::default();
    let cards = [
        card("d/a1", &["alpha"]),
        card("d/a2", &["alpha"]),
        card("d/b1", &["beta", "extra"]),
        card("d/b2", &["beta"]),
    ];
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = history(&[
        ("d/a1", 5, "2026-03-01", 0),
        ("d/a1", 5, "2026-03-02", 0),
        ("d/a2", 5, "2026-03-01", 0),
        ("d/a2", 5, "2026-03-02", 0),
        ("d/b1", 0, "2026-03-01", 0),
    ]);
    let topics = readiness(&refs, &state, &log, 8, false, horizon(&model));
    assert_eq!(
        topics.iter().map(|t| t.tag.as_str()).collect::<Vec<_>>(),
        ["beta", "alpha"]
    );
    let beta = &topics[0];
    assert_eq!(
        (beta.cards, beta.seen, beta.solid, beta.readiness),
        (2, 1, 0, 0.0)
    );
    assert_eq!(
        beta.weakest,
        ["d/b1".parse::<CardId>().unwrap(), "d/b2".parse().unwrap()]
    );
    assert_eq!(topics[1].readiness, 1.0);
    assert!(topics[1].average_ease.unwrap() > 2.5);
    let every = readiness(&refs, &state, &log, 8, true, horizon(&model));
    assert!(every.iter().any(|t| t.tag == "extra"));
}

/// A card with key points, and answers to it that covered the positions given.
fn checked(id: &str, points: &[&str], answers: &[&[usize]]) -> (Card, Vec<Event>) {
    let mut card = card(id, &[]);
    card.points = points.iter().map(|p| (*p).to_owned()).collect();
    let (_, mut log) = history(&vec![(id, 4, "2026-03-02", 5); answers.len()]);
    for (event, covered) in log.iter_mut().zip(answers) {
        if let crate::model::Action::Review { answer, .. }
        | crate::model::Action::Practice { answer } = &mut event.action
        {
            answer.coverage = Some(crate::points::Coverage::new(&card.points, covered).unwrap());
        }
    }
    (card, log)
}

#[test]
fn points_missed_most_come_first_with_their_counts() {
    let (rest, mut log) = checked("api/rest", &["a", "b", "c"], &[&[1], &[1, 2], &[]]);
    let (graphql, other) = checked("api/graphql", &["x", "y"], &[&[2]]);
    log.extend(other);
    let missed = missed_points(&[&rest, &graphql], &log);
    let got: Vec<(&str, &str, u32, u32)> = missed
        .iter()
        .map(|t| (t.card.as_str(), t.point, t.missed, t.reviews))
        .collect();
    assert_eq!(
        got,
        [
            ("api/rest", "c", 3, 3),
            ("api/rest", "b", 2, 3),
            ("api/graphql", "x", 1, 1),
            ("api/rest", "a", 1, 3),
        ]
    );
    assert_eq!(checked_answers(&[&rest, &graphql], &log), 4);
}

#[test]
fn a_reordered_point_keeps_its_counts_and_a_reworded_one_starts_again() {
    let (mut card, log) = checked("api/rest", &["alpha one", "beta two"], &[&[1]]);
    card.points = vec!["Beta two.".into(), "alpha one".into()];
    let missed = missed_points(&[&card], &log);
    assert_eq!(missed.len(), 1);
    assert_eq!((missed[0].point, missed[0].position), ("Beta two.", 1));
    card.points = vec!["beta three".into(), "alpha one".into()];
    assert!(missed_points(&[&card], &log).is_empty());
}

#[test]
fn undone_answers_do_not_count_as_misses() {
    let (card, mut log) = checked("api/rest", &["a", "b"], &[&[1]]);
    let when = Moment {
        at: log[0].at,
        day_start_hour: 4,
        max_interval: crate::sm2::MAX_INTERVAL,
    };
    let undo = answer::undo(&log[0], when, "u1".into()).unwrap();
    log.push(undo);
    assert!(missed_points(&[&card], &log).is_empty());
    assert_eq!(checked_answers(&[&card], &log), 0);
}

/// `n` cards of topic `tag`, each answered with `grades` on the days given.
fn candidate(
    tag: &str,
    n: usize,
    answers: &[(u8, &str)],
) -> (Vec<Card>, Vec<(String, u8, String)>) {
    let cards: Vec<Card> = (0..n)
        .map(|i| card(&format!("{tag}/c{i}"), &[tag]))
        .collect();
    let mut log = Vec::new();
    for (q, on) in answers {
        for c in &cards {
            log.push((c.id.to_string(), *q, (*on).to_owned()));
        }
    }
    (cards, log)
}

fn replayed(answers: &[(String, u8, String)]) -> (ReviewState, Vec<Event>) {
    let mut sorted: Vec<&(String, u8, String)> = answers.iter().collect();
    sorted.sort_by(|a, b| a.2.cmp(&b.2));
    let borrowed: Vec<(&str, u8, &str, u64)> = sorted
        .iter()
        .map(|(c, q, d)| (c.as_str(), *q, d.as_str(), 10))
        .collect();
    history(&borrowed)
}

#[test]
fn two_good_grades_a_day_apart_do_not_make_a_topic_ready() {
    let model = crate::memory::Model::default();
    let (cards, answers) = candidate("api", 5, &[(4, "2026-03-01"), (4, "2026-03-02")]);
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = replayed(&answers);
    let soon = Horizon {
        interview: Some(day("2026-04-01")),
        ..horizon(&model)
    };
    let topic = &readiness(&refs, &state, &log, 8, false, soon)[0];
    // Every card is solid, so the old measure called the topic fully ready.
    assert_eq!(topic.readiness, 1.0);
    assert!(topic.expected_recall < 0.76, "{}", topic.expected_recall);
    let on_interview = topic.expected_recall_on_interview.unwrap();
    assert!(on_interview < 0.65, "{on_interview}");
    // Even perfect answers, a day apart, fade before an interview a month away.
    let (cards, answers) = candidate("api", 5, &[(5, "2026-03-01"), (5, "2026-03-02")]);
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = replayed(&answers);
    let topic = &readiness(&refs, &state, &log, 8, false, soon)[0];
    assert!(topic.expected_recall > 0.95, "{}", topic.expected_recall);
    let on_interview = topic.expected_recall_on_interview.unwrap();
    assert!(on_interview < 0.9, "{on_interview}");
}

#[test]
fn a_topic_with_recent_lapses_ranks_below_one_without() {
    let model = crate::memory::Model::default();
    let days = [
        "2026-02-01",
        "2026-02-03",
        "2026-02-10",
        "2026-02-12",
        "2026-02-25",
    ];
    let steady: Vec<(u8, &str)> = days.iter().map(|d| (4, *d)).collect();
    let lapsed: Vec<(u8, &str)> = days
        .iter()
        .zip([4, 4, 1, 4, 4])
        .map(|(d, q)| (q, *d))
        .collect();
    let (mut cards, mut answers) = candidate("cache", 4, &lapsed);
    let (more_cards, more_answers) = candidate("queue", 4, &steady);
    cards.extend(more_cards);
    answers.extend(more_answers);
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = replayed(&answers);
    let topics = readiness(&refs, &state, &log, 8, false, horizon(&model));
    assert_eq!(
        topics.iter().map(|t| t.tag.as_str()).collect::<Vec<_>>(),
        ["cache", "queue"]
    );
    assert!(topics[0].expected_recall < topics[1].expected_recall - 0.01);
    // The old measure could not tell them apart: both are solid again.
    assert_eq!(topics[0].readiness, topics[1].readiness);
}

#[test]
fn unseen_cards_count_zero_and_would_raise_recall_most() {
    let model = crate::memory::Model::default();
    let (cards, _) = candidate("sql", 4, &[]);
    let refs: Vec<&Card> = cards.iter().collect();
    let (state, log) = history(&[
        ("sql/c0", 5, "2026-03-01", 10),
        ("sql/c0", 5, "2026-03-02", 10),
    ]);
    let topic = &readiness(&refs, &state, &log, 8, false, horizon(&model))[0];
    let seen = state.cards.get(&cards[0].id);
    let one = expected_recall(&model, seen, 1.0, day("2026-03-03"));
    assert!(one > 0.95);
    assert!((topic.expected_recall - one / 4.0).abs() < 1e-12);
    assert_eq!(topic.raise_most.len(), 3);
    assert!(
        !topic.raise_most.contains(&cards[0].id),
        "{:?}",
        topic.raise_most
    );
}

#[test]
fn readiness_counts_each_card_s_latest_mock_answer_and_not_other_answers() {
    let model = crate::memory::Model::default();
    let cards = [
        card("d/a", &["t"]),
        card("d/b", &["t"]),
        card("e/c", &["u"]),
    ];
    let refs: Vec<&Card> = cards.iter().collect();
    // A scheduled review (not a mock), then mock answers: d/a twice, d/b once (cards without
    // key points count as one point, covered at grade 3 or more).
    let (state, mut log) = history(&[("d/a", 1, "2026-03-01", 10)]);
    let mock_answer = |id: &str, q: u8, n: usize| {
        let at = DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00").unwrap();
        let graded = Graded {
            grade: Grade::new(q).unwrap(),
            elapsed_ms: None,
            response: None,
            coverage: None,
            mock: Some(crate::mock::MockAnswer {
                id: "m".into(),
                started: at,
                minutes: 45,
                question: 1,
                questions: 3,
                seconds: 240,
                used_ms: 1,
                timed_out: false,
            }),
        };
        let when = Moment {
            at,
            day_start_hour: 4,
            max_interval: crate::sm2::MAX_INTERVAL,
        };
        let card: CardId = id.parse().unwrap();
        answer::answer(
            &card,
            graded,
            ReviewKind::Practice,
            None,
            when,
            format!("m{n}"),
            &crate::memory::Model::default(),
        )
    };
    log.push(mock_answer("d/a", 1, 0));
    log.push(mock_answer("d/a", 4, 1));
    log.push(mock_answer("d/b", 2, 2));
    let topics = readiness(&refs, &state, &log, 8, false, horizon(&model));
    let mock_of = |tag: &str| topics.iter().find(|t| t.tag == tag).unwrap().mock;
    assert_eq!(
        mock_of("t"),
        MockTally {
            cards: 2,
            covered: 1,
            points: 2
        }
    );
    assert_eq!(mock_of("t").score(), Some(0.5));
    assert_eq!(mock_of("u"), MockTally::default());
    assert_eq!(mock_of("u").score(), None);
    // Undoing d/a's latest mock answer leaves its earlier one.
    let undo = answer::undo(
        &log[2],
        Moment {
            at: log[2].at,
            day_start_hour: 4,
            max_interval: 1,
        },
        "x".into(),
    )
    .unwrap();
    log.push(undo);
    let topics = readiness(&refs, &state, &log, 8, false, horizon(&model));
    assert_eq!(
        topics.iter().find(|t| t.tag == "t").unwrap().mock.covered,
        0
    );
}
