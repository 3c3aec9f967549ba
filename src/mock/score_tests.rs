use chrono::DateTime;

use super::*;
use crate::answer::{self, Moment};
use crate::mock::MockAnswer;
use crate::model::{CardKind, Graded, ReviewKind};
use crate::points::Coverage;

const STARTED: &str = "2026-03-02T09:00:00+01:00";

fn card(id: &str, tags: &[&str], points: &[&str]) -> Card {
    Card {
        id: id.parse().unwrap(),
        kind: CardKind::Question,
        front: "?".into(),
        back: "!".into(),
        points: points.iter().map(|p| (*p).to_owned()).collect(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        retired: false,
    }
}

fn cards() -> Vec<Card> {
    vec![
        card(
            "api/rest",
            &["api"],
            &["stateless", "resources", "verbs", "cache"],
        ),
        card("sql/joins", &["sql"], &["inner", "outer"]),
        card("mine/plain", &[], &[]),
    ]
}

/// An answer to question `question` of `questions` of mock `mock`, covering `covered`
/// (graded `grade` when the card has no points).
fn answer_to(
    card: &Card,
    mock: &str,
    question: u32,
    questions: u32,
    covered: &[usize],
    grade: u8,
    id: &str,
) -> Event {
    let started = DateTime::parse_from_rfc3339(STARTED).unwrap();
    let coverage = (!card.points.is_empty()).then(|| Coverage::new(&card.points, covered).unwrap());
    let graded = Graded {
        grade: coverage
            .as_ref()
            .map_or(Grade::new(grade).unwrap(), |c| c.proposed_grade()),
        elapsed_ms: Some(70_000),
        response: None,
        coverage,
        mock: Some(MockAnswer {
            id: mock.into(),
            started: started + chrono::Duration::days(if mock == "later" { 7 } else { 0 }),
            minutes: 45,
            question,
            questions,
            seconds: 240,
            used_ms: 60_000 + u64::from(question),
            timed_out: question == 2,
        }),
    };
    let when = Moment {
        at: started + chrono::Duration::minutes(i64::from(question) * 4),
        day_start_hour: 4,
        max_interval: crate::sm2::MAX_INTERVAL,
    };
    answer::answer(
        &card.id,
        graded,
        ReviewKind::Practice,
        None,
        when,
        id.into(),
        &crate::memory::Model::default(),
    )
}

#[test]
fn the_history_groups_kept_answers_by_mock_oldest_first() {
    let cards = cards();
    let [rest, joins, plain] = [&cards[0], &cards[1], &cards[2]];
    let undone = answer_to(plain, "later", 2, 3, &[], 5, "u");
    let log = vec![
        answer_to(rest, "later", 1, 3, &[1, 2], 0, "a"),
        answer_to(rest, "first", 1, 2, &[1, 2, 3], 0, "b"),
        answer_to(joins, "first", 2, 2, &[], 0, "c"),
        undone.clone(),
        answer::undo(
            &undone,
            Moment {
                at: undone.at,
                day_start_hour: 4,
                max_interval: 1,
            },
            "x".into(),
        )
        .unwrap(),
        answer_to(plain, "later", 3, 3, &[], 4, "d"),
    ];
    let mocks = history(&log, None);
    assert_eq!(
        mocks.iter().map(|m| m.id).collect::<Vec<_>>(),
        ["first", "later"]
    );
    let first = &mocks[0];
    assert!(first.complete());
    assert_eq!((first.covered(), first.points()), (3, 6));
    assert_eq!(first.score(), 0.5);
    assert_eq!(first.used_ms(), 120_003);
    assert!(first.answers[1].timed_out);
    assert_eq!(first.answers[1].missed.len(), 2);
    let later = &mocks[1];
    assert!(!later.complete(), "question 2 was undone");
    assert_eq!(
        later
            .answers
            .iter()
            .map(|a| (a.question, a.covered, a.points))
            .collect::<Vec<_>>(),
        [(1, 2, 4), (3, 1, 1)],
        "a card without key points is one point, covered with a grade of 3 or more"
    );
}

#[test]
fn a_question_answered_twice_counts_its_latest_answer() {
    let cards = cards();
    let log = vec![
        answer_to(&cards[0], "m", 1, 1, &[1], 0, "a"),
        answer_to(&cards[0], "m", 1, 1, &[1, 2, 3, 4], 0, "b"),
    ];
    let mocks = history(&log, None);
    assert_eq!(mocks[0].answers.len(), 1);
    assert_eq!(mocks[0].score(), 1.0);
}

#[test]
fn answers_outside_a_mock_and_cards_left_out_do_not_count() {
    let cards = cards();
    let mut plain = answer_to(&cards[0], "m", 1, 2, &[1], 0, "a");
    if let crate::model::Action::Practice { answer } = &mut plain.action {
        answer.mock = None;
    }
    let log = vec![plain, answer_to(&cards[1], "m", 2, 2, &[1], 0, "b")];
    assert_eq!(history(&log, None)[0].answers.len(), 1);
    let only: FxHashSet<&CardId> = [&cards[0].id].into_iter().collect();
    assert!(history(&log, Some(&only)).is_empty());
}

#[test]
fn the_scorecard_has_topics_weakest_first_the_points_missed_most_and_what_to_drill() {
    let cards = cards();
    let log = vec![
        answer_to(&cards[0], "m", 1, 3, &[1], 0, "a"),
        answer_to(&cards[1], "m", 2, 3, &[1, 2], 0, "b"),
        answer_to(&cards[2], "m", 3, 3, &[], 1, "c"),
    ];
    let mocks = history(&log, None);
    let refs: Vec<&Card> = cards.iter().collect();
    // Over every answer, "verbs" was missed once more, before this mock.
    let mut tallies = crate::stats::missed_points(&refs, &log);
    for tally in &mut tallies {
        if tally.point == "verbs" {
            tally.missed += 1;
            tally.reviews += 1;
        }
    }
    let find = |id: &CardId| cards.iter().find(|c| &c.id == id);
    let card = scorecard(mocks[0].clone(), find, &tallies);
    assert_eq!(
        card.topics,
        [
            TopicScore {
                topic: "mine".into(),
                questions: 1,
                covered: 0,
                points: 1
            },
            TopicScore {
                topic: "api".into(),
                questions: 1,
                covered: 1,
                points: 4
            },
            TopicScore {
                topic: "sql".into(),
                questions: 1,
                covered: 2,
                points: 2
            },
        ]
    );
    assert_eq!(
        card.missed
            .iter()
            .map(|m| (m.point.as_str(), m.position, m.missed, m.checked))
            .collect::<Vec<_>>(),
        [
            ("verbs", 3, 2, 2),
            ("resources", 2, 1, 1),
            ("cache", 4, 1, 1)
        ]
    );
    assert_eq!(
        card.drill.iter().map(CardId::as_str).collect::<Vec<_>>(),
        ["mine/plain", "api/rest"]
    );
}
