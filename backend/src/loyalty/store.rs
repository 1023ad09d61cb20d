//! The ledger, the accounts, the rules and the rewards catalogue.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use super::model::LoyaltyRules;
use crate::db::schema::{customer_profiles, loyalty_settings, points_accounts, points_ledger, rewards};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = points_ledger)]
pub struct EntryRow {
    pub id: String,
    pub customer_id: String,
    pub kind: String,
    pub points: i64,
    pub balance_after: i64,
    pub purchase_id: Option<String>,
    pub reward_id: Option<String>,
    pub expires_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rewards)]
pub struct RewardRow {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub kind: String,
    pub points: i64,
    pub stock: Option<i64>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn rules(conn: &mut DbConnection) -> QueryResult<(LoyaltyRules, i64)> {
    let (points_per_yuan, gold_percent, silver_percent, bronze_percent, expiry_days, version) = loyalty_settings::table
        .find(1)
        .select((
            loyalty_settings::points_per_yuan,
            loyalty_settings::gold_percent,
            loyalty_settings::silver_percent,
            loyalty_settings::bronze_percent,
            loyalty_settings::expiry_days,
            loyalty_settings::version,
        ))
        .first(conn)?;
    Ok((LoyaltyRules { points_per_yuan, gold_percent, silver_percent, bronze_percent, expiry_days }, version))
}

/// Saves the rules if the version is still `version`; false when it is not.
pub fn put_rules(
    conn: &mut DbConnection,
    version: i64,
    r: &LoyaltyRules,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(loyalty_settings::table.find(1).filter(loyalty_settings::version.eq(version)))
        .set((
            loyalty_settings::points_per_yuan.eq(r.points_per_yuan),
            loyalty_settings::gold_percent.eq(r.gold_percent),
            loyalty_settings::silver_percent.eq(r.silver_percent),
            loyalty_settings::bronze_percent.eq(r.bronze_percent),
            loyalty_settings::expiry_days.eq(r.expiry_days),
            loyalty_settings::version.eq(version + 1),
            loyalty_settings::updated_by.eq(by),
            loyalty_settings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

impl crate::http::group_setting::GroupSetting for LoyaltyRules {
    const ACTION: &'static str = "loyalty.rules";
    const ENTITY: &'static str = "loyalty_rules";

    fn load(conn: &mut DbConnection) -> QueryResult<(Self, i64)> {
        rules(conn)
    }

    fn store(&self, conn: &mut DbConnection, version: i64, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
        put_rules(conn, version, self, by, at)
    }
}

/// The customer's member level from the latest profile run, if profiled.
pub fn level(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Option<String>> {
    customer_profiles::table.find(customer_id).select(customer_profiles::level).first(conn).optional()
}

/// Adds points to the account (opening it on the first) and answers the new balance.
pub fn credit(conn: &mut DbConnection, customer_id: &str, points: i64, at: NaiveDateTime) -> QueryResult<i64> {
    // An upsert, on the concrete connection (diesel's MultiConnection has no ON CONFLICT).
    crate::on_backend!(conn, |c| diesel::insert_into(points_accounts::table)
        .values((
            points_accounts::customer_id.eq(customer_id),
            points_accounts::balance.eq(points),
            points_accounts::debited.eq(0),
            points_accounts::updated_at.eq(at),
        ))
        .on_conflict(points_accounts::customer_id)
        .do_update()
        .set((points_accounts::balance.eq(points_accounts::balance + points), points_accounts::updated_at.eq(at),))
        .execute(c))?;
    balance(conn, customer_id)
}

/// Takes points from the account if it holds that many (one conditional statement: concurrent
/// debits queue on the row and the second finds too little); the new balance, or none.
pub fn debit(conn: &mut DbConnection, customer_id: &str, points: i64, at: NaiveDateTime) -> QueryResult<Option<i64>> {
    let n = diesel::update(points_accounts::table.find(customer_id).filter(points_accounts::balance.ge(points)))
        .set((
            points_accounts::balance.eq(points_accounts::balance - points),
            points_accounts::debited.eq(points_accounts::debited + points),
            points_accounts::updated_at.eq(at),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    balance(conn, customer_id).map(Some)
}

pub fn balance(conn: &mut DbConnection, customer_id: &str) -> QueryResult<i64> {
    Ok(points_accounts::table.find(customer_id).select(points_accounts::balance).first(conn).optional()?.unwrap_or(0))
}

pub fn append(conn: &mut DbConnection, row: &EntryRow) -> QueryResult<()> {
    diesel::insert_into(points_ledger::table).values(row).execute(conn).map(|_| ())
}

/// Newest first.
pub fn entries(
    conn: &mut DbConnection,
    customer_id: &str,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    let mut q = points_ledger::table
        .filter(points_ledger::customer_id.eq(customer_id.to_owned()))
        .select(EntryRow::as_select())
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(points_ledger::id.lt(b.to_owned()));
    }
    q.order(points_ledger::id.desc()).limit(limit).load(conn)
}

/// What a purchase earned in the first place, and what it still holds (earned, less what its
/// refunds took back). A purchase has an entry or a few: summed here, alike on both databases.
pub fn earned_and_held(conn: &mut DbConnection, purchase_id: &str) -> QueryResult<(i64, i64)> {
    let entries: Vec<(String, i64)> = points_ledger::table
        .filter(points_ledger::purchase_id.eq(purchase_id))
        .select((points_ledger::kind, points_ledger::points))
        .load(conn)?;
    let earned = entries.iter().filter(|(k, _)| k == "earn").map(|(_, p)| p).sum();
    Ok((earned, entries.iter().map(|(_, p)| p).sum()))
}

crate::prepared! {
    /// Each account's points past their expiry not yet consumed, first in first out: what was
    /// earned with `expires_at` by now, less everything ever debited (which took the oldest
    /// points first). One ledger entry per account, ids `<run>-<customer>` (they sort as the
    /// run's time).
    pub struct ExpireEntries { run: String => Text, at: NaiveDateTime => Timestamp, due: NaiveDateTime => Timestamp }
    sql = "INSERT INTO points_ledger (id, customer_id, kind, points, balance_after, created_at) \
           SELECT ? || '-' || a.customer_id, a.customer_id, 'expire', a.debited - d.due, \
           a.balance - (d.due - a.debited), ? FROM points_accounts a JOIN \
           (SELECT customer_id, SUM(points) AS due FROM points_ledger WHERE kind = 'earn' AND expires_at <= ? \
           GROUP BY customer_id) d ON d.customer_id = a.customer_id WHERE d.due > a.debited";
}

crate::prepared! {
    /// The run's entries applied to their accounts.
    pub struct ExpireAccounts {
        run: String => Text, run2: String => Text, at: NaiveDateTime => Timestamp, run3: String => Text
    }
    sql = "UPDATE points_accounts SET \
           balance = (SELECT e.balance_after FROM points_ledger e WHERE e.id = ? || '-' || points_accounts.customer_id), \
           debited = debited - (SELECT e.points FROM points_ledger e WHERE e.id = ? || '-' || points_accounts.customer_id), \
           updated_at = ? \
           WHERE EXISTS (SELECT 1 FROM points_ledger e WHERE e.id = ? || '-' || points_accounts.customer_id)";
}

/// Expires what is due at `at` in two statements; the number of accounts touched.
pub fn expire(conn: &mut DbConnection, run: &str, at: NaiveDateTime) -> QueryResult<usize> {
    let entries = ExpireEntries { run: run.to_owned(), at, due: at };
    let n = crate::on_backend!(conn, |c| entries.execute(c))?;
    let accounts = ExpireAccounts { run: run.to_owned(), run2: run.to_owned(), at, run3: run.to_owned() };
    crate::on_backend!(conn, |c| accounts.execute(c))?;
    Ok(n)
}

pub fn insert_reward(conn: &mut DbConnection, row: &RewardRow) -> QueryResult<()> {
    diesel::insert_into(rewards::table).values(row).execute(conn).map(|_| ())
}

pub fn reward(conn: &mut DbConnection, id: &str) -> QueryResult<Option<RewardRow>> {
    rewards::table.find(id).select(RewardRow::as_select()).first(conn).optional()
}

/// A reward of a unit in `scope`.
pub fn reward_in(
    conn: &mut DbConnection,
    scope: &crate::org::scope::Scope,
    id: &str,
) -> QueryResult<Option<RewardRow>> {
    rewards::table
        .filter(rewards::id.eq(id))
        .filter(rewards::unit_id.eq_any(scope.unit_ids()))
        .select(RewardRow::as_select())
        .first(conn)
        .optional()
}

/// The catalogue a member of staff sees: the rewards of the units above theirs (`above`, their
/// path) and of the units in their scope, by name.
pub fn catalogue(
    conn: &mut DbConnection,
    above: &[String],
    scope: &crate::org::scope::Scope,
) -> QueryResult<Vec<RewardRow>> {
    rewards::table
        .filter(rewards::unit_id.eq_any(above).or(rewards::unit_id.eq_any(scope.unit_ids())))
        .select(RewardRow::as_select())
        .order((rewards::name, rewards::id))
        .limit(500)
        .load(conn)
}

pub fn update_reward(conn: &mut DbConnection, row: &RewardRow, version: i64) -> QueryResult<bool> {
    let n = diesel::update(rewards::table.find(&row.id).filter(rewards::version.eq(version)))
        .set((
            rewards::name.eq(&row.name),
            rewards::kind.eq(&row.kind),
            rewards::points.eq(row.points),
            rewards::stock.eq(row.stock),
            rewards::active.eq(row.active),
            rewards::version.eq(version + 1),
            rewards::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Takes `quantity` from the stock if there is that much (or no limit); false when not.
pub fn take_stock(conn: &mut DbConnection, id: &str, quantity: i64) -> QueryResult<bool> {
    let n = diesel::update(rewards::table.find(id).filter(rewards::stock.is_null().or(rewards::stock.ge(quantity))))
        .set(rewards::stock.eq(rewards::stock - quantity))
        .execute(conn)?;
    Ok(n == 1)
}
