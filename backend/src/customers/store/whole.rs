//! The customer as a reader sees it — the row, its unit's path, its owners and its tags — in one
//! statement that each connection prepares once (`db::prepared`: written as SQL because the list
//! aggregates differ per backend, and SQL text in diesel would be planned on every run, which on
//! PostgreSQL cost more than the read itself).

use diesel::prelude::*;
use diesel::sql_types::Text;

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

crate::prepared! {
    /// The lists come back as JSON arrays from correlated subqueries.
    struct WholeQuery { id: String => Text }
    pg = "SELECT customers.*, units.path AS unit_path, \
          (SELECT coalesce(json_agg(o.user_id), '[]')::text FROM customer_owners o WHERE o.customer_id = customers.id) AS owners, \
          (SELECT coalesce(json_agg(t.tag), '[]')::text FROM customer_tags t WHERE t.customer_id = customers.id) AS tags \
          FROM customers INNER JOIN units ON units.id = customers.unit_id \
          WHERE customers.id = ? AND customers.deleted_at IS NULL";
    sqlite = "SELECT customers.*, units.path AS unit_path, \
          (SELECT json_group_array(o.user_id) FROM customer_owners o WHERE o.customer_id = customers.id) AS owners, \
          (SELECT json_group_array(t.tag) FROM customer_tags t WHERE t.customer_id = customers.id) AS tags \
          FROM customers INNER JOIN units ON units.id = customers.unit_id \
          WHERE customers.id = ? AND customers.deleted_at IS NULL";
}

/// The live customer `id` with its unit path, owners and tags, in one (prepared) statement.
pub fn whole(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Whole>> {
    let query = WholeQuery { id: id.to_owned() };
    let found: Option<WholeRow> = crate::on_backend!(conn, |c| query.get_result(c).optional()?);
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
