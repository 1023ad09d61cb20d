//! The job runner inside each server: claims one job at a time, runs it on the blocking pool,
//! records progress, and stops between jobs when the server shuts down.

use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::watch;

use super::{kind, store, JobKind};
use crate::error::ApiError;
use crate::state::AppState;

const LEASE: TimeDelta = TimeDelta::seconds(60);
const MAX_ATTEMPTS: i32 = 3;
const IDLE: Duration = Duration::from_millis(500);
const SCHEDULE_CHECK: Duration = Duration::from_secs(60);

pub fn spawn(
    state: actix_web::web::Data<AppState>,
    kinds: &'static [JobKind],
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let worker = format!("worker-{}", crate::db::new_id());
    tokio::spawn(async move {
        let mut last_schedule_check: Option<std::time::Instant> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            if last_schedule_check.is_none_or(|t| t.elapsed() >= SCHEDULE_CHECK) {
                last_schedule_check = Some(std::time::Instant::now());
                if let Err(e) = state.db.run(|c| super::schedule::enqueue_due(c, kinds)).await {
                    tracing::warn!(error = %e, "job schedules");
                }
            }
            let ran = match run_one(state.clone(), kinds, worker.clone()).await {
                Ok(ran) => ran,
                Err(e) => {
                    tracing::warn!(error = %e, "job runner");
                    false
                }
            };
            if !ran {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    })
}

/// Claims and runs one job; false when there was none.
pub async fn run_one(
    state: actix_web::web::Data<AppState>,
    kinds: &'static [JobKind],
    worker: String,
) -> Result<bool, ApiError> {
    let db = state.db.clone();
    let pool = db.clone();
    let w = worker.clone();
    let Some(job) = db.write(move |conn| Ok(store::claim(conn, &w, LEASE)?)).await? else {
        return Ok(false);
    };
    let span = tracing::info_span!("job", id = %job.id, kind = %job.kind);
    actix_web::web::block(move || {
        let _g = span.enter();
        let mut conn = pool.get()?;
        if job.attempts > MAX_ATTEMPTS {
            store::finish(&mut conn, &job.id, Err(ApiError::conflict("job_interrupted").stored()))?;
            return Ok::<_, ApiError>(());
        }
        tracing::info!(attempt = job.attempts, "job started");
        let mut progress_conn = pool.get()?;
        let mut progress = |done: i64, total: Option<i64>| -> Result<(), ApiError> {
            if store::progress(&mut progress_conn, &job.id, &worker, done, total, LEASE)? {
                Ok(())
            } else {
                Err(ApiError::conflict("job_lease_lost"))
            }
        };
        let outcome = match kind::find(kinds, &job.kind) {
            Some(k) => crate::db::without_statement_timeout(&mut conn, |c| (k.run)(c, &state, &job, &mut progress)),
            None => Err(ApiError::conflict("job_kind_unknown").with("kind", job.kind.clone())),
        };
        tracing::info!(ok = outcome.is_ok(), "job finished");
        store::finish(&mut conn, &job.id, outcome.map_err(|e| e.stored()))?;
        Ok(())
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(true)
}
