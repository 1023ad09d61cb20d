//! Retention's SQL: the periods, the inactive customers, their latest consents.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{consents, customers, legal_holds, retention_policies};
use crate::db::DbConnection;

/// A retention policy as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crate::db::schema::retention_policies)]
pub struct PolicyRow {
    pub purpose: String,
    pub days: i32,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

pub fn policies(conn: &mut DbConnection) -> QueryResult<Vec<PolicyRow>> {
    retention_policies::table.order(retention_policies::purpose.asc()).select(PolicyRow::as_select()).load(conn)
}

pub fn policy(conn: &mut DbConnection, purpose: &str) -> QueryResult<Option<PolicyRow>> {
    retention_policies::table.find(purpose).select(PolicyRow::as_select()).first(conn).optional()
}

/// Changes the period stored at `version`; false when it moved on meanwhile.
pub fn update_policy(conn: &mut DbConnection, row: &PolicyRow, version: i64) -> QueryResult<bool> {
    let at_version = retention_policies::purpose.eq(&row.purpose).and(retention_policies::version.eq(version));
    Ok(diesel::update(retention_policies::table.filter(at_version)).set(row).execute(conn)? == 1)
}

/// A racing insert of the same purpose is a unique violation (409).
pub fn insert_policy(conn: &mut DbConnection, row: &PolicyRow) -> QueryResult<()> {
    diesel::insert_into(retention_policies::table).values(row).execute(conn).map(|_| ())
}

/// Removes the period stored at `version`; false when it moved on meanwhile.
pub fn delete_policy(conn: &mut DbConnection, purpose: &str, version: i64) -> QueryResult<bool> {
    let at_version = retention_policies::purpose.eq(purpose).and(retention_policies::version.eq(version));
    Ok(diesel::delete(retention_policies::table.filter(at_version)).execute(conn)? == 1)
}

/// Live customers with no activity since `cutoff`, after `after` by id: (id, held).
pub fn inactive_after(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    after: &str,
    batch: i64,
) -> QueryResult<Vec<(String, bool)>> {
    let ids: Vec<String> = customers::table
        .filter(customers::deleted_at.is_null())
        .filter(customers::id.gt(after))
        .filter(customers::updated_at.lt(cutoff))
        .filter(customers::last_purchase_at.is_null().or(customers::last_purchase_at.lt(cutoff)))
        .filter(customers::last_contact_at.is_null().or(customers::last_contact_at.lt(cutoff)))
        .order(customers::id.asc())
        .limit(batch)
        .select(customers::id)
        .load(conn)?;
    let held: Vec<String> = legal_holds::table
        .filter(legal_holds::customer_id.eq_any(&ids))
        .filter(legal_holds::released_at.is_null())
        .select(legal_holds::customer_id)
        .load(conn)?;
    Ok(ids
        .into_iter()
        .map(|id| {
            let h = held.contains(&id);
            (id, h)
        })
        .collect())
}

/// The newest record time per (customer, purpose) of `ids`.
pub fn latest_consents(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String, Option<NaiveDateTime>)>> {
    consents::table
        .filter(consents::customer_id.eq_any(ids))
        .group_by((consents::customer_id, consents::purpose))
        .select((consents::customer_id, consents::purpose, diesel::dsl::max(consents::recorded_at)))
        .load(conn)
}
