//! Leaving the terminal as we found it. While a session runs, SIGINT, SIGTERM and SIGHUP (a
//! closed terminal) are caught on a helper thread, which waits for any answer being written to
//! reach the disk, restores the terminal modes saved at the start (echo, line mode) and the
//! cursor, and ends the process. Answers are durable as they are given, so nothing is lost.
//! A screen that redraws while it waits holds the terminal raw for its whole life (`Raw`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

use rustix::termios::{OptionalActions, Termios, tcgetattr, tcsetattr};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Restores the terminal on signals; also on drop, for the ordinary ways out.
pub struct Guard {
    saved: Option<Termios>,
    writing: Arc<Mutex<()>>,
    /// Set inside the signal handler itself, before any interrupted read returns.
    signalled: Arc<AtomicBool>,
}

impl Guard {
    pub fn install() -> std::io::Result<Guard> {
        let saved = tcgetattr(rustix::stdio::stdin()).ok();
        let writing = Arc::new(Mutex::new(()));
        let signalled = Arc::new(AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            signal_hook::flag::register(signal, Arc::clone(&signalled))?;
        }
        let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        let (held, modes) = (Arc::clone(&writing), saved.clone());
        thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Let an answer being written finish; never hold the lock forever if poisoned.
                let _done = held.lock().unwrap_or_else(|e| e.into_inner());
                restore(modes.as_ref());
                eprintln!("\nhone: interrupted; every answer given so far is saved.");
                std::process::exit(128 + signal);
            }
        });
        Ok(Guard {
            saved,
            writing,
            signalled,
        })
    }

    /// A read that a signal interrupted looks like Ctrl-C or an error to the caller. If a signal
    /// did arrive, the handler thread is ending the process: wait for it rather than race it.
    pub fn settle(&self) {
        if self.signalled.load(Ordering::SeqCst) {
            loop {
                thread::park();
            }
        }
    }

    /// Held while an answer is written, so a signal cannot end the process halfway through.
    pub fn writing(&self) -> MutexGuard<'_, ()> {
        self.writing.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore(self.saved.as_ref());
    }
}

fn restore(modes: Option<&Termios>) {
    if let Some(modes) = modes {
        let _ = tcsetattr(rustix::stdio::stdin(), OptionalActions::Now, modes);
    }
    // Show the cursor again; harmless if it was never hidden, ignored if the terminal is gone.
    // Straight to the file descriptor: the main thread may hold std's stdout lock.
    let _ = rustix::io::write(rustix::stdio::stdout(), b"\x1b[?25h");
}

/// The terminal in raw mode (each key as it is pressed, no echo, Ctrl-C a key like any other)
/// until dropped, when its modes before are put back. Output is left as it was, so a newline
/// still starts a line. Without a terminal, nothing changes.
pub struct Raw {
    before: Option<Termios>,
}

impl Raw {
    pub fn enter() -> std::io::Result<Raw> {
        let stdin = rustix::stdio::stdin();
        let Ok(before) = tcgetattr(stdin) else {
            return Ok(Raw { before: None });
        };
        let mut raw = before.clone();
        raw.make_raw();
        raw.output_modes = before.output_modes;
        tcsetattr(stdin, OptionalActions::Drain, &raw)?;
        Ok(Raw {
            before: Some(before),
        })
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        if let Some(before) = &self.before {
            let _ = tcsetattr(rustix::stdio::stdin(), OptionalActions::Drain, before);
        }
    }
}
