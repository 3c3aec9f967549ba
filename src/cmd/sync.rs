//! `hone sync` and `hone merge`: drilling on two machines. Sync hands the data dir to git and
//! refreshes the state from what came back; merge folds in another data dir or an exported
//! history. Either way the state is what `replay` makes of every log.

use crate::cli::{JsonArgs, MergeArgs};
use crate::render::safe::visible;
use crate::sync::{Git, SyncError};
use crate::views::{MergeView, SyncView};

use super::Ctx;

/// How often a push that lost a race with another machine is retried.
const PUSH_ATTEMPTS: usize = 3;

pub fn sync(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let root = ctx.store.root().to_path_buf();
    let device = ctx.store.prepare_for_sync()?;
    let git = Git::open(&root, &format!("hone@{device}"))?;
    let own_log = format!("{device}.jsonl");
    let message = format!("hone: reviews from {device}");
    let committed = {
        let _lock = ctx.store.exclusive()?;
        ctx.store.settle_own_log()?;
        git.commit_all(&message)?
    };
    let upstream = git.upstream()?;
    let before = ctx.store.log_line_counts()?;
    let mut pushed = false;
    for _ in 0..PUSH_ATTEMPTS {
        git.fetch(&upstream)?;
        {
            // Answers given since the first commit go into this one, so the rebase finds a
            // clean work tree; nothing is answered while git rewrites files.
            let _lock = ctx.store.exclusive()?;
            ctx.store.settle_own_log()?;
            git.commit_all(&message)?;
            git.rebase(&upstream)?;
        }
        if git.push(&upstream)? {
            pushed = true;
            break;
        }
    }
    if !pushed {
        return Err(SyncError::Failed {
            step: "push".to_owned(),
            detail: format!("{} kept moving while pushing", upstream.name()),
            consequence: "this machine's reviews are committed; run hone sync again",
        }
        .into());
    }
    let after = ctx.store.log_line_counts()?;
    let received = after
        .iter()
        .filter(|(name, _)| **name != own_log)
        .map(|(name, lines)| lines.saturating_sub(before.get(name).copied().unwrap_or(0)))
        .sum();
    // The state is replayed and checkpointed here, not by the next command that happens to run.
    ctx.store.checkpoint()?;
    let view = SyncView {
        remote: upstream.remote.clone(),
        branch: upstream.branch.clone(),
        committed,
        received,
        devices: after.len(),
    };
    ctx.emit(args.json, &view, |v, _| {
        let sent = if v.committed {
            "sent this machine's new reviews"
        } else {
            "nothing new to send"
        };
        format!(
            "Synced with {}/{}: {sent}; received {} log {} from other machines ({} {} in all).\n",
            visible(&v.remote),
            visible(&v.branch),
            v.received,
            if v.received == 1 { "entry" } else { "entries" },
            v.devices,
            if v.devices == 1 { "device" } else { "devices" },
        )
    })
}

pub fn merge(ctx: &mut Ctx, args: MergeArgs) -> anyhow::Result<()> {
    let source = visible(&args.path.display().to_string()).into_owned();
    let report = ctx.store.merge(&args.path, ctx.now)?;
    let view = MergeView {
        source,
        added: report.added,
        already: report.already,
        logs: report.logs,
    };
    ctx.emit(args.json, &view, |v, _| {
        if v.added == 0 {
            return format!(
                "Nothing to merge from {}: its {} log entries are all here already.\n",
                v.source, v.already
            );
        }
        format!(
            "Merged {} new log {} from {} into {} ({} were here already); the schedule was replayed from every log.\n",
            v.added,
            if v.added == 1 { "entry" } else { "entries" },
            v.source,
            v.logs.join(", "),
            v.already
        )
    })
}
