//! The data-dir lock: shared for readers, exclusive for writers, with a bounded wait.
//!
//! An OS file lock (`File::lock`) is released by the kernel when its process dies, so a killed
//! hone never leaves a lock that needs cleaning up by hand.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use super::StoreError;
use super::fsutil::io_error;

/// A held lock; released when dropped.
#[derive(Debug)]
pub(crate) struct Lock {
    _file: Option<File>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Shared,
    Exclusive,
}

impl Lock {
    /// Takes the lock at `path`, waiting at most `timeout`. A reader in a directory where the lock
    /// file does not exist and cannot be created (read-only media) goes ahead unlocked: no writer
    /// can be at work there either.
    pub(crate) fn acquire(path: &Path, mode: Mode, timeout: Duration) -> Result<Lock, StoreError> {
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
                Err(_) => return Ok(Lock { _file: None }),
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
                Ok(()) => return Ok(Lock { _file: Some(file) }),
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
}
