//! Whole JSON files that carry `"schema": N`: parsed so that a newer format is reported as such
//! and damage is reported precisely, never mistaken for an old version.

use std::path::Path;

use super::StoreError;
use super::records::{DeviceFile, FileVersion};

pub(super) trait HasSchema {
    fn schema(&self) -> u32;
}

impl HasSchema for DeviceFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

pub(super) fn newer(path: &Path, line: Option<u64>, found: u32, supported: u32) -> StoreError {
    StoreError::NewerSchema {
        path: path.to_path_buf(),
        line,
        found,
        supported,
    }
}

/// Parses a whole JSON file that carries `"schema": N`, telling a newer format from damage.
pub(super) fn parse_versioned_file<T: serde::de::DeserializeOwned + HasSchema>(
    path: &Path,
    bytes: &[u8],
    supported: u32,
) -> Result<T, StoreError> {
    let corrupt = |line: Option<u64>, reason: String| StoreError::corrupt(path, line, reason);
    if let Some(reason) = emptiness(bytes) {
        return Err(corrupt(None, reason.to_owned()));
    }
    match serde_json::from_slice::<T>(bytes) {
        Ok(file) if file.schema() > supported => Err(newer(path, None, file.schema(), supported)),
        Ok(file) if file.schema() == 0 => {
            Err(corrupt(None, "format version 0 does not exist".to_owned()))
        }
        Ok(file) => Ok(file),
        Err(e) => Err(not_readable::<T>(path, bytes, supported, e)),
    }
}

/// What is wrong with a file that holds nothing: what a crash can leave of a new file.
pub(super) fn emptiness(bytes: &[u8]) -> Option<&'static str> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        Some("the file is empty")
    } else if bytes.iter().all(|&b| b == 0) {
        Some("the file holds only zero bytes")
    } else {
        None
    }
}

/// Why a file that carries `"schema": N` did not parse as this version: a newer version, or
/// damage described as precisely as `error` allows.
pub(super) fn not_readable<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
    supported: u32,
    error: serde_json::Error,
) -> StoreError {
    match serde_json::from_slice::<FileVersion>(bytes) {
        Ok(v) if v.schema > supported => newer(path, None, v.schema, supported),
        _ => {
            let what = if error.is_eof() {
                "cut short, as by a crash or a full disk"
            } else {
                "not a valid hone file"
            };
            StoreError::bad_json::<T>(path, 1, what, bytes, &error)
        }
    }
}
