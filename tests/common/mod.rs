//! A hermetic harness for running the real `hone` binary: a fresh data dir and config file per
//! test, an empty environment, and a fixed clock.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_hone");

/// A monday morning, well after the default 04:00 day start.
pub const NOW: &str = "2026-03-02T09:00:00+01:00";

pub struct Hone {
    dir: TempDir,
}

impl Hone {
    pub fn new() -> Hone {
        Hone {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `hone ARGS` at `now`, with nothing from the caller's environment.
    pub fn command_at(&self, now: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("HONE_DATA_DIR", self.data_dir())
            .env("HONE_CONFIG", self.config_file())
            .env("HONE_NOW", now)
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    pub fn command(&self, args: &[&str]) -> Command {
        self.command_at(NOW, args)
    }

    pub fn run_at(&self, now: &str, args: &[&str]) -> Output {
        self.command_at(now, args).output().expect("run hone")
    }

    /// Runs and requires success; returns stdout.
    pub fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self.run_at(now, args);
        assert!(
            out.status.success(),
            "hone {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_at(NOW, args)
    }

    pub fn json_at(&self, now: &str, args: &[&str]) -> Value {
        let text = self.ok_at(now, args);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("hone {args:?}: not JSON ({e}): {text}"))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        self.json_at(NOW, args)
    }

    /// Runs with `input` on stdin.
    pub fn run_with_stdin(&self, now: &str, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .command_at(now, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn hone");
        let mut stdin = child.stdin.take().expect("stdin");
        // hone may exit before reading everything (on a bad line, say); that is its right.
        if let Err(e) = stdin.write_all(input.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
        drop(stdin);
        child.wait_with_output().expect("wait hone")
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// Every line of every review log, parsed.
    pub fn log_lines(&self) -> Vec<Value> {
        let mut lines = Vec::new();
        let dir = self.data_dir().join("reviews");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return lines;
        };
        for entry in entries {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            // A last line without its newline was cut short by a kill: never acknowledged.
            let complete = text.split_inclusive('\n').filter(|l| l.ends_with('\n'));
            lines.extend(complete.map(|l| serde_json::from_str::<Value>(l).unwrap()));
        }
        lines
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// The detail of the check named `name` in a `hone doctor --json` report, if it has one.
pub fn doctor_detail<'a>(report: &'a Value, name: &str) -> Option<&'a str> {
    report["checks"]
        .as_array()?
        .iter()
        .find(|c| c["name"] == name)?["detail"]
        .as_str()
}

/// `sh -c SCRIPT` on a pseudo-terminal, `$0` the hone binary, in the harness's environment
/// (plus `env`). The script should start with `read go`: the pty library sets its own size
/// after the child starts, so the script waits for this go before setting the size it wants.
pub fn pty(hone: &Hone, script: &str, env: &[(&str, &str)]) -> expectrl::session::OsSession {
    use expectrl::{Expect as _, Session};
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(BIN)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("HONE_DATA_DIR", hone.data_dir())
        .env("HONE_CONFIG", hone.config_file())
        .env("HONE_NOW", NOW)
        .envs(env.iter().copied());
    let mut session = Session::spawn(cmd).expect("spawn a pty");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(15)));
    session.send_line("go").expect("start the script");
    session
}

/// Waits for the end of a `pty` script that ends `echo "exit=$?"; stty -a; echo END`, and
/// returns hone's exit code and `stty -a`'s output.
pub fn pty_finish(session: &mut expectrl::session::OsSession) -> (i32, String) {
    use expectrl::{Expect as _, Regex};
    let found = session.expect(Regex("exit=([0-9]+)")).expect("hone exits");
    let code: i32 = String::from_utf8_lossy(found.get(1).expect("a code"))
        .parse()
        .expect("a number");
    let modes = session.expect("END").expect("stty runs");
    (code, String::from_utf8_lossy(modes.before()).into_owned())
}

/// Raw mode turns these off; a terminal given back as hone found it has them on.
pub fn assert_cooked(modes: &str) {
    for flag in ["icanon", "isig", "icrnl"] {
        assert!(
            modes.split_whitespace().any(|w| w == flag),
            "terminal left without {flag}: {modes}"
        );
    }
}
