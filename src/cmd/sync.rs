//! `hone sync` and `hone merge`: drilling on two machines. Sync hands the logs to git and folds
//! in what came back; merge folds in another data dir or an exported history. Either way the
//! state is what `replay` makes of every log. Before any command, a rebase or merge that git
//! left stopped in the data dir's repository is undone without losing a line (`recover`).

use std::io::Read;

use serde::Serialize;

use crate::cli::{JsonArgs, MergeArgs};
use crate::render::plural;
use crate::render::safe::visible;
use crate::sync::{self, Git, SyncError};
use crate::views::{MergeView, SyncView};

use super::Ctx;

/// How often a push that lost a race with another machine is retried.
const PUSH_ATTEMPTS: usize = 3;

/// What a sync is doing, written to `local/sync.json` before it does it, so that one killed
/// half-way is recognised and finished by the next.
#[derive(Serialize)]
struct Operation<'a> {
    schema: u32,
    phase: &'a str,
    head: Option<&'a str>,
    theirs: Option<&'a str>,
}

pub fn sync(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let root = ctx.store.root().to_path_buf();
    let device = ctx.store.prepare_for_sync()?;
    let git = Git::open(&root, &format!("hone@{device}"))?;
    let message = format!("hone: logs from {device}");
    let record = root.join("local").join("sync.json");
    let note = |phase: &str, head: Option<&str>, theirs: Option<&str>| -> anyhow::Result<()> {
        let op = Operation {
            schema: 1,
            phase,
            head,
            theirs,
        };
        std::fs::write(&record, serde_json::to_vec(&op)?)?;
        Ok(())
    };
    if record.exists() {
        // A sync was cut short: the logs only grew, so the steps are simply done again, from
        // an index that matches HEAD. git's own locks it left behind are stale: only a hone
        // sync, which holds the data dir's lock around git's writes, was at work here.
        if let Some(git_dir) = sync::git_dir(&root) {
            for lock in ["index.lock", "HEAD.lock", "ORIG_HEAD.lock"] {
                let _ = std::fs::remove_file(git_dir.join(lock));
            }
        }
        git.reset_index()?;
        let _ = std::fs::remove_file(root.join("local").join("sync-index"));
        ctx.store.warn(
            "the last hone sync was cut short; it is finished now (no log lost a line)".to_owned(),
        );
    }
    note("commit", None, None)?;
    let committed = {
        let _lock = ctx.store.exclusive()?;
        let files = ctx.store.synced_files()?;
        git.commit_paths(&files, &message)?
    };
    let upstream = git.upstream()?;
    let mut received = 0;
    let mut pushed = false;
    for _ in 0..PUSH_ATTEMPTS {
        git.fetch(&upstream)?;
        if let Some(theirs) = git.incoming(&upstream)? {
            // One lock from the commit to the merge: nothing is answered in between.
            let _lock = ctx.store.exclusive()?;
            git.commit_paths(&ctx.store.synced_files()?, &message)?;
            let head = git.head()?;
            note("merge", head.as_deref(), Some(&theirs))?;
            let base = git.merge_base_tree(&theirs)?;
            let logs = git.logs_at(&theirs)?;
            received += ctx.store.integrate(&logs)?.entries;
            let files: Vec<String> = ctx
                .store
                .synced_files()?
                .into_iter()
                .filter(|f| sync::is_log(f))
                .collect();
            let tree = git.with_logs(&base, &files)?;
            let merge = format!("hone: merge {} into {device}", upstream.name());
            git.commit_merge(&tree, head.as_deref(), &theirs, &merge)?;
        }
        note("push", None, None)?;
        if git.push(&upstream)? {
            pushed = true;
            break;
        }
    }
    if !pushed {
        return Err(SyncError::Failed {
            step: "push".to_owned(),
            detail: format!("{} kept moving while pushing", upstream.name()),
            consequence: "this machine's logs are committed; run hone sync again",
        }
        .into());
    }
    let _ = std::fs::remove_file(&record);
    // The state is replayed and checkpointed here, not by the next command that happens to run.
    ctx.store.checkpoint()?;
    let devices = ctx
        .store
        .synced_files()?
        .iter()
        .filter(|f| f.starts_with("reviews/") && sync::is_log(f))
        .count();
    let view = SyncView {
        remote: upstream.remote.clone(),
        branch: upstream.branch.clone(),
        committed,
        received,
        devices,
    };
    ctx.emit_prose(args.json, &view, |v, _| {
        let sent = if v.committed {
            "sent this machine's new entries"
        } else {
            "nothing new to send"
        };
        format!(
            "Synced with {}/{}: {sent}; received {} from other machines ({} in all).\n",
            visible(&v.remote),
            visible(&v.branch),
            plural(v.received, "log entry", "log entries"),
            plural(v.devices, "device", "devices"),
        )
    })
}

/// Undoes a rebase or merge that git left stopped in the repository of the data dir, if there
/// is one and it holds hone's logs: every log line is saved, the operation aborted, and every
/// line the abort took away appended back. Costs a few `stat` calls when there is none.
pub fn recover(ctx: &mut Ctx) -> anyhow::Result<()> {
    let root = ctx.store.root().to_path_buf();
    if !root.is_dir() {
        return Ok(());
    }
    let Some(git_dir) = sync::git_dir(&root) else {
        return Ok(());
    };
    let Some(stopped) = sync::interrupted(&git_dir) else {
        return Ok(());
    };
    let git = Git::open(&root, "hone@recovery")?;
    if !git.tracks_logs()? {
        return Ok(()); // someone else's repository, which only happens to contain the data dir
    }
    let _lock = ctx.store.exclusive()?;
    let saved = ctx.store.save_log_lines()?;
    git.abort(stopped)?;
    let put_back = ctx.store.put_back_lines(&saved)?;
    ctx.store.warn(format!(
        "git had a {} stopped half-way in {}; it was aborted and {} it had taken out of the logs put back: nothing was lost",
        match stopped {
            sync::Stopped::Rebase => "rebase",
            sync::Stopped::Merge => "merge",
            sync::Stopped::CherryPick => "cherry-pick",
        },
        crate::store::shown(&root),
        plural(put_back, "line", "lines")
    ));
    Ok(())
}

/// The most `hone merge -` reads from standard input: a history of a million answers is about
/// a quarter of this.
const MAX_STDIN_HISTORY: u64 = 1 << 30;

pub fn merge(ctx: &mut Ctx, args: MergeArgs) -> anyhow::Result<()> {
    let (source, report) = if args.path.as_os_str() == "-" {
        let input = ctx
            .input
            .take()
            .ok_or_else(|| anyhow::anyhow!("standard input was already read"))?;
        let mut history = Vec::new();
        Read::take(input, MAX_STDIN_HISTORY + 1)
            .read_to_end(&mut history)
            .map_err(|e| anyhow::anyhow!("cannot read stdin: {e}"))?;
        if history.len() as u64 > MAX_STDIN_HISTORY {
            anyhow::bail!(
                "stdin holds more than 1 GiB; save the history to a file and merge the file"
            );
        }
        let label = std::path::Path::new("stdin");
        let report = ctx.store.merge_history(label, &history, ctx.now)?;
        ("stdin".to_owned(), report)
    } else {
        let report = ctx.store.merge(&args.path, ctx.now)?;
        (
            visible(&args.path.display().to_string()).into_owned(),
            report,
        )
    };
    let view = MergeView {
        source,
        added: report.added,
        already: report.already,
        logs: report.logs,
    };
    ctx.emit_prose(args.json, &view, |v, _| {
        if v.added == 0 {
            return format!(
                "Nothing to merge from {}: its {} log entries are all here already.\n",
                v.source, v.already
            );
        }
        format!(
            "Merged {} from {} into {} ({} were here already); the schedule was replayed from every log.\n",
            plural(v.added, "new log entry", "new log entries"),
            v.source,
            v.logs.join(", "),
            v.already
        )
    })
}
