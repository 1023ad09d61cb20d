//! A segment's members frozen at one moment (SEG-7 snapshots), for a campaign that must reach
//! the audience it was planned for. Taken within the taker's scope, a page of the customer list
//! at a time (never every member in memory), in one transaction; read back masked and scoped
//! like any customer reference.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::store::SegmentRow;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::customers::store::{self as customer_store, After, Sort};
use crate::db::schema::{segment_snapshot_members, segment_snapshots};
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::org::scope::Scope;

const BATCH: i64 = 1000;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = segment_snapshots)]
pub struct SnapshotRow {
    pub id: String,
    pub segment_id: String,
    pub segment_version: i64,
    pub members: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Snapshot {
    pub id: String,
    pub segment_id: String,
    /// The segment's version (its rule) the members were taken by.
    pub segment_version: i64,
    pub members: i64,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<SnapshotRow> for Snapshot {
    fn from(r: SnapshotRow) -> Self {
        Snapshot {
            id: r.id,
            segment_id: r.segment_id,
            segment_version: r.segment_version,
            members: r.members,
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
        }
    }
}

/// Freezes the members the principal sees now. Call in one transaction.
pub fn take(conn: &mut DbConnection, p: &Principal, segment: &SegmentRow) -> Result<SnapshotRow, ApiError> {
    let filter = super::routes::filter_of(&serde_json::from_str(&segment.rule)?)?;
    let scope = Scope::of(p);
    let mut row = SnapshotRow {
        id: new_id(),
        segment_id: segment.id.clone(),
        segment_version: segment.version,
        members: 0,
        created_by: p.id.clone(),
        created_at: now(),
    };
    diesel::insert_into(segment_snapshots::table).values(&row).execute(conn)?;
    let mut after = After::Start;
    loop {
        let page = customer_store::list(conn, &scope, &p.id, &filter, Sort::NewestFirst, after, BATCH)?;
        let ids: Vec<_> = page
            .iter()
            .map(|c| {
                (
                    segment_snapshot_members::snapshot_id.eq(row.id.clone()),
                    segment_snapshot_members::customer_id.eq(c.id.clone()),
                )
            })
            .collect();
        // 2 binds a row: well inside SQLite's 32,766 and PostgreSQL's 65,535.
        crate::insert_chunks!(&mut *conn, segment_snapshot_members::table, ids, 500)?;
        row.members += ids.len() as i64;
        match page.last() {
            Some(last) if page.len() as i64 == BATCH => after = After::Id(last.id.clone()),
            _ => break,
        }
    }
    diesel::update(segment_snapshots::table.find(&row.id))
        .set(segment_snapshots::members.eq(row.members))
        .execute(conn)?;
    audit::append(conn, &p.actor(), Event::new("segment.snapshot", "segment", Some(&segment.id)))?;
    Ok(row)
}

/// A segment's snapshots, newest first.
pub fn list(
    conn: &mut DbConnection,
    segment_id: &str,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<SnapshotRow>> {
    let mut q = segment_snapshots::table
        .filter(segment_snapshots::segment_id.eq(segment_id.to_owned()))
        .select(SnapshotRow::as_select())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(segment_snapshots::id.lt(b.to_owned()));
    }
    q.order(segment_snapshots::id.desc()).limit(limit).load(conn)
}

pub fn get(conn: &mut DbConnection, segment_id: &str, id: &str) -> QueryResult<Option<SnapshotRow>> {
    segment_snapshots::table
        .filter(segment_snapshots::segment_id.eq(segment_id))
        .filter(segment_snapshots::id.eq(id))
        .select(SnapshotRow::as_select())
        .first(conn)
        .optional()
}

/// A page of a snapshot's member ids, in id order.
pub fn member_ids(conn: &mut DbConnection, id: &str, after: Option<&str>, limit: i64) -> QueryResult<Vec<String>> {
    let mut q = segment_snapshot_members::table
        .filter(segment_snapshot_members::snapshot_id.eq(id.to_owned()))
        .select(segment_snapshot_members::customer_id)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(segment_snapshot_members::customer_id.gt(a.to_owned()));
    }
    q.order(segment_snapshot_members::customer_id.asc()).limit(limit).load(conn)
}
