//! The data-dir lock: shared for readers, exclusive for writers, with a bounded wait.
//!
//! An OS file lock (`File::lock`) is released by the kernel when its process dies, so a killed
//! hone never leaves a lock that needs cleaning up by hand. Within one process the lock is
//! re-entrant: code that already holds it (a doctor reading the decks under its exclusive lock,
//! an import taking a backup) takes it again for free instead of waiting on itself.

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

use super::StoreError;
use super::fsutil::io_error;

/// A held lock; released when the outermost one is dropped.
#[derive(Debug)]
pub(crate) struct Lock {
    _file: Option<File>,
    /// Set for the outermost lock of a process: cleared when it is released.
    held: Option<Rc<Cell<Option<Mode>>>>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(held) = &self.held {
            held.set(None);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Shared,
    Exclusive,
}

/// The lock of one data dir, as one process holds it.
#[derive(Debug, Default)]
pub(crate) struct LockState {
    held: Rc<Cell<Option<Mode>>>,
}

impl LockState {
    /// Takes the lock at `path`, or, if this process holds it already in a mode that covers
    /// `mode`, a free nested hold of it. Asking for the exclusive lock while holding the shared
    /// one is a bug: it would wait on itself.
    pub(crate) fn acquire(
        &self,
        path: &Path,
        mode: Mode,
        timeout: Duration,
    ) -> Result<Lock, StoreError> {
        match (self.held.get(), mode) {
            (Some(Mode::Exclusive), _) | (Some(Mode::Shared), Mode::Shared) => {
                return Ok(Lock {
                    _file: None,
                    held: None,
                });
            }
            (Some(Mode::Shared), Mode::Exclusive) => {
                return Err(StoreError::Refused(format!(
                    "internal error: the exclusive lock on {} was asked for under the shared one",
                    super::shown(path)
                )));
            }
            (None, _) => {}
        }
        let file = acquire_file(path, mode, timeout)?;
        self.held.set(Some(mode));
        Ok(Lock {
            _file: file,
            held: Some(self.held.clone()),
        })
    }

    /// Whether this process holds the lock in any mode.
    pub(crate) fn is_held(&self) -> bool {
        self.held.get().is_some()
    }
}

/// Takes the OS lock at `path`, waiting at most `timeout`. A reader in a directory where the
/// lock file does not exist and cannot be created (read-only media) goes ahead unlocked: no
/// writer can be at work there either.
fn acquire_file(path: &Path, mode: Mode, timeout: Duration) -> Result<Option<File>, StoreError> {
    if path.is_dir() {
        return Err(StoreError::Refused(format!(
            "{} is a directory, not a lock file; move it away",
            super::shown(path)
        )));
    }
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
    {
        Ok(file) => file,
        Err(_) if mode == Mode::Shared => match File::open(path) {
            Ok(file) => file,
            Err(_) => return Ok(None),
        },
        Err(e) => return Err(io_error(path, "open lock file")(e)),
    };
    let started = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        let attempt = match mode {
            Mode::Shared => file.try_lock_shared(),
            Mode::Exclusive => file.try_lock(),
        };
        match attempt {
            Ok(()) => return Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(io_error(path, "lock")(e)),
        }
        if started.elapsed() >= timeout {
            return Err(StoreError::Busy {
                path: PathBuf::from(path),
                waited: timeout,
            });
        }
        thread::sleep(pause.min(timeout.saturating_sub(started.elapsed())));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_takes_its_own_lock_again_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let state = LockState::default();
        let outer = state
            .acquire(&path, Mode::Exclusive, Duration::ZERO)
            .unwrap();
        let inner = state.acquire(&path, Mode::Shared, Duration::ZERO).unwrap();
        drop(inner);
        assert!(state.is_held(), "a nested hold does not release the lock");
        drop(outer);
        assert!(!state.is_held());
        let shared = state.acquire(&path, Mode::Shared, Duration::ZERO).unwrap();
        assert!(
            state
                .acquire(&path, Mode::Exclusive, Duration::ZERO)
                .is_err()
        );
        drop(shared);
        // Another process (another open file description) is kept out while it is held.
        let held = state
            .acquire(&path, Mode::Exclusive, Duration::ZERO)
            .unwrap();
        let other = LockState::default();
        assert!(matches!(
            other.acquire(&path, Mode::Shared, Duration::from_millis(10)),
            Err(StoreError::Busy { .. })
        ));
        drop(held);
    }
}
