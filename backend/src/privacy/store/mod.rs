//! Privacy's SQL: requests, legal holds, erasure by anonymisation, retention periods.

pub mod anonymise;
pub mod retention;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{HoldRow, RequestRow};
use crate::db::schema::{legal_holds, privacy_requests, units};
use crate::db::DbConnection;
use crate::org::scope::Scope;

pub fn insert(conn: &mut DbConnection, row: &RequestRow) -> QueryResult<()> {
    diesel::insert_into(privacy_requests::table).values(row).execute(conn).map(|_| ())
}

pub fn get_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(RequestRow, String)>> {
    privacy_requests::table
        .inner_join(units::table)
        .filter(privacy_requests::id.eq(id))
        .select((RequestRow::as_select(), units::path))
        .first(conn)
        .optional()
}

pub struct Filter<'a> {
    pub scope: Scope,
    pub status: Option<&'a str>,
    pub overdue_at: Option<NaiveDateTime>,
    pub customer_id: Option<&'a str>,
}

/// Requests of the units in the scope, newest first (overdue ones: open and past due).
pub fn list(conn: &mut DbConnection, f: Filter<'_>, before: Option<&str>, limit: i64) -> QueryResult<Vec<RequestRow>> {
    let in_scope = f.scope.unit_ids();
    let mut q = privacy_requests::table
        .filter(privacy_requests::unit_id.eq_any(in_scope))
        .select(RequestRow::as_select())
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(privacy_requests::status.eq(s.to_owned()));
    }
    if let Some(t) = f.overdue_at {
        q = q.filter(privacy_requests::status.eq("open")).filter(privacy_requests::due_at.lt(t));
    }
    if let Some(c) = f.customer_id {
        q = q.filter(privacy_requests::customer_id.eq(c.to_owned()));
    }
    if let Some(b) = before {
        q = q.filter(privacy_requests::id.lt(b.to_owned()));
    }
    q.order(privacy_requests::id.desc()).limit(limit).load(conn)
}

/// Closes an open request; false when it was not open any more (a concurrent completion).
pub fn close(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    outcome: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(privacy_requests::table.find(id).filter(privacy_requests::status.eq("open")))
        .set((
            privacy_requests::status.eq(status),
            privacy_requests::outcome.eq(Some(outcome)),
            privacy_requests::completed_by.eq(Some(by)),
            privacy_requests::completed_at.eq(Some(at)),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn insert_hold(conn: &mut DbConnection, row: &HoldRow) -> QueryResult<()> {
    diesel::insert_into(legal_holds::table).values(row).execute(conn).map(|_| ())
}

pub fn holds(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<HoldRow>> {
    legal_holds::table
        .filter(legal_holds::customer_id.eq(customer_id))
        .order(legal_holds::id.desc())
        .select(HoldRow::as_select())
        .load(conn)
}

pub fn hold(conn: &mut DbConnection, customer_id: &str, id: &str) -> QueryResult<Option<HoldRow>> {
    legal_holds::table
        .filter(legal_holds::customer_id.eq(customer_id))
        .filter(legal_holds::id.eq(id))
        .select(HoldRow::as_select())
        .first(conn)
        .optional()
}

pub fn active_hold(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Option<HoldRow>> {
    legal_holds::table
        .filter(legal_holds::customer_id.eq(customer_id))
        .filter(legal_holds::released_at.is_null())
        .select(HoldRow::as_select())
        .first(conn)
        .optional()
}

pub fn release_hold(
    conn: &mut DbConnection,
    customer_id: &str,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        legal_holds::table
            .filter(legal_holds::customer_id.eq(customer_id))
            .filter(legal_holds::id.eq(id))
            .filter(legal_holds::released_at.is_null()),
    )
    .set((legal_holds::released_at.eq(Some(at)), legal_holds::released_by.eq(Some(by))))
    .execute(conn)
    .map(|n| n == 1)
}
