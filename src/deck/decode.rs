//! Bytes from a file a user names, turned into text every deck parser can trust: UTF-8 without
//! a byte-order mark, LF line ends, no NUL bytes, no line longer than a real deck needs. Every
//! refusal names the line (and column) and says how to fix the file. Pure: no I/O.
//!
//! A [`Decoder`] takes the bytes a piece at a time and hands on the text as it goes, so that a
//! large file is never in memory twice; [`decode`] does the same for bytes already in memory.

use super::parse::LineError;

/// No real deck comes near this: an Anki export of 100,000 cards is about 22 MB. A larger
/// file is refused before it is read, and standard input as soon as it passes it. Reading
/// streams, so what a large deck costs is its cards, not its file.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// No line of a real deck comes near this.
pub const MAX_LINE_BYTES: usize = 256 * 1024;
/// Bytes enough to recognise UTF-16 without a byte-order mark.
const HEAD_BYTES: usize = 64;

/// The text of a deck file, or every reason it cannot be read as one.
pub fn decode(bytes: &[u8]) -> Result<String, Vec<LineError>> {
    let mut text = String::with_capacity(bytes.len());
    let mut decoder = Decoder::default();
    decoder.feed(bytes, |piece| text.push_str(piece));
    decoder.finish(|piece| text.push_str(piece))?;
    Ok(text)
}

/// Decodes a deck file fed a piece at a time, the pieces cut anywhere (inside a character or
/// between a CR and its LF). The text comes out through a callback, with the same line ends
/// and the same refusals, at the same lines and columns, as if the bytes had come whole.
/// After a refusal that stops decoding (UTF-16, invalid UTF-8) nothing more comes out.
#[derive(Default)]
pub struct Decoder {
    /// The first bytes, held until there are enough to recognise UTF-16; `None` once decided.
    head: Option<Vec<u8>>,
    started: bool,
    /// The start of a character cut off at the end of the last piece.
    carry: Vec<u8>,
    /// Where the next byte is, counting lines by LF alone and columns in characters (how an
    /// invalid byte is located).
    lf_lines: usize,
    chars_since_lf: usize,
    /// The line (ended by LF, CR or CRLF) the next byte is on, and the bytes and characters
    /// of it so far.
    line: usize,
    line_bytes: usize,
    line_chars: usize,
    /// Whether the last byte was a CR, whose LF (if it comes next) ends nothing new.
    after_cr: bool,
    reported_nul: bool,
    errors: Vec<LineError>,
    /// Decoding stopped: the input is UTF-16 or not UTF-8.
    stopped: bool,
    /// The text of one piece with its line ends made LF.
    out: String,
}

impl Decoder {
    /// Whether decoding has stopped for good: reading more input is pointless.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Decodes the next piece of the input, handing its text to `emit`.
    pub fn feed(&mut self, bytes: &[u8], mut emit: impl FnMut(&str)) {
        if self.stopped {
            return;
        }
        if !self.started {
            let head = self.head.get_or_insert_with(Vec::new);
            head.extend_from_slice(bytes);
            if head.len() < HEAD_BYTES {
                return;
            }
            let head = self.head.take().unwrap_or_default();
            self.start(&head, &mut emit);
            return;
        }
        self.bytes(bytes, &mut emit);
    }

    /// Ends the input: hands on what is left and returns every refusal, if there was any.
    pub fn finish(mut self, mut emit: impl FnMut(&str)) -> Result<(), Vec<LineError>> {
        if !self.started {
            let head = self.head.take().unwrap_or_default();
            self.start(&head, &mut emit);
        }
        if !self.stopped && !self.carry.is_empty() {
            self.invalid();
        }
        if !self.stopped {
            check_length(self.line_bytes, self.line, &mut self.errors);
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }

    /// The first bytes: UTF-16 is refused, a UTF-8 byte-order mark dropped.
    fn start(&mut self, head: &[u8], emit: &mut impl FnMut(&str)) {
        self.started = true;
        self.line = 1;
        if head.starts_with(&[0xFF, 0xFE])
            || head.starts_with(&[0xFE, 0xFF])
            || looks_like_utf16(head)
        {
            self.errors = vec![LineError::new(
                1,
                "the file is UTF-16; save it as UTF-8 and import it again",
            )];
            self.stopped = true;
            return;
        }
        let bytes = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
        self.bytes(bytes, emit);
    }

    fn bytes(&mut self, mut bytes: &[u8], emit: &mut impl FnMut(&str)) {
        if !self.carry.is_empty() {
            // Complete the character the last piece cut off.
            let width = utf8_width(self.carry[0]);
            let wanted = (width - self.carry.len()).min(bytes.len());
            self.carry.extend_from_slice(&bytes[..wanted]);
            bytes = &bytes[wanted..];
            if self.carry.len() < width {
                return;
            }
            let carry = std::mem::take(&mut self.carry);
            match std::str::from_utf8(&carry) {
                Ok(text) => self.text(text, emit),
                Err(_) => return self.invalid(),
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => self.text(text, emit),
            Err(e) => {
                let valid = e.valid_up_to();
                // Checked just now: the bytes before `valid` are UTF-8.
                let text = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
                self.text(text, emit);
                match e.error_len() {
                    None => self.carry.extend_from_slice(&bytes[valid..]),
                    Some(_) => self.invalid(),
                }
            }
        }
    }

    /// An invalid byte where the next one would be: the only refusal reported, as the text
    /// cannot be read past it.
    fn invalid(&mut self) {
        self.errors = vec![LineError::at(
            self.lf_lines + 1,
            self.chars_since_lf + 1,
            "not valid UTF-8; save the file as UTF-8",
        )];
        self.stopped = true;
        self.carry.clear();
    }

    /// Checks a piece of valid text and hands it on with its line ends made LF.
    fn text(&mut self, text: &str, emit: &mut impl FnMut(&str)) {
        if text.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        let crlf_across = self.after_cr && bytes[0] == b'\n';
        let mut line_start = 0;
        let mut last_lf = None;
        let mut has_cr = false;
        for i in memchr::memchr3_iter(b'\n', b'\r', b'\0', bytes) {
            match bytes[i] {
                b'\0' => {
                    if !self.reported_nul {
                        let column = self.line_chars + text[line_start..i].chars().count() + 1;
                        self.errors.push(LineError::at(
                            self.line,
                            column,
                            "a NUL byte: the file is binary or damaged, not a text deck",
                        ));
                        self.reported_nul = true;
                    }
                }
                byte => {
                    if byte == b'\n' {
                        last_lf = Some(i);
                        self.lf_lines += 1;
                    } else {
                        has_cr = true;
                    }
                    // CRLF counts once: the LF after a CR ends nothing new.
                    let crlf = byte == b'\n'
                        && if i == 0 {
                            self.after_cr
                        } else {
                            bytes[i - 1] == b'\r'
                        };
                    if !crlf {
                        check_length(
                            self.line_bytes + i - line_start,
                            self.line,
                            &mut self.errors,
                        );
                        self.line += 1;
                    }
                    self.line_bytes = 0;
                    self.line_chars = 0;
                    line_start = i + 1;
                }
            }
        }
        let rest = &text[line_start..];
        self.line_bytes += rest.len();
        self.line_chars += rest.chars().count();
        self.chars_since_lf = match last_lf {
            Some(i) => text[i + 1..].chars().count(),
            None => self.chars_since_lf + text.chars().count(),
        };
        self.after_cr = bytes[bytes.len() - 1] == b'\r';
        if !has_cr && !crlf_across {
            emit(text);
            return;
        }
        self.out.clear();
        let mut rest = if crlf_across { &text[1..] } else { text };
        while let Some(cr) = memchr::memchr(b'\r', rest.as_bytes()) {
            self.out.push_str(&rest[..cr]);
            self.out.push('\n');
            rest = &rest[cr + 1..];
            if let Some(after) = rest.strip_prefix('\n') {
                rest = after;
            }
        }
        self.out.push_str(rest);
        emit(&self.out);
    }
}

/// The bytes of a UTF-8 character that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
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
    let sample = &bytes[..bytes.len().min(HEAD_BYTES)];
    sample.len() >= 4
        && (sample.iter().step_by(2).all(|b| *b == 0)
            || sample.iter().skip(1).step_by(2).all(|b| *b == 0))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// How hone decoded a deck file before it read files a piece at a time: the whole bytes at
    /// once. The decoder must agree with it on every input, however the input is cut.
    fn whole(bytes: &[u8]) -> Result<String, Vec<LineError>> {
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
                let before = &bytes[..e.valid_up_to()];
                let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
                let start = before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let column = 1 + String::from_utf8_lossy(&before[start..]).chars().count();
                return Err(vec![LineError::at(
                    line,
                    column,
                    "not valid UTF-8; save the file as UTF-8",
                )]);
            }
        };
        let mut line = 1;
        let mut line_start = 0;
        let mut reported_nul = false;
        for (i, c) in text.char_indices() {
            match c {
                '\n' | '\r' => {
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

    /// `bytes` fed to a decoder in pieces of `step` bytes.
    fn in_pieces(bytes: &[u8], step: usize) -> Result<String, Vec<LineError>> {
        let mut text = String::new();
        let mut decoder = Decoder::default();
        for piece in bytes.chunks(step.max(1)) {
            decoder.feed(piece, |t| text.push_str(t));
        }
        decoder.finish(|t| text.push_str(t)).map(|()| text)
    }

    #[test]
    fn a_file_read_in_pieces_decodes_as_the_whole_file() {
        let mut long = b"short\r\n".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        long.extend(b"\r\nnext\0\r");
        let cases: [&[u8]; 12] = [
            b"",
            b"\xEF\xBB\xBFa\r\nb\rc\n",
            b"ok\nalso ok\ncaf\xe9 latin-1\n",
            "caf\u{e9}\r\n\u{1F600}\rna\u{ef}ve\n".as_bytes(),
            b"a\r\nb\0c\0\n",
            b"\xFF\xFEa\0b\0",
            b"a\0b\0c\0d\0",
            b"\r\r\n\n\r",
            b"\xE2\x82",
            b"\xE2\x82\xAC\xE2\x41",
            b"no newline at the end",
            &long,
        ];
        for bytes in cases {
            let expected = whole(bytes);
            for step in [1, 2, 3, 5, 63, 64, 65, 4096, usize::MAX] {
                assert_eq!(
                    in_pieces(bytes, step),
                    expected,
                    "{:?} in pieces of {step}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
                );
            }
            assert_eq!(decode(bytes), expected);
        }
    }

    proptest! {
        #[test]
        fn any_bytes_cut_anywhere_decode_as_the_whole_file(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(&b"\r"[..]), Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\0"[..]),
                    Just("\u{e9}".as_bytes()), Just("\u{20ac}".as_bytes()), Just("\u{1F600}".as_bytes()),
                    Just(&b"\xE2"[..]), Just(&b"\xFF"[..]), Just(&b"\xEF\xBB\xBF"[..]),
                    Just(&b"ab"[..]), Just(&b","[..]), Just(&b"x"[..]),
                ],
                0..80,
            ),
            step in 1usize..70,
        ) {
            let bytes: Vec<u8> = parts.concat();
            prop_assert_eq!(in_pieces(&bytes, step), whole(&bytes));
        }
    }

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
