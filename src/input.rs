//! Words for bad input: what went wrong in a line of JSON, said once (one position, no
//! parser jargon), for `answer --stdin` lines and JSON decks alike.

use serde::de::DeserializeOwned;

/// What is wrong with a JSON text, and where (1-based line, and column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonProblem {
    pub line: usize,
    pub column: usize,
    pub words: String,
}

/// Reads `text` as a `T`; a value of the wrong type names its field (`'grade': ...`).
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonProblem> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let mut problem = json_problem(e.inner(), text);
        if e.inner().is_data() && path != "." {
            problem.words = format!("'{path}': {}", problem.words);
        }
        problem
    })?;
    deserializer.end().map_err(|e| json_problem(&e, text))?;
    Ok(value)
}

/// The problem serde_json found in `text`, in words, with its position in characters.
pub fn json_problem(e: &serde_json::Error, text: &str) -> JsonProblem {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let offset = byte_offset(text, e.line(), e.column());
    let (line, column) = char_position(text, offset);
    JsonProblem {
        line,
        column,
        words: words(message, text, offset),
    }
}

/// The byte of `text` serde_json's line and column (counted in bytes, 1-based) point at.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// The line and the column in characters of byte `offset`.
fn char_position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = 1 + before.matches('\n').count();
    let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

fn words(message: &str, text: &str, offset: usize) -> String {
    const TRAILING_COMMA: &str =
        "a comma with nothing after it before `}` or `]` (JSON allows no trailing comma)";
    let at = text.get(offset..).and_then(|rest| rest.chars().next());
    let before = text
        .get(..offset)
        .and_then(|b| b.trim_end().chars().next_back());
    match message {
        "trailing comma" => TRAILING_COMMA.to_owned(),
        "key must be a string" if at == Some('}') && before == Some(',') => {
            TRAILING_COMMA.to_owned()
        }
        "key must be a string" => "a key must be a string in double quotes".to_owned(),
        "EOF while parsing a value" if text.trim().is_empty() => "no JSON at all".to_owned(),
        "EOF while parsing a value" => "the text ends where a value should be".to_owned(),
        "EOF while parsing an object" => "the text ends before the object's closing `}`".to_owned(),
        "EOF while parsing a list" => "the text ends before the list's closing `]`".to_owned(),
        "EOF while parsing a string" => "the text ends inside a string: a `\"` is missing".to_owned(),
        "expected value" => {
            "expected a JSON value: a string in double quotes, a number, an object, a list, true, false or null".to_owned()
        }
        "expected ident" => "expected true, false or null".to_owned(),
        "trailing characters" => "more text after the JSON value".to_owned(),
        "invalid number" => {
            "not a JSON number (no leading zeros, `+` or hex)".to_owned()
        }
        "expected `,` or `}`" => "expected `,` or `}` after a value: is a comma missing?".to_owned(),
        "expected `,` or `]`" => "expected `,` or `]` after a value: is a comma missing?".to_owned(),
        "expected `:`" => "expected `:` after a key".to_owned(),
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a control character inside a string: write it as an escape such as \\n".to_owned()
        }
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        card: String,
        grade: Option<u8>,
    }

    fn problem(text: &str) -> JsonProblem {
        from_json::<Line>(text).unwrap_err()
    }

    fn raw_problem(text: &str) -> JsonProblem {
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        json_problem(&e, text)
    }

    #[test]
    fn a_trailing_comma_is_called_one() {
        assert!(problem(r#"{"card":"a",}"#).words.contains("trailing comma"));
        assert!(raw_problem("[1,2,]").words.contains("trailing comma"));
        // What a borrowed raw value reports for it.
        let text = "{\"a\": 1,\n }";
        let e = serde_json::from_str::<
            std::collections::BTreeMap<&str, &serde_json::value::RawValue>,
        >(text);
        let p = json_problem(&e.unwrap_err(), text);
        assert!(p.words.contains("trailing comma"), "{p:?}");
        assert_eq!((p.line, p.column), (2, 2));
    }

    #[test]
    fn the_message_holds_no_second_position() {
        let p = problem(r#"{"card":null}"#);
        assert_eq!(p.words, "'card': invalid type: null, expected a string");
        assert!(!p.words.contains("line"));
        assert_eq!((p.line, p.column), (1, 12));
    }

    #[test]
    fn columns_count_characters() {
        let p = raw_problem("{\"é\": tru}");
        assert_eq!(p.words, "expected true, false or null");
        // `}` is the 10th character and the 11th byte.
        assert_eq!(p.column, 10);
    }

    #[test]
    fn plain_words_for_common_mistakes() {
        assert_eq!(
            raw_problem("yesterday").words.split(':').next(),
            Some("expected a JSON value")
        );
        assert_eq!(raw_problem("").words, "no JSON at all");
        assert!(raw_problem(r#"{"a":1"#).words.contains("closing `}`"));
        assert!(
            problem(r#"{"card":"a"} x"#)
                .words
                .contains("more text after")
        );
        assert!(
            problem(r#"{"card":"a","x":1}"#)
                .words
                .contains("unknown field `x`")
        );
    }
}
