//! Two machines drilling the same cards on interleaved days, brought together through a bare git
//! repository (`hone sync`) and, separately, with `hone merge`: both must end with the same
//! state, every review present exactly once, and a snapshot equal to a replay of the logs.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{Hone, doctor_detail, stderr};
use serde_json::Value;
use tempfile::TempDir;

/// Answers each machine gives, day by day: (machine, day of March, card, grade). Both review
/// `api/rest` and `sql/joins` between syncs, so that each sees the other's reviews arrive late.
const DRILL: &[(usize, u32, &str, u8)] = &[
    (0, 2, "api/rest", 5),
    (0, 2, "sql/joins", 4),
    (1, 3, "api/rest", 4),
    (1, 3, "git/merge-vs-rebase", 3),
    (0, 4, "sql/joins", 2),
    (1, 5, "sql/joins", 5),
    (0, 5, "api/rest", 1),
    (1, 6, "api/rest", 5),
    (0, 7, "git/merge-vs-rebase", 5),
];

fn at(day: u32, minute: usize) -> String {
    format!("2026-03-{day:02}T09:{minute:02}:00+01:00")
}

/// git for the tests: no system or user configuration but an identity of its own.
fn git(home: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git")
}

struct Machines {
    home: TempDir,
    hones: [Hone; 2],
}

impl Machines {
    fn new() -> Machines {
        Machines {
            home: tempfile::tempdir().unwrap(),
            hones: [Hone::new(), Hone::new()],
        }
    }

    /// `hone ARGS` on machine `m`, with git reachable and configured only by the test.
    fn run(&self, m: usize, now: &str, args: &[&str]) -> Output {
        self.hones[m]
            .command_at(now, args)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap()
    }

    fn ok(&self, m: usize, now: &str, args: &[&str]) -> String {
        let out = self.run(m, now, args);
        assert!(
            out.status.success(),
            "machine {m}: hone {args:?} failed: {}",
            stderr(&out)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, m: usize, now: &str, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(m, now, args)).unwrap()
    }

    /// A bare repository both data dirs push to.
    fn with_remote(&self) {
        let remote = self.home.path().join("remote.git");
        assert!(
            git(
                self.home.path(),
                &["init", "-q", "--bare", remote.to_str().unwrap()]
            )
            .status
            .success()
        );
        for hone in &self.hones {
            let dir = hone.data_dir();
            fs::create_dir_all(&dir).unwrap();
            let dir = dir.to_str().unwrap();
            assert!(
                git(self.home.path(), &["-C", dir, "init", "-q"])
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
            assert!(git(self.home.path(), &add).status.success());
        }
    }

    /// Plays `DRILL`, calling `between` after each day; returns every acknowledged review id.
    fn drill(&self, mut between: impl FnMut(u32)) -> Vec<String> {
        let mut ids = Vec::new();
        for day in 2..=7 {
            for (i, (m, d, card, grade)) in DRILL.iter().enumerate() {
                if *d == day {
                    let grade = grade.to_string();
                    let v = self.json(*m, &at(day, i), &["answer", card, &grade, "--json"]);
                    ids.push(v["review_id"].as_str().unwrap().to_owned());
                }
            }
            between(day);
        }
        ids
    }

    /// Both machines' states, as `export --history` and `due --json` show them, must agree, and
    /// hold every acknowledged review once.
    fn assert_identical(&self, ids: &[String]) {
        let now = at(20, 0);
        let history: Vec<String> = (0..2)
            .map(|m| self.ok(m, &now, &["export", "--history"]))
            .collect();
        assert_eq!(history[0], history[1], "the same history on both machines");
        let logged: Vec<String> = history[0]
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let unique: BTreeSet<&String> = logged.iter().collect();
        assert_eq!(unique.len(), logged.len(), "every review once");
        assert_eq!(unique, ids.iter().collect(), "every acknowledged review");
        for args in [
            &["due", "--json"][..],
            &["show", "api/rest", "--json"],
            &["show", "sql/joins", "--json"],
            &["stats", "--json"],
        ] {
            let a = self.ok(0, &now, args);
            assert_eq!(a, self.ok(1, &now, args), "{args:?}");
        }
        for m in 0..2 {
            let doctor = self.json(m, &now, &["doctor", "--json"]);
            assert_eq!(doctor["ok"], true, "machine {m}: {doctor}");
            let snapshot = doctor_detail(&doctor, "snapshot").unwrap_or_default();
            assert!(
                snapshot.starts_with("matches a replay"),
                "machine {m}: {snapshot}"
            );
        }
    }
}

#[test]
fn two_machines_synced_through_git_end_with_the_same_state() {
    let machines = Machines::new();
    machines.with_remote();
    let ids = machines.drill(|day| {
        // Each day one machine syncs, the other not always: reviews cross in flight.
        let order: &[usize] = if day % 2 == 0 { &[0, 1] } else { &[1] };
        for &m in order {
            machines.ok(m, &at(day, 59), &["sync"]);
        }
    });
    for m in [0, 1, 0] {
        machines.ok(m, &at(8, 0), &["sync"]);
    }
    machines.assert_identical(&ids);
    // Tuesday's review on the second machine was made before it had Monday's: the replay
    // makes it the card's second success, on both machines.
    let card = machines.json(0, &at(20, 0), &["show", "api/rest", "--json"]);
    assert_eq!(card["state"]["reviews"], 4, "{card}");
}

#[test]
fn two_machines_merged_either_way_end_with_the_same_state() {
    let machines = Machines::new();
    let ids = machines.drill(|_| {});
    let dirs: Vec<String> = machines
        .hones
        .iter()
        .map(|h| h.data_dir().display().to_string())
        .collect();
    let merged = machines.json(1, &at(8, 0), &["merge", &dirs[0], "--json"]);
    assert_eq!(merged["added"], 5);
    machines.ok(0, &at(8, 1), &["merge", &dirs[1]]);
    machines.assert_identical(&ids);
    let card = machines.json(1, &at(20, 0), &["show", "api/rest", "--json"]);
    assert_eq!(
        card["state"]["reviews"], 4,
        "every review recomputed in time order"
    );
    // Again: nothing new.
    let again = machines.json(0, &at(8, 2), &["merge", &dirs[1], "--json"]);
    assert_eq!(
        (again["added"].as_u64(), again["already"].as_u64()),
        (Some(0), Some(9))
    );
}

#[test]
fn exported_histories_merge_into_the_same_logs_as_data_dirs() {
    let machines = Machines::new();
    let ids = machines.drill(|_| {});
    let files: Vec<String> = (0..2)
        .map(|m| {
            let path = machines.hones[m].path("history.jsonl");
            let path = path.to_str().unwrap().to_owned();
            machines.ok(m, &at(8, 0), &["export", "--history", "-o", &path]);
            path
        })
        .collect();
    machines.ok(0, &at(8, 1), &["merge", &files[1]]);
    machines.ok(1, &at(8, 1), &["merge", &files[0]]);
    machines.assert_identical(&ids);
    let logs = |m: usize| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(machines.hones[m].data_dir().join("reviews"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        logs(0),
        logs(1),
        "each device's entries in a log of its name"
    );
}

#[test]
fn an_exported_history_merges_from_stdin_as_from_its_file() {
    let machines = Machines::new();
    let ids = machines.drill(|_| {});
    let history = |m: usize| machines.ok(m, &at(8, 0), &["export", "--history"]);
    let (first, second) = (history(0), history(1));
    let out = machines.hones[0].run_with_stdin(&at(8, 1), &["merge", "-", "--json"], &second);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["source"], "stdin", "{report}");
    assert!(report["added"].as_u64().unwrap() > 0, "{report}");
    let out = machines.hones[1].run_with_stdin(&at(8, 1), &["merge", "-"], &first);
    assert!(out.status.success(), "{}", stderr(&out));
    machines.assert_identical(&ids);

    let damaged = format!("{first}{{\"v\":1,\n");
    let before = fs::read(machines.hones[1].data_dir().join("reviews")).ok();
    let out = machines.hones[1].run_with_stdin(&at(8, 2), &["merge", "-"], &damaged);
    assert_eq!(out.status.code(), Some(1));
    let lines = first.lines().count() + 1;
    assert!(
        stderr(&out).starts_with(&format!("hone: stdin:{lines}:")),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        before,
        fs::read(machines.hones[1].data_dir().join("reviews")).ok()
    );
    machines.assert_identical(&ids);
}

#[test]
fn sync_explains_what_is_missing_and_loses_nothing() {
    let machines = Machines::new();
    machines.ok(0, &at(2, 0), &["answer", "api/rest", "5"]);
    let out = machines.run(0, &at(2, 1), &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a git repository"),
        "{}",
        stderr(&out)
    );

    let dir = machines.hones[0].data_dir();
    let dir = dir.to_str().unwrap();
    assert!(
        git(machines.home.path(), &["-C", dir, "init", "-q"])
            .status
            .success()
    );
    let out = machines.run(0, &at(2, 2), &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no git remote"), "{}", stderr(&out));
    let logged = git(machines.home.path(), &["-C", dir, "log", "--oneline"]);
    assert!(String::from_utf8_lossy(&logged.stdout).contains("hone: logs from"));

    let gone = machines.home.path().join("gone.git");
    let add = ["-C", dir, "remote", "add", "origin", gone.to_str().unwrap()];
    assert!(git(machines.home.path(), &add).status.success());
    let out = machines.run(0, &at(2, 3), &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("git fetch failed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(machines.hones[0].log_lines().len(), 1, "the answer is kept");

    // Once the remote exists, the same command goes through.
    let init = ["init", "-q", "--bare", gone.to_str().unwrap()];
    assert!(git(machines.home.path(), &init).status.success());
    let v = machines.json(0, &at(2, 4), &["sync", "--json"]);
    assert_eq!(v["remote"], "origin");
}

#[test]
fn this_machines_own_files_are_never_synced() {
    let machines = Machines::new();
    machines.with_remote();
    machines.ok(0, &at(2, 0), &["answer", "api/rest", "5"]);
    machines.ok(0, &at(2, 1), &["sync"]);
    let dir = machines.hones[0].data_dir();
    assert!(
        fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .contains("\nlocal/\n")
    );
    assert!(
        fs::read_to_string(dir.join(".stignore"))
            .unwrap()
            .contains("\nlocal\n")
    );
    let tracked = git(
        machines.home.path(),
        &["-C", dir.to_str().unwrap(), "ls-files"],
    );
    let tracked = String::from_utf8_lossy(&tracked.stdout).into_owned();
    assert!(tracked.contains("reviews/"), "{tracked}");
    assert!(!tracked.contains("local/"), "{tracked}");
}

#[test]
fn the_later_of_two_plans_made_on_two_machines_wins_on_both() {
    let machines = Machines::new();
    machines.with_remote();
    machines.ok(0, &at(2, 0), &["plan", "--interview", "2026-04-01"]);
    machines.ok(0, &at(2, 1), &["sync"]);
    machines.ok(1, &at(2, 2), &["plan", "--interview", "2026-05-01"]);
    machines.ok(1, &at(2, 3), &["sync"]);
    machines.ok(0, &at(2, 4), &["sync"]);
    for m in 0..2 {
        let plan = machines.json(m, &at(3, 0), &["plan", "--json"]);
        assert_eq!(plan["interview"], "2026-05-01", "machine {m}: {plan}");
    }
}

#[test]
fn a_copy_of_a_log_left_by_a_sync_tool_counts_once() {
    let machines = Machines::new();
    machines.drill(|_| {});
    let hone = &machines.hones[0];
    let before = machines.ok(0, &at(20, 0), &["show", "api/rest", "--json"]);
    let reviews = hone.data_dir().join("reviews");
    let log = fs::read_dir(&reviews)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // What Syncthing leaves when two machines change one file: a renamed copy beside it.
    let copy = reviews.join("conflict.sync-conflict-20260308-101010-ABCDEFG.jsonl");
    fs::copy(&log, copy).unwrap();
    assert_eq!(
        machines.ok(0, &at(20, 0), &["show", "api/rest", "--json"]),
        before
    );
    let doctor = machines.json(0, &at(20, 0), &["doctor", "--json"]);
    assert_eq!(doctor["ok"], true, "{doctor}");
}

#[test]
fn a_refused_push_keeps_the_commit_for_the_next_sync() {
    let machines = Machines::new();
    machines.with_remote();
    let hook = machines.home.path().join("remote.git/hooks/pre-receive");
    fs::write(
        &hook,
        "#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n",
    )
    .unwrap();
    fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    machines.ok(0, &at(2, 0), &["answer", "api/rest", "5"]);
    let out = machines.run(0, &at(2, 1), &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(said.contains("git push failed"), "{said}");
    assert!(said.contains("committed"), "{said}");

    fs::remove_file(&hook).unwrap();
    machines.ok(0, &at(2, 2), &["sync"]);
    let synced = machines.json(1, &at(2, 3), &["sync", "--json"]);
    assert_eq!(synced["received"], 1, "{synced}");
    assert_eq!(
        synced["devices"], 1,
        "machine 1 has answered nothing: {synced}"
    );
    let card = machines.json(1, &at(3, 0), &["show", "api/rest", "--json"]);
    assert_eq!(
        card["state"]["reviews"], 1,
        "the answer reached the other machine: {card}"
    );
}

#[test]
fn an_unsuspension_made_after_merging_a_later_stamped_suspension_stands() {
    let machines = Machines::new();
    machines.ok(0, "2026-03-02T10:00:00+00:00", &["suspend", "api/rest"]);
    let a = machines.hones[0].data_dir().display().to_string();
    let b = machines.hones[1].data_dir().display().to_string();
    // B's clock is twenty minutes behind: it merges A's suspension, then takes it back.
    machines.ok(1, "2026-03-02T09:39:00+00:00", &["merge", &a]);
    machines.ok(1, "2026-03-02T09:40:00+00:00", &["unsuspend", "api/rest"]);
    let shown = machines.json(
        1,
        "2026-03-02T09:41:00+00:00",
        &["show", "api/rest", "--json"],
    );
    assert_eq!(shown["suspended"], false, "{shown}");
    machines.ok(0, "2026-03-02T10:05:00+00:00", &["merge", &b]);
    let shown = machines.json(
        0,
        "2026-03-02T10:06:00+00:00",
        &["show", "api/rest", "--json"],
    );
    assert_eq!(
        shown["suspended"], false,
        "the same on both machines: {shown}"
    );
}

#[test]
fn a_duplicated_line_counts_once_and_the_doctor_agrees() {
    let machines = Machines::new();
    machines.drill(|_| {});
    let hone = &machines.hones[0];
    let before = machines.ok(0, &at(20, 0), &["show", "sql/joins", "--json"]);
    let log = fs::read_dir(hone.data_dir().join("reviews"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = fs::read_to_string(&log).unwrap();
    let last = text.lines().last().unwrap().to_owned();
    fs::write(&log, format!("{text}{last}\n")).unwrap();
    assert_eq!(
        machines.ok(0, &at(20, 0), &["show", "sql/joins", "--json"]),
        before
    );
    let doctor = machines.json(0, &at(20, 0), &["doctor", "--json"]);
    assert_eq!(doctor["ok"], true, "{doctor}");
}

#[test]
fn a_gitignore_without_local_still_never_commits_this_machines_own_files() {
    let machines = Machines::new();
    machines.with_remote();
    machines.ok(0, &at(2, 0), &["answer", "api/rest", "5"]);
    let dir = machines.hones[0].data_dir();
    fs::write(dir.join(".gitignore"), "# edited by the user\n").unwrap();
    machines.ok(0, &at(2, 1), &["sync"]);
    let tracked = git(
        machines.home.path(),
        &["-C", dir.to_str().unwrap(), "ls-files"],
    );
    let tracked = String::from_utf8_lossy(&tracked.stdout).into_owned();
    assert!(tracked.contains("reviews/"), "{tracked}");
    assert!(!tracked.contains("local/"), "{tracked}");
    assert!(!tracked.contains(".gitignore"), "only the logs: {tracked}");
}

#[test]
fn two_machines_importing_their_own_edits_of_one_deck_end_with_every_card() {
    let machines = Machines::new();
    machines.with_remote();
    let import = |m: usize, minute: usize, rows: &str| {
        let file = machines.hones[m].write("mine.csv", &format!("id,front,back\n{rows}"));
        machines.ok(
            m,
            &at(2, minute),
            &["import", file.to_str().unwrap(), "--deck", "mine"],
        );
    };
    import(0, 0, "x,qx,ax\ny,qy,ay\n");
    machines.ok(0, &at(2, 1), &["answer", "mine/y", "5"]);
    machines.ok(0, &at(2, 2), &["sync"]);
    machines.ok(1, &at(2, 3), &["sync"]);
    // Offline: machine 0 rewords x; machine 1, later, adds z.
    import(0, 4, "x,qx reworded,ax\ny,qy,ay\n");
    import(1, 5, "x,qx,ax\ny,qy,ay\nz,qz,az\n");
    for m in [0, 1, 0] {
        machines.ok(m, &at(2, 10 + m), &["sync"]);
    }
    for m in 0..2 {
        let cards = machines.json(m, &at(3, 0), &["cards", "--deck", "mine", "--json"]);
        let ids: Vec<&str> = cards["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["mine/x", "mine/y", "mine/z"], "machine {m}: {cards}");
        let y = machines.json(m, &at(3, 0), &["show", "mine/y", "--json"]);
        assert_eq!(
            y["state"]["reviews"], 1,
            "the reviewed card is still there: {y}"
        );
    }
    let x = |m| machines.json(m, &at(3, 0), &["show", "mine/x", "--json"])["card"]["front"].clone();
    assert_eq!(x(0), x(1));
}

#[test]
fn a_deck_removed_on_one_machine_and_imported_again_on_the_other_syncs_to_one_state() {
    let machines = Machines::new();
    machines.with_remote();
    let file = machines.hones[0].write("mine.csv", "id,front,back\nx,qx,ax\n");
    machines.ok(
        0,
        &at(2, 0),
        &["import", file.to_str().unwrap(), "--deck", "mine"],
    );
    machines.ok(0, &at(2, 1), &["sync"]);
    machines.ok(1, &at(2, 2), &["sync"]);
    machines.ok(0, &at(2, 3), &["deck", "remove", "mine"]);
    let edited = machines.hones[1].write("mine.csv", "id,front,back\nx,qx2,ax\n");
    machines.ok(
        1,
        &at(2, 4),
        &["import", edited.to_str().unwrap(), "--deck", "mine"],
    );
    for m in [0, 1, 0, 1] {
        machines.ok(m, &at(2, 10 + m), &["sync"]);
    }
    let decks = |m| machines.ok(m, &at(3, 0), &["decks", "--json"]);
    assert_eq!(decks(0), decks(1));
    assert!(
        decks(0).contains("\"mine\""),
        "the later edit brought it back: {}",
        decks(0)
    );
}

#[test]
fn a_rebase_left_stopped_in_the_data_dir_is_undone_without_losing_a_line() {
    let machines = Machines::new();
    machines.with_remote();
    machines.ok(0, &at(2, 0), &["answer", "api/rest", "5"]);
    machines.ok(0, &at(2, 1), &["sync"]);
    machines.ok(1, &at(2, 2), &["answer", "sql/joins", "4"]);
    machines.ok(1, &at(2, 3), &["sync"]);
    machines.ok(0, &at(2, 4), &["answer", "api/graphql", "4"]);
    let dir = machines.hones[0].data_dir();
    let d = dir.to_str().unwrap();
    let home = machines.home.path();
    assert!(
        git(home, &["-C", d, "add", "-A", "reviews"])
            .status
            .success()
    );
    assert!(
        git(
            home,
            &[
                "-C",
                d,
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "-qm",
                "by hand"
            ]
        )
        .status
        .success()
    );
    assert!(
        git(home, &["-C", d, "fetch", "-q", "origin"])
            .status
            .success()
    );
    // A rebase stopped before replaying this machine's commit, as a killed older hone left
    // it: the work tree holds the remote's older copy of this machine's log.
    let branch =
        String::from_utf8(git(home, &["-C", d, "branch", "--show-current"]).stdout).unwrap();
    let upstream = format!("origin/{}", branch.trim());
    let stopped = Command::new("git")
        .args([
            "-C",
            d,
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "rebase",
            "-i",
            &upstream,
        ])
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_SEQUENCE_EDITOR", "sed -i '1i break'")
        .output()
        .unwrap();
    assert!(
        dir.join(".git/rebase-merge").is_dir(),
        "{}",
        stderr(&stopped)
    );
    // An older hone answered into the stale copy meanwhile.
    let log = fs::read_dir(dir.join("reviews"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| fs::read_to_string(p).unwrap().contains("api/rest"))
        .unwrap();
    let extra = machines.hones[1].json(&["answer", "git/merge-vs-rebase", "3", "--json"]);
    let id = extra["review_id"].as_str().unwrap();
    let line = fs::read_dir(machines.hones[1].data_dir().join("reviews"))
        .unwrap()
        .flat_map(|e| {
            let text = fs::read_to_string(e.unwrap().path()).unwrap();
            text.lines().map(str::to_owned).collect::<Vec<_>>()
        })
        .find(|l| l.contains(id))
        .unwrap();
    let mut stale = fs::read_to_string(&log).unwrap();
    assert!(!stale.contains("api/graphql"), "the stale copy");
    stale.push_str(&line);
    stale.push('\n');
    fs::write(&log, stale).unwrap();

    let out = machines.run(0, &at(2, 6), &["answer", "api/grpc", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rebase stopped half-way"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join(".git/rebase-merge").exists());
    let text = fs::read_to_string(&log).unwrap();
    for card in ["api/rest", "api/graphql", "api/grpc"] {
        assert!(text.contains(card), "{card} in {text}");
    }
    assert!(
        text.contains(extra["review_id"].as_str().unwrap()),
        "the line put back"
    );
    machines.ok(0, &at(2, 7), &["sync"]);
    let doctor = machines.json(0, &at(2, 8), &["doctor", "--json"]);
    assert_eq!(doctor["ok"], true, "{doctor}");
}

#[test]
fn a_sync_cut_short_is_finished_by_the_next_even_with_gits_locks_left_behind() {
    let machines = Machines::new();
    machines.with_remote();
    machines.ok(0, &at(2, 0), &["answer", "api/rest", "5"]);
    machines.ok(0, &at(2, 1), &["sync"]);
    machines.ok(0, &at(2, 2), &["answer", "api/graphql", "4"]);
    // What a sync killed inside `git commit` leaves: its record, and git's index lock.
    let dir = machines.hones[0].data_dir();
    fs::write(
        dir.join("local/sync.json"),
        r#"{"schema":1,"phase":"commit"}"#,
    )
    .unwrap();
    fs::write(dir.join(".git/index.lock"), "").unwrap();
    let out = machines.run(0, &at(2, 3), &["sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("cut short"), "{}", stderr(&out));
    assert!(!dir.join("local/sync.json").exists());
    machines.ok(1, &at(2, 4), &["sync"]);
    let shown = machines.json(1, &at(2, 5), &["show", "api/graphql", "--json"]);
    assert_eq!(shown["state"]["reviews"], 1, "{shown}");
}

/// Gives machine `m` a history long enough to fit FSRS parameters to: 40 cards, each answered
/// on four days, and fits them.
fn fit_parameters(machines: &Machines, m: usize) -> Value {
    let cards: Vec<String> = machines.hones[m].json(&["cards", "--json"])["cards"]
        .as_array()
        .unwrap()
        .iter()
        .take(40)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let mut lines = String::new();
    for (d, day) in [2, 3, 9, 20].into_iter().enumerate() {
        for (i, card) in cards.iter().enumerate() {
            let grade = if (i + d) % 5 == 0 { 1 } else { 3 + (i + d) % 3 };
            lines.push_str(&format!(
                "{{\"card\":\"{card}\",\"grade\":{grade},\"at\":\"{}\"}}\n",
                at(day, i)
            ));
        }
    }
    let out = machines.hones[m].run_with_stdin(&at(21, 0), &["answer", "--stdin"], &lines);
    assert!(out.status.success(), "{}", stderr(&out));
    machines.json(m, &at(21, 1), &["optimize", "--json"])
}

/// The fitted parameters the model uses on machine `m`: `hone show` of a card reviewed there.
fn memory_of(machines: &Machines, m: usize, card: &str) -> Value {
    let state = &machines.json(m, &at(22, 0), &["show", card, "--json"])["state"];
    serde_json::json!([state["stability"], state["difficulty"]])
}

#[test]
fn fitted_parameters_travel_with_sync_and_merge() {
    for through_git in [true, false] {
        let machines = Machines::new();
        let fit = fit_parameters(&machines, 0);
        let card = machines.hones[0].json(&["cards", "--json"])["cards"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if through_git {
            machines.with_remote();
            machines.ok(0, &at(21, 2), &["sync"]);
            machines.ok(1, &at(21, 3), &["sync"]);
        } else {
            let source = machines.hones[0].data_dir().display().to_string();
            let merged = machines.json(1, &at(21, 3), &["merge", &source, "--json"]);
            assert!(
                merged["logs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| l.as_str().unwrap().starts_with("parameters/")),
                "{merged}"
            );
            let again = machines.json(1, &at(21, 4), &["merge", &source, "--json"]);
            assert_eq!(again["added"], 0, "{again}");
        }
        let theirs = machines.hones[1].data_dir().join("parameters");
        let names: Vec<_> = fs::read_dir(&theirs).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "machine 0's log, under its name");
        let line: Value = serde_json::from_str(
            fs::read_to_string(names[0].path())
                .unwrap()
                .lines()
                .next()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(line["parameters"], fit["parameters"]);
        assert_eq!(
            memory_of(&machines, 0, &card),
            memory_of(&machines, 1, &card)
        );
        if !through_git {
            // Merged both ways, and both under FSRS with the fitted parameters: one schedule.
            let source = machines.hones[1].data_dir().display().to_string();
            machines.ok(0, &at(21, 5), &["merge", &source]);
            for m in 0..2 {
                machines.ok(m, &at(21, 6), &["config", "scheduler", "fsrs"]);
            }
            for args in [
                &["due", "--json"][..],
                &["show", &card, "--json"],
                &["stats", "--json"],
            ] {
                let a = machines.ok(0, &at(22, 0), args);
                assert_eq!(a, machines.ok(1, &at(22, 0), args), "{args:?}");
            }
        }
        for m in 0..2 {
            let doctor = machines.json(m, &at(22, 0), &["doctor", "--json"]);
            assert_eq!(doctor["ok"], true, "machine {m}: {doctor}");
        }
    }
}
