use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::segments;
use crate::db::DbConnection;
use crate::org::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = segments)]
pub struct SegmentRow {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub description: Option<String>,
    pub rule: String,
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &SegmentRow) -> QueryResult<()> {
    diesel::insert_into(segments::table).values(row).execute(conn).map(|_| ())
}

/// A segment of a unit in `scope` (another unit's is not found).
pub fn get(conn: &mut DbConnection, scope: &Scope, id: &str) -> QueryResult<Option<SegmentRow>> {
    segments::table
        .filter(segments::id.eq(id))
        .filter(segments::unit_id.eq_any(scope.unit_ids()))
        .select(SegmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection, scope: &Scope, after: Option<&str>, limit: i64) -> QueryResult<Vec<SegmentRow>> {
    let mut q =
        segments::table.filter(segments::unit_id.eq_any(scope.unit_ids())).select(SegmentRow::as_select()).into_boxed();
    if let Some(a) = after {
        q = q.filter(segments::id.gt(a.to_owned()));
    }
    q.order(segments::id.asc()).limit(limit).load(conn)
}

/// Changes name, description and rule if the version is still `version`; false when it is not.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    (name, description, rule): (&str, Option<&str>, &str),
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(segments::table.filter(segments::id.eq(id)).filter(segments::version.eq(version)))
        .set((
            segments::name.eq(name),
            segments::description.eq(description),
            segments::rule.eq(rule),
            segments::version.eq(version + 1),
            segments::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The segment and its snapshots.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    use crate::db::schema::{segment_snapshot_members, segment_snapshots};
    let snapshots = segment_snapshots::table.filter(segment_snapshots::segment_id.eq(id)).select(segment_snapshots::id);
    diesel::delete(segment_snapshot_members::table.filter(segment_snapshot_members::snapshot_id.eq_any(snapshots)))
        .execute(conn)?;
    diesel::delete(segment_snapshots::table.filter(segment_snapshots::segment_id.eq(id))).execute(conn)?;
    diesel::delete(segments::table.filter(segments::id.eq(id))).execute(conn)
}
