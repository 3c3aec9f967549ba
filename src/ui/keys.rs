//! Keys read with a time limit, for screens that redraw while they wait (a mock's countdown).
//! A thread reads the terminal's bytes as they come and hands over the keys they make; the
//! screen waits for the next one as long as it likes. A thread rather than `poll(2)`: macOS
//! cannot poll a terminal, and the thread never touches the terminal's modes, so nothing it
//! does can leave them changed (the screen holds the terminal raw, `terminal::Raw`).

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use console::Key;

/// What waiting for a key gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waited {
    Key(Key),
    /// The time was up first.
    Timeout,
    /// The terminal is gone (closed, or unreadable): nothing more will come.
    Closed,
}

/// The keys pressed on the terminal (standard input), in order.
pub struct Keys {
    keys: Receiver<Key>,
}

impl Keys {
    /// Starts reading. The thread stays blocked in a read once nothing more is wanted; it ends
    /// with the process.
    pub fn start() -> std::io::Result<Keys> {
        let (send, keys) = mpsc::channel();
        thread::Builder::new()
            .name("keys".to_owned())
            .spawn(move || {
                let mut pending: Vec<u8> = Vec::new();
                let mut buffer = [0u8; 256];
                loop {
                    let read = match rustix::io::read(rustix::stdio::stdin(), &mut buffer) {
                        Ok(0) => return,
                        Ok(read) => read,
                        Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
                        Err(_) => return,
                    };
                    pending.extend_from_slice(&buffer[..read]);
                    let (keys, used) = parse(&pending);
                    pending.drain(..used);
                    for key in keys {
                        if send.send(key).is_err() {
                            return;
                        }
                    }
                }
            })?;
        Ok(Keys { keys })
    }

    /// Forgets the keys pressed so far: a key pressed twice by accident on one screen must not
    /// act on the next (reveal a question the moment it shows). Whether the terminal is gone
    /// is kept for the next wait.
    pub fn discard(&self) {
        while self.keys.try_recv().is_ok() {}
    }

    /// The next key, waiting at most `limit` (forever without one).
    pub fn next(&self, limit: Option<Duration>) -> Waited {
        let got = match limit {
            Some(limit) => self.keys.recv_timeout(limit),
            None => self.keys.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match got {
            Ok(key) => Waited::Key(key),
            Err(RecvTimeoutError::Timeout) => Waited::Timeout,
            Err(RecvTimeoutError::Disconnected) => Waited::Closed,
        }
    }
}

/// The keys that `bytes` (read from a raw terminal) make, and how many bytes they took: an
/// incomplete UTF-8 character at the end is left for the next read. An escape sequence comes
/// whole from a terminal, so an Esc at the end of a read is the Esc key.
pub fn parse(bytes: &[u8]) -> (Vec<Key>, usize) {
    let mut keys = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (key, used) = match bytes[at] {
            0x1b => escape(&bytes[at..]),
            b'\r' | b'\n' => (Key::Enter, 1),
            0x7f | 0x08 => (Key::Backspace, 1),
            b'\t' => (Key::Tab, 1),
            0x03 => (Key::CtrlC, 1),
            0x01 => (Key::Home, 1),
            0x05 => (Key::End, 1),
            byte if byte < 0x20 => (Key::Unknown, 1),
            byte if byte < 0x80 => (Key::Char(char::from(byte)), 1),
            byte => {
                let len = match byte {
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => 1,
                };
                if at + len > bytes.len() {
                    break; // the rest of the character comes with the next read
                }
                match std::str::from_utf8(&bytes[at..at + len])
                    .ok()
                    .and_then(|s| s.chars().next())
                {
                    Some(c) => (Key::Char(c), len),
                    None => (Key::Unknown, 1),
                }
            }
        };
        keys.push(key);
        at += used;
    }
    (keys, at)
}

/// The key an escape sequence at the start of `bytes` stands for, and its length.
fn escape(bytes: &[u8]) -> (Key, usize) {
    match bytes.get(1) {
        None => (Key::Escape, 1),
        Some(b'[') => {
            // CSI: parameters and intermediates, then one final byte from @ to ~.
            let Some(end) = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b)) else {
                return (Key::Escape, 1);
            };
            let (params, last) = (&bytes[2..2 + end], bytes[2 + end]);
            let key = match (params, last) {
                (b"", b'A') => Key::ArrowUp,
                (b"", b'B') => Key::ArrowDown,
                (b"", b'C') => Key::ArrowRight,
                (b"", b'D') => Key::ArrowLeft,
                (b"", b'H') | (b"1" | b"7", b'~') => Key::Home,
                (b"", b'F') | (b"4" | b"8", b'~') => Key::End,
                (b"", b'Z') => Key::BackTab,
                (b"2", b'~') => Key::Insert,
                (b"3", b'~') => Key::Del,
                (b"5", b'~') => Key::PageUp,
                (b"6", b'~') => Key::PageDown,
                _ => Key::Unknown,
            };
            (key, 3 + end)
        }
        // SS3, as terminals in application mode send the arrows, Home and End.
        Some(b'O') => match bytes.get(2) {
            Some(b'A') => (Key::ArrowUp, 3),
            Some(b'B') => (Key::ArrowDown, 3),
            Some(b'C') => (Key::ArrowRight, 3),
            Some(b'D') => (Key::ArrowLeft, 3),
            Some(b'H') => (Key::Home, 3),
            Some(b'F') => (Key::End, 3),
            Some(_) => (Key::Unknown, 3),
            None => (Key::Escape, 1),
        },
        Some(_) => (Key::Escape, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_gives_a_key_the_timeout_or_the_end_and_discard_forgets() {
        let (send, keys) = mpsc::channel();
        let keys = Keys { keys };
        send.send(Key::Enter).unwrap();
        send.send(Key::Char('t')).unwrap();
        keys.discard();
        assert_eq!(keys.next(Some(Duration::from_millis(5))), Waited::Timeout);
        send.send(Key::Char('q')).unwrap();
        assert_eq!(keys.next(None), Waited::Key(Key::Char('q')));
        drop(send);
        keys.discard();
        assert_eq!(keys.next(Some(Duration::from_secs(5))), Waited::Closed);
        assert_eq!(keys.next(None), Waited::Closed);
    }

    #[test]
    fn keys_from_bytes() {
        let (keys, used) = parse(b"t\r\x7f q\x1b[A\x1b[B\x1b[5~\x1b[6~\x1b[H\x1bOF\x1b[Z\x03\x1b");
        assert_eq!(
            keys,
            [
                Key::Char('t'),
                Key::Enter,
                Key::Backspace,
                Key::Char(' '),
                Key::Char('q'),
                Key::ArrowUp,
                Key::ArrowDown,
                Key::PageUp,
                Key::PageDown,
                Key::Home,
                Key::End,
                Key::BackTab,
                Key::CtrlC,
                Key::Escape,
            ]
        );
        assert_eq!(used, 30);
    }

    #[test]
    fn a_character_cut_between_reads_waits_for_its_rest() {
        let text = "é€".as_bytes();
        let (keys, used) = parse(&text[..3]);
        assert_eq!((keys, used), (vec![Key::Char('é')], 2));
        let (keys, used) = parse(&text[2..]);
        assert_eq!((keys, used), (vec![Key::Char('€')], 3));
    }

    #[test]
    fn unknown_sequences_are_one_key_each() {
        let (keys, used) = parse(b"\x1b[1;5A\x1b[99~x\x01");
        assert_eq!(
            keys,
            [Key::Unknown, Key::Unknown, Key::Char('x'), Key::Home]
        );
        assert_eq!(used, 13);
        let (keys, _) = parse(b"\x1bq");
        assert_eq!(keys, [Key::Escape, Key::Char('q')]);
        assert_eq!(parse(&[0xff, b'a']).0, [Key::Unknown, Key::Char('a')]);
    }
}
