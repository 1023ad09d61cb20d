use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::CustomerRow;
use crate::customers::rule::Class;
use crate::db::schema::{audit_log, customer_notifications, customer_owners, customer_tags, customers, units};
use crate::db::{Backend, DbConnection};
use crate::org::scope::Scope;

mod plans;
pub mod rule_sql;
mod whole;
use plans::{name_plan, tag_plan, NamePlan, TagPlan};
pub use whole::{whole, Whole};

pub fn insert(conn: &mut DbConnection, row: &CustomerRow) -> QueryResult<()> {
    diesel::insert_into(customers::table).values(row).execute(conn).map(|_| ())
}

/// A live (not deleted) customer with its unit's path, for scope checks.
pub fn get_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(CustomerRow, String)>> {
    customers::table
        .inner_join(units::table)
        .filter(customers::id.eq(id))
        .filter(customers::deleted_at.is_null())
        .select((CustomerRow::as_select(), units::path))
        .first(conn)
        .optional()
}

/// A live customer's reference columns (id, name, mobile, home unit) and its home unit's path:
/// the narrow by-id read behind one reference.
pub fn ref_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(RefRow, String)>> {
    customers::table
        .inner_join(units::table)
        .filter(customers::id.eq(id))
        .filter(customers::deleted_at.is_null())
        .select(((customers::id, customers::name, customers::mobile, customers::unit_id), units::path))
        .first(conn)
        .optional()
}

/// A customer's (stored) name by id: one single-row statement, the bench's reference read.
pub fn name(conn: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    customers::table.find(id).select(customers::name).first(conn).optional()
}

pub fn is_owner(conn: &mut DbConnection, customer_id: &str, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        customer_owners::table
            .filter(customer_owners::customer_id.eq(customer_id))
            .filter(customer_owners::user_id.eq(user_id)),
    ))
    .get_result(conn)
}

pub fn replace_owners(conn: &mut DbConnection, customer_id: &str, owners: &[String]) -> QueryResult<()> {
    diesel::delete(customer_owners::table.filter(customer_owners::customer_id.eq(customer_id))).execute(conn)?;
    // At most ten rows; multi-row VALUES is not available through the multi-backend connection.
    for u in owners {
        diesel::insert_into(customer_owners::table)
            .values((customer_owners::customer_id.eq(customer_id), customer_owners::user_id.eq(u)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn replace_tags(conn: &mut DbConnection, customer_id: &str, tags: &[String]) -> QueryResult<()> {
    diesel::delete(customer_tags::table.filter(customer_tags::customer_id.eq(customer_id))).execute(conn)?;
    for t in tags {
        diesel::insert_into(customer_tags::table)
            .values((customer_tags::customer_id.eq(customer_id), customer_tags::tag.eq(t)))
            .execute(conn)?;
    }
    Ok(())
}

/// Values per customer id.
pub type ByCustomer = HashMap<String, Vec<String>>;

/// Owners and tags of a page of customers, in one statement for the whole page (no N+1), each
/// list sorted.
pub fn owners_and_tags(conn: &mut DbConnection, ids: &[String]) -> QueryResult<(ByCustomer, ByCustomer)> {
    use diesel::sql_types::Bool;
    if ids.is_empty() {
        return Ok((ByCustomer::new(), ByCustomer::new()));
    }
    let owners = customer_owners::table.filter(customer_owners::customer_id.eq_any(ids)).select((
        customer_owners::customer_id,
        customer_owners::user_id,
        true.into_sql::<Bool>(),
    ));
    let tags = customer_tags::table.filter(customer_tags::customer_id.eq_any(ids)).select((
        customer_tags::customer_id,
        customer_tags::tag,
        false.into_sql::<Bool>(),
    ));
    let (mut by_owner, mut by_tag) = (ByCustomer::new(), ByCustomer::new());
    // The multi-backend connection has no UNION; each backend's own connection has.
    let rows: Vec<(String, String, bool)> = crate::on_backend!(conn, |c| owners.union_all(tags).load(c)?);
    for (customer, value, is_owner) in rows {
        let lists = if is_owner { &mut by_owner } else { &mut by_tag };
        lists.entry(customer).or_default().push(value);
    }
    by_owner.values_mut().chain(by_tag.values_mut()).for_each(|v| v.sort());
    Ok((by_owner, by_tag))
}

/// Compare-and-set update of the whole row; false when the version moved on.
pub fn update(conn: &mut DbConnection, row: &CustomerRow, expected_version: i64) -> QueryResult<bool> {
    let n = diesel::update(
        customers::table.filter(customers::id.eq(&row.id)).filter(customers::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// A list's order: `-created` (default, newest first) or `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
pub enum Sort {
    #[default]
    #[serde(rename = "-created")]
    NewestFirst,
    #[serde(rename = "name")]
    Name,
}

impl Sort {
    /// What a page's cursor holds for its last row in this order.
    pub fn key(self, row: &CustomerRow) -> String {
        match self {
            Sort::NewestFirst => row.id.clone(),
            Sort::Name => format!("{}\u{1f}{}", row.name, row.id),
        }
    }

    /// Where a page in this order starts, from the cursor's key.
    pub fn after(self, key: Option<String>) -> Result<After, crate::error::ApiError> {
        Ok(match (self, key) {
            (_, None) => After::Start,
            (Sort::NewestFirst, Some(id)) => After::Id(id),
            (Sort::Name, Some(k)) => {
                let (name, id) = k.split_once('\u{1f}').ok_or_else(crate::http::pagination::invalid_cursor)?;
                After::NameId(name.to_owned(), id.to_owned())
            }
        })
    }
}

#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    pub name_prefix: Option<String>,
    /// Blind indexes under every key (more than one only during a blind-index rotation).
    pub mobile_bidx: Option<Vec<String>>,
    pub email_bidx: Option<Vec<String>>,
    pub national_id_bidx: Option<Vec<String>>,
    pub tag: Option<String>,
    pub owner_id: Option<String>,
    pub unit_id: Option<String>,
    #[serde(default)]
    pub household_id: Option<String>,
    pub channel: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub band: Option<String>,
    #[serde(default)]
    pub lifecycle: Option<String>,
    pub reachable: Option<bool>,
    pub created_from: Option<NaiveDateTime>,
    pub created_to: Option<NaiveDateTime>,
    /// The free-text search (`q`), already told apart by kind.
    #[serde(default)]
    pub search: Option<Search>,
    /// Chosen rows (a bulk export of a selection): at most a page of them.
    #[serde(default)]
    pub ids: Option<Vec<String>>,
    /// A segment's rule tree (validated where it came in; `customers::rule`). Customers who
    /// withdrew profiling are in no segment.
    #[serde(default)]
    pub rule: Option<serde_json::Value>,
    /// A saved segment's members: made into its `rule` by `resolve_segment`.
    #[serde(default)]
    pub segment_id: Option<String>,
}

/// Makes a segment filter concrete: the segment's rule when it is one of a unit in `scope`; a
/// segment out of scope or gone selects nobody (as an unknown tag does).
pub fn resolve_segment(conn: &mut DbConnection, scope: &Scope, f: &mut Filter) -> QueryResult<()> {
    use crate::db::schema::segments;
    if let Some(id) = f.segment_id.take() {
        let rule: Option<String> = segments::table
            .filter(segments::id.eq(id))
            .filter(segments::unit_id.eq_any(scope.unit_ids()))
            .select(segments::rule)
            .first(conn)
            .optional()?;
        f.rule = Some(rule.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or(serde_json::Value::Null));
    }
    Ok(())
}

/// What a free-text search term turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Search {
    /// Three or more characters found anywhere in the name (trigram index).
    NameContains(String),
    /// A shorter term: the start of the name (a trigram index cannot serve it).
    NameStarts(String),
    /// A whole identifier, as its blind indexes under every key.
    Mobile(Vec<String>),
    Email(Vec<String>),
    NationalId(Vec<String>),
}

/// The keyset position after which the page starts.
pub enum After {
    Start,
    Id(String),
    NameId(String, String),
}

pub(crate) type Multi = <DbConnection as diesel::Connection>::Backend;

/// Live customers visible to a principal (homed in `scope`, or owned by `viewer`)
/// that pass the filter.
fn filtered<'a>(
    backend: Backend,
    scope: &Scope,
    viewer: &str,
    f: &Filter,
    tags: TagPlan,
    names: NamePlan,
) -> customers::BoxedQuery<'a, Multi> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    // Checked row by row, so the database walks the index of the sort order and stops after a
    // page. As `unit_id IN (…) OR id IN (…)` both databases gathered and sorted every customer
    // in scope (a subsidiary: hundreds of thousands) for each page (benchmark B3b).
    // PostgreSQL would still hash every customer the viewer owns (tens of thousands) once per
    // page, because it costs the subplan for the whole walk, not for one page; `OFFSET 0` keeps
    // it a per-row probe of the owners index.
    let fence = if backend == Backend::Postgres { " OFFSET 0" } else { "" };
    let visible = sql::<Bool>("(EXISTS (SELECT 1 FROM units u WHERE u.id = customers.unit_id AND u.path LIKE ")
        .bind::<Text, _>(scope.like_pattern())
        .sql(") OR EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = customers.id AND o.user_id = ")
        .bind::<Text, _>(viewer.to_owned())
        .sql(fence)
        .sql("))");
    let mut q = customers::table.filter(customers::deleted_at.is_null()).filter(visible).into_boxed();
    if let Some(p) = &f.name_prefix {
        q = name_starts(q, backend, p);
    }
    match &f.search {
        None => {}
        Some(Search::NameStarts(p)) => q = name_starts(q, backend, p),
        Some(Search::NameContains(term)) => q = name_contains(q, backend, term, names),
        Some(Search::Mobile(v)) => q = q.filter(customers::mobile_bidx.eq_any(v.clone())),
        Some(Search::Email(v)) => q = q.filter(customers::email_bidx.eq_any(v.clone())),
        Some(Search::NationalId(v)) => q = q.filter(customers::national_id_bidx.eq_any(v.clone())),
    }
    if let Some(v) = &f.mobile_bidx {
        q = q.filter(customers::mobile_bidx.eq_any(v.clone()));
    }
    if let Some(v) = &f.email_bidx {
        q = q.filter(customers::email_bidx.eq_any(v.clone()));
    }
    if let Some(v) = &f.national_id_bidx {
        q = q.filter(customers::national_id_bidx.eq_any(v.clone()));
    }
    if let Some(t) = &f.tag {
        q = match tags {
            TagPlan::List => {
                let tagged =
                    customer_tags::table.filter(customer_tags::tag.eq(t.clone())).select(customer_tags::customer_id);
                q.filter(customers::id.eq_any(tagged))
            }
            TagPlan::Probe => q.filter(
                sql::<Bool>("EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = customers.id AND t.tag = ")
                    .bind::<Text, _>(t.clone())
                    .sql(")"),
            ),
        };
    }
    if let Some(o) = &f.owner_id {
        let by =
            customer_owners::table.filter(customer_owners::user_id.eq(o.clone())).select(customer_owners::customer_id);
        q = q.filter(customers::id.eq_any(by));
    }
    if let Some(u) = &f.unit_id {
        q = q.filter(customers::unit_id.eq(u.clone()));
    }
    if let Some(h) = &f.household_id {
        q = q.filter(customers::household_id.eq(h.clone()));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(customers::id.eq_any(ids.clone()));
    }
    if let Some(tree) = &f.rule {
        q = match crate::customers::rule::parse(tree) {
            Ok(rule) => q.filter(rule_sql::condition(&rule, crate::db::now())).filter(rule_sql::profiled()),
            // Checked where it came in; should it not read, it selects nobody rather than everybody.
            Err(_) => q.filter(diesel::dsl::sql::<Bool>("1 = 0")),
        };
    }
    if let Some(c) = &f.channel {
        q = q.filter(customers::source_channel.eq(c.clone()));
    }
    // Each class table's (class, customer_id) index answers its subquery.
    for (class, value) in
        [(Class::Tier, &f.tier), (Class::Level, &f.level), (Class::Band, &f.band), (Class::Lifecycle, &f.lifecycle)]
    {
        if let Some(v) = value {
            q = q.filter(rule_sql::class(class, vec![v.clone()], crate::db::now()));
        }
    }
    if let Some(r) = f.reachable {
        q = q.filter(customers::reachable.eq(r));
    }
    if let Some(t) = f.created_from {
        q = q.filter(customers::created_at.ge(t));
    }
    if let Some(t) = f.created_to {
        q = q.filter(customers::created_at.lt(t));
    }
    q
}

fn name_starts<'a>(q: customers::BoxedQuery<'a, Multi>, backend: Backend, p: &str) -> customers::BoxedQuery<'a, Multi> {
    match backend {
        // The name column collates as "C" (migration 000014): LIKE 'p%' is an index range scan.
        Backend::Postgres => q.filter(customers::name.like(format!("{}%", escape_like(p)))),
        // BINARY collation: the byte range [p, p+U+10FFFF) is exactly the prefix.
        Backend::Sqlite => {
            q.filter(customers::name.ge(p.to_owned())).filter(customers::name.lt(format!("{p}\u{10FFFF}")))
        }
    }
}

/// Names containing `term` (case-insensitive), through the trigram index of each database.
///
/// Both databases match alike, whichever the plan: the substring, ASCII letters in either case
/// (PostgreSQL's ILIKE on the "C"-collated column; SQLite's LIKE, also checked behind the
/// trigram index, which would fold other scripts' cases too).
fn name_contains<'a>(
    q: customers::BoxedQuery<'a, Multi>,
    backend: Backend,
    term: &str,
    plan: NamePlan,
) -> customers::BoxedQuery<'a, Multi> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    let pattern = format!("%{}%", escape_like(term));
    match (backend, plan) {
        // pg_trgm GIN index (migration 000014).
        (Backend::Postgres, NamePlan::Index) => q.filter(sql::<Bool>("customers.name ILIKE ").bind::<Text, _>(pattern)),
        // The same test on an expression no index serves, so the planner walks the sort order.
        (Backend::Postgres, NamePlan::Walk) => {
            q.filter(sql::<Bool>("(customers.name || '') ILIKE ").bind::<Text, _>(pattern))
        }
        // FTS5 trigram: a quoted phrase matches as a substring; quotes inside are doubled.
        (Backend::Sqlite, NamePlan::Index) => q
            .filter(
                sql::<Bool>(
                    "customers.id IN (SELECT s.customer_id FROM customer_search s WHERE s.id IN \
                     (SELECT rowid FROM customer_names WHERE customer_names MATCH ",
                )
                .bind::<Text, _>(fts_phrase(term))
                .sql("))"),
            )
            .filter(sql::<Bool>("customers.name LIKE ").bind::<Text, _>(pattern).sql(" ESCAPE '\\'")),
        (Backend::Sqlite, NamePlan::Walk) => {
            q.filter(sql::<Bool>("+customers.name LIKE ").bind::<Text, _>(pattern).sql(" ESCAPE '\\'"))
        }
    }
}

/// An FTS5 query string matching `term` literally.
pub fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Customers visible to a principal: homed in `scope`, or owned by `viewer`.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    viewer: &str,
    f: &Filter,
    sort: Sort,
    after: After,
    limit: i64,
) -> QueryResult<Vec<CustomerRow>> {
    let (tags, names) = (tag_plan(conn, f, limit)?, name_plan(conn, f, limit)?);
    let mut q = filtered(Backend::of(conn), scope, viewer, f, tags, names);
    q = match (sort, after) {
        (Sort::NewestFirst, After::Id(id)) => q.filter(customers::id.lt(id)),
        // A row value: both databases turn it into one range of the (name, id) index; the
        // equivalent `name > ? OR (name = ? AND id > ?)` was read as two.
        (Sort::Name, After::NameId(name, id)) => q.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(customers.name, customers.id) > (")
                .bind::<diesel::sql_types::Text, _>(name)
                .sql(", ")
                .bind::<diesel::sql_types::Text, _>(id)
                .sql(")"),
        ),
        _ => q,
    };
    q = match sort {
        Sort::NewestFirst => q.order(customers::id.desc()),
        Sort::Name => q.order((customers::name.asc(), customers::id.asc())),
    };
    q.limit(limit).select(CustomerRow::as_select()).load(conn)
}

/// The ids of the customers `list` would return, newest first, after `before` (keyset).
pub fn ids(
    conn: &mut DbConnection,
    scope: &Scope,
    viewer: &str,
    f: &Filter,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let (tags, names) = (tag_plan(conn, f, limit)?, name_plan(conn, f, limit)?);
    let mut q = filtered(Backend::of(conn), scope, viewer, f, tags, names);
    if let Some(b) = before {
        q = q.filter(customers::id.lt(b.to_owned()));
    }
    q.order(customers::id.desc()).limit(limit).select(customers::id).load(conn)
}

/// Of `ids`, the live customers homed in the scope or owned by `viewer` — the batch form of the
/// by-id rule (sharing aside), for lists another domain holds customer ids in.
fn reachable<'a>(scope: &Scope, viewer: &str, ids: &'a [String]) -> customers::BoxedQuery<'a, Multi> {
    let owned = customer_owners::table
        .filter(customer_owners::user_id.eq(viewer.to_owned()))
        .select(customer_owners::customer_id);
    customers::table
        .filter(customers::id.eq_any(ids))
        .filter(customers::deleted_at.is_null())
        .filter(customers::unit_id.eq_any(scope.unit_ids()).or(customers::id.eq_any(owned)))
        .into_boxed()
}

pub fn reachable_ids(conn: &mut DbConnection, scope: &Scope, viewer: &str, ids: &[String]) -> QueryResult<Vec<String>> {
    reachable(scope, viewer, ids).select(customers::id).load(conn)
}

/// (id, name, mobile ciphertext, unit id) of the reachable ones among `ids`, in one statement.
pub type RefRow = (String, String, Option<String>, String);

pub fn reachable_refs(
    conn: &mut DbConnection,
    scope: &Scope,
    viewer: &str,
    ids: &[String],
) -> QueryResult<Vec<RefRow>> {
    reachable(scope, viewer, ids)
        .select((customers::id, customers::name, customers::mobile, customers::unit_id))
        .load(conn)
}

/// The customers `user` is an owner of, in id order.
pub fn owned_by(conn: &mut DbConnection, user: &str) -> QueryResult<Vec<String>> {
    customer_owners::table
        .filter(customer_owners::user_id.eq(user))
        .order(customer_owners::customer_id)
        .select(customer_owners::customer_id)
        .load(conn)
}

/// Of `ids`, those with an owner besides `user`.
pub fn also_owned_by_others(conn: &mut DbConnection, ids: &[String], user: &str) -> QueryResult<Vec<String>> {
    customer_owners::table
        .filter(customer_owners::customer_id.eq_any(ids))
        .filter(customer_owners::user_id.ne(user))
        .select(customer_owners::customer_id)
        .distinct()
        .load(conn)
}

/// Adds (customer, user) ownerships, in chunks.
pub fn add_owners(conn: &mut DbConnection, pairs: &[(String, String)]) -> QueryResult<()> {
    let rows: Vec<_> =
        pairs.iter().map(|(c, u)| (customer_owners::customer_id.eq(c), customer_owners::user_id.eq(u))).collect();
    crate::insert_chunks!(conn, customer_owners::table, rows, 500)
}

pub fn remove_owner_everywhere(conn: &mut DbConnection, user: &str) -> QueryResult<()> {
    diesel::delete(customer_owners::table.filter(customer_owners::user_id.eq(user))).execute(conn).map(|_| ())
}

/// Notifications owed to customers, one per (customer, payload JSON): a `kind` and its
/// parameters, never a sentence.
pub fn insert_notifications(
    conn: &mut DbConnection,
    kind: &str,
    rows: &[(String, String)],
    at: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<_> = rows
        .iter()
        .map(|(customer, payload)| {
            (
                customer_notifications::id.eq(crate::db::new_id()),
                customer_notifications::customer_id.eq(customer),
                customer_notifications::kind.eq(kind),
                customer_notifications::payload.eq(payload),
                customer_notifications::created_at.eq(at),
            )
        })
        .collect();
    crate::insert_chunks!(conn, customer_notifications::table, rows, 500)
}

/// The live-or-not rows of `ids`, newest first (callers have decided who may see them).
pub fn rows_by_ids(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<CustomerRow>> {
    customers::table
        .filter(customers::id.eq_any(ids))
        .order(customers::id.desc())
        .select(CustomerRow::as_select())
        .load(conn)
}

/// How many customers `list` would walk through (for an export's progress).
pub fn count(conn: &mut DbConnection, scope: &Scope, viewer: &str, f: &Filter) -> QueryResult<i64> {
    filtered(Backend::of(conn), scope, viewer, f, TagPlan::List, NamePlan::Index).count().get_result(conn)
}

/// How many customers the filter selects, reading at most `cap` + 1 rows: a list's count is exact
/// while it is small and "more than `cap`" otherwise, never a scan of a million rows.
pub fn count_up_to(conn: &mut DbConnection, scope: &Scope, viewer: &str, f: &Filter, cap: i64) -> QueryResult<i64> {
    let ones: Vec<i32> = filtered(Backend::of(conn), scope, viewer, f, TagPlan::List, NamePlan::Index)
        .select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
        .limit(cap + 1)
        .load(conn)?;
    Ok(ones.len() as i64)
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Reveals by this user since `since` (the reveal rate limit holds across servers).
pub fn reveals_since(conn: &mut DbConnection, user_id: &str, since: NaiveDateTime) -> QueryResult<i64> {
    audit_log::table
        .filter(audit_log::actor_id.eq(user_id))
        .filter(audit_log::action.eq("customer.reveal"))
        .filter(audit_log::at.ge(since))
        .count()
        .get_result(conn)
}

/// Other live customers visible to the viewer that share an exact identifier (mobile, email,
/// national id — by blind index) or name + birth date with `row`. Each arm uses its own index.
pub fn possible_duplicates(
    conn: &mut DbConnection,
    row: &CustomerRow,
    scope: &Scope,
    viewer: &str,
    limit: i64,
) -> QueryResult<Vec<CustomerRow>> {
    let keys = [&row.mobile_bidx, &row.email_bidx, &row.national_id_bidx, &row.identity_bidx];
    if keys.iter().all(|k| k.is_none()) {
        return Ok(Vec::new());
    }
    // A value no blind index can take stands in for an absent key, keeping one query shape.
    let none = String::from("-");
    let key = |k: &Option<String>| k.clone().unwrap_or_else(|| none.clone());
    let in_scope = scope.unit_ids();
    let owned = customer_owners::table
        .filter(customer_owners::user_id.eq(viewer.to_owned()))
        .select(customer_owners::customer_id);
    customers::table
        .filter(customers::deleted_at.is_null())
        .filter(customers::id.ne(&row.id))
        .filter(
            customers::mobile_bidx
                .eq(key(&row.mobile_bidx))
                .or(customers::email_bidx.eq(key(&row.email_bidx)))
                .or(customers::national_id_bidx.eq(key(&row.national_id_bidx)))
                .or(customers::identity_bidx.eq(key(&row.identity_bidx))),
        )
        .filter(customers::unit_id.eq_any(in_scope).or(customers::id.eq_any(owned)))
        .order(customers::id.asc())
        .limit(limit)
        .select(CustomerRow::as_select())
        .load(conn)
}

/// The identifying blind indexes a customer can be recognised by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    NationalId,
    Mobile,
    Email,
    Identity,
}

/// The live customers' units holding any of `values` (blind indexes of one kind), as (value,
/// unit id). Looked up by the blind index alone: joined with the scope, the planner would walk
/// the scope's customers instead of the index.
pub fn existing_keys(conn: &mut DbConnection, kind: Key, values: &[String]) -> QueryResult<Vec<(String, String)>> {
    let live = customers::table.filter(customers::deleted_at.is_null());
    let found: Vec<(Option<String>, String)> = match kind {
        Key::NationalId => live
            .filter(customers::national_id_bidx.eq_any(values))
            .select((customers::national_id_bidx, customers::unit_id))
            .load(conn)?,
        Key::Mobile => live
            .filter(customers::mobile_bidx.eq_any(values))
            .select((customers::mobile_bidx, customers::unit_id))
            .load(conn)?,
        Key::Email => live
            .filter(customers::email_bidx.eq_any(values))
            .select((customers::email_bidx, customers::unit_id))
            .load(conn)?,
        Key::Identity => live
            .filter(customers::identity_bidx.eq_any(values))
            .select((customers::identity_bidx, customers::unit_id))
            .load(conn)?,
    };
    Ok(found.into_iter().filter_map(|(k, u)| k.map(|k| (k, u))).collect())
}

/// The ids of the units in a scope (a scope has a handful).
pub fn scope_unit_ids(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<String>> {
    scope.unit_ids().load(conn)
}

/// Many new customers with their owners and tags. PostgreSQL takes the customers through
/// `COPY … FROM STDIN (FORMAT binary)`; SQLite through multi-row INSERTs (one writer, no
/// round trips: that is its fastest path).
pub fn insert_many(
    conn: &mut DbConnection,
    rows: &[CustomerRow],
    owners: &[(String, String)],
    tags: &[(String, String)],
) -> QueryResult<()> {
    macro_rules! links {
        ($c:expr) => {{
            let owner_rows: Vec<_> = owners
                .iter()
                .map(|(cid, uid)| (customer_owners::customer_id.eq(cid), customer_owners::user_id.eq(uid)))
                .collect();
            for chunk in owner_rows.chunks(5000) {
                diesel::insert_into(customer_owners::table).values(chunk).execute($c)?;
            }
            let tag_rows: Vec<_> =
                tags.iter().map(|(cid, t)| (customer_tags::customer_id.eq(cid), customer_tags::tag.eq(t))).collect();
            for chunk in tag_rows.chunks(5000) {
                diesel::insert_into(customer_tags::table).values(chunk).execute($c)?;
            }
        }};
    }
    match conn {
        DbConnection::Postgres(c) => {
            diesel::copy_from(customers::table).from_insertable(rows).execute(c)?;
            links!(c);
        }
        DbConnection::Sqlite(c) => {
            for chunk in rows.chunks(1000) {
                diesel::insert_into(customers::table).values(chunk).execute(c)?;
            }
            links!(c);
        }
    }
    Ok(())
}

/// A customer even if deleted (a merged-away one, for undo), with its unit's path.
pub fn get_any_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(CustomerRow, String)>> {
    customers::table
        .inner_join(units::table)
        .filter(customers::id.eq(id))
        .select((CustomerRow::as_select(), units::path))
        .first(conn)
        .optional()
}

/// A customer's entries in the audit log, newest first (indexed by resource).
pub fn history(
    conn: &mut DbConnection,
    customer_id: &str,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<crate::audit::model::AuditRow>> {
    let mut q = audit_log::table
        .filter(audit_log::resource_type.eq("customer"))
        .filter(audit_log::resource_id.eq(customer_id))
        .select(crate::audit::model::AuditRow::as_select())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(audit_log::seq.lt(b));
    }
    q.order(audit_log::seq.desc()).limit(limit).load(conn)
}
