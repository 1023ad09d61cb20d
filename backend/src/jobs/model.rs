use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::jobs;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub payload: String,
    pub done: i64,
    pub total: Option<i64>,
    pub errors: i64,
    pub result: Option<String>,
    pub error: Option<String>,
    pub attempts: i32,
    pub run_after: NaiveDateTime,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub unit_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// A job as clients see it: poll until `status` is `succeeded` or `failed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub status: JobStatus,
    /// Items processed so far.
    pub done: i64,
    /// Items in all, once known.
    pub total: Option<i64>,
    /// Items that failed (e.g. rejected import rows).
    pub errors: i64,
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// Why the job failed, in the request's language.
    pub error: Option<String>,
    /// The stable code of that failure (`job_owner_inactive`, `validation`, …).
    pub error_code: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Self {
        let stored: Option<crate::error::StoredError> = r.error.as_deref().and_then(|s| serde_json::from_str(s).ok());
        Job {
            status: match r.status.as_str() {
                "running" => JobStatus::Running,
                "succeeded" => JobStatus::Succeeded,
                "failed" => JobStatus::Failed,
                _ => JobStatus::Queued,
            },
            result: r.result.as_deref().and_then(|s| serde_json::from_str(s).ok()),
            id: r.id,
            kind: r.kind,
            done: r.done,
            total: r.total,
            errors: r.errors,
            error_code: stored.as_ref().map(|e| e.code.clone().unwrap_or_else(|| e.kind.clone())),
            error: r.error.map(|raw| match &stored {
                Some(e) => e.message(crate::i18n::current()),
                // Failures recorded before errors were stored as codes.
                None => raw,
            }),
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            finished_at: r.finished_at.map(|t| t.and_utc()),
        }
    }
}
