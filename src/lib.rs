//! hone drills backend-developer interview questions with spaced repetition (SM-2).
//!
//! The binary is a thin shell over [`run`]. Data flows one way: `cli` parses, `env` reads the
//! outside world, `cmd` loads decks (`deck`) and review state (`store`), asks the pure modules
//! (`queue`, `session`, `sm2`, `answer`) what to do, records answers through `store`, and prints
//! `views` as JSON or as text (`render`); the interactive session draws through `ui`.
//! ARCHITECTURE.md maps the modules and their invariants.

pub mod agenda;
pub mod answer;
pub mod cli;
mod cmd;
pub mod curriculum;
pub mod deck;
pub mod env;
#[doc(hidden)]
#[cfg(test)]
mod floats;
pub mod fuzz_targets;
pub mod input;
pub mod memory;
pub mod mock;
pub mod model;
pub mod optimize;
pub mod plan;
pub mod points;
pub mod queue;
mod render;
pub mod replay;
pub mod session;
pub mod settings;
pub mod sm2;
pub mod stats;
pub mod store;
mod sync;
mod ui;
mod views;

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};

use clap::Parser;

pub use cmd::UsageError;

/// Exit code: success, including "nothing due".
pub const EXIT_OK: u8 = 0;
/// Exit code: an error, reported on stderr.
pub const EXIT_ERROR: u8 = 1;
/// Exit code: a bad command line (unknown command, flag or value; unknown deck or card).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: another hone process held the data dir longer than the lock timeout; try again.
pub const EXIT_BUSY: u8 = 75;

/// The command line was rejected and clap has already said why; carries clap's exit code.
#[derive(Debug, thiserror::Error)]
#[error("command line rejected")]
pub struct AlreadyReported(pub u8);

/// Runs hone with these arguments (the first is the program name), on the process's stdin and
/// stdout.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> anyhow::Result<()> {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // A completion script asking for candidates: answered before anything else is read.
    if env::completion_requested()
        && cli::complete(
            &args,
            env::current_dir().as_deref(),
            cmd::completion_candidates,
        )?
    {
        return Ok(());
    }
    let mut out = BufWriter::new(io::stdout().lock());
    run_with(args, &mut io::stdin().lock(), &mut out)?;
    out.flush()?;
    Ok(())
}

/// Runs hone with these arguments, reading `answer --stdin` lines from `input` and writing
/// results to `out`; warnings, errors and the interactive session still use the terminal.
pub fn run_with(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    input: &mut dyn io::Read,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE);
            if code == EXIT_OK {
                e.print()?; // --help, --version: hone's own text, styled
                return Ok(());
            }
            // An error quotes the command line, which anyone may have written: escaped.
            let text = e.render().to_string();
            eprint!("{}", render::safe::visible(&text));
            return Err(AlreadyReported(code).into());
        }
    };
    let env = env::Env::detect(&cli.global)?;
    cmd::run(cli.command, &env, input, out)?;
    out.flush()?;
    Ok(())
}

/// Untrusted text as it may be shown in a message: control characters escaped.
pub(crate) fn render_safe(text: &str) -> String {
    render::safe::visible(text).into_owned()
}

/// At most this many characters of one line of an error are printed: an error may quote input
/// (a 50 MB line of `answer --stdin`), and a terminal is no place for all of it.
const MAX_ERROR_LINE: usize = 500;

/// The text to print for an error from [`run`]: each cause once (a cause whose message its
/// caller already quotes is not repeated), control characters escaped, lines cut short.
pub fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let message = cause.to_string();
        if text.ends_with(&message) || text.contains(&format!("{message}: ")) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&message);
    }
    text.lines()
        .map(|line| {
            let line = render::safe::visible(line);
            let count = line.chars().count();
            if count <= MAX_ERROR_LINE {
                line.into_owned()
            } else {
                let kept: String = line.chars().take(MAX_ERROR_LINE).collect();
                format!("{kept}… ({} more characters)", count - MAX_ERROR_LINE)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The exit code for an error from [`run`], and whether it still needs to be printed.
pub fn exit_status(err: &anyhow::Error) -> (u8, bool) {
    if let Some(AlreadyReported(code)) = err.downcast_ref() {
        return (*code, false);
    }
    for cause in err.chain() {
        let kind = match (
            cause.downcast_ref::<io::Error>(),
            cause.downcast_ref::<serde_json::Error>(),
        ) {
            (Some(e), _) => Some(e.kind()),
            (None, Some(e)) => e.io_error_kind(),
            (None, None) => None,
        };
        if kind == Some(io::ErrorKind::BrokenPipe) {
            // Like other Unix tools: a reader that stopped early (`hone cards | head`) is fine.
            return (EXIT_OK, false);
        }
        if let Some(store::StoreError::Busy { .. }) = cause.downcast_ref() {
            return (EXIT_BUSY, true);
        }
        if cause.downcast_ref::<UsageError>().is_some() {
            return (EXIT_USAGE, true);
        }
    }
    (EXIT_ERROR, true)
}
