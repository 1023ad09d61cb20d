use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{ConsentRow, NoticeRow};
use crate::db::schema::{consents, privacy_notices};
use crate::db::DbConnection;
use crate::org::scope::Scope;

pub fn insert(conn: &mut DbConnection, row: &ConsentRow) -> QueryResult<()> {
    diesel::insert_into(consents::table).values(row).execute(conn).map(|_| ())
}

/// The newest record for one purpose: the current state (ids are time-ordered).
pub fn current(conn: &mut DbConnection, customer_id: &str, purpose: &str) -> QueryResult<Option<ConsentRow>> {
    consents::table
        .filter(consents::customer_id.eq(customer_id))
        .filter(consents::purpose.eq(purpose))
        .order(consents::id.desc())
        .select(ConsentRow::as_select())
        .first(conn)
        .optional()
}

/// A customer's whole consent history, newest first (a few dozen rows at most per person).
pub fn history(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<ConsentRow>> {
    consents::table
        .filter(consents::customer_id.eq(customer_id))
        .order(consents::id.desc())
        .select(ConsentRow::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConnection, customer_id: &str, id: &str) -> QueryResult<Option<ConsentRow>> {
    consents::table
        .filter(consents::customer_id.eq(customer_id))
        .filter(consents::id.eq(id))
        .select(ConsentRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_notice(conn: &mut DbConnection, row: &NoticeRow) -> QueryResult<()> {
    diesel::insert_into(privacy_notices::table).values(row).execute(conn).map(|_| ())
}

pub fn notice(conn: &mut DbConnection, id: &str) -> QueryResult<Option<NoticeRow>> {
    privacy_notices::table.find(id).select(NoticeRow::as_select()).first(conn).optional()
}

pub fn latest_version(conn: &mut DbConnection, unit_id: &str, language: &str) -> QueryResult<i32> {
    privacy_notices::table
        .filter(privacy_notices::unit_id.eq(unit_id))
        .filter(privacy_notices::language.eq(language))
        .select(diesel::dsl::max(privacy_notices::version))
        .first::<Option<i32>>(conn)
        .map(|v| v.unwrap_or(0))
}

/// The newest notice of any of these units (nearest unit first), Chinese before English.
pub fn current_notice(conn: &mut DbConnection, unit_ids: &[String]) -> QueryResult<Option<NoticeRow>> {
    let rows: Vec<NoticeRow> = privacy_notices::table
        .filter(privacy_notices::unit_id.eq_any(unit_ids))
        .order((privacy_notices::version.desc(), privacy_notices::id.desc()))
        .select(NoticeRow::as_select())
        .load(conn)?;
    for unit in unit_ids.iter().rev() {
        let mut mine = rows.iter().filter(|r| &r.unit_id == unit);
        let chinese = mine.clone().find(|r| r.language == "zh-CN");
        if let Some(r) = chinese.or_else(|| mine.next()) {
            return Ok(Some(r.clone()));
        }
    }
    Ok(None)
}

/// Notices of the units in the scope, newest first.
/// Notices of the scope's units and of `above` (the caller's own unit and its parents, whose
/// notices apply to the caller's customers too).
pub fn notices(
    conn: &mut DbConnection,
    scope: &Scope,
    above: &[String],
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<NoticeRow>> {
    let in_scope = scope.unit_ids();
    let mut q = privacy_notices::table
        .filter(privacy_notices::unit_id.eq_any(in_scope).or(privacy_notices::unit_id.eq_any(above.to_vec())))
        .select(NoticeRow::as_select())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(privacy_notices::id.lt(b.to_owned()));
    }
    q.order(privacy_notices::id.desc()).limit(limit).load(conn)
}

/// Every record of one purpose for a batch of customers, as (customer, record id, granted),
/// by customer and newest first (ids are time-ordered).
pub fn records_among(
    conn: &mut DbConnection,
    customer_ids: &[String],
    purpose: &str,
    at: NaiveDateTime,
) -> QueryResult<Vec<(String, String, bool)>> {
    consents::table
        .filter(consents::customer_id.eq_any(customer_ids))
        .filter(consents::purpose.eq(purpose))
        .filter(consents::recorded_at.le(at))
        .order((consents::customer_id.asc(), consents::id.desc()))
        .select((consents::customer_id, consents::id, consents::granted))
        .load(conn)
}

/// The newest record made by `at` per customer for one purpose, for a batch of customers:
/// (customer, granted).
pub fn current_among(
    conn: &mut DbConnection,
    customer_ids: &[String],
    purpose: &str,
    at: NaiveDateTime,
) -> QueryResult<Vec<(String, bool)>> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for (customer, _, granted) in records_among(conn, customer_ids, purpose, at)? {
        if out.last().is_none_or(|(c, _)| *c != customer) {
            out.push((customer, granted));
        }
    }
    Ok(out)
}
