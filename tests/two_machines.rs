//! Model-based: two data dirs and a bare git remote, random answers, undos, suspensions,
//! imports, removals, restores, merges and syncs on both, with SIGKILLs at random moments, in
//! the middle of a sync too. Afterwards both machines must hold every answer they acknowledged
//! (as a line of a log: a restore may take it back, but never loses it), converge on one state,
//! and have snapshots equal to a full replay.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use common::{Hone, stderr};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

const CARDS: [&str; 6] = [
    "api/rest",
    "api/graphql",
    "sql/joins",
    "mine/a",
    "mine/b",
    "git/merge-vs-rebase",
];

fn git(home: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git")
}

struct World {
    home: tempfile::TempDir,
    hones: [Hone; 2],
    clocks: [DateTime<FixedOffset>; 2],
    rng: StdRng,
    /// Every answer a machine acknowledged, by review id.
    acknowledged: BTreeSet<String>,
}

impl World {
    fn new(seed: u64) -> World {
        let home = tempfile::tempdir().unwrap();
        let remote = home.path().join("remote.git");
        assert!(
            git(
                home.path(),
                &["init", "-q", "--bare", remote.to_str().unwrap()]
            )
            .status
            .success()
        );
        let hones = [Hone::new(), Hone::new()];
        for hone in &hones {
            let dir = hone.data_dir();
            std::fs::create_dir_all(&dir).unwrap();
            let dir = dir.to_str().unwrap();
            assert!(
                git(home.path(), &["-C", dir, "init", "-q"])
                    .status
                    .success()
            );
            let add = [
                "-C",
                dir,
                "remote",
                "add",
                "origin",
                remote.to_str().unwrap(),
            ];
            assert!(git(home.path(), &add).status.success());
        }
        let start: DateTime<FixedOffset> = "2026-03-02T08:00:00+01:00".parse().unwrap();
        let mut rng = StdRng::seed_from_u64(seed);
        let skew = chrono::Duration::minutes(rng.random_range(-90..90));
        World {
            home,
            hones,
            clocks: [start, start + skew],
            rng,
            acknowledged: BTreeSet::new(),
        }
    }

    fn command(&self, m: usize, args: &[&str]) -> Command {
        let mut cmd = self.hones[m].command_at(&self.clocks[m].to_rfc3339(), args);
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs `hone ARGS` on machine `m`, killed after `kill_after` if it is still running.
    fn run(&mut self, m: usize, args: &[&str], kill_after: Option<Duration>) -> Output {
        let mut child = self.command(m, args).spawn().unwrap();
        if let Some(delay) = kill_after {
            std::thread::sleep(delay);
            let _ = child.kill(); // SIGKILL
        }
        let out = child.wait_with_output().unwrap();
        // Whatever was acknowledged counts, killed or not.
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Ok(v) = serde_json::from_str::<Value>(line)
                && let Some(id) = v["review_id"].as_str()
                && v["kind"].is_string()
            {
                self.acknowledged.insert(id.to_owned());
            }
        }
        out
    }

    fn step(&mut self) {
        let m = self.rng.random_range(0..2);
        let minutes = self.rng.random_range(1..240);
        self.clocks[m] += chrono::Duration::minutes(minutes);
        let kill = if self.rng.random_bool(0.25) {
            Some(Duration::from_millis(self.rng.random_range(0..40)))
        } else {
            None
        };
        let roll = self.rng.random_range(0..100);
        let other = self.hones[1 - m].data_dir().display().to_string();
        match roll {
            0..=54 => {
                let card = CARDS[self.rng.random_range(0..CARDS.len())];
                let grade = self.rng.random_range(0..=5).to_string();
                self.run(m, &["answer", card, &grade, "--json"], kill);
            }
            55..=59 => {
                self.run(m, &["undo", "--json"], kill);
            }
            60..=64 => {
                let card = CARDS[self.rng.random_range(0..CARDS.len())];
                let verb = if self.rng.random_bool(0.5) {
                    "suspend"
                } else {
                    "unsuspend"
                };
                self.run(m, &[verb, card], kill);
            }
            65..=71 => {
                let mut rows = String::from("id,front,back\n");
                for id in ["a", "b", "c"] {
                    if self.rng.random_bool(0.7) {
                        let edit = self.rng.random_range(0..3);
                        rows.push_str(&format!("{id},question {id} v{edit},answer {id}\n"));
                    }
                }
                if rows.lines().count() == 1 {
                    rows.push_str("a,question a,answer a\n");
                }
                let file = self.hones[m].write("mine.csv", &rows);
                let file = file.to_str().unwrap().to_owned();
                self.run(m, &["import", &file, "--deck", "mine"], kill);
            }
            72..=73 => {
                if self.rng.random_bool(0.5) {
                    self.run(m, &["deck", "remove", "mine"], kill);
                } else {
                    self.run(m, &["deck", "remove", "mine", "--purge", "--yes"], kill);
                }
            }
            74..=76 => {
                let list = self.run(m, &["backup", "--list", "--json"], None);
                let backups: Value = serde_json::from_slice(&list.stdout).unwrap_or(Value::Null);
                if let Some(id) = backups
                    .as_array()
                    .and_then(|b| b.get(self.rng.random_range(0..b.len().max(1))))
                    .and_then(|b| b["id"].as_str())
                {
                    let id = id.to_owned();
                    self.run(m, &["restore", &id, "--yes"], kill);
                }
            }
            77..=81 => {
                self.run(m, &["merge", &other], kill);
            }
            82..=84 => self.copy_files_from(1 - m, m),
            _ => {
                self.run(m, &["sync"], kill);
            }
        }
    }

    /// What a file-syncing tool (Syncthing, a shared folder) does: every log of `from` that
    /// `to` has an older copy of, or none, replaces `to`'s file; one that parted from `to`'s
    /// copy arrives beside it as a conflict copy.
    fn copy_files_from(&mut self, from: usize, to: usize) {
        for dir in ["reviews", "curriculum"] {
            let source = self.hones[from].data_dir().join(dir);
            let target = self.hones[to].data_dir().join(dir);
            let Ok(entries) = std::fs::read_dir(&source) else {
                continue;
            };
            std::fs::create_dir_all(&target).unwrap();
            for entry in entries.flatten() {
                let theirs = std::fs::read(entry.path()).unwrap();
                let path = target.join(entry.file_name());
                let ours = std::fs::read(&path).unwrap_or_default();
                // Now and then the tool keeps both, as when each side had changed the file.
                let both_changed = !ours.is_empty() && self.rng.random_bool(0.2);
                if theirs.starts_with(&ours) && !both_changed {
                    let temp = target.join(".syncthing.tmp");
                    std::fs::write(&temp, &theirs).unwrap();
                    std::fs::rename(&temp, &path).unwrap();
                } else if !ours.starts_with(&theirs) || both_changed {
                    let name = entry.file_name().to_string_lossy().replace(".jsonl", "");
                    let copy = target.join(format!(
                        "{name}.sync-conflict-{}.jsonl",
                        self.rng.random_range(0..1000)
                    ));
                    std::fs::write(copy, &theirs).unwrap();
                }
            }
        }
    }

    /// Both machines, synced to rest: every check of the model.
    fn settle_and_check(&mut self) {
        for m in [0, 1, 0, 1] {
            let out = self.run(m, &["sync"], None);
            assert!(out.status.success(), "machine {m}: sync: {}", stderr(&out));
        }
        let now = "2026-12-01T09:00:00+01:00";
        let ok = |m: usize, args: &[&str]| {
            let out = self.hones[m].command_at(now, args).output().unwrap();
            assert!(
                out.status.success(),
                "machine {m}: {args:?}: {}",
                stderr(&out)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        for args in [
            &["export", "--history"][..],
            &["due", "--json"],
            &["decks", "--json"],
            &["stats", "--json"],
        ] {
            assert_eq!(ok(0, args), ok(1, args), "{args:?}");
        }
        // A third data dir that only merges the two replays them from scratch the same way.
        let fresh = Hone::new();
        for m in 0..2 {
            let dir = self.hones[m].data_dir().display().to_string();
            let out = fresh.command_at(now, &["merge", &dir]).output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let state = |hone: &Hone| {
            let out = hone.command_at(now, &["due", "--json"]).output().unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        assert_eq!(
            state(&fresh),
            ok(0, &["due", "--json"]),
            "a replay from scratch"
        );
        for m in 0..2 {
            let doctor: Value = serde_json::from_str(&ok(m, &["doctor", "--json"])).unwrap();
            assert_eq!(doctor["ok"], true, "machine {m}: {doctor}");
            let mut logs = String::new();
            for entry in std::fs::read_dir(self.hones[m].data_dir().join("reviews")).unwrap() {
                logs.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
            }
            for id in &self.acknowledged {
                assert!(
                    logs.contains(id.as_str()),
                    "machine {m} lost acknowledged answer {id}"
                );
            }
        }
    }
}

fn drive(seed: u64, steps: usize) {
    let mut world = World::new(seed);
    for _ in 0..steps {
        world.step();
    }
    world.settle_and_check();
}

/// Three worlds of 60 steps in `cargo test`; `HONE_MODEL_SEEDS=N` runs N (a longer search),
/// from seed `HONE_MODEL_FIRST_SEED` (1 by default), so that a search can go where earlier
/// ones have not.
#[test]
fn two_machines_killed_at_random_moments_lose_nothing_and_converge() {
    let number = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let seeds = number("HONE_MODEL_SEEDS", 3);
    let first = number("HONE_MODEL_FIRST_SEED", 1);
    for seed in first..first + seeds {
        drive(seed, 60);
    }
}
