//! The interview plan: how scheduling changes when an interview date is set. Pure.
//!
//! The rule, for an interview on day D (a study day):
//! - **The last days.** The window is the `WINDOW_DAYS` days before D (D-3 to D-1). A card last
//!   reviewed before the window is due no later than its day in the window, whatever its SM-2
//!   interval: every card seen is reviewed again in the last days. A card's day in the window is
//!   D-3 + (FNV-1a hash of its id mod 3), which spreads the load over the three days the same
//!   way on every machine. The stored schedule is not changed; the plan only brings due days
//!   forward, so clearing it restores plain SM-2.
//! - **New cards.** New cards are introduced only until D-5 (`last_new_day`), so that each one
//!   gets at least three reviews before D: on its first day, the next day (SM-2's I = 1; under
//!   FSRS, whose first interval may be longer, the plan brings the second review forward to the
//!   next day), and at the latest on its day in the window. Each day until then introduces
//!   ceil(new cards left at the start of the day / days left until D-5, inclusive), spreading
//!   what is left evenly: more than the configured limit when time is short, fewer when there
//!   is plenty. After D-5, no new cards.
//! - **Reviews.** The reviews-per-day limit is lifted: every due card is shown, since a review
//!   skipped now may not come round again before D.
//! - On and after D the plan has no effect.

use crate::memory::{self, Model};
use crate::model::{CardId, CardState, Grade, StudyDay};
use crate::sm2;

/// Days before the interview in which every card seen comes up again.
pub const WINDOW_DAYS: u32 = 3;
/// Days before the interview after which no new card is introduced.
pub const NEW_CARD_LEAD_DAYS: u32 = WINDOW_DAYS + 2;
/// Reviews every new card gets before the interview, if every due card is answered.
pub const MIN_REVIEWS: u32 = 3;
/// The furthest an interview may be: two years. The plan is simulated day by day up to it.
pub const MAX_HORIZON_DAYS: u32 = 730;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub interview: StudyDay,
}

impl Plan {
    /// Whether the plan shapes the schedule on `today`.
    pub fn active(&self, today: StudyDay) -> bool {
        today < self.interview
    }

    pub fn window_start(&self) -> StudyDay {
        self.interview.minus(WINDOW_DAYS)
    }

    pub fn last_new_day(&self) -> StudyDay {
        self.interview.minus(NEW_CARD_LEAD_DAYS)
    }

    /// A card's day in the window, from a key that stands for it (its id's stable hash).
    pub fn window_day(&self, key: u64) -> StudyDay {
        self.window_start()
            .plus((key % u64::from(WINDOW_DAYS)) as u32)
    }

    /// The day a reviewed card is due under the plan; `key` is its id's stable hash. A card
    /// seen once is due again the next day (SM-2 does that already; FSRS may not).
    pub fn due(&self, key: u64, state: &CardState) -> StudyDay {
        let latest = self.window_day(key);
        let due = if state.reviews == 1 {
            state.due.min(state.last_reviewed.plus(1))
        } else {
            state.due
        };
        if state.last_reviewed < self.window_start() && due > latest {
            latest
        } else {
            due
        }
    }

    /// Today's limits. `new_at_day_start`: cards never reviewed before today (those introduced
    /// today included), so the figure does not move during the day.
    pub fn limits(&self, today: StudyDay, new_at_day_start: usize) -> Limits {
        let days_left = today.days_until(self.last_new_day()) + 1;
        let new_per_day = if days_left <= 0 {
            0
        } else {
            u32::try_from((new_at_day_start as u64).div_ceil(days_left as u64)).unwrap_or(u32::MAX)
        };
        Limits {
            new_per_day,
            reviews_per_day: u32::MAX,
        }
    }
}

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

/// Today's limits: the plan's while one is active, else the configured ones. `unseen` counts the
/// cards never reviewed, `new_done_today` those introduced today.
pub fn limits(
    plan: Option<&Plan>,
    today: StudyDay,
    configured: Limits,
    unseen: usize,
    new_done_today: usize,
) -> Limits {
    match plan {
        Some(plan) if plan.active(today) => plan.limits(today, unseen + new_done_today),
        _ => configured,
    }
}

/// The due day of a reviewed card, with the plan if one is active.
pub fn due_day(plan: Option<&Plan>, today: StudyDay, card: &CardId, state: &CardState) -> StudyDay {
    match plan {
        Some(plan) if plan.active(today) => plan.due(card.stable_hash(), state),
        _ => state.due,
    }
}

/// Cards to study on one day of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayLoad {
    pub day: StudyDay,
    pub new: usize,
    pub reviews: usize,
}

/// A card in a simulation: its key (its id's stable hash), its state (`None`: never reviewed)
/// and the share of its key points its last answer reached (`points::answered_share`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimCard {
    pub key: u64,
    pub state: Option<CardState>,
    pub share: f64,
}

/// What a simulation gives: each day's load, and every card as the last day left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub loads: Vec<DayLoad>,
    pub cards: Vec<SimCard>,
}

/// The workload from `today` to the day before the interview, if the learner answers every
/// card shown as the model expects: a simulation with the real scheduler. `cards`: every card
/// not suspended, those never reviewed in the order they are introduced; `new_done_today`
/// counts the new cards already introduced today.
pub fn workload(
    plan: &Plan,
    today: StudyDay,
    cards: Vec<SimCard>,
    new_done_today: usize,
    model: &Model,
) -> Simulation {
    let days = u32::try_from(today.days_until(plan.interview).max(0)).unwrap_or(0);
    let pace = Pace {
        plan: Some(plan),
        new_per_day: 0,
        max_interval: sm2::MAX_INTERVAL,
        model,
    };
    simulate(&pace, today, days, cards, new_done_today)
}

/// What a simulation needs of the schedule besides the cards: the plan if one is set, the
/// settings that apply when it does not (or no longer) shape a day, and the model reviews are
/// folded with.
#[derive(Debug, Clone, Copy)]
pub struct Pace<'a> {
    pub plan: Option<&'a Plan>,
    pub new_per_day: u32,
    pub max_interval: u32,
    pub model: &'a Model,
}

/// The grade a simulated answer gets: the model expects a card recalled when its retrievability
/// at the review is at least one half (a card's first answer always), and then graded 4; else
/// forgotten, and graded 1.
pub const EXPECTED_GRADE: u8 = 4;
/// The grade of a simulated answer the model expects forgotten.
pub const EXPECTED_FAILURE: u8 = 1;
/// The share of key points a simulated answer graded 4 reaches at least (`answered_share`).
pub const EXPECTED_SHARE: f64 = 0.75;

/// A simulated answer on `day` to a card in `state`: the grade the model expects, and the
/// share of key points it reaches given the share of the last answer.
fn expected_answer(
    model: &Model,
    state: Option<&CardState>,
    share: f64,
    day: StudyDay,
) -> (u8, f64) {
    let recalled = state.is_none_or(|s| memory::recall_on(model, s, day) >= 0.5);
    if recalled {
        (EXPECTED_GRADE, share.max(EXPECTED_SHARE))
    } else {
        (EXPECTED_FAILURE, 0.0)
    }
}

/// The next `days` study days from `today` (today included), if every due card is answered on
/// its day as the model expects (`expected_answer`) and new cards come at the daily limit: the
/// plan's while it is active, else `new_per_day`. The one model behind `hone plan` and the
/// forecast of `hone stats`, so the two never disagree. `cards`: every card not suspended, those
/// never reviewed in the order they are introduced; `new_done_today`: new cards introduced
/// today already.
pub fn simulate(
    pace: &Pace<'_>,
    today: StudyDay,
    days: u32,
    mut cards: Vec<SimCard>,
    new_done_today: usize,
) -> Simulation {
    let model = pace.model;
    let mut loads = Vec::with_capacity(days as usize);
    let mut done = new_done_today;
    let mut unseen: std::collections::VecDeque<usize> = (0..cards.len())
        .filter(|&i| cards[i].state.is_none())
        .collect();
    let mut seen: Vec<usize> = (0..cards.len())
        .filter(|&i| cards[i].state.is_some())
        .collect();
    for offset in 0..days {
        let day = today.plus(offset);
        let active = pace.plan.filter(|p| p.active(day));
        let limit = match active {
            Some(plan) => plan.limits(day, unseen.len() + done).new_per_day as usize,
            None => pace.new_per_day as usize,
        };
        let new = unseen.len().min(limit.saturating_sub(done));
        done = 0;
        let mut reviews = 0;
        for &i in &seen {
            let card = &mut cards[i];
            let Some(state) = card.state.as_ref() else {
                continue;
            };
            let due = match active {
                Some(plan) => plan.due(card.key, state),
                None => state.due,
            };
            if due <= day {
                let (grade, share) = expected_answer(model, Some(state), card.share, day);
                let grade = Grade::new(grade).unwrap_or(Grade::GOOD);
                card.state = Some(model.review(Some(state), grade, day, pace.max_interval));
                card.share = share;
                reviews += 1;
            }
        }
        for _ in 0..new {
            let Some(i) = unseen.pop_front() else {
                break;
            };
            let card = &mut cards[i];
            let (grade, share) = expected_answer(model, None, card.share, day);
            let grade = Grade::new(grade).unwrap_or(Grade::GOOD);
            card.state = Some(model.review(None, grade, day, pace.max_interval));
            card.share = share;
            seen.push(i);
        }
        loads.push(DayLoad { day, new, reviews });
    }
    Simulation { loads, cards }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> StudyDay {
        s.parse().unwrap()
    }

    fn plan() -> Plan {
        Plan {
            interview: day("2026-04-01"),
        }
    }

    fn state(last: &str, due: &str) -> CardState {
        CardState {
            repetitions: 3,
            ease: 2.5,
            interval_days: 40,
            due: day(due),
            reviews: 3,
            lapses: 0,
            first_reviewed: day("2026-01-01"),
            last_reviewed: day(last),
            memory: None,
        }
    }

    #[test]
    fn cards_seen_before_the_window_come_back_in_it() {
        let p = plan();
        assert_eq!(p.window_start(), day("2026-03-29"));
        assert_eq!(
            p.due(0, &state("2026-03-10", "2026-04-20")),
            day("2026-03-29")
        );
        assert_eq!(
            p.due(2, &state("2026-03-10", "2026-04-20")),
            day("2026-03-31")
        );
        assert_eq!(
            p.due(0, &state("2026-03-10", "2026-03-15")),
            day("2026-03-15"),
            "an earlier due day stays"
        );
        assert_eq!(
            p.due(0, &state("2026-03-29", "2026-05-01")),
            day("2026-05-01"),
            "reviewed in the window: done"
        );
    }

    #[test]
    fn the_window_days_spread_the_cards() {
        let p = plan();
        let mut per_day = std::collections::BTreeMap::new();
        for i in 0..300 {
            let card: CardId = format!("deck/card-{i}").parse().unwrap();
            *per_day
                .entry(due_day(
                    Some(&p),
                    day("2026-03-01"),
                    &card,
                    &state("2026-03-10", "2027-01-01"),
                ))
                .or_insert(0) += 1;
        }
        assert_eq!(per_day.len(), 3);
        assert!(
            per_day.values().all(|n| (70..130).contains(n)),
            "{per_day:?}"
        );
    }

    #[test]
    fn new_cards_are_spread_over_the_days_until_d_minus_5() {
        let p = plan();
        assert_eq!(p.last_new_day(), day("2026-03-27"));
        // 27 days from 03-01 to 03-27 inclusive: 100 cards need 4 a day.
        assert_eq!(
            p.limits(day("2026-03-01"), 100),
            Limits {
                new_per_day: 4,
                reviews_per_day: u32::MAX
            }
        );
        assert_eq!(
            p.limits(day("2026-03-27"), 7).new_per_day,
            7,
            "the last day takes what is left"
        );
        assert_eq!(
            p.limits(day("2026-03-28"), 7).new_per_day,
            0,
            "too late for new cards"
        );
        assert_eq!(p.limits(day("2026-03-01"), 0).new_per_day, 0);
    }

    #[test]
    fn the_plan_stops_at_the_interview() {
        let p = plan();
        let s = state("2026-03-10", "2026-04-20");
        let card: CardId = "d/c".parse().unwrap();
        assert!(due_day(Some(&p), day("2026-03-31"), &card, &s) < p.interview);
        assert_eq!(
            due_day(Some(&p), day("2026-04-01"), &card, &s),
            day("2026-04-20")
        );
        assert_eq!(
            due_day(None, day("2026-03-31"), &card, &s),
            day("2026-04-20")
        );
    }

    fn new_cards(n: u64) -> Vec<SimCard> {
        (0..n)
            .map(|key| SimCard {
                key,
                state: None,
                share: 0.0,
            })
            .collect()
    }

    #[test]
    fn the_workload_introduces_every_card_in_time_under_both_schedulers() {
        for scheduler in [memory::Scheduler::Sm2, memory::Scheduler::Fsrs] {
            let model = Model::default().with(scheduler, 0.9);
            workload_keeps_its_promises(&model);
        }
    }

    fn workload_keeps_its_promises(model: &Model) {
        let p = plan();
        let simulation = workload(&p, day("2026-03-01"), new_cards(50), 0, model);
        let load = &simulation.loads;
        assert_eq!(load.len(), 31);
        assert!(
            simulation
                .cards
                .iter()
                .all(|c| c.state.is_some_and(|s| s.reviews >= MIN_REVIEWS)),
            "{:?}",
            model.scheduler
        );
        assert_eq!(load.iter().map(|d| d.new).sum::<usize>(), 50);
        assert!(
            load.iter()
                .filter(|d| d.day > p.last_new_day())
                .all(|d| d.new == 0)
        );
        let reviews: usize = load.iter().map(|d| d.reviews).sum();
        assert!(
            reviews >= 50 * 2,
            "each card's second and third review: {reviews}"
        );
        let window: usize = load
            .iter()
            .filter(|d| d.day >= p.window_start())
            .map(|d| d.reviews)
            .sum();
        assert!(
            window >= 50,
            "every card comes back in the last days: {window}"
        );
    }
}
