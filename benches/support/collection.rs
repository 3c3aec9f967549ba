//! Builds a collection of N cards with a realistic history, through hone's own commands.
//!
//! One imported deck of N cards (a TSV file) and answers for 30% of them: each reviewed card
//! gets a first review on a day in the past 200, then a review each time it fell due (up to a
//! month late), graded mostly well, until yesterday: about 1.45 reviews per card. The answers go
//! through `hone answer --stdin` with their timestamps, so hone's scheduler computes every due
//! day; they spread from about six weeks overdue to a year ahead. Shared by the in-process
//! benchmarks and the `bench_collection` example that `scripts/bench.sh` runs.

#![allow(dead_code)] // each user needs a different part

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The moment every benchmark acts at: a study day right after the generated history.
pub const NOW: &str = "2026-11-23T09:00:00+01:00";
const TODAY: (i32, u32, u32) = (2026, 11, 23);
/// A reviewed card was first seen up to this many days ago,
const START_DAYS: u64 = 200;
/// and each review came up to this many days after the card fell due.
const LATE_DAYS: u64 = 30;
/// Lines in the `answer --stdin` benchmark input.
pub const STDIN_ANSWERS: usize = 10_000;

/// A generated collection and the files that go with it, under one directory.
pub struct Collection {
    pub cards: usize,
    pub data: PathBuf,
    pub config: PathBuf,
    /// The deck the collection was imported from.
    pub tsv: PathBuf,
    /// `STDIN_ANSWERS` lines for `hone answer --stdin`, all at `NOW`.
    pub stdin_answers: PathBuf,
    /// A card that is due today, for `hone answer CARD GRADE`.
    pub due_card: String,
    pub reviews: usize,
}

impl Collection {
    /// The collection of `cards` cards under `root`, built unless it is already there.
    pub fn at(root: &Path, cards: usize) -> io::Result<Collection> {
        let dir = root.join(format!("{cards}"));
        let collection = Collection {
            cards,
            data: dir.join("data"),
            config: dir.join("config.toml"),
            tsv: dir.join(format!("cards-{cards}.tsv")),
            stdin_answers: dir.join("answers-stdin.jsonl"),
            due_card: String::new(),
            reviews: 0,
        };
        let manifest = dir.join("collection.txt");
        if let Ok(text) = fs::read_to_string(&manifest)
            && let Some((card, reviews)) = text.trim().split_once(' ')
        {
            return Ok(Collection {
                due_card: card.to_owned(),
                reviews: reviews.parse().unwrap_or(0),
                ..collection
            });
        }
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        let built = collection.build()?;
        fs::write(manifest, format!("{} {}\n", built.due_card, built.reviews))?;
        Ok(built)
    }

    /// `hone` with this collection's data dir, config and clock, then `args`.
    pub fn args<'a>(&'a self, args: &[&'a str]) -> Vec<String> {
        let mut all = vec![
            "hone".to_owned(),
            "--data-dir".to_owned(),
            self.data.display().to_string(),
            "--config".to_owned(),
            self.config.display().to_string(),
            "--now".to_owned(),
            NOW.to_owned(),
        ];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    }

    /// Runs hone in this process; returns what it printed.
    pub fn run(&self, args: &[&str], input: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        hone::run_with(self.args(args), &mut &input[..], &mut out)
            .map_err(|e| io::Error::other(format!("hone {args:?}: {e:#}")))?;
        Ok(out)
    }

    fn build(mut self) -> io::Result<Collection> {
        let mut rng = StdRng::seed_from_u64(self.cards as u64);
        let mut tsv = String::new();
        for i in 0..self.cards {
            let _ = writeln!(
                tsv,
                "Question {i}: what does component {i} of the system do?\t\
                 It does thing {i}, in about two sentences of answer text."
            );
        }
        fs::write(&self.tsv, tsv)?;
        let tsv = self.tsv.display().to_string();
        self.run(&["import", &tsv, "--deck", "bench"], b"")?;
        let listed = self.run(&["cards", "--deck", "bench", "--json"], b"")?;
        let listed: serde_json::Value = serde_json::from_slice(&listed)?;
        let ids: Vec<&str> = listed["cards"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_str())
            .collect();

        let today = NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("a real day");
        let mut history = Vec::new();
        let reviewed = rand::seq::index::sample(&mut rng, ids.len(), ids.len() * 3 / 10);
        for card in reviewed.iter().map(|i| ids[i]) {
            let mut day = today - Days::new(rng.random_range(1..=START_DAYS));
            let (mut interval, mut streak) = (0u64, 0u32);
            while day < today {
                let grade = [5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1][rng.random_range(0..11)];
                history.push((day, rng.random_range(10..60), card, grade));
                streak = if grade >= 3 { streak + 1 } else { 0 };
                // Roughly SM-2, only to choose review days; hone computes the real schedule.
                interval = match streak {
                    0 | 1 => 1,
                    2 => 6,
                    _ => interval * 23 / 10 + 1,
                };
                day = day + Days::new(interval + rng.random_range(0..=LATE_DAYS));
            }
        }
        history.sort();
        let mut lines = String::new();
        for (day, minute, card, grade) in &history {
            let _ = writeln!(
                lines,
                r#"{{"card":"{card}","grade":{grade},"at":"{day}T08:{minute}:00+01:00"}}"#
            );
        }
        self.run(&["answer", "--stdin"], lines.as_bytes())?;
        self.reviews = history.len();

        let due = self.run(&["due", "--json"], b"")?;
        let due: serde_json::Value = serde_json::from_slice(&due)?;
        self.due_card = due["cards"]
            .as_array()
            .and_then(|cards| cards.iter().find(|c| c["state"] == "review"))
            .and_then(|c| c["card"].as_str())
            .ok_or_else(|| io::Error::other("no review is due in the generated collection"))?
            .to_owned();

        let mut stdin = fs::File::create(&self.stdin_answers)?;
        for _ in 0..STDIN_ANSWERS {
            let card = ids[rng.random_range(0..ids.len())];
            let grade = rng.random_range(2..=5);
            writeln!(stdin, r#"{{"card":"{card}","grade":{grade}}}"#)?;
        }
        Ok(self)
    }
}
