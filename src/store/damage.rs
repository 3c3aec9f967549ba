//! Damaged lines of a log, and the repairs that settle them without rewriting the log.
//!
//! A line that does not parse is refused: every command that reads the log fails, naming it.
//! `hone restore` settles damage in this machine's own logs by appending a repair, a line that
//! names the damaged line by its number and a hash of its bytes; readers then skip that line,
//! and only that line (a line with other bytes, as another machine's copy may have, stands).
//! The log stays append-only, so a repair reaches every machine as any entry does.

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::records::StampRecord;
use crate::model::stable_hash;

/// A repair line: `{"v":..,"id":..,"kind":"repair","hlc":[..],"at":..,"line":N,"hash":"…"}`.
#[derive(Serialize, Deserialize)]
pub(super) struct RepairLine {
    pub v: u32,
    pub id: String,
    pub kind: String,
    pub hlc: StampRecord,
    pub at: String,
    /// The damaged line, numbered from 1.
    pub line: u64,
    /// FNV-1a of the damaged line's bytes (without its newline), as 16 hex digits.
    pub hash: String,
}

const MARK: &[u8] = b"\"kind\":\"repair\"";

/// The hash a repair names a line by.
pub(super) fn line_hash(raw: &[u8]) -> String {
    format!("{:016x}", stable_hash(raw))
}

/// The damaged line a repair names, if `raw` is a repair.
fn repair_of(raw: &[u8]) -> Option<(u64, String)> {
    memchr::memmem::find(raw, MARK)?;
    let line: RepairLine = serde_json::from_slice(raw).ok()?;
    (line.kind == "repair").then_some((line.line, line.hash))
}

/// What reading one log found of damage and repairs.
#[derive(Default)]
pub(super) struct Damage {
    /// Lines that did not parse: number, hash, and the error that names them.
    damaged: Vec<(u64, String, StoreError)>,
    repaired: Vec<(u64, String)>,
}

impl Damage {
    /// Reads one line through `parse`: a repair is noted, damage is noted (a line of a newer
    /// version is an error at once: it is not damage), anything else is `parse`'s.
    pub fn line<T>(
        &mut self,
        number: u64,
        raw: &[u8],
        parse: impl FnOnce() -> Result<Option<T>, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        if let Some((line, hash)) = repair_of(raw) {
            if line < number {
                self.repaired.push((line, hash));
            }
            return Ok(None);
        }
        match parse() {
            Ok(parsed) => Ok(parsed),
            Err(e @ StoreError::NewerSchema { .. }) => Err(e),
            Err(e) => {
                self.damaged.push((number, line_hash(raw), e));
                Ok(None)
            }
        }
    }

    /// The error for the first damaged line no repair settles, if any.
    pub fn check(self) -> Result<(), StoreError> {
        for (number, hash, error) in self.damaged {
            if !self
                .repaired
                .iter()
                .any(|(l, h)| *l == number && *h == hash)
            {
                return Err(error);
            }
        }
        Ok(())
    }
}

/// The damaged lines of a whole log that no repair settles: number and hash, for a restore.
/// `parses` is asked about every line that is not a repair, by number.
pub(super) fn unsettled(
    bytes: &[u8],
    mut parses: impl FnMut(u64, &[u8]) -> bool,
) -> Vec<(u64, String)> {
    let mut damaged = Vec::new();
    let mut repaired = Vec::new();
    for (i, raw) in super::lines::lines(bytes).enumerate() {
        let number = i as u64 + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match repair_of(raw) {
            Some(repair) => repaired.push(repair),
            None if !parses(number, raw) => damaged.push((number, line_hash(raw))),
            None => {}
        }
    }
    damaged.retain(|d| !repaired.contains(d));
    damaged
}
