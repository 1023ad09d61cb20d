//! The SQL of SLA policies, business hours and the holiday schedule.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{calendar_days, sla_policies, sla_revision, sla_settings};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sla_policies)]
pub struct PolicyRow {
    pub id: String,
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub priority: Option<String>,
    pub sla_class: Option<String>,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
    pub clock: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sla_settings)]
pub struct SettingsRow {
    pub id: String,
    pub start_minute: i32,
    pub end_minute: i32,
    pub utc_offset_minutes: i32,
    pub warn_percent: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_days)]
pub struct DayRow {
    /// 'YYYY-MM-DD', local.
    pub day: String,
    pub kind: String,
    pub name: Option<String>,
}

pub fn policies(conn: &mut DbConnection) -> QueryResult<Vec<PolicyRow>> {
    sla_policies::table.order(sla_policies::id.asc()).select(PolicyRow::as_select()).load(conn)
}

/// The whole table replaced by `rows` (one write: a half-replaced table is never seen).
pub fn replace_policies(conn: &mut DbConnection, rows: &[PolicyRow]) -> QueryResult<()> {
    diesel::delete(sla_policies::table).execute(conn)?;
    for r in rows {
        diesel::insert_into(sla_policies::table).values(r).execute(conn)?;
    }
    Ok(())
}

pub fn settings(conn: &mut DbConnection) -> QueryResult<Option<SettingsRow>> {
    sla_settings::table.find("default").select(SettingsRow::as_select()).first(conn).optional()
}

pub fn put_settings(conn: &mut DbConnection, row: &SettingsRow) -> QueryResult<()> {
    let n = diesel::update(sla_settings::table.find(&row.id)).set(row).execute(conn)?;
    if n == 0 {
        diesel::insert_into(sla_settings::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// Every stored day, oldest first (a few dozen a year).
pub fn days(conn: &mut DbConnection) -> QueryResult<Vec<DayRow>> {
    calendar_days::table.order(calendar_days::day.asc()).select(DayRow::as_select()).load(conn)
}

/// A year's days replaced by `rows`.
pub fn replace_year(conn: &mut DbConnection, year: i32, rows: &[DayRow]) -> QueryResult<()> {
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    diesel::delete(calendar_days::table.filter(calendar_days::day.between(from, to))).execute(conn)?;
    for r in rows {
        diesel::insert_into(calendar_days::table).values(r).execute(conn)?;
    }
    Ok(())
}

/// The SLA configuration's revision, moved by every change to it (triggers).
pub fn revision(conn: &mut DbConnection) -> QueryResult<i64> {
    sla_revision::table.find(1).select(sla_revision::n).first(conn)
}
