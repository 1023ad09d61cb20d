use diesel::prelude::*;

use super::model::{ActionRow, IncidentRow};
use crate::db::schema::{customers, incident_actions, incident_customers, incident_notifications, incidents, units};
use crate::db::DbConnection;
use crate::org::scope::Scope;

pub fn insert(conn: &mut DbConnection, row: &IncidentRow) -> QueryResult<()> {
    diesel::insert_into(incidents::table).values(row).execute(conn).map(|_| ())
}

/// An incident with its owning unit's path.
pub fn get_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(IncidentRow, String)>> {
    incidents::table
        .inner_join(units::table.on(units::id.eq(incidents::unit_id)))
        .filter(incidents::id.eq(id))
        .select((IncidentRow::as_select(), units::path))
        .first(conn)
        .optional()
}

/// Incidents of the units in the scope, newest first.
pub fn list(conn: &mut DbConnection, scope: &Scope, before: Option<&str>, limit: i64) -> QueryResult<Vec<IncidentRow>> {
    let in_scope = scope.unit_ids();
    let mut q = incidents::table.filter(incidents::unit_id.eq_any(in_scope)).into_boxed();
    if let Some(b) = before {
        q = q.filter(incidents::id.lt(b.to_owned()));
    }
    q.order(incidents::id.desc()).limit(limit).select(IncidentRow::as_select()).load(conn)
}

/// (affected, notified) per incident id.
pub fn counts(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, i64, i64)>> {
    let affected: Vec<(String, i64)> = incident_customers::table
        .filter(incident_customers::incident_id.eq_any(ids))
        .group_by(incident_customers::incident_id)
        .select((incident_customers::incident_id, diesel::dsl::count_star()))
        .load(conn)?;
    let notified: Vec<(String, i64)> = incident_notifications::table
        .filter(incident_notifications::incident_id.eq_any(ids))
        .filter(incident_notifications::status.eq("recorded"))
        .group_by(incident_notifications::incident_id)
        .select((incident_notifications::incident_id, diesel::dsl::count_star()))
        .load(conn)?;
    let find = |list: &[(String, i64)], id: &str| list.iter().find(|(i, _)| i == id).map_or(0, |(_, n)| *n);
    Ok(ids.iter().map(|id| (id.clone(), find(&affected, id), find(&notified, id))).collect())
}

pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    reported_at: Option<chrono::NaiveDateTime>,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(incidents::table.find(id))
        .set((incidents::status.eq(status), incidents::updated_at.eq(at)))
        .execute(conn)?;
    if let Some(t) = reported_at {
        diesel::update(incidents::table.find(id).filter(incidents::reported_at.is_null()))
            .set(incidents::reported_at.eq(t))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_action(conn: &mut DbConnection, row: &ActionRow) -> QueryResult<()> {
    diesel::insert_into(incident_actions::table).values(row).execute(conn).map(|_| ())
}

pub fn actions(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<ActionRow>> {
    incident_actions::table
        .filter(incident_actions::incident_id.eq(id))
        .order((incident_actions::taken_at.asc(), incident_actions::id.asc()))
        .select(ActionRow::as_select())
        .load(conn)
}

/// Records customers as affected; those already recorded are skipped. Returns how many were new.
pub fn add_affected(conn: &mut DbConnection, id: &str, customer_ids: &[String]) -> QueryResult<i64> {
    let known: Vec<String> = incident_customers::table
        .filter(incident_customers::incident_id.eq(id))
        .filter(incident_customers::customer_id.eq_any(customer_ids))
        .select(incident_customers::customer_id)
        .load(conn)?;
    let mut fresh: Vec<&String> = customer_ids.iter().filter(|c| !known.contains(c)).collect();
    fresh.sort();
    fresh.dedup();
    let rows: Vec<_> = fresh
        .iter()
        .map(|c| (incident_customers::incident_id.eq(id), incident_customers::customer_id.eq(c.as_str())))
        .collect();
    // Chunks keep each statement under SQLite's bound-parameter limit.
    crate::insert_chunks!(conn, incident_customers::table, rows, 400)?;
    Ok(fresh.len() as i64)
}

/// The affected customers' ids after `after`, in id order.
pub fn affected_ids(conn: &mut DbConnection, id: &str, after: Option<&str>, limit: i64) -> QueryResult<Vec<String>> {
    let mut q = incident_customers::table
        .filter(incident_customers::incident_id.eq(id))
        .select(incident_customers::customer_id)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(incident_customers::customer_id.gt(a.to_owned()));
    }
    q.order(incident_customers::customer_id.asc()).limit(limit).load(conn)
}

pub fn affected_count(conn: &mut DbConnection, id: &str) -> QueryResult<i64> {
    incident_customers::table.filter(incident_customers::incident_id.eq(id)).count().get_result(conn)
}

/// Affected customers per home unit: (unit id, unit name, count).
pub fn affected_by_unit(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<(String, String, i64)>> {
    incident_customers::table
        .inner_join(customers::table.on(customers::id.eq(incident_customers::customer_id)))
        .inner_join(units::table.on(units::id.eq(customers::unit_id)))
        .filter(incident_customers::incident_id.eq(id))
        .group_by((units::id, units::name))
        .select((units::id, units::name, diesel::dsl::count_star()))
        .order(units::name.asc())
        .load(conn)
}

/// Affected customers not yet notified, after `after` by id, with whether they have an address
/// for the channel.
pub fn to_notify(
    conn: &mut DbConnection,
    id: &str,
    channel: &str,
    after: &str,
    limit: i64,
) -> QueryResult<Vec<(String, bool)>> {
    let done = incident_notifications::table
        .filter(incident_notifications::incident_id.eq(id))
        .select(incident_notifications::customer_id);
    // (id, mobile index, email index, address): presence is all that matters here.
    type Addresses = (String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Addresses> = incident_customers::table
        .inner_join(customers::table.on(customers::id.eq(incident_customers::customer_id)))
        .filter(incident_customers::incident_id.eq(id))
        .filter(incident_customers::customer_id.gt(after))
        .filter(incident_customers::customer_id.ne_all(done))
        .order(incident_customers::customer_id.asc())
        .limit(limit)
        .select((customers::id, customers::mobile_bidx, customers::email_bidx, customers::address))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(c, mobile, email, address)| {
            let reachable = match channel {
                "email" => email.is_some(),
                "letter" => address.is_some(),
                _ => mobile.is_some(),
            };
            (c, reachable)
        })
        .collect())
}

pub fn insert_notifications(
    conn: &mut DbConnection,
    id: &str,
    channel: &str,
    rows: &[(String, bool)],
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|(c, reachable)| {
            (
                incident_notifications::incident_id.eq(id),
                incident_notifications::customer_id.eq(c.as_str()),
                incident_notifications::channel.eq(channel),
                incident_notifications::status.eq(if *reachable { "recorded" } else { "no_contact" }),
                incident_notifications::recorded_at.eq(at),
            )
        })
        .collect();
    crate::insert_chunks!(conn, incident_notifications::table, values, 150)
}

pub fn notification_counts(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<(String, String, i64)>> {
    incident_notifications::table
        .filter(incident_notifications::incident_id.eq(id))
        .group_by((incident_notifications::channel, incident_notifications::status))
        .select((incident_notifications::channel, incident_notifications::status, diesel::dsl::count_star()))
        .order((incident_notifications::channel.asc(), incident_notifications::status.asc()))
        .load(conn)
}
