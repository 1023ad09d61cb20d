//! The customer as a reader sees it — the row, its unit's path, its owners and its tags — in one
//! statement that each connection prepares once. Raw SQL in diesel is planned on every run (a
//! `sql` fragment or `sql_query` is never cached), which on PostgreSQL cost more than the read
//! itself; a query type of its own with a static id is cached like the typed DSL.

use diesel::backend::Backend;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Text, Untyped};
use diesel::sqlite::Sqlite;

use super::super::model::CustomerRow;
use crate::db::DbConnection;

pub struct Whole {
    pub row: CustomerRow,
    pub unit_path: String,
    /// Sorted.
    pub owners: Vec<String>,
    /// Sorted.
    pub tags: Vec<String>,
}

#[derive(QueryableByName)]
struct WholeRow {
    #[diesel(embed)]
    customer: CustomerRow,
    #[diesel(sql_type = Text)]
    unit_path: String,
    /// A JSON array.
    #[diesel(sql_type = Text)]
    owners: String,
    /// A JSON array.
    #[diesel(sql_type = Text)]
    tags: String,
}

#[derive(QueryId)]
struct WholeQuery {
    id: String,
}

impl Query for WholeQuery {
    type SqlType = Untyped;
}

impl<C> RunQueryDsl<C> for WholeQuery {}

/// The two lists come back as JSON arrays from correlated subqueries; each backend spells the
/// aggregate its way.
fn walk<'b, DB>(id: &'b String, list: [&str; 2], mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
where
    DB: Backend,
    String: diesel::serialize::ToSql<Text, DB>,
{
    out.push_sql("SELECT customers.*, units.path AS unit_path, ");
    out.push_sql(list[0]);
    out.push_sql(" AS owners, ");
    out.push_sql(list[1]);
    out.push_sql(" AS tags FROM customers INNER JOIN units ON units.id = customers.unit_id WHERE customers.id = ");
    out.push_bind_param::<Text, _>(id)?;
    out.push_sql(" AND customers.deleted_at IS NULL");
    Ok(())
}

impl QueryFragment<Pg> for WholeQuery {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let lists = [
            "(SELECT coalesce(json_agg(o.user_id), '[]')::text FROM customer_owners o WHERE o.customer_id = customers.id)",
            "(SELECT coalesce(json_agg(t.tag), '[]')::text FROM customer_tags t WHERE t.customer_id = customers.id)",
        ];
        walk(&self.id, lists, out)
    }
}

impl QueryFragment<Sqlite> for WholeQuery {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        let lists = [
            "(SELECT json_group_array(o.user_id) FROM customer_owners o WHERE o.customer_id = customers.id)",
            "(SELECT json_group_array(t.tag) FROM customer_tags t WHERE t.customer_id = customers.id)",
        ];
        walk(&self.id, lists, out)
    }
}

/// The live customer `id` with its unit path, owners and tags, in one (prepared) statement.
pub fn whole(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Whole>> {
    let query = WholeQuery { id: id.to_owned() };
    let found: Option<WholeRow> = match conn {
        DbConnection::Postgres(c) => query.get_result(c).optional()?,
        DbConnection::Sqlite(c) => query.get_result(c).optional()?,
    };
    let list = |json: &str| -> QueryResult<Vec<String>> {
        let mut v: Vec<String> =
            serde_json::from_str(json).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
        v.sort();
        Ok(v)
    };
    found
        .map(|w| Ok(Whole { owners: list(&w.owners)?, tags: list(&w.tags)?, row: w.customer, unit_path: w.unit_path }))
        .transpose()
}
