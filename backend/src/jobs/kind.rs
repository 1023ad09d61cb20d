//! What a job kind is: its name, what it does, and when it runs by itself. Each domain declares
//! its kinds next to the work (`pub const JOB: JobKind`); `crate::job_kinds` assembles them for
//! the runner and the scheduler, so `jobs/` knows no domain.

use chrono::NaiveDateTime;

use super::model::JobRow;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;

/// Reports progress: (done, total). Returns an error when the job should stop (lease lost).
pub type Progress<'a> = dyn FnMut(i64, Option<i64>) -> Result<(), ApiError> + 'a;

/// The work: a plain blocking function on its own connection; its value is the job's result.
pub type Run = fn(&mut DbConnection, &AppState, &JobRow, &mut Progress<'_>) -> Result<serde_json::Value, ApiError>;

/// A recurring run: the schedule's name (its row in `schedules`) and the next due time after a
/// given one.
#[derive(Clone, Copy)]
pub struct Schedule {
    pub name: &'static str,
    pub next: fn(NaiveDateTime) -> NaiveDateTime,
}

#[derive(Clone, Copy)]
pub struct JobKind {
    pub name: &'static str,
    pub run: Run,
    pub schedule: Option<Schedule>,
}

/// The kind called `name` among `kinds`.
pub fn find<'k>(kinds: &'k [JobKind], name: &str) -> Option<&'k JobKind> {
    kinds.iter().find(|k| k.name == name)
}
