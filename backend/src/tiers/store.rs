//! The SQL of the value tiers. A run is a handful of set-based statements, the same arithmetic on
//! both databases (integers only): the measures aggregated and ranked in one statement into
//! `tier_scores`, then — when applied — history and the current tiers rewritten from it in one
//! transaction. No customer is read into memory.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::db::schema::{customer_tiers, tier_configs, tier_history, tier_runs, tier_scores};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tier_configs)]
pub struct ConfigRow {
    pub version: i64,
    pub settings: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tier_runs)]
pub struct RunRow {
    pub id: String,
    pub job_id: Option<String>,
    pub config_version: i64,
    pub dry_run: bool,
    pub as_of: NaiveDateTime,
    pub status: String,
    pub scored: i64,
    pub changed: i64,
    pub summary: Option<String>,
    pub created_by: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tier_scores)]
pub struct ScoreRow {
    pub run_id: String,
    pub customer_id: String,
    pub spend_fen: i64,
    pub profit_fen: i64,
    pub frequency: i64,
    pub pct_spend: i64,
    pub pct_profit: i64,
    pub pct_frequency: i64,
    pub score: i64,
    pub tier: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tier_history)]
pub struct HistoryRow {
    pub customer_id: String,
    pub run_id: String,
    pub from_tier: Option<String>,
    pub to_tier: Option<String>,
    pub score: Option<i64>,
    pub spend_fen: Option<i64>,
    pub profit_fen: Option<i64>,
    pub frequency: Option<i64>,
    pub config_version: i64,
    pub at: NaiveDateTime,
}

pub fn latest_config(conn: &mut DbConnection) -> QueryResult<Option<ConfigRow>> {
    tier_configs::table.order(tier_configs::version.desc()).select(ConfigRow::as_select()).first(conn).optional()
}

pub fn config(conn: &mut DbConnection, version: i64) -> QueryResult<Option<ConfigRow>> {
    tier_configs::table.find(version).select(ConfigRow::as_select()).first(conn).optional()
}

pub fn insert_config(conn: &mut DbConnection, row: &ConfigRow) -> QueryResult<()> {
    diesel::insert_into(tier_configs::table).values(row).execute(conn).map(|_| ())
}

/// A version's margin rates per unit (one row per unit).
pub fn insert_margin_rates(conn: &mut DbConnection, version: i64, rates: &[(String, i64)]) -> QueryResult<()> {
    use crate::db::schema::tier_margin_rates as r;
    for (unit, percent) in rates {
        diesel::insert_into(r::table)
            .values((r::config_version.eq(version), r::unit_id.eq(unit), r::percent.eq(percent)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_run(conn: &mut DbConnection, row: &RunRow) -> QueryResult<()> {
    diesel::insert_into(tier_runs::table).values(row).execute(conn).map(|_| ())
}

pub fn run(conn: &mut DbConnection, id: &str) -> QueryResult<Option<RunRow>> {
    tier_runs::table.find(id).select(RunRow::as_select()).first(conn).optional()
}

/// The newest run that was applied.
pub fn last_applied(conn: &mut DbConnection) -> QueryResult<Option<RunRow>> {
    tier_runs::table
        .filter(tier_runs::dry_run.eq(false))
        .filter(tier_runs::status.eq("done"))
        .order(tier_runs::id.desc())
        .select(RunRow::as_select())
        .first(conn)
        .optional()
}

pub fn run_of_job(conn: &mut DbConnection, job_id: &str) -> QueryResult<Option<RunRow>> {
    tier_runs::table.filter(tier_runs::job_id.eq(job_id)).select(RunRow::as_select()).first(conn).optional()
}

/// Newest first, keyset by id (ids grow with time).
pub fn runs(conn: &mut DbConnection, before: Option<&str>, limit: i64) -> QueryResult<Vec<RunRow>> {
    let mut q = tier_runs::table.select(RunRow::as_select()).into_boxed();
    if let Some(b) = before {
        q = q.filter(tier_runs::id.lt(b.to_owned()));
    }
    q.order(tier_runs::id.desc()).limit(limit).load(conn)
}

pub fn finish_run(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    scored: i64,
    changed: i64,
    summary: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(tier_runs::table.find(id))
        .set((
            tier_runs::status.eq(status),
            tier_runs::scored.eq(scored),
            tier_runs::changed.eq(changed),
            tier_runs::summary.eq(summary),
            tier_runs::finished_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

crate::prepared! {
    /// Every customer the run's profile staging holds with a purchase in the window (not deleted,
    /// not withdrawn from profiling: the staging's rule), ranked on the three measures staged for
    /// them (spend, profit, purchases): each as a percent rank in basis points (ties share the
    /// lowest rank; one customer alone ranks 10000), the weighted score (0..=1,000,000) and the
    /// tier. A customer is in A when fewer than `a`% of the scored score strictly higher, in B
    /// below `a + b`%, in C below `a + b + c`%, else D — so equal scores are always in one tier.
    pub struct Score {
        staged: String => Text,
        w_spend: i64 => BigInt, w_profit: i64 => BigInt, w_frequency: i64 => BigInt,
        run_id: String => Text, cut_a: i64 => BigInt, cut_b: i64 => BigInt, cut_c: i64 => BigInt
    }
    sql = concat!(
        "WITH m AS (SELECT customer_id, spend_fen AS spend, profit_fen AS profit, frequency AS freq ",
        "FROM profile_scores WHERE run_id = ? AND frequency > 0), ",
        "r AS (SELECT m.*, COUNT(*) OVER () AS n, RANK() OVER (ORDER BY spend) AS rs, ",
        "RANK() OVER (ORDER BY profit) AS rp, RANK() OVER (ORDER BY freq) AS rf FROM m), ",
        "s AS (SELECT r.*, CASE WHEN n = 1 THEN 10000 ELSE (rs - 1) * 10000 / (n - 1) END AS ps, ",
        "CASE WHEN n = 1 THEN 10000 ELSE (rp - 1) * 10000 / (n - 1) END AS pp, ",
        "CASE WHEN n = 1 THEN 10000 ELSE (rf - 1) * 10000 / (n - 1) END AS pf FROM r), ",
        "t AS (SELECT s.*, ? * ps + ? * pp + ? * pf AS score FROM s), ",
        "u AS (SELECT t.*, RANK() OVER (ORDER BY score DESC) - 1 AS higher FROM t) ",
        "INSERT INTO tier_scores (run_id, customer_id, spend_fen, profit_fen, frequency, pct_spend, pct_profit, ",
        "pct_frequency, score, tier) SELECT ?, customer_id, spend, profit, freq, ps, pp, pf, score, ",
        "CASE WHEN higher * 100 < n * ? THEN 'A' WHEN higher * 100 < n * ? THEN 'B' ",
        "WHEN higher * 100 < n * ? THEN 'C' ELSE 'D' END FROM u"
    );
}

/// A run's staging emptied (a retried run starts afresh).
pub fn clear_scores(conn: &mut DbConnection, run_id: &str) -> QueryResult<usize> {
    diesel::delete(tier_scores::table.filter(tier_scores::run_id.eq(run_id))).execute(conn)
}

pub fn score(conn: &mut DbConnection, s: Score) -> QueryResult<usize> {
    crate::on_backend!(conn, |c| s.execute(c))
}

#[derive(Debug, QueryableByName)]
pub struct Count3 {
    #[diesel(sql_type = Nullable<Text>)]
    pub a: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub b: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

crate::prepared! {
    /// (tier, NULL, count) per tier of the run.
    pub struct Distribution { run_id: String => Text }
    pg = "SELECT tier AS a, CAST(NULL AS TEXT) AS b, COUNT(*) AS n FROM tier_scores WHERE run_id = ? GROUP BY tier";
    sqlite = "SELECT tier AS a, NULL AS b, COUNT(*) AS n FROM tier_scores WHERE run_id = ? GROUP BY tier";
}

crate::prepared! {
    /// (from, to, count): every scored customer from their current tier (NULL: none), and
    /// every customer with a tier now whom the run did not score, to none.
    pub struct Movement { run_id: String => Text, again: String => Text }
    pg = "SELECT ct.tier AS a, s.tier AS b, COUNT(*) AS n FROM tier_scores s \
          LEFT JOIN customer_tiers ct ON ct.customer_id = s.customer_id WHERE s.run_id = ? GROUP BY ct.tier, s.tier \
          UNION ALL SELECT ct.tier AS a, CAST(NULL AS TEXT) AS b, COUNT(*) AS n FROM customer_tiers ct \
          WHERE NOT EXISTS (SELECT 1 FROM tier_scores s WHERE s.run_id = ? AND s.customer_id = ct.customer_id) \
          GROUP BY ct.tier";
    sqlite = "SELECT ct.tier AS a, s.tier AS b, COUNT(*) AS n FROM tier_scores s \
          LEFT JOIN customer_tiers ct ON ct.customer_id = s.customer_id WHERE s.run_id = ? GROUP BY ct.tier, s.tier \
          UNION ALL SELECT ct.tier AS a, NULL AS b, COUNT(*) AS n FROM customer_tiers ct \
          WHERE NOT EXISTS (SELECT 1 FROM tier_scores s WHERE s.run_id = ? AND s.customer_id = ct.customer_id) \
          GROUP BY ct.tier";
}

pub fn distribution(conn: &mut DbConnection, run_id: &str) -> QueryResult<Vec<Count3>> {
    let q = Distribution { run_id: run_id.to_owned() };
    crate::on_backend!(conn, |c| q.load(c))
}

pub fn movement(conn: &mut DbConnection, run_id: &str) -> QueryResult<Vec<Count3>> {
    let q = Movement { run_id: run_id.to_owned(), again: run_id.to_owned() };
    crate::on_backend!(conn, |c| q.load(c))
}

/// A tier with its lowest and highest score.
pub type TierRange = (String, Option<i64>, Option<i64>);

/// The lowest and highest score in each tier of a run.
pub fn cutoffs(conn: &mut DbConnection, run_id: &str) -> QueryResult<Vec<TierRange>> {
    use diesel::dsl::{max, min};
    tier_scores::table
        .filter(tier_scores::run_id.eq(run_id))
        .group_by(tier_scores::tier)
        .select((tier_scores::tier, min(tier_scores::score), max(tier_scores::score)))
        .order(tier_scores::tier)
        .load(conn)
}

crate::prepared! {
    /// History of the customers the run scores whose tier changes (or who had none).
    pub struct HistoryOfChanged { version: i64 => BigInt, at: NaiveDateTime => Timestamp, run_id: String => Text }
    sql = "INSERT INTO tier_history (customer_id, run_id, from_tier, to_tier, score, spend_fen, profit_fen, frequency, \
          config_version, at) SELECT s.customer_id, s.run_id, ct.tier, s.tier, s.score, s.spend_fen, s.profit_fen, \
          s.frequency, ?, ? FROM tier_scores s LEFT JOIN customer_tiers ct ON ct.customer_id = s.customer_id \
          WHERE s.run_id = ? AND (ct.tier IS NULL OR ct.tier <> s.tier)";
}

crate::prepared! {
    /// History of the customers who had a tier and are not scored any more (no purchase in the
    /// window, withdrawn from profiling, deleted): to none.
    pub struct HistoryOfDropped { run_id: String => Text, version: i64 => BigInt, at: NaiveDateTime => Timestamp, again: String => Text }
    sql = "INSERT INTO tier_history (customer_id, run_id, from_tier, to_tier, config_version, at) \
          SELECT ct.customer_id, ?, ct.tier, NULL, ?, ? FROM customer_tiers ct \
          WHERE NOT EXISTS (SELECT 1 FROM tier_scores s WHERE s.run_id = ? AND s.customer_id = ct.customer_id)";
}

crate::prepared! {
    pub struct DropUnscored { run_id: String => Text }
    sql = "DELETE FROM customer_tiers WHERE NOT EXISTS \
          (SELECT 1 FROM tier_scores s WHERE s.run_id = ? AND s.customer_id = customer_tiers.customer_id)";
}

crate::prepared! {
    /// Customers scored who had no tier get one.
    pub struct InsertNew { at: NaiveDateTime => Timestamp, run_id: String => Text }
    sql = "INSERT INTO customer_tiers (customer_id, tier, score, run_id, updated_at) \
          SELECT s.customer_id, s.tier, s.score, s.run_id, ? FROM tier_scores s WHERE s.run_id = ? \
          AND NOT EXISTS (SELECT 1 FROM customer_tiers ct WHERE ct.customer_id = s.customer_id)";
}

crate::prepared! {
    /// Only customers whose tier changes are written: a run over a million customers where few
    /// move rewrites few rows (each row keeps the run that set its tier).
    pub struct UpdateChanged { at: NaiveDateTime => Timestamp, run_id: String => Text }
    sql = "UPDATE customer_tiers SET tier = s.tier, score = s.score, run_id = s.run_id, updated_at = ? \
          FROM tier_scores s WHERE s.run_id = ? AND s.customer_id = customer_tiers.customer_id \
          AND s.tier <> customer_tiers.tier";
}

/// Makes the run's tiers the current ones; returns how many customers changed tier. Call in one
/// transaction: until it commits every reader sees the previous tiers.
pub fn apply(conn: &mut DbConnection, run_id: &str, version: i64, at: NaiveDateTime) -> QueryResult<i64> {
    let id = || run_id.to_owned();
    let changed = HistoryOfChanged { version, at, run_id: id() };
    let dropped = HistoryOfDropped { run_id: id(), version, at, again: id() };
    let n = crate::on_backend!(conn, |c| changed.execute(c)? + dropped.execute(c)?);
    let (drop, changed, new) =
        (DropUnscored { run_id: id() }, UpdateChanged { at, run_id: id() }, InsertNew { at, run_id: id() });
    crate::on_backend!(conn, |c| {
        drop.execute(c)?;
        changed.execute(c)?;
        new.execute(c)?;
    });
    // Only the applied run's scores stay: they explain the current tiers.
    diesel::delete(tier_scores::table.filter(tier_scores::run_id.ne(run_id))).execute(conn)?;
    Ok(n as i64)
}

pub fn current(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Option<String>> {
    customer_tiers::table.find(customer_id).select(customer_tiers::tier).first(conn).optional()
}

pub fn score_of(conn: &mut DbConnection, run_id: &str, customer_id: &str) -> QueryResult<Option<ScoreRow>> {
    tier_scores::table.find((run_id, customer_id)).select(ScoreRow::as_select()).first(conn).optional()
}

pub fn history(conn: &mut DbConnection, customer_id: &str, limit: i64) -> QueryResult<Vec<HistoryRow>> {
    tier_history::table
        .filter(tier_history::customer_id.eq(customer_id))
        .order(tier_history::run_id.desc())
        .limit(limit)
        .select(HistoryRow::as_select())
        .load(conn)
}

/// What a customer's service strategy is read from, in one statement (a ticket create reads it):
/// the tier in force (an active override first, else the run's), and the profile's level and
/// lifecycle when profiled.
pub fn class_inputs(
    conn: &mut DbConnection,
    customer_id: &str,
    now: NaiveDateTime,
) -> QueryResult<(Option<String>, Option<String>, Option<String>)> {
    use crate::db::schema::{customer_profiles, tier_overrides};
    let overridden = tier_overrides::table
        .filter(tier_overrides::customer_id.eq(customer_id))
        .filter(tier_overrides::ended_at.is_null())
        .filter(tier_overrides::expires_at.gt(now))
        .order(tier_overrides::id.desc())
        .select(tier_overrides::tier)
        .single_value();
    let run = customer_tiers::table.find(customer_id).select(customer_tiers::tier).single_value();
    let level = customer_profiles::table.find(customer_id).select(customer_profiles::level).single_value();
    let lifecycle = customer_profiles::table.find(customer_id).select(customer_profiles::lifecycle).single_value();
    let (overridden, run, level, lifecycle): (Option<String>, Option<String>, Option<String>, Option<String>) =
        diesel::select((overridden, run, level, lifecycle)).get_result(conn)?;
    Ok((overridden.or(run), level, lifecycle))
}
