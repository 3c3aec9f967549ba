//! The config file (`config.toml` in the user's config directory): reading it, and writing it
//! back atomically. A missing file means the defaults; a bad one is an error naming the file.

use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::fsutil::{create_dir_all, io_error, write_atomic};
use crate::settings::Settings;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    new_per_day: Option<u32>,
    reviews_per_day: Option<u32>,
    day_start_hour: Option<u8>,
    leech_threshold: Option<u32>,
    leech_action: Option<String>,
    maximum_interval_days: Option<u32>,
}

const HEADER: &str =
    "# hone settings; `hone config` shows them, `hone config KEY VALUE` changes one.\n";

pub fn load(path: &Path) -> Result<Settings, StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    parse(path, &text)
}

/// The settings in a config file's text; `path` names it in errors.
pub fn parse(path: &Path, text: &str) -> Result<Settings, StoreError> {
    let corrupt = |line: Option<u64>, reason: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count() as u64);
        corrupt(line, e.message().trim().replace('\n', " "))
    })?;
    let mut settings = Settings::default();
    let numbers = [
        ("new_per_day", file.new_per_day),
        ("reviews_per_day", file.reviews_per_day),
        ("day_start_hour", file.day_start_hour.map(u32::from)),
        ("leech_threshold", file.leech_threshold),
        ("maximum_interval_days", file.maximum_interval_days),
    ];
    let given = numbers
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?.to_string())))
        .chain(file.leech_action.map(|action| ("leech_action", action)));
    for (key, value) in given {
        settings
            .set(key, &value)
            .map_err(|e| corrupt(None, e.to_string()))?;
    }
    Ok(settings)
}

pub fn save(path: &Path, settings: &Settings, unique: u64) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir_all(dir)?;
    }
    let text = format!("{HEADER}{settings}");
    write_atomic(path, text.as_bytes(), unique)
}
