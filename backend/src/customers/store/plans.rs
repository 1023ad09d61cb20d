//! How a list reaches its rows when one filter can be common or rare: read the filter's matches
//! from their index and sort them (rare), or walk the list's order and test each row, stopping
//! after a page (common). Walking reads about `page × customers ÷ matches` rows, listing reads
//! `matches`: walking wins once `matches ≥ √(page × customers)`. The matches are counted through
//! their index up to that bound, so choosing reads at most a few thousand index entries. Every
//! statement here is prepared once per connection (`db::prepared`).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{escape_like, fts_phrase, Filter, Search};
use crate::db::DbConnection;

/// How a tag filter reaches its rows. PostgreSQL's planner chooses by itself; SQLite takes
/// `id IN (tagged)` as "read every customer with the tag first", which for a common tag at a
/// million customers (47,000 rows) costs far more than the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagPlan {
    /// Read the tag's rows from its index (a rare tag).
    List,
    /// Walk the sort order and probe each row's tag (a common tag).
    Probe,
}

/// How a name search reaches its rows. Reading and sorting every match of a common
/// three-character term before the first page made name search the slowest list (B3c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePlan {
    /// Read the term's matches from the trigram index (a rare term, or any count).
    Index,
    /// Walk the sort order and test each name (a common term alone).
    Walk,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

crate::prepared! {
    /// How many customers there are, as the plans estimate it: SQLite's largest rowid;
    /// PostgreSQL's planner estimate, or before the first ANALYZE a count capped at 10,000.
    struct Customers {}
    pg = "SELECT CASE WHEN t.reltuples >= 10000 THEN t.reltuples::bigint \
          ELSE (SELECT count(*) FROM (SELECT 1 FROM customers LIMIT 10000) s) END AS n \
          FROM pg_class t WHERE t.oid = 'customers'::regclass";
    sqlite = "SELECT coalesce(max(rowid), 0) AS n FROM customers";
}

crate::prepared! {
    /// Customers with the tag, counted up to `bound`.
    struct TaggedUpTo { tag: String => Text, bound: i64 => BigInt }
    pg = "SELECT count(*) AS n FROM (SELECT 1 FROM customer_tags WHERE tag = ? LIMIT ?) s";
    sqlite = "SELECT count(*) AS n FROM (SELECT 1 FROM customer_tags WHERE tag = ? LIMIT ?)";
}

crate::prepared! {
    /// Names matching the term (a `%…%` pattern on PostgreSQL, an FTS5 phrase on SQLite),
    /// counted through the trigram index up to `bound`.
    struct NamedUpTo { term: String => Text, bound: i64 => BigInt }
    pg = "SELECT count(*) AS n FROM (SELECT 1 FROM customers WHERE name ILIKE ? LIMIT ?) s";
    sqlite = "SELECT count(*) AS n FROM (SELECT 1 FROM customer_names WHERE customer_names MATCH ? LIMIT ?)";
}

fn bound(conn: &mut DbConnection, page: i64) -> QueryResult<i64> {
    let customers: N = crate::on_backend!(conn, |c| Customers {}.get_result(c)?);
    Ok(((page.max(1) as f64) * (customers.n as f64)).sqrt().ceil() as i64)
}

/// For a tag alone, on SQLite.
pub fn tag_plan(conn: &mut DbConnection, f: &Filter, page: i64) -> QueryResult<TagPlan> {
    // With any other filter the rows that pass are sparser than the tag alone says, and a walk
    // can read a large part of the table for a page (B3b: 414 ms for every filter at once).
    // No `..`: a new filter field has to be considered here.
    let Filter {
        tag: Some(tag),
        name_prefix: None,
        mobile_bidx: None,
        email_bidx: None,
        national_id_bidx: None,
        owner_id: None,
        unit_id: None,
        household_id: None,
        channel: None,
        tier: None,
        level: None,
        band: None,
        lifecycle: None,
        reachable: None,
        created_from: None,
        created_to: None,
        search: None,
        ids: None,
        rule: None,
        segment_id: None,
    } = f
    else {
        return Ok(TagPlan::List);
    };
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return Ok(TagPlan::List);
    }
    let bound = bound(conn, page)?;
    let tagged: N = crate::on_backend!(conn, |c| TaggedUpTo { tag: tag.clone(), bound }.get_result(c)?);
    Ok(if tagged.n >= bound { TagPlan::Probe } else { TagPlan::List })
}

/// For a name term alone, on both databases (PostgreSQL's planner cannot tell a common trigram
/// from a rare one: pg_trgm gives ILIKE no selectivity estimate of its own).
pub fn name_plan(conn: &mut DbConnection, f: &Filter, page: i64) -> QueryResult<NamePlan> {
    let Some(Search::NameContains(term)) = &f.search else { return Ok(NamePlan::Index) };
    if (Filter { search: None, ..f.clone() }) != Filter::default() {
        return Ok(NamePlan::Index);
    }
    let bound = bound(conn, page)?;
    let matches: N = match conn {
        DbConnection::Postgres(c) => NamedUpTo { term: format!("%{}%", escape_like(term)), bound }.get_result(c)?,
        DbConnection::Sqlite(c) => NamedUpTo { term: fts_phrase(term), bound }.get_result(c)?,
    };
    Ok(if matches.n >= bound { NamePlan::Walk } else { NamePlan::Index })
}
