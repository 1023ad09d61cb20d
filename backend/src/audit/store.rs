use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::AuditRow;
use crate::db::schema::{audit_head, audit_log, customers, units};
use crate::db::DbConnection;
use crate::org::scope::Scope;

/// Reads the chain head, locking it on PostgreSQL so concurrent writers on several servers append
/// one after another. (SQLite writers already hold the database write lock: BEGIN IMMEDIATE.)
pub fn lock_head(conn: &mut DbConnection) -> QueryResult<(i64, String)> {
    let q = audit_head::table.find(1).select((audit_head::seq, audit_head::hash));
    match conn {
        DbConnection::Postgres(c) => q.for_update().first(c),
        DbConnection::Sqlite(c) => q.first(c),
    }
}

pub fn insert(conn: &mut DbConnection, row: &AuditRow) -> QueryResult<()> {
    diesel::insert_into(audit_log::table).values(row).execute(conn)?;
    diesel::update(audit_head::table.find(1))
        .set((audit_head::seq.eq(row.seq), audit_head::hash.eq(&row.hash)))
        .execute(conn)?;
    Ok(())
}

pub fn batch_after(conn: &mut DbConnection, after_seq: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq.asc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn head(conn: &mut DbConnection) -> QueryResult<(i64, String)> {
    audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)
}

#[derive(Debug, Default)]
pub struct Filter {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub before_seq: Option<i64>,
    /// Entries at or after / before these times (the `at` index serves a date on its own).
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// The caller's scope prefix: entries of actors in it, or about customers homed in it. None
    /// for the group, which sees every entry (system and self-service ones too).
    pub scope: Option<Scope>,
}

/// Newest first, keyset on seq; each filter has an index that ends in seq.
pub fn list(conn: &mut DbConnection, f: &Filter, limit: i64) -> QueryResult<Vec<AuditRow>> {
    let mut q = audit_log::table.select(AuditRow::as_select()).into_boxed();
    if let Some(v) = &f.actor_id {
        q = q.filter(audit_log::actor_id.eq(v));
    }
    if let Some(v) = &f.action {
        q = q.filter(audit_log::action.eq(v));
    }
    if let Some(v) = &f.resource_type {
        q = q.filter(audit_log::resource_type.eq(v));
    }
    if let Some(v) = &f.resource_id {
        q = q.filter(audit_log::resource_id.eq(v));
    }
    if let Some(seq) = f.before_seq {
        q = q.filter(audit_log::seq.lt(seq));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_log::at.ge(t));
    }
    if let Some(t) = f.to {
        q = q.filter(audit_log::at.lt(t));
    }
    if let Some(scope) = &f.scope {
        let units_in = || scope.unit_ids();
        let about_own_customer = diesel::dsl::exists(
            customers::table
                .filter(customers::id.nullable().eq(audit_log::resource_id))
                .filter(customers::unit_id.eq_any(units_in())),
        );
        q = q.filter(audit_log::unit_id.eq_any(units_in().select(units::id.nullable())).or(about_own_customer));
    }
    q.order(audit_log::seq.desc()).limit(limit).load(conn)
}
