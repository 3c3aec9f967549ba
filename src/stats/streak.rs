//! Figures computed from the review state. Pure: the day is an argument.

use std::collections::BTreeSet;

use crate::model::StudyDay;

/// Days in a row with at least one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Streak {
    /// The run that ends today, or yesterday when today has no answer yet: a streak is not
    /// broken until a whole study day passes without one.
    pub current: u32,
    pub longest: u32,
    /// The most recent run, ended or not.
    pub last: u32,
}

pub fn streak(active_days: &BTreeSet<StudyDay>, today: StudyDay) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<StudyDay> = None;
    for &day in active_days.iter().filter(|d| **d <= today) {
        run = match previous {
            Some(p) if p.days_until(day) == 1 => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match previous {
        Some(last) if last.days_until(today) <= 1 => run,
        _ => 0,
    };
    Streak {
        current,
        longest,
        last: run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(list: &[&str]) -> BTreeSet<StudyDay> {
        list.iter().map(|d| d.parse().unwrap()).collect()
    }

    fn today() -> StudyDay {
        "2026-03-10".parse().unwrap()
    }

    #[test]
    fn a_streak_counts_consecutive_days_up_to_today() {
        let s = streak(
            &days(&[
                "2026-03-01",
                "2026-03-02",
                "2026-03-08",
                "2026-03-09",
                "2026-03-10",
            ]),
            today(),
        );
        assert_eq!(
            s,
            Streak {
                current: 3,
                longest: 3,
                last: 3
            }
        );
    }

    #[test]
    fn yesterday_keeps_the_streak_alive_until_today_ends() {
        let s = streak(&days(&["2026-03-08", "2026-03-09"]), today());
        assert_eq!(s.current, 2);
    }

    #[test]
    fn a_missed_day_breaks_it_but_the_longest_remains() {
        let s = streak(
            &days(&["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-08"]),
            today(),
        );
        assert_eq!(
            s,
            Streak {
                current: 0,
                longest: 3,
                last: 1
            }
        );
        assert_eq!(streak(&BTreeSet::new(), today()), Streak::default());
    }

    #[test]
    fn days_after_today_are_ignored() {
        let s = streak(&days(&["2026-03-10", "2026-03-11", "2026-03-12"]), today());
        assert_eq!(
            s,
            Streak {
                current: 1,
                longest: 1,
                last: 1
            }
        );
    }
}
