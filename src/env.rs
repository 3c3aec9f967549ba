//! The one place that looks at the world outside the arguments: the clock, the data and config
//! directories, whether stdin and stdout are terminals, OS entropy, `NO_COLOR`, and hone's
//! environment variables (`HONE_DATA_DIR`, `HONE_CONFIG` and `HONE_NOW` stand in for their
//! flags; clap does not read them, so that usage lines never show them as given).
//! Everything else receives these values from here, so tests fix them with flags.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow};
use chrono::{DateTime, FixedOffset, Local};

use crate::UsageError;
use crate::cli::{ColorChoice, GlobalArgs};

/// How long a command waits for another hone process to release the data dir.
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Env {
    /// The moment given by `--now` or `HONE_NOW`, if any.
    pub fixed_now: Option<DateTime<FixedOffset>>,
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub lock_timeout: Duration,
    pub seed: u64,
    /// Whether output to stdout may carry colour and emphasis.
    pub color: bool,
    /// Columns of the terminal on stdout, if it is one.
    pub terminal_width: Option<usize>,
}

impl Env {
    /// The current moment in the local UTC offset, or the fixed one.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.fixed_now
            .unwrap_or_else(|| Local::now().fixed_offset())
    }

    pub fn detect(global: &GlobalArgs) -> anyhow::Result<Env> {
        let data_dir = data_dir(global.data_dir.as_deref())?;
        let config_file = match path_from(global.config.as_deref(), "HONE_CONFIG")? {
            Some(file) => file,
            None => project_dirs()?.config_dir().join("config.toml"),
        };
        let fixed_now = match global.now {
            Some(now) => Some(now),
            None => var("HONE_NOW")?
                .map(|text| crate::model::parse_moment(&text))
                .transpose()
                .map_err(|e| UsageError(format!("HONE_NOW: {e}")))?,
        };
        let lock_timeout = match std::env::var("HONE_LOCK_TIMEOUT") {
            Ok(secs) => secs
                .parse::<f64>()
                .ok()
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .with_context(|| {
                    format!(
                        "HONE_LOCK_TIMEOUT: '{}' is not a number of seconds",
                        secs.escape_debug()
                    )
                })?,
            Err(_) => DEFAULT_LOCK_TIMEOUT,
        };
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && !no_color && !dumb,
        };
        Ok(Env {
            fixed_now,
            data_dir,
            config_file,
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal,
            lock_timeout,
            seed: rand::random(),
            color,
            terminal_width: stdout_is_terminal
                .then(|| {
                    console::Term::stdout()
                        .size_checked()
                        .map(|(_, cols)| usize::from(cols))
                })
                .flatten(),
        })
    }
}

/// The data dir: `--data-dir`, else `HONE_DATA_DIR`, else the user's data directory.
pub fn data_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    match path_from(flag, "HONE_DATA_DIR")? {
        Some(dir) => Ok(dir),
        None => Ok(project_dirs()?.data_dir().to_path_buf()),
    }
}

/// Whether a completion script is asking for candidates (see `cli::complete`).
pub fn completion_requested() -> bool {
    std::env::var_os(crate::cli::COMPLETE_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The working directory, against which completions of relative paths are made.
pub fn current_dir() -> Option<PathBuf> {
    std::env::current_dir().ok()
}

fn project_dirs() -> anyhow::Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "hone").ok_or_else(|| {
        anyhow!("cannot find the user's home directory; pass --data-dir and --config")
    })
}

/// A path from its flag, else from the environment variable that stands in for the flag.
fn path_from(flag: Option<&Path>, name: &str) -> anyhow::Result<Option<PathBuf>> {
    if let Some(path) = flag {
        return Ok(Some(path.to_path_buf()));
    }
    match std::env::var_os(name) {
        Some(value) if value.is_empty() => Err(empty(name)),
        value => Ok(value.map(PathBuf::from)),
    }
}

/// A text environment variable; set but empty or not UTF-8 is a usage error, as the flag's
/// value would be.
fn var(name: &str) -> anyhow::Result<Option<String>> {
    match std::env::var_os(name).map(OsString::into_string) {
        None => Ok(None),
        Some(Ok(value)) if value.is_empty() => Err(empty(name)),
        Some(Ok(value)) => Ok(Some(value)),
        Some(Err(_)) => Err(UsageError(format!("{name} is not valid UTF-8")).into()),
    }
}

fn empty(name: &str) -> anyhow::Error {
    UsageError(format!(
        "{name} is set but empty: give it a value, or unset it"
    ))
    .into()
}
