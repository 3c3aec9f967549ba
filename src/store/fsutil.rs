//! Durable file primitives: atomic replacement and synced appends. Every failure names its path,
//! and a failed fsync is reported, never retried into a false success.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::StoreError;

pub(crate) fn io_error(
    path: &Path,
    action: &'static str,
) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io {
        action,
        path,
        source,
    }
}

/// Makes a directory entry (a new or renamed file) durable. Directories cannot be fsynced on
/// some platforms; there the rename itself is all the OS offers.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error(dir, "sync directory"))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The prefix of temporary files written next to `target`; leftovers from a crash carry it too.
pub(crate) fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    format!(".{name}.tmp-")
}

/// Replaces `target` with `bytes` so that a crash leaves either the old or the new file whole:
/// a temporary file in the same directory, fsync, rename over the target, fsync the directory.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8], unique: u64) -> Result<(), StoreError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp: PathBuf = dir.join(format!(
        "{}{}-{unique:016x}",
        temp_prefix(target),
        std::process::id()
    ));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io_error(&temp, "create"))?;
        file.write_all(bytes).map_err(io_error(&temp, "write"))?;
        file.sync_all().map_err(io_error(&temp, "sync"))?;
        drop(file);
        fs::rename(&temp, target).map_err(io_error(target, "replace"))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes temporary files a crashed writer left next to `target`. Call only under the
/// exclusive lock, when no other writer can be mid-write.
pub(crate) fn remove_stale_temps(target: &Path) {
    let Some(dir) = target.parent() else { return };
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

pub(crate) fn create_dir_all(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(io_error(dir, "create directory"))
}

/// Appends `bytes` to the log at `path` (in `dir`, created if needed) and fsyncs it; on failure
/// the log is cut back to where it was (`from`, or its length before), so no partial line stays.
pub(super) fn append_synced(
    path: &Path,
    dir: &Path,
    bytes: &[u8],
    from: Option<u64>,
) -> Result<(), StoreError> {
    append_synced_with(path, dir, from, |mut file| file.write_all(bytes))
}

/// [`append_synced`] of what `write` writes to the file. Only an fsync makes it an append: a
/// failure, or a crash before the fsync returns, leaves nothing acknowledged, and a failure
/// cuts the log back.
pub(super) fn append_synced_with(
    path: &Path,
    dir: &Path,
    from: Option<u64>,
    write: impl FnOnce(&fs::File) -> io::Result<()>,
) -> Result<(), StoreError> {
    if !dir.is_dir() {
        create_dir_all(dir)?;
    }
    let existed = path.exists();
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io_error(path, "open"))?;
    let before = match from {
        Some(from) => from,
        None => file.metadata().map_err(io_error(path, "read"))?.len(),
    };
    let written = write(&file)
        .map_err(io_error(path, "append to"))
        .and_then(|()| file.sync_data().map_err(io_error(path, "sync")));
    if let Err(e) = written {
        let _ = file.set_len(before).and_then(|()| file.sync_data());
        return Err(e);
    }
    if !existed {
        sync_dir(dir)?;
    }
    Ok(())
}
