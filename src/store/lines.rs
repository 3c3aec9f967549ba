//! Splitting files into lines at memory speed: every line-oriented file here (logs, deck files,
//! the snapshot) is read through this.

use std::io::{self, Read};
use std::path::Path;

use super::StoreError;
use super::fsutil::io_error;

/// How much of a file is read at a time when it is read line by line.
const CHUNK: usize = 256 * 1024;

/// The lines of `bytes`, without their `\n`; a final newline does not start an empty line.
pub(super) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        start = end + 1;
        Some(line)
    })
}

/// Calls `each` with every line read from `reader` (the file at `path`), without its `\n`, a
/// chunk at a time: a large file is never in memory whole. Returns whether the input ended with
/// a newline (or was empty).
pub(super) fn for_each_line(
    path: &Path,
    mut reader: impl Read,
    mut each: impl FnMut(&[u8]) -> Result<(), StoreError>,
) -> Result<bool, StoreError> {
    let mut buffer = vec![0u8; CHUNK];
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            buffer.resize(buffer.len() * 2, 0); // a line longer than the buffer
        }
        let read = match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(path, "read")(e)),
        };
        let end = filled + read;
        let mut start = 0;
        // The carried-over start of a line holds no newline: search only what is new.
        let mut search = filled;
        while let Some(at) = memchr::memchr(b'\n', &buffer[search..end]) {
            each(&buffer[start..search + at])?;
            start = search + at + 1;
            search = start;
        }
        buffer.copy_within(start..end, 0);
        filled = end - start;
    }
    if filled > 0 {
        each(&buffer[..filled])?;
    }
    Ok(filled == 0)
}

#[cfg(test)]
mod tests {
    use super::{for_each_line, lines};

    /// A reader that hands out at most `step` bytes per read, to cut lines at every place.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn reading_line_by_line_sees_what_splitting_sees() {
        let long = "x".repeat(super::CHUNK * 2 + 3);
        let texts = [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\n\nb\n",
            "\n\na\n\n",
            &format!("a\n{long}\nb"),
        ];
        for text in texts {
            for step in [1, 2, 7, usize::MAX] {
                let reader = Trickle {
                    bytes: text.as_bytes(),
                    step,
                };
                let mut seen = Vec::new();
                let ended = for_each_line(std::path::Path::new("t"), reader, |line| {
                    seen.push(line.to_vec());
                    Ok(())
                })
                .unwrap();
                let expected: Vec<Vec<u8>> = lines(text.as_bytes()).map(<[u8]>::to_vec).collect();
                assert_eq!(seen, expected, "{text:?} by {step}");
                assert_eq!(ended, text.is_empty() || text.ends_with('\n'), "{text:?}");
            }
        }
    }

    #[test]
    fn lines_split_like_str_lines_without_carriage_return_handling() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\n\nb\n", "\n\na\n\n"] {
            let ours: Vec<&[u8]> = lines(text.as_bytes()).collect();
            let std: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }
}
