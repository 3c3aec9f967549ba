//! Disk faults: a full disk and a read-only data dir (small tmpfs mounts), and failing fsync and
//! rename (injected with strace). Each must give a clear error naming the path, leave the data
//! dir byte-identical, and stop a review before its first card.
//!
//! Mounting needs root and fault injection needs strace. Where either is missing the test says
//! so and is skipped; CI installs strace, runs as root, and sets HONE_FAULT_TESTS=require, which
//! turns a skip into a failure.

#![cfg(target_os = "linux")]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, Hone, NOW, stderr};

fn available(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var("HONE_FAULT_TESTS").as_deref() != Ok("require"),
            "{what} is required (HONE_FAULT_TESTS=require)"
        );
        eprintln!("skipped: {what} is not available here");
    }
    ok
}

/// A small tmpfs, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn new(at: PathBuf, size: &str) -> Option<Mount> {
        fs::create_dir_all(&at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .status()
            .ok()?
            .success();
        ok.then_some(Mount(at))
    }

    fn read_only(&self) {
        assert!(
            Command::new("mount")
                .args(["-o", "remount,ro"])
                .arg(&self.0)
                .status()
                .unwrap()
                .success()
        );
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(contents(&path));
        } else if path.file_name().is_some_and(|n| n != "lock") {
            files.push((path.clone(), fs::read(&path).unwrap()));
        }
    }
    files.sort();
    files
}

/// A hone whose data dir is on a fresh tmpfs of `size`, holding a few answers already.
fn on_tmpfs(size: &str) -> Option<(Hone, Mount)> {
    let hone = Hone::new();
    let mount = Mount::new(hone.data_dir(), size)?;
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "api/graphql", "4"]);
    Some((hone, mount))
}

/// `hone review` on a pseudo-terminal: what it printed before exiting, and its exit code.
fn review(hone: &Hone) -> (String, i32) {
    use expectrl::Expect;
    let script = "\"$0\" review; echo \"exit=$?\"";
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(BIN)
        .env_clear()
        .env("TERM", "xterm")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("HONE_DATA_DIR", hone.data_dir())
        .env("HONE_CONFIG", hone.config_file())
        .env("HONE_NOW", NOW);
    let mut session = expectrl::Session::spawn(cmd).unwrap();
    session.set_expect_timeout(Some(std::time::Duration::from_secs(15)));
    let found = session.expect(expectrl::Regex("exit=([0-9]+)")).unwrap();
    let code = String::from_utf8_lossy(found.get(1).unwrap())
        .parse()
        .unwrap();
    (String::from_utf8_lossy(found.before()).into_owned(), code)
}

#[test]
fn a_full_disk_refuses_with_the_path_and_changes_nothing() {
    let Some((hone, _mount)) = on_tmpfs("256k") else {
        available("a tmpfs mount (root)", false);
        return;
    };
    // Fill what is left of the disk. (The log's last page may still have room for a line or
    // two, so the batch below is large enough to need new pages.)
    let filler = hone.data_dir().join("filler");
    let _ = fs::write(&filler, vec![0u8; 1024 * 1024]);
    let before = contents(&hone.data_dir());

    let batch: String = (0..40)
        .map(|_| "{\"card\": \"api/grpc\", \"grade\": 5}\n")
        .collect();
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin", "--json"], &batch);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("No space left on device")
            && err.contains(&hone.data_dir().display().to_string()),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing acknowledged");
    assert_eq!(
        contents(&hone.data_dir()),
        before,
        "byte-identical, no partial file"
    );

    let (screen, code) = review(&hone);
    assert_eq!(code, 1);
    assert!(
        screen.contains("No space left on device") && !screen.contains("Card 1"),
        "refused before the first card: {screen}"
    );
    fs::remove_file(&filler).unwrap();
    hone.ok(&["answer", "api/grpc", "5"]);
    assert_eq!(hone.log_lines().len(), 3, "with room again, it works");
}

#[test]
fn a_read_only_data_dir_can_be_read_but_refuses_answers_before_the_first_card() {
    let Some((hone, mount)) = on_tmpfs("1m") else {
        available("a tmpfs mount (root)", false);
        return;
    };
    mount.read_only();
    let before = contents(&hone.data_dir());
    assert!(
        hone.ok(&["due", "--count"]).trim().parse::<u32>().is_ok(),
        "reading works"
    );
    let out = hone.run_at(NOW, &["answer", "api/grpc", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Read-only file system"),
        "{}",
        stderr(&out)
    );
    let (screen, code) = review(&hone);
    assert_eq!(code, 1);
    assert!(
        screen.contains("Read-only file system") && !screen.contains("Card 1"),
        "{screen}"
    );
    assert_eq!(contents(&hone.data_dir()), before);
}

#[test]
fn a_reader_on_a_read_only_data_dir_replays_a_long_log_without_complaint() {
    let Some((hone, mount)) = on_tmpfs("8m") else {
        available("a tmpfs mount (root)", false);
        return;
    };
    let lines: String = (0..800)
        .map(|i| format!("{{\"card\": \"api/rest\", \"grade\": {}}}\n", 3 + i % 3))
        .collect();
    let out = hone.run_with_stdin(NOW, &["answer", "--stdin"], &lines);
    assert!(out.status.success(), "{}", stderr(&out));
    let due = hone.ok(&["due", "--json"]);
    // An outdated snapshot, which a reader would rewrite if it could.
    let snapshot = hone.data_dir().join("local/snapshot.json");
    fs::write(&snapshot, r#"{"schema":1,"logs":{},"cards":{}}"#).unwrap();
    mount.read_only();
    let before = contents(&hone.data_dir());
    let out = hone.run_at(NOW, &["due", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(common::stdout(&out), due);
    assert_eq!(contents(&hone.data_dir()), before);
}

fn strace() -> bool {
    available(
        "strace",
        Command::new("strace")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success()),
    )
}

/// `hone ARGS` under strace, with `syscalls` failing with `error`.
fn with_fault(
    hone: &Hone,
    syscalls: &str,
    error: &str,
    args: &[&str],
    input: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut cmd = Command::new("strace");
    cmd.args([
        "-f",
        "-o",
        "/dev/null",
        "-e",
        &format!("trace={syscalls}"),
        "-e",
        &format!("inject={syscalls}:error={error}"),
        BIN,
    ]);
    cmd.args(args)
        .env_clear()
        .env("HONE_DATA_DIR", hone.data_dir())
        .env("HONE_CONFIG", hone.config_file())
        .env("HONE_NOW", NOW);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn a_failing_fsync_is_an_error_never_a_false_success() {
    if !strace() {
        return;
    }
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    let before = contents(&hone.data_dir());
    let out = with_fault(
        &hone,
        "fsync,fdatasync",
        "EIO",
        &["answer", "api/graphql", "4", "--json"],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing acknowledged");
    let err = stderr(&out);
    assert!(
        err.contains("cannot sync") && err.contains("Input/output error") && err.contains(".jsonl"),
        "{err}"
    );
    let after = contents(&hone.data_dir());
    assert_eq!(after, before, "the log is cut back to what it was");
}

#[test]
fn a_snapshot_that_cannot_be_written_after_the_answer_is_saved_is_a_warning_not_a_failure() {
    if !strace() {
        return;
    }
    let hone = Hone::new();
    hone.ok(&["answer", "api/rest", "5"]);
    hone.ok(&["answer", "--stdin"]);
    let snapshot = hone.data_dir().join("local/snapshot.json");
    let old = fs::read(&snapshot).unwrap();
    let out = with_fault(
        &hone,
        "rename,renameat,renameat2",
        "EIO",
        &["answer", "--stdin", "--json"],
        "{\"card\": \"api/graphql\", \"grade\": 4}\n",
    );
    // The answer is durable: the command succeeded, and a retry would record it twice.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning")
            && stderr(&out).contains("cannot replace")
            && stderr(&out).contains("snapshot.json"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        out.stdout.iter().filter(|b| **b == b'\n').count(),
        1,
        "the answer itself was saved and acknowledged"
    );
    assert_eq!(fs::read(&snapshot).unwrap(), old, "the old snapshot stands");
    let leftovers: Vec<_> = fs::read_dir(hone.data_dir().join("local"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(hone.log_lines().len(), 2);
}
