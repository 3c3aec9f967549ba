//! Reading a deck in any format hone imports: which format a file is in, and its cards in one
//! shape. Pure: the caller reads the file and decodes it (`decode`), and hands the text to a
//! [`Reader`] as it comes, or to [`parse`] whole.

use std::fmt;
use std::str::FromStr;

use super::names::Defaults;
use super::parse::{LineError, ParsedDeck, parse_deck};
use super::table::Table;
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

/// A deck's text read as it arrives, a piece at a time (cut anywhere). CSV and TSV are read a
/// record at a time, so a large table is never in memory as text; the hone format, Anki's and
/// JSON are gathered into one text, once, and parsed whole. Gives what [`detect`] and [`parse`]
/// give on the whole text.
pub struct Reader {
    extension: Option<String>,
    /// Bytes of text expected, to gather a whole text without growing it step by step.
    size_hint: usize,
    /// Whether the text so far has a line end.
    newline: bool,
    state: Reading,
}

enum Reading {
    /// The text so far, until its format can be told.
    Detecting(String),
    Table(Format, Box<Table>),
    Whole(Format, String),
}

impl Reader {
    /// A reader of text in `format`, or (`None`) of the format the text and `extension` show.
    pub fn new(format: Option<Format>, extension: Option<&str>, size_hint: usize) -> Reader {
        let mut reader = Reader {
            extension: extension.map(str::to_owned),
            size_hint,
            newline: false,
            state: Reading::Detecting(String::new()),
        };
        if let Some(format) = format {
            reader.state = reader.reading(format, String::new());
        }
        reader
    }

    fn reading(&self, format: Format, text: String) -> Reading {
        let table = |delimiter| {
            let mut table = Box::new(Table::new(delimiter));
            table.push(&text);
            table
        };
        match format {
            Format::Csv => Reading::Table(format, table(',')),
            Format::Tsv => Reading::Table(format, table('\t')),
            Format::Hone | Format::Anki | Format::Json => {
                let mut whole = text;
                whole.reserve(self.size_hint.saturating_sub(whole.len()));
                Reading::Whole(format, whole)
            }
        }
    }

    /// Reads the next piece of text (LF line ends).
    pub fn push(&mut self, text: &str) {
        match &mut self.state {
            Reading::Table(_, table) => table.push(text),
            Reading::Whole(_, whole) => whole.push_str(text),
            Reading::Detecting(start) => {
                start.push_str(text);
                self.newline |= text.contains('\n');
                // `detect` looks at the first line and at the first three bytes after leading
                // whitespace: once both are here, more text would not change its answer.
                if self.newline && start.trim_start().len() >= 3 {
                    let start = std::mem::take(start);
                    let format = detect(self.extension.as_deref(), &start);
                    self.state = self.reading(format, start);
                }
            }
        }
    }

    /// Ends the text: its format, and the deck or every problem, as [`parse`] gives them.
    pub fn finish(
        self,
        defaults: &Defaults,
        override_id: Option<&str>,
    ) -> (Format, Result<ParsedDeck, Vec<LineError>>) {
        let (format, parsed) = match self.state {
            Reading::Table(format, table) => (format, table.finish(defaults)),
            Reading::Whole(format, text) => {
                return (format, parse(format, &text, defaults, override_id));
            }
            Reading::Detecting(text) => {
                let format = detect(self.extension.as_deref(), &text);
                return (format, parse(format, &text, defaults, override_id));
            }
        };
        let parsed = parsed.map(|mut deck| {
            if let Some(id) = override_id {
                deck.id = id.to_owned();
            }
            deck
        });
        (format, parsed)
    }
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
    fn a_deck_read_in_pieces_is_the_deck_parsed_whole() {
        let texts = [
            "front,back,id\nok,fine,a\n\"unclosed,x,b\nlater,line,c\n",
            "front,back\na,b\nno comma\n,empty front\nc,\na,again\n",
            "good\tline\nno tab\n\tno front\nfront\t\ngood\tline again\n",
            "front,answr\nq,a\n",
            "tags,Back,front,id,kind\n\"go, concurrency\",\"A pipe.\nTyped.\",What is a \"\"channel\"\"?,chan,definition\n",
            "\n\n  \n+++\nid = \"mine\"\ntitle = \"Mine\"\n+++\n\n## a\n\nQ?\n\n---\n\nA.\n",
            "+++\nid = \"mine\"\ntitle = \"Mine\"\n+++\n\n## a\n\nQ?\n",
            "[\n  {\"front\": \"Q1\", \"back\": \"A1\"},\n  {\"front\": \"\", \"back\": \"A2\"}\n]",
            "#separator:tab\n#html:false\nWhat?\tThat.\n",
            "one line, no end",
            "",
            "\n",
            "  +",
        ];
        let defaults = Defaults {
            id: "mine".into(),
            title: "Mine".into(),
        };
        for extension in [None, Some("csv"), Some("md")] {
            for text in texts {
                let format = detect(extension, text);
                let whole = (format, parse(format, text, &defaults, None));
                for step in [1, 2, 3, 7, 64, usize::MAX] {
                    let mut reader = Reader::new(None, extension, 0);
                    let mut rest = text;
                    while !rest.is_empty() {
                        let mut cut = step.min(rest.len());
                        while !rest.is_char_boundary(cut) {
                            cut += 1;
                        }
                        reader.push(&rest[..cut]);
                        rest = &rest[cut..];
                    }
                    assert_eq!(
                        reader.finish(&defaults, None),
                        whole,
                        "{text:?} ({extension:?}) in pieces of {step}"
                    );
                }
                let mut given = Reader::new(Some(Format::Tsv), extension, 0);
                given.push(text);
                assert_eq!(
                    given.finish(&defaults, Some("given")),
                    (
                        Format::Tsv,
                        parse(Format::Tsv, text, &defaults, Some("given"))
                    )
                );
            }
        }
    }
}
