//! The config file (`config.toml` in the user's config directory): reading it, and changing one
//! setting in it. A missing file means the defaults; a bad value is an error naming the file
//! and line; a key this hone does not know (written by a newer one, say) is a warning. A change
//! edits only its own key (`toml_edit`): the user's comments and every other line stay, and a
//! default the user never set stays unset, so a later hone's better default reaches them.

use std::fs;
use std::io;
use std::path::Path;

use super::StoreError;
use super::fsutil::{create_dir_all, io_error, write_atomic};
use crate::settings::{KEYS, Settings};

const HEADER: &str =
    "# hone settings; `hone config` shows them, `hone config KEY VALUE` changes one.\n";

/// The settings, and a warning for each key of the file this hone does not know.
pub fn load(path: &Path) -> Result<(Settings, Vec<String>), StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Settings::default(), vec![])),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    parse(path, &text)
}

/// The settings in a config file's text, and warnings about unknown keys; `path` names it.
pub fn parse(path: &Path, text: &str) -> Result<(Settings, Vec<String>), StoreError> {
    let line_of = |offset: usize| 1 + text[..offset.min(text.len())].matches('\n').count() as u64;
    let corrupt = |line: Option<u64>, reason: String| StoreError::corrupt(path, line, reason);
    let document: toml_edit::Document<&str> =
        toml_edit::Document::parse(text).map_err(|e| toml_problem(path, text, &e))?;
    let mut settings = Settings::default();
    let mut warnings = Vec::new();
    for (key, item) in document.as_table().iter() {
        let line = item.span().map(|s| line_of(s.start));
        if !KEYS.iter().any(|(k, _)| *k == key) {
            warnings.push(format!(
                "{}{}: unknown setting '{}' (from a newer hone?), ignored",
                super::shown(path),
                line.map(|l| format!(":{l}")).unwrap_or_default(),
                crate::render_safe(key)
            ));
            continue;
        }
        let value = match item.as_value() {
            Some(toml_edit::Value::Integer(n)) => n.value().to_string(),
            Some(toml_edit::Value::String(s)) => s.value().to_owned(),
            Some(toml_edit::Value::Float(f)) => f.value().to_string(),
            _ => {
                return Err(corrupt(
                    line,
                    format!("{key}: expected a number or a quoted word"),
                ));
            }
        };
        settings
            .set(key, &value)
            .map_err(|e| corrupt(line, e.to_string()))?;
    }
    Ok((settings, warnings))
}

/// Sets `key` to the value `settings` has for it in the file at `path`, leaving every other
/// line as it is (a new file gets a header comment).
pub fn save_key(
    path: &Path,
    key: &str,
    settings: &Settings,
    unique: u64,
) -> Result<(), StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => HEADER.to_owned(),
        Err(e) => return Err(io_error(path, "read")(e)),
    };
    let mut document: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| toml_problem(path, &text, &e))?;
    let value = match settings.get(key) {
        Ok(crate::settings::Value::Number(n)) => toml_edit::value(i64::from(n)),
        Ok(crate::settings::Value::Word(w)) => toml_edit::value(w),
        Ok(crate::settings::Value::Fraction(n)) => {
            toml_edit::value(crate::settings::Value::fraction(n))
        }
        Err(e) => return Err(StoreError::Refused(e.to_string())),
    };
    match document
        .get_mut(key)
        .and_then(toml_edit::Item::as_value_mut)
    {
        // Keep the comment that follows the value on its line, if any.
        Some(old) => {
            let decor = old.decor().clone();
            let mut new = value.into_value().unwrap_or_else(|_| 0i64.into());
            *new.decor_mut() = decor;
            *old = new;
        }
        None => {
            let first = document.as_table().is_empty();
            document[key] = value;
            // In a file of comments only, the comments are the document's trailing text, which
            // toml_edit keeps after every key: they go before the first key instead.
            if first {
                let comments = document.trailing().as_str().unwrap_or_default().to_owned();
                document.set_trailing("");
                if let Some(mut new_key) = document.as_table_mut().key_mut(key) {
                    new_key.leaf_decor_mut().set_prefix(comments);
                }
            }
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir_all(dir)?;
    }
    write_atomic(path, document.to_string().as_bytes(), unique)
}

/// A config file that is not TOML: the line and column of the problem, and the parser's words.
fn toml_problem(path: &Path, text: &str, error: &toml_edit::TomlError) -> StoreError {
    let reason = error.message().trim().replace('\n', " ");
    let Some(span) = error.span() else {
        return StoreError::corrupt(path, None, reason);
    };
    let before = &text[..text.floor_char_boundary(span.start)];
    let line = 1 + before.matches('\n').count() as u64;
    let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count() as u64;
    StoreError::Corrupt {
        path: path.to_path_buf(),
        line: Some(line),
        column: Some(column),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_key_goes_below_the_comments_of_a_file_that_has_only_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let mut settings = Settings::default();
        settings.set("new_per_day", "20").unwrap();
        save_key(&path, "new_per_day", &settings, 1).unwrap();
        settings.set("scheduler", "fsrs").unwrap();
        save_key(&path, "scheduler", &settings, 2).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{HEADER}new_per_day = 20\nscheduler = \"fsrs\"\n")
        );
        let own = "# mine\n\n# more of mine\n";
        fs::write(&path, own).unwrap();
        save_key(&path, "new_per_day", &settings, 3).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{own}new_per_day = 20\n")
        );
    }

    #[test]
    fn a_change_keeps_comments_other_lines_and_unset_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let text = "# my settings\nnew_per_day = 5 # fewer on weekdays\n\n# a key of a newer hone\nfuture_thing = true\n";
        fs::write(&path, text).unwrap();
        let (mut settings, warnings) = load(&path).unwrap();
        assert_eq!(settings.new_per_day, 5);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("config.toml:5: unknown setting 'future_thing'"),
            "{warnings:?}"
        );
        settings.set("new_per_day", "7").unwrap();
        save_key(&path, "new_per_day", &settings, 1).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text.replace("= 5 #", "= 7 #")
        );
        settings.set("leech_action", "suspend").unwrap();
        save_key(&path, "leech_action", &settings, 2).unwrap();
        let written = fs::read_to_string(&path).unwrap();
        assert!(
            written.ends_with("leech_action = \"suspend\"\n"),
            "{written}"
        );
        assert!(
            !written.contains("reviews_per_day"),
            "defaults stay unset: {written}"
        );
    }

    #[test]
    fn a_bad_value_names_its_line() {
        let err = parse(
            Path::new("c.toml"),
            "new_per_day = 5\nday_start_hour = 99\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("c.toml:2: "), "{err}");
        let err = parse(Path::new("c.toml"), "new_per_day = [1]\n").unwrap_err();
        assert!(err.to_string().contains("c.toml:1"), "{err}");
    }
}
