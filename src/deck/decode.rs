//! Bytes from a file a user names, turned into text every deck parser can trust: UTF-8 without
//! a byte-order mark, LF line ends, no NUL bytes, no line longer than a real deck needs. Every
//! refusal names the line (and column) and says how to fix the file. Pure: no I/O.

use super::parse::LineError;

/// No real deck comes near this; a bigger file is refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// No line of a real deck comes near this.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// The text of a deck file, or every reason it cannot be read as one.
pub fn decode(bytes: &[u8]) -> Result<String, Vec<LineError>> {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(bytes)
    {
        return Err(vec![LineError::new(
            1,
            "the file is UTF-16; save it as UTF-8 and import it again",
        )]);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let mut errors = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, column) = position(bytes, e.valid_up_to());
            errors.push(LineError::at(
                line,
                column,
                "not valid UTF-8; save the file as UTF-8",
            ));
            return Err(errors);
        }
    };
    let mut line = 1;
    let mut line_start = 0;
    let mut reported_nul = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' | '\r' => {
                // CRLF counts once: the LF after a CR ends nothing new.
                let crlf = c == '\n' && i > 0 && text.as_bytes()[i - 1] == b'\r';
                if !crlf {
                    check_length(i - line_start, line, &mut errors);
                    line += 1;
                }
                line_start = i + 1;
            }
            '\0' if !reported_nul => {
                let column = text[line_start..i].chars().count() + 1;
                errors.push(LineError::at(
                    line,
                    column,
                    "a NUL byte: the file is binary or damaged, not a text deck",
                ));
                reported_nul = true;
            }
            _ => {}
        }
    }
    check_length(text.len() - line_start, line, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn check_length(bytes: usize, line: usize, errors: &mut Vec<LineError>) {
    if bytes > MAX_LINE_BYTES {
        errors.push(LineError::new(
            line,
            format!(
                "the line is longer than {} KiB, the limit for a deck line",
                MAX_LINE_BYTES / 1024
            ),
        ));
    }
}

/// UTF-16 without a byte-order mark: text where every other byte is zero.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64)];
    sample.len() >= 4
        && (sample.iter().step_by(2).all(|b| *b == 0)
            || sample.iter().skip(1).step_by(2).all(|b| *b == 0))
}

/// The 1-based line and column (in characters) of byte `offset`.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = 1 + String::from_utf8_lossy(&before[start..]).chars().count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(errors: Vec<LineError>) -> Vec<(usize, Option<usize>)> {
        errors.into_iter().map(|e| (e.line, e.column)).collect()
    }

    #[test]
    fn utf8_with_a_bom_and_any_line_ends_becomes_plain_lf_text() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap(), "a\nb\nc\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode(b"ok\nalso ok\ncaf\xe9 latin-1\n").unwrap_err();
        assert_eq!(lines_of(err), [(3, Some(4))]);
    }

    #[test]
    fn utf16_is_recognised_with_or_without_a_bom() {
        let utf16: Vec<u8> = "front\tback\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(decode(&utf16).unwrap_err()[0].message.contains("UTF-16"));
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&utf16);
        assert!(decode(&with_bom).unwrap_err()[0].message.contains("UTF-16"));
    }

    #[test]
    fn nul_bytes_and_giant_lines_are_refused_at_their_line() {
        assert_eq!(
            lines_of(decode(b"a\r\nb\0c\n").unwrap_err()),
            [(2, Some(2))]
        );
        let mut long = b"short\n".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        let err = decode(&long).unwrap_err();
        assert_eq!(err[0].line, 2);
        assert!(err[0].message.contains("256 KiB"));
    }

    #[test]
    fn cr_line_ends_count_lines_like_lf() {
        let mut text = b"a\rb\rc".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        assert_eq!(decode(&text).unwrap_err()[0].line, 3);
    }
}
