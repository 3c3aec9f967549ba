//! A simulated candidate preparing for an interview six weeks out, through the real binary: each
//! day they answer every card `hone due` lists, mostly well, sometimes not. Afterwards the log must
//! show what the plan promises: every card introduced in time and reviewed at least three times
//! before the interview, and every card seen reviewed again in the last three days.

mod common;

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use common::Hone;
use serde_json::Value;

const START: &str = "2026-01-05";
const INTERVIEW: &str = "2026-02-16";

/// A small deterministic generator (an LCG), so the candidate's grades are the same every run.
struct Grades(u64);

impl Grades {
    fn next(&mut self) -> u8 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        match (self.0 >> 33) % 100 {
            0..=7 => 1,   // forgot
            8..=14 => 2,  // wrong, easy once seen
            15..=34 => 3, // hard
            35..=79 => 4,
            _ => 5,
        }
    }
}

fn at(day: NaiveDate) -> String {
    format!("{day}T08:30:00+01:00")
}

#[test]
fn a_candidate_following_the_plan_meets_every_promise() {
    let hone = Hone::new();
    let start: NaiveDate = START.parse().unwrap();
    let interview: NaiveDate = INTERVIEW.parse().unwrap();
    hone.ok_at(&at(start), &["plan", "--interview", INTERVIEW]);
    let plan = hone.json_at(&at(start), &["plan", "--json"]);
    assert_eq!(plan["active"], true);
    assert_eq!(plan["last_new_day"], "2026-02-11");
    let total_cards = hone.json(&["cards", "--json"])["cards"]
        .as_array()
        .unwrap()
        .len();

    let mut grades = Grades(7);
    let mut day = start;
    while day < interview {
        let due = hone.json_at(&at(day), &["due", "--json"]);
        let input: String = due["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{{\"card\": \"{}\", \"grade\": {}}}\n",
                    c["card"].as_str().unwrap(),
                    grades.next()
                )
            })
            .collect();
        let out = hone.run_with_stdin(&at(day), &["answer", "--stdin"], &input);
        assert!(out.status.success(), "{day}: {}", common::stderr(&out));
        day = day + Days::new(1);
    }

    // What the log says, per card: the days of its scheduled reviews.
    let mut reviews: BTreeMap<String, Vec<NaiveDate>> = BTreeMap::new();
    for line in hone.log_lines().iter().filter(|l| l["kind"] == "review") {
        let day: NaiveDate = line["day"].as_str().unwrap().parse().unwrap();
        reviews
            .entry(line["card"].as_str().unwrap().to_owned())
            .or_default()
            .push(day);
    }
    assert_eq!(
        reviews.len(),
        total_cards,
        "every card was introduced before the interview"
    );
    let window_start = interview - Days::new(3);
    let last_new_day: NaiveDate = "2026-02-11".parse().unwrap();
    for (card, days) in &reviews {
        assert!(
            days[0] <= last_new_day,
            "{card} introduced on {} after {last_new_day}",
            days[0]
        );
        assert!(
            days.len() >= 3,
            "{card} reviewed only {} times before the interview",
            days.len()
        );
        assert!(
            days.iter().any(|d| *d >= window_start && *d < interview),
            "{card} not reviewed in the last days: {days:?}"
        );
    }

    // The last days carry the whole deck but spread over three days, not piled on one.
    let mut window_load: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for days in reviews.values() {
        for d in days.iter().filter(|d| **d >= window_start) {
            *window_load.entry(*d).or_default() += 1;
        }
    }
    assert_eq!(window_load.len(), 3, "{window_load:?}");
    assert!(
        window_load.values().all(|n| *n < total_cards * 2 / 3),
        "{window_load:?}"
    );

    // On the interview day the plan stops, and clearing it is plain SM-2 again.
    let after = hone.json_at(&at(interview), &["plan", "--json"]);
    assert_eq!(after["active"], false);
    hone.ok_at(&at(interview), &["plan", "--clear"]);
    assert_eq!(
        hone.json_at(&at(interview), &["plan", "--json"])["interview"],
        Value::Null
    );
}

#[test]
fn a_plan_date_must_be_in_the_future() {
    let hone = Hone::new();
    let out = hone.run_at(&at(START.parse().unwrap()), &["plan", "--interview", START]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("must be after today"),
        "{}",
        common::stderr(&out)
    );
    let out = hone.run_at(
        &at(START.parse().unwrap()),
        &["plan", "--interview", "2026-02-30"],
    );
    assert_eq!(out.status.code(), Some(2));
}
