//! Reading a deck in any format hone imports: which format a file is in, and its cards in one
//! shape. Pure: the caller reads the file and decodes it (`decode`) first.

use std::fmt;
use std::str::FromStr;

use super::parse::{LineError, ParsedDeck, parse_deck, tag_problem};
use super::{anki, json, table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The hone deck format (Markdown with TOML front matter).
    Hone,
    /// Anki's plain-text notes export.
    Anki,
    Csv,
    Tsv,
    Json,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Hone,
        Format::Anki,
        Format::Csv,
        Format::Tsv,
        Format::Json,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Hone => "hone",
            Format::Anki => "anki",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Hone => "md",
            Format::Anki => "txt",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown format '{}': use hone, anki, csv, tsv or json",
                    s.escape_debug()
                )
            })
    }
}

/// What a deck is called when the file does not say: from `--deck`, else from the file name.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub id: String,
    pub title: String,
}

/// The format of a file, from its content first and its extension second.
pub fn detect(extension: Option<&str>, text: &str) -> Format {
    let start = text.trim_start();
    let first_line = text.lines().next().unwrap_or_default();
    if start.starts_with("+++") {
        return Format::Hone;
    }
    if start.starts_with('[') || start.starts_with('{') {
        return Format::Json;
    }
    if anki::header_line(first_line).is_some() {
        return Format::Anki;
    }
    match extension.map(str::to_lowercase).as_deref() {
        Some("md" | "markdown") => Format::Hone,
        Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some("tsv" | "tab") => Format::Tsv,
        _ if first_line.contains('\t') => Format::Tsv,
        _ if first_line.contains(',') => Format::Csv,
        _ => Format::Tsv,
    }
}

/// Parses `text` as `format`. The deck's id and title come from the file where it has them
/// (hone front matter, Anki's `#deck:`), else from `defaults`; `override_id` (from `--deck`)
/// wins over both.
pub fn parse(
    format: Format,
    text: &str,
    defaults: &Defaults,
    override_id: Option<&str>,
) -> Result<ParsedDeck, Vec<LineError>> {
    let mut deck = match format {
        Format::Hone => parse_deck(text)?,
        Format::Anki => anki::parse_anki(text, defaults, override_id.is_some())?,
        Format::Csv => table::parse_table(text, ',', defaults)?,
        Format::Tsv => table::parse_table(text, '\t', defaults)?,
        Format::Json => json::parse_json(text, defaults)?,
    };
    if let Some(id) = override_id {
        deck.id = id.to_owned();
    }
    Ok(deck)
}

/// Tags from another tool made into hone tags: lowercase letters, digits and `-` (Anki's
/// `Go::Concurrency` becomes `go-concurrency`); empty ones dropped, repeats once.
pub fn normal_tags<'a>(raw: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let mut normal = String::new();
        for c in tag.trim().to_lowercase().chars() {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                normal.push(c);
            } else if !normal.ends_with('-') {
                normal.push('-');
            }
        }
        let normal = normal.trim_matches('-').to_owned();
        if tag_problem(&normal).is_none() && !tags.contains(&normal) {
            tags.push(normal);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_content_then_extension() {
        assert_eq!(detect(Some("txt"), "+++\nid = \"x\""), Format::Hone);
        assert_eq!(
            detect(Some("txt"), "#separator:tab\n#html:true\na\tb"),
            Format::Anki
        );
        assert_eq!(detect(None, "  [{\"front\": \"a\"}]"), Format::Json);
        assert_eq!(detect(Some("CSV"), "front,back"), Format::Csv);
        assert_eq!(detect(Some("txt"), "a\tb"), Format::Tsv);
        assert_eq!(detect(None, "front,back"), Format::Csv);
        assert_eq!("anki".parse::<Format>(), Ok(Format::Anki));
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn foreign_tags_become_hone_tags() {
        assert_eq!(
            normal_tags(["Go::Concurrency", "go::concurrency", "C#", "", "  Web  "]),
            ["go-concurrency", "c", "web"]
        );
    }
}
