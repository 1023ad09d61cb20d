//! What each job kind does. A handler is a plain blocking function; later domains add kinds here.

use super::model::JobRow;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;

pub const AUDIT_VERIFY: &str = "audit.verify";

/// Reports progress: (done, total). Returns an error when the job should stop (lease lost).
pub type Progress<'a> = dyn FnMut(i64, Option<i64>) -> Result<(), ApiError> + 'a;

pub fn run(
    conn: &mut DbConnection,
    state: &AppState,
    job: &JobRow,
    progress: &mut Progress<'_>,
) -> Result<serde_json::Value, String> {
    match job.kind.as_str() {
        AUDIT_VERIFY => {
            let report = crate::audit::service::verify(conn, None, |done, total| progress(done, Some(total)))
                .map_err(|e| e.to_string())?;
            serde_json::to_value(report).map_err(|e| e.to_string())
        }
        crate::audit::checkpoint::KIND => {
            let row = crate::audit::checkpoint::sign(conn, &state.tokens).map_err(|e| e.to_string())?;
            Ok(serde_json::json!({ "seq": row.seq, "hash": row.hash }))
        }
        crate::customers::quality::job::KIND => {
            crate::customers::quality::job::run(conn, state.settings.quality_inactive_days, job, progress)
        }
        crate::customers::bulk::export::KIND => crate::customers::bulk::export::run(conn, &state.cipher, job, progress),
        crate::customers::bulk::import::KIND => {
            let out = crate::customers::bulk::import::run(conn, &state.cipher, job, progress);
            crate::db::checkpoint_after_purge(conn); // the upload is gone
            out
        }
        super::files::EXPIRE_KIND => {
            let before = crate::db::now() - chrono::Duration::days(state.settings.job_file_days);
            let (files, parts) = super::files::expire(conn, before).map_err(|e| e.to_string())?;
            crate::db::checkpoint_after_purge(conn);
            Ok(serde_json::json!({ "files": files, "parts": parts, "finished_before": before.and_utc() }))
        }
        crate::partners::export::KIND => crate::partners::export::run(conn, &state.cipher, job, progress),
        crate::privacy::retention::KIND => crate::privacy::retention::run(conn, job, progress),
        crate::keys::reencrypt::KIND => crate::keys::reencrypt::run(conn, &state.cipher, job, progress),
        other => Err(format!("unknown job kind `{other}`")),
    }
}
