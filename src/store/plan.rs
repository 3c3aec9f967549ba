//! `plan.json` in the data dir: the interview date, if one is set. Written atomically under the
//! exclusive lock; removing it returns to plain SM-2.

use std::fs;
use std::io;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::files::{HasSchema, parse_versioned_file};
use super::fsutil::{io_error, remove_stale_temps, write_atomic};
use super::{Store, StoreError};
use crate::model::StudyDay;
use crate::plan::Plan;

/// Version of `plan.json`.
pub const PLAN_SCHEMA: u32 = 1;

#[derive(Serialize, Deserialize)]
struct PlanFile {
    schema: u32,
    interview: NaiveDate,
}

impl HasSchema for PlanFile {
    fn schema(&self) -> u32 {
        self.schema
    }
}

impl Store {
    pub(super) fn plan_path(&self) -> std::path::PathBuf {
        self.root().join("plan.json")
    }

    /// The interview plan, if one is set.
    pub fn plan(&self) -> Result<Option<Plan>, StoreError> {
        let path = self.plan_path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&path, "read")(e)),
        };
        let file: PlanFile = parse_versioned_file(&path, &bytes, PLAN_SCHEMA)?;
        Ok(Some(Plan {
            interview: StudyDay::from_date(file.interview),
        }))
    }

    /// Sets (`Some`) or clears (`None`) the interview plan.
    pub fn set_plan(&mut self, plan: Option<Plan>) -> Result<(), StoreError> {
        let path = self.plan_path();
        let unique = self.unique();
        let _lock = self.exclusive()?;
        match plan {
            Some(plan) => {
                let file = PlanFile {
                    schema: PLAN_SCHEMA,
                    interview: plan.interview.date(),
                };
                let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| StoreError::Io {
                    action: "encode",
                    path: path.clone(),
                    source: io::Error::other(e),
                })?;
                bytes.push(b'\n');
                remove_stale_temps(&path);
                write_atomic(&path, &bytes, unique)
            }
            None => match fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io_error(&path, "remove")(e)),
            },
        }
    }
}
