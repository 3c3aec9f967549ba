//! `hone sync` through git: commit this machine's new reviews, rebase onto the remote, push.
//! The only code that starts another program; hone itself never opens a network connection.
//!
//! Conflicts cannot arise in the review logs: each device appends only to its own. The few files
//! two machines may both change (imported decks, the plan, deck settings) are marked `-merge` in
//! the generated `.gitattributes` and the rebase favours this machine's commits, so such a file
//! is taken whole from the machine that syncs last, never mixed line by line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A failed git step, with what git said; nothing committed is lost by one.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("hone sync needs git, which could not be run ({0}); install git, or use `hone merge`")]
    NoGit(String),
    #[error(
        "{dir} is not a git repository; set one up with `git -C {dir} init` and `git -C {dir} remote add origin URL`, then run hone sync again",
        dir = shown(.0)
    )]
    NotARepository(PathBuf),
    #[error(
        "no git remote to sync with; add one with `git -C {} remote add origin URL` (this machine's reviews are committed)",
        shown(.0)
    )]
    NoRemote(PathBuf),
    #[error("git {step} failed: {detail}; {consequence}")]
    Failed {
        step: String,
        detail: String,
        consequence: &'static str,
    },
}

fn shown(path: &Path) -> String {
    crate::store::shown(path)
}

/// Where this machine's commits go: a remote and a branch on it.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub remote: String,
    pub branch: String,
    /// Whether the local branch already tracks it.
    pub tracked: bool,
}

impl Upstream {
    pub fn name(&self) -> String {
        format!("{}/{}", self.remote, self.branch)
    }
}

/// git run in one work tree.
pub struct Git {
    dir: PathBuf,
    /// `-c` options naming who commits, when git has no identity configured.
    identity: Vec<String>,
}

impl Git {
    /// git in `dir`, which must be inside a work tree. A machine without a git identity still
    /// syncs: its commits are made as `hone <fallback_email>`.
    pub fn open(dir: &Path, fallback_email: &str) -> Result<Git, SyncError> {
        let mut git = Git {
            dir: dir.to_path_buf(),
            identity: Vec::new(),
        };
        let out = git.run(&["rev-parse", "--is-inside-work-tree"])?;
        if !out.status.success() || String::from_utf8_lossy(&out.stdout).trim() != "true" {
            return Err(SyncError::NotARepository(dir.to_path_buf()));
        }
        if !git.run(&["config", "user.email"])?.status.success() {
            git.identity = vec![
                "-c".to_owned(),
                "user.name=hone".to_owned(),
                "-c".to_owned(),
                format!("user.email={fallback_email}"),
            ];
        }
        Ok(git)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.dir)
            .args(&self.identity)
            .args(args);
        // Never wait for a password or an editor: hone may run without a terminal.
        command
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_EDITOR", "true");
        command
    }

    fn run(&self, args: &[&str]) -> Result<Output, SyncError> {
        self.command(args)
            .output()
            .map_err(|e| SyncError::NoGit(e.to_string()))
    }

    /// Runs a step that must succeed; `consequence` says what state a failure leaves.
    fn step(&self, args: &[&str], consequence: &'static str) -> Result<String, SyncError> {
        let out = self.run(args)?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned());
        }
        Err(SyncError::Failed {
            step: args.first().copied().unwrap_or_default().to_owned(),
            detail: said(&out),
            consequence,
        })
    }

    /// Stages everything under the data dir (the ignore file keeps `local/` out) and commits it,
    /// if anything changed. Returns whether a commit was made.
    pub fn commit_all(&self, message: &str) -> Result<bool, SyncError> {
        const NOTHING_LOST: &str = "nothing was changed; run hone sync again";
        self.step(&["add", "-A", "--", "."], NOTHING_LOST)?;
        let staged = self.run(&["diff", "--cached", "--quiet", "--", "."])?;
        if staged.status.success() {
            return Ok(false);
        }
        self.step(
            // Only the data dir, even inside a larger repository with other staged changes.
            &["commit", "-q", "--no-verify", "-m", message, "--", "."],
            NOTHING_LOST,
        )?;
        Ok(true)
    }

    /// The branch this machine pushes to: the tracked one, or the current branch on `origin`
    /// (or on the only remote).
    pub fn upstream(&self) -> Result<Upstream, SyncError> {
        let tracked = self.run(&[
            "rev-parse",
            "--abbrev-ref",
            "--symbolic-full-name",
            "@{upstream}",
        ])?;
        if tracked.status.success() {
            let full = String::from_utf8_lossy(&tracked.stdout).trim().to_owned();
            if let Some((remote, branch)) = full.split_once('/') {
                return Ok(Upstream {
                    remote: remote.to_owned(),
                    branch: branch.to_owned(),
                    tracked: true,
                });
            }
        }
        let remotes = self.step(&["remote"], "nothing was changed")?;
        let remotes: Vec<&str> = remotes.lines().collect();
        let remote = match remotes.as_slice() {
            [] => return Err(SyncError::NoRemote(self.dir.clone())),
            [only] => *only,
            _ if remotes.contains(&"origin") => "origin",
            [first, ..] => *first,
        };
        let branch = self.step(
            &["symbolic-ref", "--short", "HEAD"],
            "this machine's reviews are committed; check out a branch and run hone sync again",
        )?;
        Ok(Upstream {
            remote: remote.to_owned(),
            branch,
            tracked: false,
        })
    }

    pub fn fetch(&self, upstream: &Upstream) -> Result<(), SyncError> {
        self.step(
            &["fetch", "-q", &upstream.remote],
            "this machine's reviews are committed and will go out with the next hone sync",
        )
        .map(drop)
    }

    /// Rebases this machine's commits onto the fetched upstream branch, if it exists yet. A
    /// rebase that stops is aborted, so the work tree is as it was.
    pub fn rebase(&self, upstream: &Upstream) -> Result<(), SyncError> {
        let reference = format!("refs/remotes/{}", upstream.name());
        let exists = self.run(&["rev-parse", "--verify", "-q", &reference])?;
        if !exists.status.success() {
            return Ok(()); // an empty remote: the push creates the branch
        }
        let out = self.run(&["rebase", "-q", "-X", "theirs", &upstream.name()])?;
        if out.status.success() {
            return Ok(());
        }
        let _ = self.run(&["rebase", "--abort"]);
        Err(SyncError::Failed {
            step: "rebase".to_owned(),
            detail: said(&out),
            consequence: "the rebase was undone and nothing was lost; settle it with git in the data dir, then run hone sync again",
        })
    }

    /// Pushes; `Ok(false)` if the remote moved on since the fetch (fetch, rebase, try again).
    pub fn push(&self, upstream: &Upstream) -> Result<bool, SyncError> {
        let target = format!("HEAD:refs/heads/{}", upstream.branch);
        let mut args = vec!["push", "-q", "--porcelain"];
        if !upstream.tracked {
            args.push("-u");
        }
        args.extend([upstream.remote.as_str(), target.as_str()]);
        let out = self.run(&args)?;
        if out.status.success() {
            return Ok(true);
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        if stdout
            .lines()
            .any(|l| l.starts_with('!') && l.contains("rejected"))
        {
            return Ok(false);
        }
        Err(SyncError::Failed {
            step: "push".to_owned(),
            detail: said(&out),
            consequence: "this machine's reviews are committed and will go out with the next hone sync",
        })
    }
}

/// The last thing git said on stderr, control characters escaped, or its exit status.
fn said(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("hint:"));
    match last {
        Some(line) => crate::render::safe::visible(line).into_owned(),
        None => format!("git exited with {}", out.status),
    }
}
