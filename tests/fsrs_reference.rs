//! hone's FSRS memory states and intervals against py-fsrs, the reference implementation: the
//! review steps in `tests/data/fsrs_reference.json` were computed once by
//! `scripts/fsrs_reference.py` (py-fsrs 6.x, default parameters, no learning or relearning
//! steps, no fuzz) and are replayed here through `memory::Model`, as the replay folds reviews.

use chrono::NaiveDate;
use hone::memory::{DEFAULT_PARAMETERS, Model, Scheduler};
use hone::model::{CardState, Grade, StudyDay};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    parameters: Vec<f32>,
    steps: usize,
    cards: Vec<Vec<Step>>,
}

#[derive(Deserialize)]
struct Step {
    delay: u32,
    rating: u8,
    retrievability: Option<f64>,
    stability: f64,
    difficulty: f64,
    interval: u32,
    interval_unrounded: f64,
}

/// The longest stability the fsrs crate keeps, in days.
const STABILITY_CAP: f32 = 36_500.0;

/// A hone grade for each FSRS rating (0–2 are all Again; 1 stands for them).
fn grade(rating: u8) -> Grade {
    Grade::new([1, 3, 4, 5][usize::from(rating - 1)]).unwrap()
}

fn reference() -> Reference {
    let text = include_str!("data/fsrs_reference.json");
    serde_json::from_str(text).unwrap()
}

/// hone computes in f32, as the `fsrs` crate does; py-fsrs in f64.
fn close(ours: f32, theirs: f64, relative: f64) -> bool {
    (f64::from(ours) - theirs).abs() <= relative * theirs.abs().max(1.0)
}

#[test]
fn memory_states_and_intervals_match_py_fsrs_on_every_step() {
    let reference = reference();
    assert_eq!(reference.parameters, DEFAULT_PARAMETERS);
    assert!(reference.steps >= 1000, "{} steps", reference.steps);
    let model = Model::default().with(Scheduler::Fsrs, 0.9);
    let start = StudyDay::from_date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    let (mut steps, mut near_half, mut capped) = (0, 0, 0);
    let mut worst = (0.0f64, 0.0f64);
    for (c, card) in reference.cards.iter().enumerate() {
        let mut state: Option<CardState> = None;
        let mut day = start;
        for (n, step) in card.iter().enumerate() {
            day = day.plus(step.delay);
            let at = format!("card {c}, step {n}");
            if let (Some(before), Some(expected)) = (state, step.retrievability) {
                let r = model.retrievability(before.memory.unwrap(), step.delay as f32);
                assert!(close(r, expected, 1e-5), "{at}: R {r} against {expected}");
            }
            let after = model.review(state.as_ref(), grade(step.rating), day, 36_500);
            let memory = after.memory.unwrap();
            if step.stability > f64::from(STABILITY_CAP) {
                // The fsrs crate (as Anki) caps stability at 100 years; py-fsrs does not, so
                // the two part here and the rest of this card is not compared.
                assert_eq!(memory.stability, STABILITY_CAP, "{at}");
                assert_eq!(after.interval_days, 36_500, "{at}");
                capped += card.len() - n;
                break;
            }
            worst.0 = worst
                .0
                .max((f64::from(memory.stability) - step.stability).abs() / step.stability);
            worst.1 = worst
                .1
                .max((f64::from(memory.difficulty) - step.difficulty).abs());
            assert!(
                close(memory.stability, step.stability, 1e-5),
                "{at}: S {} against {}",
                memory.stability,
                step.stability
            );
            assert!(
                close(memory.difficulty, step.difficulty, 1e-5),
                "{at}: D {} against {}",
                memory.difficulty,
                step.difficulty
            );
            // Rounding may only differ where f32 and f64 straddle a half day.
            let fraction = step.interval_unrounded.fract();
            if (fraction - 0.5).abs() < 1e-3 {
                near_half += 1;
                assert!(after.interval_days.abs_diff(step.interval) <= 1, "{at}");
            } else {
                assert_eq!(after.interval_days, step.interval, "{at}: interval");
            }
            assert_eq!(after.due, day.plus(after.interval_days), "{at}: due");
            state = Some(after);
            steps += 1;
        }
    }
    assert_eq!(steps + capped, reference.steps);
    assert!(
        steps >= 1000 && capped < steps / 50,
        "{steps} compared, {capped} past the cap"
    );
    assert!(
        near_half < steps / 100,
        "{near_half} intervals near a half day"
    );
    eprintln!(
        "{steps} steps ({capped} past the cap); largest relative error of S {:.2e}, of D {:.2e}",
        worst.0, worst.1
    );
}
