//! `hone doctor`, `hone backup` and `hone restore`: checking the data dir, and going back to a
//! backup when something is wrong with it.

use anyhow::anyhow;
use serde::Serialize;

use crate::cli::{BackupArgs, JsonArgs, RestoreArgs};
use crate::render::{self, plural};
use crate::store::{self, BackupInfo, Status};
use crate::ui;

use super::{Ctx, UsageError};

#[derive(Serialize)]
struct CheckView {
    name: String,
    /// `ok`, `warning` or `failed`.
    status: &'static str,
    detail: String,
}

#[derive(Serialize)]
struct BackupView {
    id: String,
    created: String,
    reason: String,
    files: usize,
    bytes: u64,
}

impl BackupView {
    fn of(b: &BackupInfo) -> Self {
        BackupView {
            id: b.id.clone(),
            created: b.created.to_rfc3339(),
            reason: b.reason.clone(),
            files: b.files,
            bytes: b.bytes,
        }
    }
}

#[derive(Serialize)]
struct DoctorView {
    /// False when a check failed.
    ok: bool,
    checks: Vec<CheckView>,
    backups: Vec<BackupView>,
    /// When a check failed: the backup to go back to, and what that would take back.
    #[serde(skip_serializing_if = "Option::is_none")]
    restore: Option<RestoreAdvice>,
}

#[derive(Serialize)]
struct RestoreAdvice {
    backup: String,
    reason: String,
    created: String,
    /// Answers recorded on this machine since that backup, which the restore takes back.
    answers_taken_back: usize,
}

pub fn doctor(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let mut checks = ctx.store.doctor();
    checks.push(match store::config::load(&ctx.env.config_file) {
        Ok((_, warnings)) if !warnings.is_empty() => store::Check {
            name: "config".into(),
            status: Status::Warning,
            detail: warnings.join("; "),
        },
        Ok(_) => store::Check {
            name: "config".into(),
            status: Status::Ok,
            detail: store::shown(&ctx.env.config_file),
        },
        Err(e) => store::Check {
            name: "config".into(),
            status: Status::Failed,
            detail: e.to_string(),
        },
    });
    let backups = ctx.store.backups().unwrap_or_default();
    let failed = checks.iter().filter(|c| c.status == Status::Failed).count();
    let restore = if failed > 0 {
        backups
            .iter()
            .rev()
            .find(|b| b.verified != Some(false))
            .map(|b| RestoreAdvice {
                backup: b.id.clone(),
                reason: b.reason.clone(),
                created: b.created.to_rfc3339(),
                answers_taken_back: ctx.store.answers_since_backup(&b.id).unwrap_or(0),
            })
    } else {
        None
    };
    let view = DoctorView {
        ok: failed == 0,
        checks: checks
            .iter()
            .map(|c| CheckView {
                name: c.name.clone(),
                status: c.status.as_str(),
                detail: c.detail.clone(),
            })
            .collect(),
        backups: backups.iter().map(BackupView::of).collect(),
        restore,
    };
    ctx.emit(args.json, &view, |view, look| {
        let mut out = String::new();
        for c in &view.checks {
            let head = format!("{:<8} ", c.status);
            let text = format!("{}: {}", c.name, c.detail);
            render::hanging(&mut out, &head, &text, head.len(), look.width);
        }
        if !view.ok {
            out.push('\n');
            match &view.restore {
                Some(advice) => {
                    let go_back = format!(
                        "To go back to the newest backup whose logs are whole ({}, made {}): hone restore {}",
                        advice.reason, advice.created, advice.backup
                    );
                    let taken = format!(
                        "That takes back {} recorded on this machine since, puts back what its logs lost and skips their damaged lines; other machines' logs stay as they are. The current state is backed up first, so a restore can itself be undone.",
                        plural(advice.answers_taken_back, "answer", "answers")
                    );
                    render::paragraph(&mut out, &go_back, look.width);
                    render::paragraph(&mut out, &taken, look.width);
                }
                None => render::paragraph(
                    &mut out,
                    "There is no whole backup to restore; fix the files named above by hand.",
                    look.width,
                ),
            }
        }
        out
    })?;
    if failed > 0 {
        return Err(anyhow!("{failed} of the checks failed"));
    }
    Ok(())
}

pub fn backup(ctx: &mut Ctx, args: BackupArgs) -> anyhow::Result<()> {
    if args.list {
        let backups: Vec<BackupView> = ctx.store.backups()?.iter().map(BackupView::of).collect();
        return ctx.emit(args.json, &backups, |backups, _| {
            if backups.is_empty() {
                return "No backups yet.\n".to_owned();
            }
            let rows: Vec<Vec<String>> = backups
                .iter()
                .map(|b| {
                    vec![
                        b.id.clone(),
                        b.reason.clone(),
                        b.files.to_string(),
                        format!("{} KiB", b.bytes.div_ceil(1024)),
                    ]
                })
                .collect();
            crate::render::table(&["BACKUP", "REASON", "FILES", "SIZE"], &rows)
        });
    }
    let made = ctx.store.backup("manual", ctx.now)?;
    match made {
        Some(b) => ctx.emit(args.json, &BackupView::of(&b), |b, _| {
            format!("Backed up {} files as {}.\n", b.files, b.id)
        }),
        None => Err(anyhow!(
            "nothing to back up yet: the data dir holds no reviews or decks"
        )),
    }
}

#[derive(Serialize)]
struct RestoreView {
    backup: String,
    /// Entries this machine wrote after the backup, now taken back.
    retracted: usize,
    /// Answers among them.
    answers_taken_back: usize,
    /// Entries the backup has that this machine's logs had lost, now back.
    put_back: usize,
    /// Damaged lines of this machine's logs, now skipped.
    repaired: usize,
    /// The backup of the state before the restore, which `hone restore` of it undoes.
    safety: Option<String>,
}

pub fn restore(ctx: &mut Ctx, args: RestoreArgs) -> anyhow::Result<()> {
    if !args.yes {
        if !ctx.env.stdin_is_terminal {
            return Err(UsageError(
                "restoring takes back what this machine recorded since the backup: add --yes to confirm"
                    .to_owned(),
            )
            .into());
        }
        let answers = ctx.store.answers_since_backup(&args.backup)?;
        let question = format!(
            "Go back to backup {}, taking back {} recorded on this machine since? (The current state is backed up first.)",
            crate::render::safe::visible(&args.backup),
            plural(answers, "answer", "answers")
        );
        if !ui::confirm(&question)? {
            writeln!(ctx.out, "Nothing was restored.")?;
            return Ok(());
        }
    }
    let report = ctx.store.restore(&args.backup, ctx.now)?;
    let view = RestoreView {
        backup: report.id,
        retracted: report.retracted,
        answers_taken_back: report.answers_taken_back,
        put_back: report.put_back,
        repaired: report.repaired,
        safety: report.safety,
    };
    ctx.emit_prose(args.json, &view, |v, _| {
        let mut out = format!(
            "Went back to backup {}: took back {} this machine recorded since ({}), put back {} its logs had lost, and skipped {}. Other machines' logs are as they were.\n",
            v.backup,
            plural(v.retracted, "entry", "entries"),
            plural(v.answers_taken_back, "answer", "answers"),
            plural(v.put_back, "entry", "entries"),
            plural(v.repaired, "damaged line", "damaged lines"),
        );
        if let Some(safety) = &v.safety {
            out.push_str(&format!(
                "The state before is backup {safety}: `hone restore {safety}` undoes this.\n"
            ));
        }
        out
    })
}
