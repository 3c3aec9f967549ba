use chrono::DateTime;

use super::*;
use crate::answer::{self, Moment};
use crate::model::{Graded, ReviewKind};
use crate::replay::Replay;

/// A seeded generator (an LCG): the same learner every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A learner whose memory follows a known curve, unlike FSRS's defaults: it forgets faster
/// (decay 0.5), starts lower and gains less from each success. Reviews come on SM-2's due days, some days late; each answer
/// is recalled with the curve's probability.
fn simulated_history(cards: usize, days: u32, seed: u64) -> Vec<Event> {
    let mut w = memory::DEFAULT_PARAMETERS;
    w[0..4].copy_from_slice(&[0.3, 0.8, 1.5, 4.0]);
    w[8] = 1.2; // stability grows more slowly after a success
    w[20] = 0.5;
    let truth = Model::new(Scheduler::Fsrs, 0.9, &w).unwrap();
    let scheduler = Model::default();
    let mut rng = Rng(seed);
    let mut replay = Replay::default();
    let mut truths: HashMap<String, CardState> = HashMap::new();
    let mut log = Vec::new();
    let start = DateTime::parse_from_rfc3339("2026-01-05T09:00:00+00:00").unwrap();
    for day in 0..days {
        let today = StudyDay::of(start, 4).plus(day);
        if rng.next() < 0.2 {
            continue; // a day off: what is due waits
        }
        for i in 0..cards {
            let id: CardId = format!("sim/c{i}").parse().unwrap();
            let introduced = i as u32 / 10 <= day;
            let due = replay.state.cards.get(&id).map(|s| s.due);
            if !introduced || due.is_some_and(|d| d > today) {
                continue;
            }
            let recall = truths
                .get(id.as_str())
                .map_or(0.0, |s| f64::from(memory::recall_on(&truth, s, today)));
            let recalled = truths.contains_key(id.as_str()) && rng.next() < recall;
            let q = if !truths.contains_key(id.as_str()) {
                [1, 3, 4, 4, 5][(rng.next() * 5.0) as usize % 5]
            } else if recalled {
                [3, 4, 4, 5][(rng.next() * 4.0) as usize % 4]
            } else {
                1
            };
            let grade = Grade::new(q).unwrap();
            let at = start + chrono::Days::new(u64::from(day));
            let event = answer::answer(
                &id,
                Graded {
                    grade,
                    elapsed_ms: None,
                    response: None,
                    coverage: None,
                    mock: None,
                },
                ReviewKind::Scheduled,
                replay.state.cards.get(&id),
                Moment {
                    at,
                    day_start_hour: 4,
                    max_interval: sm2::MAX_INTERVAL,
                },
                format!("e{}", log.len()),
                &scheduler,
            );
            let before = truths.get(id.as_str());
            let next = truth.review(before, grade, today, sm2::MAX_INTERVAL);
            truths.insert(id.to_string(), next);
            replay.push(&event).unwrap();
            log.push(event);
        }
    }
    log
}

#[test]
fn items_are_the_reviews_of_cards_seen_before_with_their_delays() {
    let history = simulated_history(20, 30, 3);
    let items = items(&history);
    let reviews = history.iter().filter(|e| e.after().is_some()).count();
    assert_eq!(
        items.len(),
        reviews - 20,
        "every card's first review predicts nothing"
    );
    for (_, item) in &items {
        assert_eq!(item.reviews[0].1, 0);
        assert!(item.reviews[1..].iter().all(|(_, d)| *d >= 1));
    }
}

#[test]
fn too_short_a_history_is_refused_with_how_many_reviews_are_still_needed() {
    let history = simulated_history(10, 8, 5);
    let items = items(&history);
    let e = optimize(&items).unwrap_err();
    assert_eq!(e, OptimizeError::TooFew { have: items.len() });
    let text = e.to_string();
    assert!(
        text.contains(&format!("needs at least {MIN_REVIEWS}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{} more", MIN_REVIEWS - items.len())),
        "{text}"
    );
}

#[test]
fn a_perfect_prediction_scores_near_zero_and_a_coin_ln_2() {
    let recalled = Item {
        reviews: vec![(3, 0), (3, 4)],
        sm2_interval: 4,
    };
    let forgotten = Item {
        reviews: vec![(3, 0), (1, 4)],
        sm2_interval: 4,
    };
    let items = [&recalled, &forgotten];
    let coin = measure(&items, |_| 0.5);
    assert!((coin.log_loss - std::f64::consts::LN_2).abs() < 1e-12);
    let oracle = measure(&items, |item| if item.recalled() { 1.0 } else { 0.0 });
    assert!(oracle.log_loss < 1e-3, "{oracle:?}");
    assert!(
        (sm2_prediction(&recalled) - 0.9).abs() < 1e-12,
        "t = I: R = 90%"
    );
}

#[test]
fn on_a_simulated_learner_fitted_fsrs_predicts_better_than_sm2() {
    for seed in [11, 12, 13, 14, 15] {
        let history = simulated_history(200, 90, seed);
        let items = items(&history);
        let found = optimize(&items).unwrap();
        eprintln!("seed {seed}, {} reviews: {found:?}", items.len());
        assert!(found.reviews >= 1000, "{}", found.reviews);
        assert!(
            found.fsrs_optimized.log_loss < found.sm2.log_loss,
            "{found:?}"
        );
        assert!(Model::new(Scheduler::Fsrs, 0.9, &found.parameters).is_ok());
    }
}
