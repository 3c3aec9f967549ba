//! `hone sync` through git: commit this machine's logs, fetch, fold in what came, push. The only
//! code that starts another program; hone itself never opens a network connection.
//!
//! git never writes hone's logs. A sync commits exactly the log files (whatever `.gitignore`
//! says), builds the merge commit from trees alone (`git merge-tree`, a temporary index,
//! `git commit-tree`), lets the store append what came from the other machines to the logs
//! (fsynced, as any answer), and only then moves the branch and the index. A sync killed at any
//! point leaves logs that only ever grew, and the next sync simply does the steps again.
//!
//! A rebase or merge left stopped in the data dir's repository (by an older hone, or by hand)
//! would leave older copies of the logs in the work tree, where answers would be appended to
//! them. Every command checks for one first (`interrupted`, a few `stat` calls); `recover`
//! saves every log line, aborts it, and appends back every line the abort took away.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
        "no git remote to sync with; add one with `git -C {} remote add origin URL` (this machine's logs are committed)",
        shown(.0)
    )]
    NoRemote(PathBuf),
    #[error("git {step} failed: {detail}; {consequence}")]
    Failed {
        step: String,
        detail: String,
        consequence: &'static str,
    },
    #[error(
        "git cannot merge {paths} with the remote's (files outside hone's logs); settle them with git, then run hone sync again; nothing was changed"
    )]
    Conflict { paths: String },
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

/// An operation git left stopped in a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    Rebase,
    Merge,
    CherryPick,
}

/// The git directory of the repository `dir` is in, found by looking (only `stat` and a small
/// read): `.git` as a directory, or as a file naming it (worktrees, submodules).
pub fn git_dir(dir: &Path) -> Option<PathBuf> {
    let mut at = Some(dir);
    while let Some(here) = at {
        let dot = here.join(".git");
        if dot.is_dir() {
            return Some(dot);
        }
        if dot.is_file() {
            let text = fs::read_to_string(&dot).ok()?;
            let named = text.trim().strip_prefix("gitdir:")?.trim();
            let path = Path::new(named);
            return Some(if path.is_absolute() {
                path.to_path_buf()
            } else {
                here.join(path)
            });
        }
        at = here.parent();
    }
    None
}

/// The operation left stopped in the repository whose git directory is `git_dir`, if any.
pub fn interrupted(git_dir: &Path) -> Option<Stopped> {
    if git_dir.join("rebase-merge").is_dir() || git_dir.join("rebase-apply").is_dir() {
        Some(Stopped::Rebase)
    } else if git_dir.join("MERGE_HEAD").is_file() {
        Some(Stopped::Merge)
    } else if git_dir.join("CHERRY_PICK_HEAD").is_file() {
        Some(Stopped::CherryPick)
    } else {
        None
    }
}

/// git run in one work tree.
pub struct Git {
    dir: PathBuf,
    /// `-c` options naming who commits, when git has no identity configured.
    identity: Vec<String>,
    /// The data dir's path within the repository, with a trailing `/` (empty at its top).
    prefix: String,
}

impl Git {
    /// git in `dir`, which must be inside a work tree. A machine without a git identity still
    /// syncs: its commits are made as `hone <fallback_email>`.
    pub fn open(dir: &Path, fallback_email: &str) -> Result<Git, SyncError> {
        let mut git = Git {
            dir: dir.to_path_buf(),
            identity: Vec::new(),
            prefix: String::new(),
        };
        let out = git.run(&["rev-parse", "--is-inside-work-tree"])?;
        if !out.status.success() || String::from_utf8_lossy(&out.stdout).trim() != "true" {
            return Err(SyncError::NotARepository(dir.to_path_buf()));
        }
        git.prefix = git.step(&["rev-parse", "--show-prefix"], NOTHING_CHANGED)?;
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
            .env("GIT_EDITOR", "true")
            .env_remove("GIT_INDEX_FILE");
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
        Err(failed(args, &out, consequence))
    }

    /// A path of the data dir (`reviews/x.jsonl`) as the repository names it.
    fn in_repo(&self, relative: &str) -> String {
        format!("{}{relative}", self.prefix)
    }

    /// The commit HEAD names, if there is one yet.
    pub fn head(&self) -> Result<Option<String>, SyncError> {
        self.commit("HEAD")
    }

    fn commit(&self, name: &str) -> Result<Option<String>, SyncError> {
        let spec = format!("{name}^{{commit}}");
        let out = self.run(&["rev-parse", "--verify", "-q", &spec])?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned()))
    }

    /// Stages exactly `paths` (relative to the data dir: the logs, and files of older hones,
    /// whose removal is staged too) and commits them alone, if anything changed. Returns
    /// whether a commit was made.
    pub fn commit_paths(&self, paths: &[String], message: &str) -> Result<bool, SyncError> {
        // Only paths there are, or that git knows (a removal): any other would be an error.
        let mut listed = vec!["ls-files", "--"];
        listed.extend(paths.iter().map(String::as_str));
        let tracked = self.step(&listed, NOTHING_CHANGED)?;
        let tracked: Vec<&str> = tracked.lines().collect();
        let paths: Vec<String> = paths
            .iter()
            .filter(|p| {
                self.dir.join(p).exists()
                    || tracked.iter().any(|t| {
                        t.strip_prefix(&self.prefix)
                            .unwrap_or(t)
                            .starts_with(p.as_str())
                    })
            })
            .cloned()
            .collect();
        if paths.is_empty() {
            return Ok(false);
        }
        let mut add = vec!["add", "-A", "-f", "--"];
        add.extend(paths.iter().map(String::as_str));
        self.step(&add, NOTHING_CHANGED)?;
        let mut staged = vec!["diff", "--cached", "--quiet", "--"];
        staged.extend(paths.iter().map(String::as_str));
        if self.run(&staged)?.status.success() {
            return Ok(false);
        }
        let mut commit = vec!["commit", "-q", "--no-verify", "-m", message, "--"];
        commit.extend(paths.iter().map(String::as_str));
        self.step(&commit, NOTHING_CHANGED)?;
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
        let remotes = self.step(&["remote"], NOTHING_CHANGED)?;
        let remotes: Vec<&str> = remotes.lines().collect();
        let remote = match remotes.as_slice() {
            [] => return Err(SyncError::NoRemote(self.dir.clone())),
            [only] => *only,
            _ if remotes.contains(&"origin") => "origin",
            [first, ..] => *first,
        };
        let branch = self.step(
            &["symbolic-ref", "--short", "HEAD"],
            "this machine's logs are committed; check out a branch and run hone sync again",
        )?;
        Ok(Upstream {
            remote: remote.to_owned(),
            branch,
            tracked: false,
        })
    }

    pub fn fetch(&self, upstream: &Upstream) -> Result<(), SyncError> {
        self.step(&["fetch", "-q", &upstream.remote], COMMITTED)
            .map(drop)
    }

    /// The fetched upstream commit, if the remote branch exists and HEAD does not have it yet.
    pub fn incoming(&self, upstream: &Upstream) -> Result<Option<String>, SyncError> {
        let Some(theirs) = self.commit(&format!("refs/remotes/{}", upstream.name()))? else {
            return Ok(None); // an empty remote: the push creates the branch
        };
        if let Some(ours) = self.head()? {
            let out = self.run(&["merge-base", "--is-ancestor", &theirs, &ours])?;
            if out.status.success() {
                return Ok(None);
            }
        }
        Ok(Some(theirs))
    }

    /// The log files (`reviews/*.jsonl`, `curriculum/*.jsonl`, `parameters/*.jsonl`) of the data dir as `commit`
    /// holds them: path relative to the data dir, and bytes.
    pub fn logs_at(&self, commit: &str) -> Result<Vec<(String, Vec<u8>)>, SyncError> {
        let dirs = [
            self.in_repo("reviews"),
            self.in_repo("curriculum"),
            self.in_repo("parameters"),
        ];
        let listed = self.step(
            &[
                "ls-tree",
                "-r",
                "--name-only",
                commit,
                "--",
                &dirs[0],
                &dirs[1],
                &dirs[2],
            ],
            NOTHING_CHANGED,
        )?;
        let mut logs = Vec::new();
        for path in listed.lines().filter(|p| p.ends_with(".jsonl")) {
            let spec = format!("{commit}:{path}");
            let out = self.run(&["cat-file", "blob", &spec])?;
            if !out.status.success() {
                return Err(failed(&["cat-file"], &out, NOTHING_CHANGED));
            }
            let relative = path.strip_prefix(&self.prefix).unwrap_or(path).to_owned();
            logs.push((relative, out.stdout));
        }
        Ok(logs)
    }

    /// git's merge of HEAD (if any) and `theirs` as a tree, without touching the work tree or
    /// the index. Its logs are only git's guess: conflicts in them are expected (both machines
    /// appended), and `with_logs` replaces them by hone's. A conflict outside the logs is an
    /// error, found before anything is written.
    pub fn merge_base_tree(&self, theirs: &str) -> Result<String, SyncError> {
        let tree = match self.head()? {
            None => self.step(
                &["rev-parse", &format!("{theirs}^{{tree}}")],
                NOTHING_CHANGED,
            )?,
            Some(ours) => {
                let out = self.run(&[
                    "merge-tree",
                    "--write-tree",
                    "--name-only",
                    "--allow-unrelated-histories",
                    &ours,
                    theirs,
                ])?;
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                let mut lines = text.lines();
                let tree = lines.next().unwrap_or_default().trim().to_owned();
                if !out.status.success() && out.status.code() != Some(1) || tree.is_empty() {
                    return Err(failed(&["merge-tree"], &out, NOTHING_CHANGED));
                }
                let conflicts: Vec<&str> = lines
                    .take_while(|l| !l.is_empty())
                    .filter(|path| !is_log(path.strip_prefix(&self.prefix).unwrap_or(path)))
                    .collect();
                if !conflicts.is_empty() {
                    return Err(SyncError::Conflict {
                        paths: conflicts.join(", "),
                    });
                }
                tree
            }
        };
        Ok(tree)
    }

    /// `base_tree` with the logs (`logs`, relative to the data dir) as the work tree has them.
    pub fn with_logs(&self, base_tree: &str, logs: &[String]) -> Result<String, SyncError> {
        let index = self.dir.join("local").join("sync-index");
        let index_env = index.display().to_string();
        let with_index = |args: &[&str]| -> Result<String, SyncError> {
            let out = self
                .command(args)
                .env("GIT_INDEX_FILE", &index_env)
                .output()
                .map_err(|e| SyncError::NoGit(e.to_string()))?;
            if out.status.success() {
                Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
            } else {
                Err(failed(args, &out, NOTHING_CHANGED))
            }
        };
        let result = (|| {
            with_index(&["read-tree", base_tree])?;
            let mut info = String::new();
            for log in logs {
                let blob = self.step(&["hash-object", "-w", "--", log], NOTHING_CHANGED)?;
                info.push_str(&format!("100644 {blob}\t{}\n", self.in_repo(log)));
            }
            let mut child = self
                .command(&["update-index", "--index-info"])
                .env("GIT_INDEX_FILE", &index_env)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| SyncError::NoGit(e.to_string()))?;
            if let Some(mut stdin) = child.stdin.take() {
                stdin
                    .write_all(info.as_bytes())
                    .map_err(|e| SyncError::NoGit(e.to_string()))?;
            }
            let out = child
                .wait_with_output()
                .map_err(|e| SyncError::NoGit(e.to_string()))?;
            if !out.status.success() {
                return Err(failed(&["update-index"], &out, NOTHING_CHANGED));
            }
            with_index(&["write-tree"])
        })();
        let _ = fs::remove_file(&index);
        result
    }

    /// Makes the merge commit of `tree` with parents HEAD (if any) and `theirs`, moves the
    /// branch to it (only if HEAD is still `head`), brings files outside the logs that changed
    /// up to date, and the index with it. The logs in the work tree are already what it says.
    pub fn commit_merge(
        &self,
        tree: &str,
        head: Option<&str>,
        theirs: &str,
        message: &str,
    ) -> Result<String, SyncError> {
        let mut args = vec!["commit-tree", tree];
        if let Some(head) = head {
            args.extend(["-p", head]);
        }
        args.extend(["-p", theirs, "-m", message]);
        let commit = self.step(&args, COMMITTED)?;
        // Files outside the logs that the merge changes (rare: the data dir holds little else).
        let changed = match head {
            Some(head) => self.step(
                &[
                    "diff",
                    "--name-status",
                    "--no-renames",
                    head,
                    &commit,
                    "--",
                    ".",
                ],
                COMMITTED,
            )?,
            None => String::new(),
        };
        let mut update = vec!["update-ref", "-m", "hone sync", "HEAD", &commit];
        if let Some(head) = head {
            update.push(head);
        }
        self.step(&update, COMMITTED)?;
        for line in changed.lines() {
            let Some((status, path)) = line.split_once('\t') else {
                continue;
            };
            let relative = path.strip_prefix(&self.prefix).unwrap_or(path);
            if is_log(relative) {
                continue;
            }
            if status.starts_with('D') {
                let _ = fs::remove_file(self.dir.join(relative));
            } else {
                self.step(&["checkout", &commit, "--", relative], COMMITTED)?;
            }
        }
        self.reset_index()?;
        Ok(commit)
    }

    /// The index of the data dir's paths, back to what HEAD has; the work tree is untouched.
    pub fn reset_index(&self) -> Result<(), SyncError> {
        if self.head()?.is_some() {
            self.step(&["reset", "-q", "--", "."], COMMITTED)?;
        }
        Ok(())
    }

    /// Pushes; `Ok(false)` if the remote moved on since the fetch (fetch, merge, try again).
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
        Err(failed(&args, &out, COMMITTED))
    }

    /// Whether the repository tracks any of hone's logs in the data dir.
    pub fn tracks_logs(&self) -> Result<bool, SyncError> {
        let listed = self.step(
            &["ls-files", "--", "reviews", "curriculum"],
            NOTHING_CHANGED,
        )?;
        Ok(listed.lines().any(|l| l.ends_with(".jsonl")))
    }

    /// Aborts an operation git left stopped; the work tree goes back to the commit before it.
    pub fn abort(&self, stopped: Stopped) -> Result<(), SyncError> {
        let args: &[&str] = match stopped {
            Stopped::Rebase => &["rebase", "--abort"],
            Stopped::Merge => &["merge", "--abort"],
            Stopped::CherryPick => &["cherry-pick", "--abort"],
        };
        self.step(args, "every log line was saved first and is put back")
            .map(drop)
    }
}

/// Whether a path of the data dir is one of hone's logs.
pub fn is_log(relative: &str) -> bool {
    (relative.starts_with("reviews/")
        || relative.starts_with("curriculum/")
        || relative.starts_with("parameters/"))
        && relative.ends_with(".jsonl")
        && relative.matches('/').count() == 1
}

const NOTHING_CHANGED: &str = "nothing was changed; run hone sync again";
const COMMITTED: &str = "this machine's logs are committed and go out with the next hone sync";

fn failed(args: &[&str], out: &Output, consequence: &'static str) -> SyncError {
    SyncError::Failed {
        step: args.first().copied().unwrap_or_default().to_owned(),
        detail: said(out),
        consequence,
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
