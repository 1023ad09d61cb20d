use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::db::schema::{churn_warnings, winback_actions};
use crate::db::DbConnection;
use crate::org::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = churn_warnings)]
pub struct WarningRow {
    pub id: String,
    pub customer_id: String,
    pub run_id: String,
    pub measure: String,
    pub recent: i64,
    pub previous: i64,
    pub drop_percent: i64,
    pub months: i64,
    pub status: String,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_reason: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = winback_actions)]
pub struct ActionRow {
    pub id: String,
    pub warning_id: String,
    pub action: String,
    pub outcome: String,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

type Multi = <DbConnection as diesel::Connection>::Backend;

/// Warnings of live customers homed in `scope` or owned by `viewer` — the customer list's rule.
fn visible<'a>(scope: &Scope, viewer: &str) -> churn_warnings::BoxedQuery<'a, Multi> {
    let seen = sql::<Bool>(
        "EXISTS (SELECT 1 FROM customers c WHERE c.id = churn_warnings.customer_id AND c.deleted_at IS NULL \
         AND (EXISTS (SELECT 1 FROM units u WHERE u.id = c.unit_id AND u.path LIKE ",
    )
    .bind::<Text, _>(scope.like_pattern())
    .sql(") OR EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = c.id AND o.user_id = ")
    .bind::<Text, _>(viewer.to_owned())
    .sql(")))");
    churn_warnings::table.filter(seen).into_boxed()
}

/// A page of warnings, newest first (keyset by id: ids grow with runs); `owner` narrows to the
/// customers an account manager owns.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    viewer: &str,
    status: &str,
    owner: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<WarningRow>> {
    let mut q = visible(scope, viewer).filter(churn_warnings::status.eq(status.to_owned()));
    if let Some(o) = owner {
        q = q.filter(
            sql::<Bool>("EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = churn_warnings.customer_id AND o.user_id = ")
                .bind::<Text, _>(o.to_owned())
                .sql(")"),
        );
    }
    if let Some(b) = before {
        q = q.filter(churn_warnings::id.lt(b.to_owned()));
    }
    q.order(churn_warnings::id.desc()).limit(limit).select(WarningRow::as_select()).load(conn)
}

pub fn get(conn: &mut DbConnection, scope: &Scope, viewer: &str, id: &str) -> QueryResult<Option<WarningRow>> {
    visible(scope, viewer)
        .filter(churn_warnings::id.eq(id.to_owned()))
        .select(WarningRow::as_select())
        .first(conn)
        .optional()
}

/// The actions on these warnings, oldest first.
pub fn actions(conn: &mut DbConnection, warning_ids: &[String]) -> QueryResult<Vec<ActionRow>> {
    winback_actions::table
        .filter(winback_actions::warning_id.eq_any(warning_ids))
        .order(winback_actions::id.asc())
        .select(ActionRow::as_select())
        .load(conn)
}

/// The open warnings of these customers (a customer has at most one).
pub fn open_of(conn: &mut DbConnection, customer_ids: &[String]) -> QueryResult<Vec<String>> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    churn_warnings::table
        .filter(churn_warnings::customer_id.eq_any(customer_ids))
        .filter(churn_warnings::status.eq("open"))
        .select(churn_warnings::id)
        .load(conn)
}

/// Many actions in one multi-row INSERT (diesel writes it per backend).
pub fn insert_actions(conn: &mut DbConnection, rows: &[ActionRow]) -> QueryResult<()> {
    if !rows.is_empty() {
        crate::on_backend!(conn, |c| diesel::insert_into(winback_actions::table).values(rows).execute(c))?;
    }
    Ok(())
}

pub fn insert_action(conn: &mut DbConnection, row: &ActionRow) -> QueryResult<()> {
    diesel::insert_into(winback_actions::table).values(row).execute(conn).map(|_| ())
}
