use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::model::JobRow;
use crate::db::schema::jobs;
use crate::db::{now, DbConnection};

pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    payload: &serde_json::Value,
    created_by: Option<&str>,
    unit_id: Option<&str>,
) -> QueryResult<JobRow> {
    let t = now();
    let row = JobRow {
        id: crate::db::new_id(),
        kind: kind.to_owned(),
        status: "queued".into(),
        payload: payload.to_string(),
        done: 0,
        total: None,
        errors: 0,
        result: None,
        error: None,
        attempts: 0,
        run_after: t,
        locked_by: None,
        locked_until: None,
        created_by: created_by.map(str::to_owned),
        unit_id: unit_id.map(str::to_owned),
        created_at: t,
        updated_at: t,
        finished_at: None,
    };
    diesel::insert_into(jobs::table).values(&row).execute(conn)?;
    Ok(row)
}

/// Exports a user may have queued or running at once: each reads a whole scope and writes a file,
/// so one account cannot fill the job queue (or the disk) with them.
pub const EXPORTS_AT_ONCE: i64 = 2;

/// Enqueues an export for `user` unless they already have `EXPORTS_AT_ONCE` of `kinds` unfinished
/// (429 then, to retry when one has finished).
pub fn enqueue_export(
    conn: &mut DbConnection,
    kinds: &[&str],
    kind: &str,
    payload: &serde_json::Value,
    user: &str,
    unit_id: &str,
) -> Result<JobRow, crate::error::ApiError> {
    let unfinished: i64 = jobs::table
        .filter(jobs::created_by.eq(user))
        .filter(jobs::kind.eq_any(kinds))
        .filter(jobs::status.eq_any(["queued", "running"]))
        .count()
        .get_result(conn)?;
    if unfinished >= EXPORTS_AT_ONCE {
        return Err(crate::error::ApiError::TooManyRequests { retry_after_secs: 30 });
    }
    Ok(enqueue(conn, kind, payload, Some(user), Some(unit_id))?)
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<JobRow>> {
    jobs::table.find(id).select(JobRow::as_select()).first(conn).optional()
}

/// Claims the oldest runnable job (queued, or running with an expired lease) for `worker`.
/// Call inside a transaction.
pub fn claim(conn: &mut DbConnection, worker: &str, lease: TimeDelta) -> QueryResult<Option<JobRow>> {
    let t = now();
    let runnable = jobs::status
        .eq("queued")
        .and(jobs::run_after.le(t))
        .or(jobs::status.eq("running").and(jobs::locked_until.lt(t)));
    let pick = jobs::table.filter(runnable).order(jobs::run_after.asc()).select(jobs::id);
    let id: Option<String> = match conn {
        DbConnection::Postgres(c) => pick.for_update().skip_locked().first(c).optional()?,
        DbConnection::Sqlite(c) => pick.first(c).optional()?,
    };
    let Some(id) = id else { return Ok(None) };
    diesel::update(jobs::table.find(&id))
        .set((
            jobs::status.eq("running"),
            jobs::locked_by.eq(worker),
            jobs::locked_until.eq(t + lease),
            jobs::attempts.eq(jobs::attempts + 1),
            jobs::updated_at.eq(t),
        ))
        .execute(conn)?;
    get(conn, &id)
}

/// Records progress and extends the lease; returns false when the lease was lost.
pub fn progress(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    done: i64,
    total: Option<i64>,
    lease: TimeDelta,
) -> QueryResult<bool> {
    let t = now();
    let n = diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
        .set((jobs::done.eq(done), jobs::total.eq(total), jobs::locked_until.eq(t + lease), jobs::updated_at.eq(t)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    result: Result<serde_json::Value, crate::error::StoredError>,
) -> QueryResult<()> {
    let t: NaiveDateTime = now();
    let (status, result, error) = match result {
        Ok(v) => ("succeeded", Some(v.to_string()), None),
        Err(e) => ("failed", None, Some(serde_json::to_string(&e).unwrap_or_default())),
    };
    diesel::update(jobs::table.find(id))
        .set((
            jobs::status.eq(status),
            jobs::result.eq(result),
            jobs::error.eq(error),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::updated_at.eq(t),
            jobs::finished_at.eq(Some(t)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records how many items have failed so far (shown while the job runs).
pub fn record_errors(conn: &mut DbConnection, id: &str, errors: i64) -> QueryResult<()> {
    diesel::update(jobs::table.find(id)).set(jobs::errors.eq(errors)).execute(conn).map(|_| ())
}

/// A user's jobs, newest first (ids are time-ordered), after the keyset cursor.
pub fn list_for(
    conn: &mut DbConnection,
    user_id: &str,
    kind: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<JobRow>> {
    let mut q = jobs::table.filter(jobs::created_by.eq(user_id)).select(JobRow::as_select()).into_boxed();
    if let Some(k) = kind {
        q = q.filter(jobs::kind.eq(k.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(jobs::id.lt(b.to_owned()));
    }
    q.order(jobs::id.desc()).limit(limit).load(conn)
}

/// Deletes the finished runs nobody started (the schedules': the SLA job alone runs 1,440 times a
/// day) that finished before `before`; people's own jobs stay as their history. Returns how many.
pub fn prune_scheduled_runs(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(jobs::table.filter(jobs::created_by.is_null()).filter(jobs::finished_at.lt(before))).execute(conn)
}
