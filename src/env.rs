//! The one place that looks at the world outside the arguments: the clock, the data and config
//! directories, whether stdin and stdout are terminals, OS entropy, `NO_COLOR`, and hone's
//! environment variables (clap reads `HONE_DATA_DIR`, `HONE_CONFIG` and `HONE_NOW` for their flags).
//! Everything else receives these values from here, so tests fix them with flags.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, anyhow};
use chrono::{DateTime, FixedOffset, Local};

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
        let dirs = directories::ProjectDirs::from("", "", "hone");
        let no_home =
            || anyhow!("cannot find the user's home directory; pass --data-dir and --config");
        let data_dir = match &global.data_dir {
            Some(dir) => dir.clone(),
            None => dirs.as_ref().ok_or_else(no_home)?.data_dir().to_path_buf(),
        };
        let config_file = match &global.config {
            Some(file) => file.clone(),
            None => dirs
                .as_ref()
                .ok_or_else(no_home)?
                .config_dir()
                .join("config.toml"),
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
            fixed_now: global.now,
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
