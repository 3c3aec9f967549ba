//! Records of delimited fields with CSV quoting, as CSV, TSV and Anki's text export write them:
//! a field in double quotes may hold the delimiter, newlines and `""` for a quote.
//!
//! Written by hand rather than with the csv crate because a deck file needs positions the csv
//! crate does not give: a quote that is never closed silently swallows the rest of the file
//! there, while here it is reported at the line and column where it opens.

use super::parse::LineError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line the record starts on.
    pub line: usize,
    pub fields: Vec<Field>,
}

enum State {
    /// At the start of a field.
    Start,
    Unquoted,
    /// Inside quotes opened at (line, column).
    Quoted(usize, usize),
    /// Inside quotes opened at (line, column), just after a quote: the next character tells
    /// whether it closes the field or is the first of a `""`.
    QuoteInQuotes(usize, usize),
    /// Just after a closing quote.
    Closed,
    /// After a problem: skip to the end of the field.
    Skip,
}

/// Splits `text` (LF line ends) into records; `first_line` is the file line `text` starts on.
/// Blank lines are skipped. Every problem is reported, with its line and column.
pub fn records(
    text: &str,
    delimiter: char,
    first_line: usize,
) -> Result<Vec<Record>, Vec<LineError>> {
    let mut records = Vec::new();
    let mut reader = Records::new(delimiter, first_line);
    reader.push(text, |r| records.push(r));
    let errors = reader.finish(|r| records.push(r));
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Splits text that arrives a piece at a time (cut anywhere) into records, handing on each
/// record as soon as it ends: the records and problems of [`records`] on the whole text.
pub struct Records {
    delimiter: char,
    state: State,
    fields: Vec<Field>,
    current: Field,
    /// The line and column (in characters) of the last character read.
    line: usize,
    column: usize,
    errors: Vec<LineError>,
}

impl Records {
    pub fn new(delimiter: char, first_line: usize) -> Records {
        Records {
            delimiter,
            state: State::Start,
            fields: Vec::new(),
            current: Field {
                text: String::new(),
                line: first_line,
                column: 1,
            },
            line: first_line,
            column: 0,
            errors: Vec::new(),
        }
    }

    /// Whether a problem has been found so far.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Reads the next piece of text, handing each record it completes to `each`.
    pub fn push(&mut self, text: &str, mut each: impl FnMut(Record)) {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match self.state {
                State::Start if c == '"' && c != self.delimiter => {
                    self.column += 1;
                    self.state = State::Quoted(self.line, self.column);
                    rest = &rest[1..];
                }
                State::Start | State::Unquoted | State::Skip => {
                    // A run of ordinary characters, then what ends it.
                    let end = self.field_end(rest);
                    let run = &rest[..end];
                    if !run.is_empty() {
                        self.column += run.chars().count();
                        if !matches!(self.state, State::Skip) {
                            self.current.text.push_str(run);
                            self.state = State::Unquoted;
                        }
                    }
                    rest = &rest[end..];
                    if let Some(c) = rest.chars().next() {
                        self.end_of_field(c, &mut each);
                        rest = &rest[c.len_utf8()..];
                    }
                }
                State::Quoted(line, column) => {
                    let end = memchr::memchr(b'"', rest.as_bytes()).unwrap_or(rest.len());
                    let run = &rest[..end];
                    self.current.text.push_str(run);
                    match memchr::memrchr(b'\n', run.as_bytes()) {
                        Some(lf) => {
                            self.line += memchr::memchr_iter(b'\n', run.as_bytes()).count();
                            self.column = run[lf + 1..].chars().count();
                        }
                        None => self.column += run.chars().count(),
                    }
                    rest = &rest[end..];
                    if !rest.is_empty() {
                        self.column += 1;
                        self.state = State::QuoteInQuotes(line, column);
                        rest = &rest[1..];
                    }
                }
                State::QuoteInQuotes(line, column) => {
                    if c == '"' {
                        // `""`: a quote inside the field.
                        self.column += 1;
                        self.current.text.push('"');
                        self.state = State::Quoted(line, column);
                        rest = &rest[1..];
                    } else {
                        self.state = State::Closed;
                    }
                }
                State::Closed => {
                    if c == '\n' || c == self.delimiter {
                        self.end_of_field(c, &mut each);
                    } else {
                        self.column += 1;
                        self.errors.push(LineError::at(
                            self.line,
                            self.column,
                            "text after a closing quote: put the whole field in quotes and write each quote inside it twice (\"\")",
                        ));
                        self.state = State::Skip;
                    }
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
    }

    /// Where the delimiter or the newline that ends the field in `text` is (or its length).
    fn field_end(&self, text: &str) -> usize {
        let bytes = text.as_bytes();
        if self.delimiter.is_ascii() {
            memchr::memchr2(b'\n', self.delimiter as u8, bytes).unwrap_or(bytes.len())
        } else {
            text.find(['\n', self.delimiter]).unwrap_or(bytes.len())
        }
    }

    /// `c`, a delimiter or a newline outside quotes, ends the field (and a newline the record).
    fn end_of_field(&mut self, c: char, each: &mut impl FnMut(Record)) {
        self.column += 1;
        if c == '\n' {
            self.end_field(self.line + 1, 0);
            self.end_record(each);
            self.line += 1;
            self.column = 0;
        } else {
            self.end_field(self.line, self.column);
        }
        self.state = State::Start;
    }

    fn end_field(&mut self, line: usize, column: usize) {
        let next = Field {
            text: String::new(),
            line,
            column: column + 1,
        };
        self.fields.push(std::mem::replace(&mut self.current, next));
    }

    fn end_record(&mut self, each: &mut impl FnMut(Record)) {
        let blank = self.fields.len() == 1 && self.fields[0].text.is_empty();
        let fields = std::mem::take(&mut self.fields);
        if !blank {
            each(Record {
                line: fields[0].line,
                fields,
            });
        }
    }

    /// Ends the text: hands on the last record and returns every problem found.
    pub fn finish(mut self, mut each: impl FnMut(Record)) -> Vec<LineError> {
        if let State::Quoted(open_line, open_column) = self.state {
            self.errors.push(LineError::at(
                open_line,
                open_column,
                "this quote is never closed, so the rest of the file would be one field: close it with \", or write a quote inside a field as \"\"",
            ));
        } else {
            let last = std::mem::replace(
                &mut self.current,
                Field {
                    text: String::new(),
                    line: 0,
                    column: 0,
                },
            );
            self.fields.push(last);
            self.end_record(&mut each);
        }
        self.errors
    }
}

/// A field written so that `records` reads it back exactly.
pub fn quote(text: &str, delimiter: char) -> String {
    let needs = text.is_empty()
        || text.contains(delimiter)
        || text.contains(['"', '\n', '\r'])
        || text.starts_with('#')
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    enum OldState {
        /// At the start of a field.
        Start,
        Unquoted,
        /// Inside quotes opened at (line, column).
        Quoted(usize, usize),
        /// Just after a closing quote.
        Closed,
        /// After a problem: skip to the end of the field.
        Skip,
    }

    /// How hone split records before it read text a piece at a time: the whole text at once.
    /// The reader must agree with it on every text, however it is cut.
    fn whole(
        text: &str,
        delimiter: char,
        first_line: usize,
    ) -> Result<Vec<Record>, Vec<LineError>> {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        let mut current = Field {
            text: String::new(),
            line: first_line,
            column: 1,
        };
        let mut state = OldState::Start;
        let (mut line, mut column) = (first_line, 0);
        let mut chars = text.chars().peekable();

        let end_field =
            |fields: &mut Vec<Field>, current: &mut Field, line: usize, column: usize| {
                let next = Field {
                    text: String::new(),
                    line,
                    column: column + 1,
                };
                fields.push(std::mem::replace(current, next));
            };
        let end_record = |records: &mut Vec<Record>, fields: &mut Vec<Field>| {
            let blank = fields.len() == 1 && fields[0].text.is_empty();
            let fields = std::mem::take(fields);
            if !blank {
                records.push(Record {
                    line: fields[0].line,
                    fields,
                });
            }
        };

        while let Some(c) = chars.next() {
            column += 1;
            match state {
                OldState::Start | OldState::Unquoted | OldState::Closed | OldState::Skip
                    if c == '\n' =>
                {
                    end_field(&mut fields, &mut current, line + 1, 0);
                    end_record(&mut records, &mut fields);
                    state = OldState::Start;
                }
                OldState::Start | OldState::Unquoted | OldState::Closed | OldState::Skip
                    if c == delimiter =>
                {
                    end_field(&mut fields, &mut current, line, column);
                    state = OldState::Start;
                }
                OldState::Start if c == '"' => state = OldState::Quoted(line, column),
                OldState::Start | OldState::Unquoted => {
                    current.text.push(c);
                    state = OldState::Unquoted;
                }
                OldState::Quoted(..) if c == '"' => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        column += 1;
                        current.text.push('"');
                    } else {
                        state = OldState::Closed;
                    }
                }
                OldState::Quoted(..) => current.text.push(c),
                OldState::Closed => {
                    errors.push(LineError::at(
                        line,
                        column,
                        "text after a closing quote: put the whole field in quotes and write each quote inside it twice (\"\")",
                    ));
                    state = OldState::Skip;
                }
                OldState::Skip => {}
            }
            if c == '\n' {
                line += 1;
                column = 0;
            }
        }
        if let OldState::Quoted(open_line, open_column) = state {
            errors.push(LineError::at(
                open_line,
                open_column,
                "this quote is never closed, so the rest of the file would be one field: close it with \", or write a quote inside a field as \"\"",
            ));
        } else {
            fields.push(current);
            end_record(&mut records, &mut fields);
        }
        if errors.is_empty() {
            Ok(records)
        } else {
            Err(errors)
        }
    }

    /// `text` pushed to a reader in pieces of `step` bytes (cut only between characters).
    fn in_pieces(text: &str, delimiter: char, step: usize) -> Result<Vec<Record>, Vec<LineError>> {
        let mut records = Vec::new();
        let mut reader = Records::new(delimiter, 1);
        let mut rest = text;
        while !rest.is_empty() {
            let mut cut = step.clamp(1, rest.len());
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            reader.push(&rest[..cut], |r| records.push(r));
            rest = &rest[cut..];
        }
        let errors = reader.finish(|r| records.push(r));
        if errors.is_empty() {
            Ok(records)
        } else {
            Err(errors)
        }
    }

    #[test]
    fn text_read_in_pieces_splits_as_the_whole_text() {
        let texts = [
            "a,\"b, c\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",x\n",
            "a\tb\nc\t\"oops\nd\te\n",
            "\"a\"b,c\nd,\"e\"f\n",
            "\"\"\n\"\",\n,\n\"x\"\"\"\n",
            "caf\u{e9},\"\u{1F600}\n\u{e9}\"\u{e9}x,\u{e9}",
            "a,,b",
            "",
        ];
        for text in texts {
            for delimiter in [',', '\t', '\u{e9}'] {
                for step in [1, 2, 3, 5, usize::MAX] {
                    assert_eq!(
                        in_pieces(text, delimiter, step),
                        whole(text, delimiter, 1),
                        "{text:?} by {delimiter:?} in pieces of {step}"
                    );
                }
            }
        }
    }

    fn texts(records: &[Record]) -> Vec<Vec<&str>> {
        records
            .iter()
            .map(|r| r.fields.iter().map(|f| f.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn quoted_fields_hold_delimiters_newlines_and_quotes() {
        let text = "a,\"b, c\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",x\n";
        let records = records(text, ',', 1).unwrap();
        assert_eq!(
            texts(&records),
            [vec!["a", "b, c", "say \"hi\""], vec!["multi\nline", "x"]]
        );
        assert_eq!(
            (
                records[1].line,
                records[1].fields[1].line,
                records[1].fields[1].column
            ),
            (3, 4, 7)
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let err = records("a\tb\nc\t\"oops\nd\te\n", '\t', 10).unwrap_err();
        assert_eq!((err[0].line, err[0].column), (11, Some(3)));
        assert!(err[0].message.contains("never closed"));
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error_and_parsing_goes_on() {
        let err = records("\"a\"b,c\nd,\"e\"f\n", ',', 1).unwrap_err();
        assert_eq!(
            err.iter().map(|e| (e.line, e.column)).collect::<Vec<_>>(),
            [(1, Some(4)), (2, Some(6))]
        );
    }

    #[test]
    fn empty_fields_and_a_missing_last_newline() {
        assert_eq!(
            texts(&records("a,,b", ',', 1).unwrap()),
            [vec!["a", "", "b"]]
        );
    }

    proptest! {
        #[test]
        fn any_text_cut_anywhere_splits_as_the_whole_text(
            text in "[a\",\t\n \u{e9}]{0,40}",
            step in 1usize..8,
        ) {
            prop_assert_eq!(in_pieces(&text, ',', step), whole(&text, ',', 1));
            prop_assert_eq!(in_pieces(&text, '\t', step), whole(&text, '\t', 1));
        }

        #[test]
        fn quoted_fields_round_trip(rows in proptest::collection::vec(proptest::collection::vec("[a-z,\"\t #\n]{0,8}", 1..4), 1..5)) {
            let text: String = rows.iter().map(|r| r.iter().map(|f| quote(f, ',')).collect::<Vec<_>>().join(",") + "\n").collect();
            let parsed = records(&text, ',', 1).unwrap();
            let expected: Vec<&Vec<String>> = rows.iter().filter(|r| !(r.len() == 1 && r[0].is_empty())).collect();
            prop_assert_eq!(parsed.len(), expected.len());
            for (got, want) in parsed.iter().zip(expected) {
                prop_assert_eq!(got.fields.iter().map(|f| f.text.clone()).collect::<Vec<_>>(), want.clone());
            }
        }
    }
}
