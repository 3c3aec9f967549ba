//! `hone doctor`, `hone backup` and `hone restore`: checking the data dir, and going back to a
//! backup when something is wrong with it.

use anyhow::anyhow;
use serde::Serialize;

use crate::cli::{BackupArgs, JsonArgs, RestoreArgs};
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
}

pub fn doctor(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let mut checks = ctx.store.doctor();
    checks.push(match store::config::load(&ctx.env.config_file) {
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
    };
    ctx.emit(args.json, &view, |view, _| {
        let mut out = String::new();
        for c in &view.checks {
            out.push_str(&format!("{:<8} {}: {}\n", c.status, c.name, c.detail));
        }
        if !view.ok {
            match view.backups.last() {
                Some(newest) => out.push_str(&format!(
                    "\nTo go back to the newest backup ({}, made {}): hone restore {}\nThe current state is backed up first, so a restore can itself be undone.\n",
                    newest.reason, newest.created, newest.id
                )),
                None => out.push_str("\nThere is no backup to restore; fix the files named above by hand.\n"),
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

pub fn restore(ctx: &mut Ctx, args: RestoreArgs) -> anyhow::Result<()> {
    if !args.yes {
        if !ctx.env.stdin_is_terminal {
            return Err(UsageError(
                "restoring replaces the review history with the backup's: add --yes to confirm"
                    .to_owned(),
            )
            .into());
        }
        let question = format!(
            "Replace the review history and decks with backup {}? (The current state is backed up first.)",
            args.backup
        );
        if !ui::confirm(&question)? {
            writeln!(ctx.out, "Nothing was restored.")?;
            return Ok(());
        }
    }
    let report = ctx.store.restore(&args.backup, ctx.now)?;
    writeln!(
        ctx.out,
        "Restored {} files from {}; removed {} files it did not have.",
        report.restored, report.id, report.removed
    )?;
    if let Some(safety) = report.safety {
        writeln!(
            ctx.out,
            "The state before the restore is backup {safety}: `hone restore {safety}` undoes this."
        )?;
    }
    Ok(())
}
