use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{DeliveryRow, WebhookRow};
use crate::db::schema::{outbox, units, webhook_deliveries, webhooks};
use crate::db::{now, DbConnection};
use crate::org::scope::Scope;

pub fn insert(conn: &mut DbConnection, row: &WebhookRow) -> QueryResult<()> {
    diesel::insert_into(webhooks::table).values(row).execute(conn).map(|_| ())
}

pub fn get_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(WebhookRow, String)>> {
    webhooks::table
        .inner_join(units::table)
        .filter(webhooks::id.eq(id))
        .select((WebhookRow::as_select(), units::path))
        .first(conn)
        .optional()
}

/// Subscriptions homed in the scope, newest first.
pub fn list(conn: &mut DbConnection, scope: &Scope, before: Option<&str>, limit: i64) -> QueryResult<Vec<WebhookRow>> {
    let in_scope = scope.unit_ids();
    let mut q = webhooks::table.filter(webhooks::unit_id.eq_any(in_scope)).select(WebhookRow::as_select()).into_boxed();
    if let Some(b) = before {
        q = q.filter(webhooks::id.lt(b.to_owned()));
    }
    q.order(webhooks::id.desc()).limit(limit).load(conn)
}

pub fn disable(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(webhooks::table.find(id))
        .set((webhooks::active.eq(false), webhooks::disabled_at.eq(Some(now()))))
        .execute(conn)
        .map(|_| ())
}

/// Active subscriptions with their unit paths (a handful per group: loaded whole).
pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<(WebhookRow, String)>> {
    webhooks::table
        .inner_join(units::table)
        .filter(webhooks::active.eq(true))
        .select((WebhookRow::as_select(), units::path))
        .load(conn)
}

pub struct Event {
    pub id: String,
    pub topic: String,
    pub unit_path: Option<String>,
    pub payload: String,
    pub created_at: NaiveDateTime,
}

/// Claims events not fanned out yet, oldest first (call inside a transaction).
pub fn claim_events(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Event>> {
    let pick = outbox::table.filter(outbox::delivered_at.is_null()).order(outbox::id.asc()).limit(limit);
    type Raw = (String, String, Option<String>, String, NaiveDateTime);
    let cols = (outbox::id, outbox::topic, outbox::unit_id, outbox::payload, outbox::created_at);
    let rows: Vec<Raw> = match conn {
        DbConnection::Postgres(c) => pick.select(cols).for_update().skip_locked().load(c)?,
        DbConnection::Sqlite(c) => pick.select(cols).load(c)?,
    };
    let unit_ids: Vec<String> = rows.iter().filter_map(|r| r.2.clone()).collect();
    let paths: std::collections::HashMap<String, String> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::path))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(id, topic, unit, payload, created_at)| Event {
            unit_path: unit.and_then(|u| paths.get(&u).cloned()),
            id,
            topic,
            payload,
            created_at,
        })
        .collect())
}

pub fn mark_fanned_out(conn: &mut DbConnection, ids: &[String]) -> QueryResult<()> {
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set(outbox::delivered_at.eq(Some(now())))
        .execute(conn)?;
    Ok(())
}

/// Marks up to `limit` pending events as fanned out without loading them (no subscription
/// exists, so there is nobody to deliver to).
pub fn retire_unheard(conn: &mut DbConnection, limit: i64) -> QueryResult<usize> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::delivered_at.is_null())
        .order(outbox::id.asc())
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    mark_fanned_out(conn, &ids)?;
    Ok(ids.len())
}

pub fn insert_deliveries(conn: &mut DbConnection, rows: &[DeliveryRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        match conn {
            DbConnection::Postgres(c) => diesel::insert_into(webhook_deliveries::table).values(chunk).execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(webhook_deliveries::table).values(chunk).execute(c)?,
        };
    }
    Ok(())
}

/// Claims due deliveries for `lease` (call inside a transaction): they will not be picked again
/// before it ends, whichever server tries.
pub fn claim_due(
    conn: &mut DbConnection,
    limit: i64,
    lease_until: NaiveDateTime,
) -> QueryResult<Vec<(DeliveryRow, WebhookRow)>> {
    let t = now();
    let pick = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq("pending"))
        .filter(webhook_deliveries::next_attempt_at.le(t))
        .order(webhook_deliveries::next_attempt_at.asc())
        .limit(limit)
        .select(webhook_deliveries::id);
    let ids: Vec<String> = match conn {
        DbConnection::Postgres(c) => pick.for_update().skip_locked().load(c)?,
        DbConnection::Sqlite(c) => pick.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set(webhook_deliveries::next_attempt_at.eq(lease_until))
        .execute(conn)?;
    webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhook_deliveries::id.eq_any(&ids))
        .select((DeliveryRow::as_select(), WebhookRow::as_select()))
        .load(conn)
}

pub fn record_attempt(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    last_status: Option<i32>,
    last_error: Option<String>,
) -> QueryResult<()> {
    let delivered_at = (status == "delivered").then(now);
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next_attempt_at),
            webhook_deliveries::last_status.eq(last_status),
            webhook_deliveries::last_error.eq(last_error),
            webhook_deliveries::delivered_at.eq(delivered_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn deliveries(
    conn: &mut DbConnection,
    webhook_id: &str,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let mut q = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(webhook_deliveries::id.lt(b.to_owned()));
    }
    q.order(webhook_deliveries::id.desc()).limit(limit).load(conn)
}

/// Whether there is anything to fan out or send (a read, so idle servers never take SQLite's
/// write lock).
pub fn has_work(conn: &mut DbConnection) -> QueryResult<bool> {
    let events = diesel::select(diesel::dsl::exists(outbox::table.filter(outbox::delivered_at.is_null())));
    let due = diesel::select(diesel::dsl::exists(
        webhook_deliveries::table
            .filter(webhook_deliveries::status.eq("pending"))
            .filter(webhook_deliveries::next_attempt_at.le(now())),
    ));
    Ok(events.get_result(conn)? || due.get_result(conn)?)
}
