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
    let mut errors = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut current = Field {
        text: String::new(),
        line: first_line,
        column: 1,
    };
    let mut state = State::Start;
    let (mut line, mut column) = (first_line, 0);
    let mut chars = text.chars().peekable();

    let end_field = |fields: &mut Vec<Field>, current: &mut Field, line: usize, column: usize| {
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
            State::Start | State::Unquoted | State::Closed | State::Skip if c == '\n' => {
                end_field(&mut fields, &mut current, line + 1, 0);
                end_record(&mut records, &mut fields);
                state = State::Start;
            }
            State::Start | State::Unquoted | State::Closed | State::Skip if c == delimiter => {
                end_field(&mut fields, &mut current, line, column);
                state = State::Start;
            }
            State::Start if c == '"' => state = State::Quoted(line, column),
            State::Start | State::Unquoted => {
                current.text.push(c);
                state = State::Unquoted;
            }
            State::Quoted(..) if c == '"' => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    column += 1;
                    current.text.push('"');
                } else {
                    state = State::Closed;
                }
            }
            State::Quoted(..) => current.text.push(c),
            State::Closed => {
                errors.push(LineError::at(
                    line,
                    column,
                    "text after a closing quote: put the whole field in quotes and write each quote inside it twice (\"\")",
                ));
                state = State::Skip;
            }
            State::Skip => {}
        }
        if c == '\n' {
            line += 1;
            column = 0;
        }
    }
    if let State::Quoted(open_line, open_column) = state {
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
