use super::*;
use crate::model::{CardState, StudyDay};
use crate::points::Coverage;

fn ids(names: &[&str]) -> Vec<CardId> {
    names.iter().map(|n| n.parse().unwrap()).collect()
}

fn fresh() -> Weakness {
    Weakness {
        state: None,
        points_missed: 0,
        points_checked: 0,
        recall: None,
    }
}

/// Known well: reviewed, ease above the start, no lapse, every point covered.
fn strong() -> Weakness {
    Weakness {
        state: Some((2.7, 0)),
        points_missed: 0,
        points_checked: 10,
        recall: None,
    }
}

fn weak() -> Weakness {
    Weakness {
        state: Some((1.3, 4)),
        points_missed: 9,
        points_checked: 10,
        recall: None,
    }
}

fn question<'a>(card: &'a CardId, weakness: Weakness) -> Candidate<'a> {
    Candidate {
        card,
        kind: Kind::Question,
        weakness,
    }
}

fn request(seed: u64) -> Request {
    Request {
        minutes: None,
        questions: None,
        seconds: None,
        seed,
    }
}

fn cards_of<'a>(plan: &MockPlan<'a>) -> Vec<&'a str> {
    plan.questions.iter().map(|q| q.card.as_str()).collect()
}

/// Twenty questions over five decks, all known well.
fn twenty() -> Vec<CardId> {
    let names: Vec<String> = (0..20)
        .map(|i| format!("{}/q{i}", ["api", "sql", "os", "git", "auth"][i % 5]))
        .collect();
    names.iter().map(|n| n.parse().unwrap()).collect()
}

#[test]
fn the_weight_grows_with_each_sign_of_weakness() {
    assert_eq!(weight(&strong()), 1.0);
    assert_eq!(weight(&fresh()), 2.0, "an unseen card counts double");
    let low_ease = Weakness {
        state: Some((1.9, 0)),
        ..strong()
    };
    assert!(
        (weight(&low_ease) - 2.0).abs() < 1e-9,
        "half-way to the floor adds 1"
    );
    let lapsed = Weakness {
        state: Some((2.5, 2)),
        ..strong()
    };
    assert_eq!(weight(&lapsed), 2.0);
    let missed = Weakness {
        points_missed: 5,
        ..strong()
    };
    assert_eq!(weight(&missed), 2.0, "half the points missed adds 1");
    assert_eq!(weight(&weak()), 1.0 + 1.8 + 2.0 + 2.0);
    // Lapses count up to four.
    let many = Weakness {
        state: Some((2.5, 40)),
        ..strong()
    };
    assert_eq!(weight(&many), 3.0);
}

#[test]
fn a_predicted_recall_counts_where_a_memory_model_gives_one() {
    let forgotten = Weakness {
        recall: Some(0.25),
        ..strong()
    };
    assert_eq!(weight(&forgotten), 2.5);
    let sure = Weakness {
        recall: Some(1.0),
        ..strong()
    };
    assert_eq!(weight(&sure), 1.0);
    let nonsense = Weakness {
        recall: Some(f64::NAN),
        ..strong()
    };
    assert_eq!(
        weight(&nonsense),
        1.0,
        "a value that is no probability is left out"
    );
    let below = Weakness {
        recall: Some(-3.0),
        ..strong()
    };
    assert_eq!(weight(&below), 3.0, "clamped to 0..1");
}

#[test]
fn the_same_seed_draws_the_same_mock_and_another_seed_another() {
    let ids = twenty();
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    let first = plan(&candidates, &request(7)).unwrap();
    assert_eq!(plan(&candidates, &request(7)).unwrap(), first);
    let others: FxHashSet<Vec<&str>> = (0..10)
        .map(|seed| cards_of(&plan(&candidates, &request(seed)).unwrap()))
        .collect();
    assert!(others.len() >= 9, "ten seeds, {} mocks", others.len());
}

/// The draw is pinned: a seed must name the same mock in every release.
#[test]
fn a_seed_names_the_same_mock_in_every_release() {
    let ids = twenty();
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    let plan = plan(&candidates, &request(42)).unwrap();
    assert_eq!(
        cards_of(&plan),
        [
            "auth/q14", "os/q2", "api/q5", "os/q7", "api/q0", "git/q18", "auth/q4", "sql/q16",
            "git/q8", "os/q12", "git/q3"
        ]
    );
}

#[test]
fn weak_cards_are_drawn_far_more_often_than_cards_known_well() {
    let ids = twenty();
    // api/q0 is weak, api/q5 known well; the rest unseen.
    let candidates: Vec<Candidate> = ids
        .iter()
        .map(|id| match id.as_str() {
            "api/q0" => question(id, weak()),
            "api/q5" => question(id, strong()),
            _ => question(id, fresh()),
        })
        .collect();
    let (mut weak_drawn, mut strong_drawn) = (0, 0);
    for seed in 0..400 {
        let request = Request {
            questions: Some(3),
            ..request(seed)
        };
        let drawn = cards_of(&plan(&candidates, &request).unwrap());
        weak_drawn += usize::from(drawn.contains(&"api/q0"));
        strong_drawn += usize::from(drawn.contains(&"api/q5"));
    }
    assert!(
        weak_drawn > 4 * strong_drawn && strong_drawn > 0,
        "weak {weak_drawn}, strong {strong_drawn} of 400"
    );
}

#[test]
fn two_questions_of_one_deck_are_never_neighbours_while_another_deck_has_cards() {
    let names: Vec<String> = (0..12)
        .map(|i| format!("{}/q{i}", if i < 9 { "sql" } else { "api" }))
        .collect();
    let ids: Vec<CardId> = names.iter().map(|n| n.parse().unwrap()).collect();
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    for seed in 0..200 {
        let plan = plan(
            &candidates,
            &Request {
                questions: Some(7),
                ..request(seed)
            },
        )
        .unwrap();
        let decks: Vec<&str> = plan.questions.iter().map(|q| q.card.deck()).collect();
        assert_eq!(decks.len(), 7);
        assert!(
            decks.windows(2).all(|w| w[0] != w[1]),
            "seed {seed}: {decks:?}"
        );
    }
}

proptest::proptest! {
    /// Whatever the decks' sizes, a design exercise or not, and however the mock is asked for:
    /// two neighbours of one deck only when every card is of one deck, no card twice, and the
    /// time never exceeded.
    #[test]
    fn no_two_neighbours_share_a_deck_whatever_the_decks(
        sizes in proptest::collection::vec(1usize..8, 1..5),
        designs in proptest::collection::vec(0usize..3, 1..5),
        minutes in 4u32..90,
        questions in proptest::option::of(1u32..30),
        seed: u64,
    ) {
        let mut names = Vec::new();
        for (d, size) in sizes.iter().enumerate() {
            for i in 0..*size {
                names.push((format!("d{d}/q{i}"), false));
            }
            for i in 0..designs.get(d).copied().unwrap_or(0) {
                names.push((format!("d{d}/design{i}"), true));
            }
        }
        let ids: Vec<(CardId, bool)> = names.iter().map(|(n, design)| (n.parse().unwrap(), *design)).collect();
        let candidates: Vec<Candidate> = ids
            .iter()
            .map(|(id, design)| Candidate {
                card: id,
                kind: if *design { Kind::Design } else { Kind::Question },
                weakness: fresh(),
            })
            .collect();
        let request = Request { minutes: Some(minutes), questions, seconds: None, seed };
        let Ok(plan) = plan(&candidates, &request) else { return Ok(()) };
        let decks: Vec<&str> = plan.questions.iter().map(|q| q.card.deck()).collect();
        if sizes.len() > 1 {
            proptest::prop_assert!(decks.windows(2).all(|w| w[0] != w[1]), "{:?}", cards_of(&plan));
        }
        let mut once = cards_of(&plan);
        once.sort_unstable();
        once.dedup();
        proptest::prop_assert_eq!(once.len(), plan.questions.len());
        if questions.is_none() {
            let used: u32 = plan.questions.iter().map(|q| q.seconds).sum();
            proptest::prop_assert!(used <= minutes * 60);
        } else {
            proptest::prop_assert!(plan.questions.len() <= questions.unwrap_or(0) as usize);
        }
        proptest::prop_assert!(plan.questions.iter().filter(|q| q.kind == Kind::Design).count() <= 1);
    }
}

#[test]
fn a_single_deck_mock_asks_its_cards_one_after_another() {
    let ids = ids(&["sql/a", "sql/b", "sql/c", "sql/d"]);
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    let plan = plan(
        &candidates,
        &Request {
            minutes: Some(12),
            ..request(1)
        },
    )
    .unwrap();
    assert_eq!(
        plan.questions.len(),
        3,
        "12 minutes hold three 4-minute questions"
    );
    let mut drawn = cards_of(&plan);
    drawn.sort_unstable();
    drawn.dedup();
    assert_eq!(drawn.len(), 3, "no card twice");
}

#[test]
fn the_minutes_decide_how_many_questions_and_whether_a_design_exercise_fits() {
    let mut ids = twenty();
    ids.extend(self::ids(&[
        "system-design/url-shortener",
        "system-design/rate-limiter",
    ]));
    let candidates: Vec<Candidate> = ids
        .iter()
        .map(|id| Candidate {
            card: id,
            kind: if id.deck() == "system-design" {
                Kind::Design
            } else {
                Kind::Question
            },
            weakness: fresh(),
        })
        .collect();
    for seed in 0..50 {
        // 45 minutes: one 10-minute design exercise and eight 4-minute questions (42 minutes).
        let full = plan(&candidates, &request(seed)).unwrap();
        assert_eq!(full.minutes, 45);
        let kinds: Vec<Kind> = full.questions.iter().map(|q| q.kind).collect();
        assert_eq!(kinds.len(), 9, "seed {seed}");
        assert_eq!(kinds.iter().filter(|k| **k == Kind::Design).count(), 1);
        assert_eq!(
            kinds.last(),
            Some(&Kind::Design),
            "the design exercise comes last"
        );
        let seconds: u32 = full.questions.iter().map(|q| q.seconds).sum();
        assert_eq!(seconds, 42 * 60);
        // 17 minutes cannot hold one with two other questions; 18 can.
        let short = plan(
            &candidates,
            &Request {
                minutes: Some(17),
                ..request(seed)
            },
        )
        .unwrap();
        assert!(short.questions.iter().all(|q| q.kind == Kind::Question));
        assert_eq!(short.questions.len(), 4);
        let enough = plan(
            &candidates,
            &Request {
                minutes: Some(18),
                ..request(seed)
            },
        )
        .unwrap();
        assert_eq!(
            enough.questions.iter().map(|q| q.kind).collect::<Vec<_>>(),
            [Kind::Question, Kind::Question, Kind::Design]
        );
    }
}

#[test]
fn a_design_exercise_is_never_next_to_a_question_of_its_deck() {
    let ids = ids(&["sd/design", "sd/a", "sd/b", "sd/c", "api/a"]);
    let candidates: Vec<Candidate> = ids
        .iter()
        .map(|id| Candidate {
            card: id,
            kind: if id.as_str() == "sd/design" {
                Kind::Design
            } else {
                Kind::Question
            },
            weakness: fresh(),
        })
        .collect();
    for seed in 0..100 {
        let plan = plan(
            &candidates,
            &Request {
                questions: Some(3),
                ..request(seed)
            },
        )
        .unwrap();
        let drawn = cards_of(&plan);
        assert!(drawn.contains(&"sd/design"), "seed {seed}: {drawn:?}");
        // sd, api, sd: the design exercise can only go where it has no sd neighbour.
        let decks: Vec<&str> = plan.questions.iter().map(|q| q.card.deck()).collect();
        if decks.iter().filter(|d| **d == "api").count() == 1 {
            let at = drawn.iter().position(|c| *c == "sd/design").unwrap();
            let neighbours = [at.checked_sub(1), Some(at + 1)]
                .into_iter()
                .flatten()
                .filter_map(|i| decks.get(i));
            assert!(
                neighbours.clone().all(|d| *d == "api") || decks.len() < 3,
                "seed {seed}: {drawn:?}"
            );
        }
    }
}

#[test]
fn only_design_exercises_to_ask_makes_them_ordinary_questions() {
    let ids = ids(&["a/design", "b/design", "c/design"]);
    let candidates: Vec<Candidate> = ids
        .iter()
        .map(|id| Candidate {
            card: id,
            kind: Kind::Design,
            weakness: fresh(),
        })
        .collect();
    let plan = plan(&candidates, &request(3)).unwrap();
    assert_eq!(
        plan.questions.len(),
        3,
        "45 minutes hold three 10-minute exercises"
    );
}

#[test]
fn a_number_of_questions_sets_the_minutes_or_shares_them() {
    let ids = twenty();
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    let five = plan(
        &candidates,
        &Request {
            questions: Some(5),
            ..request(2)
        },
    )
    .unwrap();
    assert_eq!((five.questions.len(), five.minutes), (5, 20));
    let shared = plan(
        &candidates,
        &Request {
            questions: Some(4),
            minutes: Some(10),
            ..request(2)
        },
    )
    .unwrap();
    assert_eq!(shared.minutes, 10);
    assert!(shared.questions.iter().all(|q| q.seconds == 150));
    let quick = plan(
        &candidates,
        &Request {
            questions: Some(2),
            seconds: Some(3),
            ..request(2)
        },
    )
    .unwrap();
    assert_eq!(
        quick
            .questions
            .iter()
            .map(|q| q.seconds)
            .collect::<Vec<_>>(),
        [3, 3]
    );
    assert_eq!(quick.minutes, 1);
    let more_than_there_are = plan(
        &candidates,
        &Request {
            questions: Some(50),
            ..request(2)
        },
    )
    .unwrap();
    assert_eq!(more_than_there_are.questions.len(), 20);
}

#[test]
fn seconds_set_every_question_s_time_and_so_how_many_fit() {
    let ids = twenty();
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    let plan = plan(
        &candidates,
        &Request {
            minutes: Some(10),
            seconds: Some(60),
            ..request(2)
        },
    )
    .unwrap();
    assert_eq!(plan.questions.len(), 10);
}

#[test]
fn too_few_minutes_or_no_card_is_said_plainly() {
    let ids = twenty();
    let candidates: Vec<Candidate> = ids.iter().map(|id| question(id, fresh())).collect();
    let err = plan(
        &candidates,
        &Request {
            minutes: Some(3),
            ..request(2)
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "3 minutes hold no question: the shortest takes 4:00 (--seconds sets a shorter time)"
    );
    assert_eq!(plan(&[], &request(2)).unwrap_err(), PlanError::NoCandidates);
}

fn card(id: &str, kind: CardKind, tags: &[&str]) -> Card {
    Card {
        id: id.parse().unwrap(),
        kind,
        front: "?".into(),
        back: "!".into(),
        points: vec!["one".into(), "two".into()],
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        retired: false,
    }
}

#[test]
fn the_pool_takes_questions_of_its_deck_and_tag_neither_suspended_nor_retired() {
    let mut retired = card("api/old", CardKind::Question, &["api"]);
    retired.retired = true;
    let cards = [
        card("api/rest", CardKind::Question, &["api", "rest"]),
        card("api/what", CardKind::Definition, &["api", "rest"]),
        card("api/held", CardKind::Question, &["api"]),
        retired,
        card("sql/joins", CardKind::Question, &["sql", "rest"]),
        card(
            "sd/shortener",
            CardKind::Question,
            &["system-design", DESIGN_TAG],
        ),
    ];
    let refs: Vec<&Card> = cards.iter().collect();
    let mut state = ReviewState::default();
    state.suspended.insert("api/held".parse().unwrap());
    let pick = |pool: &Pool| -> Vec<(String, Kind)> {
        candidates(&refs, &state, &[], |_| None, pool)
            .iter()
            .map(|c| (c.card.to_string(), c.kind))
            .collect()
    };
    let q = |id: &str| (id.to_owned(), Kind::Question);
    assert_eq!(
        pick(&Pool::default()),
        [
            q("api/rest"),
            q("sql/joins"),
            ("sd/shortener".to_owned(), Kind::Design)
        ]
    );
    assert_eq!(
        pick(&Pool {
            definitions: true,
            ..Pool::default()
        })[1],
        ("api/what".to_owned(), Kind::Definition)
    );
    assert_eq!(
        pick(&Pool {
            deck: Some("api"),
            ..Pool::default()
        }),
        [q("api/rest")]
    );
    assert_eq!(
        pick(&Pool {
            tag: Some("rest"),
            ..Pool::default()
        }),
        [q("api/rest"), q("sql/joins")]
    );
}

#[test]
fn a_candidate_s_weakness_comes_from_its_state_its_missed_points_and_the_model() {
    let cards = [
        card("api/rest", CardKind::Question, &["api"]),
        card("sql/joins", CardKind::Question, &["sql"]),
    ];
    let refs: Vec<&Card> = cards.iter().collect();
    let day = StudyDay::from_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    let mut state = ReviewState::default();
    state.cards.insert(
        cards[0].id.clone(),
        CardState {
            repetitions: 0,
            ease: 1.7,
            interval_days: 1,
            due: day,
            reviews: 3,
            lapses: 2,
            first_reviewed: day,
            last_reviewed: day,
            memory: None,
        },
    );
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap();
    let graded = |covered: &[usize]| crate::model::Graded {
        grade: crate::model::Grade::new(3).unwrap(),
        elapsed_ms: None,
        response: None,
        coverage: Some(Coverage::new(&cards[0].points, covered).unwrap()),
        mock: None,
    };
    let when = crate::answer::Moment {
        at,
        day_start_hour: 4,
        max_interval: crate::sm2::MAX_INTERVAL,
    };
    let log: Vec<Event> = [&[1usize][..], &[]]
        .iter()
        .enumerate()
        .map(|(i, covered)| {
            crate::answer::answer(
                &cards[0].id,
                graded(covered),
                crate::model::ReviewKind::Practice,
                None,
                when,
                format!("p{i}"),
                &crate::memory::Model::default(),
            )
        })
        .collect();
    let found = candidates(
        &refs,
        &state,
        &log,
        |id| (id.as_str() == "sql/joins").then_some(0.4),
        &Pool::default(),
    );
    assert_eq!(
        found[0].weakness,
        Weakness {
            state: Some((1.7, 2)),
            points_missed: 3,
            points_checked: 4,
            recall: None,
        }
    );
    assert_eq!(
        found[1].weakness,
        Weakness {
            recall: Some(0.4),
            ..fresh()
        }
    );
}

#[test]
fn the_curriculum_s_design_exercises_are_questions_in_several_decks() {
    let decks = crate::deck::builtin_decks();
    let designs: Vec<&Card> = decks
        .iter()
        .flat_map(|d| &d.cards)
        .filter(|c| c.tags.iter().any(|t| t == DESIGN_TAG))
        .collect();
    assert_eq!(designs.len(), 7);
    assert!(
        designs
            .iter()
            .all(|c| Kind::of(c) == Kind::Design && !c.points.is_empty())
    );
    let decks_with_one: FxHashSet<&str> = designs.iter().map(|c| c.id.deck()).collect();
    assert_eq!(decks_with_one.len(), 4);
}

#[test]
fn a_default_mock_of_the_curriculum_is_nine_questions_ending_in_a_design_exercise() {
    let decks = crate::deck::builtin_decks();
    let cards: Vec<&Card> = decks.iter().flat_map(|d| &d.cards).collect();
    let state = ReviewState::default();
    let candidates = candidates(&cards, &state, &[], |_| None, &Pool::default());
    for seed in 0..20 {
        let plan = plan(&candidates, &request(seed)).unwrap();
        assert_eq!(plan.questions.len(), 9);
        assert_eq!(plan.questions[8].kind, Kind::Design);
        let decks: FxHashSet<&str> = plan.questions.iter().map(|q| q.card.deck()).collect();
        assert!(decks.len() >= 6, "seed {seed}: {decks:?}");
    }
}
