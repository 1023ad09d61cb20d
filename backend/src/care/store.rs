//! Care rules, the customers a rule concerns on a day, and the birthday index backfill.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::IntoSql;

use crate::db::schema::{campaign_audience, campaigns, care_rules, customers, purchases};
use crate::db::DbConnection;
use crate::org::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = care_rules)]
pub struct RuleRow {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub kind: String,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    pub days: i64,
    pub month_day: Option<String>,
    pub active: bool,
    pub author_id: String,
    pub approved_by: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &RuleRow) -> QueryResult<()> {
    diesel::insert_into(care_rules::table).values(row).execute(conn).map(|_| ())
}

pub fn get(conn: &mut DbConnection, scope: &Scope, id: &str) -> QueryResult<Option<RuleRow>> {
    care_rules::table
        .find(id)
        .filter(care_rules::unit_id.eq_any(scope.unit_ids()))
        .select(RuleRow::as_select())
        .first(conn)
        .optional()
}

/// The rules of the scope (a unit has a handful), oldest first.
pub fn list(conn: &mut DbConnection, scope: &Scope, active_only: bool) -> QueryResult<Vec<RuleRow>> {
    let mut q = care_rules::table.filter(care_rules::unit_id.eq_any(scope.unit_ids())).into_boxed();
    if active_only {
        q = q.filter(care_rules::active.eq(true));
    }
    q.order(care_rules::id).select(RuleRow::as_select()).load(conn)
}

/// Switches a rule on (with who approved it) or off, if still at `version`.
pub fn set_active(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    active: bool,
    approved_by: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(care_rules::table.find(id).filter(care_rules::version.eq(version)))
        .set((
            care_rules::active.eq(active),
            care_rules::approved_by.eq(approved_by),
            care_rules::version.eq(version + 1),
            care_rules::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Whether the rule has its campaign for the day starting at `starts_at` already.
pub fn has_campaign(conn: &mut DbConnection, rule_id: &str, starts_at: NaiveDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        campaigns::table.filter(campaigns::care_rule_id.eq(rule_id)).filter(campaigns::starts_at.eq(starts_at)),
    ))
    .get_result(conn)
}

/// Who a rule concerns on a day: its kind's condition over the customers of its scope.
pub enum Concerns<'a> {
    /// Customers with one of these birthday indexes.
    Birthday(&'a [String]),
    Everyone,
    /// A purchase ending in `[from, to)`.
    Ending(NaiveDateTime, NaiveDateTime),
    /// A purchase (not a refund) made in `[from, to)`.
    Bought(NaiveDateTime, NaiveDateTime),
}

/// Runs `$make` with the filtered customers of `$scope` for `$who` (one query shape per kind).
macro_rules! concerned {
    ($scope:expr, $who:expr, |$q:ident| $make:expr) => {{
        let base = customers::table
            .filter(customers::unit_id.eq_any($scope.unit_ids()))
            .filter(customers::deleted_at.is_null());
        match $who {
            Concerns::Birthday(indexes) => {
                let $q = base.filter(customers::birthday_bidx.eq_any(*indexes));
                $make
            }
            Concerns::Everyone => {
                let $q = base;
                $make
            }
            Concerns::Ending(from, to) => {
                let $q = base.filter(diesel::dsl::exists(
                    purchases::table
                        .filter(purchases::customer_id.eq(customers::id))
                        .filter(purchases::ends_at.ge(*from))
                        .filter(purchases::ends_at.lt(*to)),
                ));
                $make
            }
            Concerns::Bought(from, to) => {
                let $q = base.filter(diesel::dsl::exists(
                    purchases::table
                        .filter(purchases::customer_id.eq(customers::id))
                        .filter(purchases::refund_of.is_null())
                        .filter(purchases::purchased_at.ge(*from))
                        .filter(purchases::purchased_at.lt(*to)),
                ));
                $make
            }
        }
    }};
}

/// Puts the customers a rule concerns into the campaign's audience in one statement; returns
/// how many.
pub fn freeze(conn: &mut DbConnection, campaign_id: &str, scope: &Scope, who: &Concerns) -> QueryResult<i64> {
    let n = concerned!(scope, who, |q| diesel::insert_into(campaign_audience::table)
        .values(q.select((campaign_id.to_owned().into_sql::<Text>(), customers::id)))
        .into_columns((campaign_audience::campaign_id, campaign_audience::customer_id))
        .execute(conn)?) as i64;
    diesel::update(campaigns::table.find(campaign_id)).set(campaigns::audience.eq(n)).execute(conn)?;
    Ok(n)
}

pub fn count(conn: &mut DbConnection, scope: &Scope, who: &Concerns) -> QueryResult<i64> {
    concerned!(scope, who, |q| q.count().get_result(conn))
}

/// Customers with a birth date but no birthday index yet (written before the index existed).
pub fn unindexed_birthdays(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<(String, String)>> {
    customers::table
        .filter(customers::birth_date.is_not_null())
        .filter(customers::birthday_bidx.is_null())
        .filter(customers::deleted_at.is_null())
        .order(customers::id)
        .limit(limit)
        .select((customers::id, customers::birth_date.assume_not_null()))
        .load(conn)
}

pub fn set_birthday_index(conn: &mut DbConnection, id: &str, index: &str) -> QueryResult<()> {
    diesel::update(customers::table.find(id)).set(customers::birthday_bidx.eq(index)).execute(conn).map(|_| ())
}
