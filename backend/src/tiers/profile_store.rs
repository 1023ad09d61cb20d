//! The SQL of member levels, value bands, RFM, lifecycle (SEG-2, SEG-3) and churn warnings
//! (MKT-6). A run stages every profiled customer's classes beside the tier scores in one
//! statement; applying rewrites `customer_profiles` (levels keep their grace) and opens and
//! closes churn warnings, set-based, inside the run's one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::db::schema::{customer_profiles, level_history, profile_scores};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_profiles)]
pub struct ProfileRow {
    pub customer_id: String,
    pub run_id: String,
    pub lifecycle: String,
    pub band: String,
    pub level: String,
    pub below_since: Option<NaiveDateTime>,
    pub rfm: Option<String>,
    pub recent_spend_fen: i64,
    pub previous_spend_fen: i64,
    pub recent_frequency: i64,
    pub previous_frequency: i64,
    pub last_purchase_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// The rank of a level, for "up or kept" against "down".
macro_rules! level_rank {
    ($($col:tt)+) => {
        concat!("(CASE ", $($col)+, " WHEN 'gold' THEN 3 WHEN 'silver' THEN 2 ELSE 1 END)")
    };
}

/// The level a profile (`$p`, joined to its staging row `s`) keeps after a run: up at once; down
/// only once it has been below (since the first bind, now, if it was not) since the second bind
/// (now − grace) or earlier.
macro_rules! new_level {
    ($p:literal) => {
        concat!(
            "(CASE WHEN ",
            level_rank!("s.level"),
            " >= ",
            level_rank!(concat!($p, ".level")),
            " THEN s.level ",
            "WHEN COALESCE(",
            $p,
            ".below_since, ?) <= ? THEN s.level ELSE ",
            $p,
            ".level END)"
        )
    };
}

/// The staging statement's body after the customers it covers; the same on both databases.
macro_rules! stage_sql {
    () => {
        concat!(
            // Profit as the tier scores define it: a purchase's margin, else its unit's rate in
            // the run's settings version, else the default margin percent of the amount.
            "WITH a AS (SELECT p.customer_id, MAX(p.purchased_at) AS last_at, ",
            "SUM(CASE WHEN p.purchased_at >= ? THEN p.amount_fen ELSE 0 END) AS spend, ",
            "SUM(CASE WHEN p.purchased_at >= ? THEN COALESCE(p.margin_fen, p.amount_fen * COALESCE(mr.percent, ?) / 100) ",
            "ELSE 0 END) AS profit, ",
            "SUM(CASE WHEN p.purchased_at >= ? THEN 1 ELSE 0 END) AS freq, ",
            "SUM(CASE WHEN p.purchased_at >= ? THEN p.amount_fen ELSE 0 END) AS rs, ",
            "SUM(CASE WHEN p.purchased_at >= ? THEN 1 ELSE 0 END) AS rf, ",
            "SUM(CASE WHEN p.purchased_at >= ? AND p.purchased_at < ? THEN p.amount_fen ELSE 0 END) AS ps, ",
            "SUM(CASE WHEN p.purchased_at >= ? AND p.purchased_at < ? THEN 1 ELSE 0 END) AS pf ",
            "FROM purchases p LEFT JOIN tier_margin_rates mr ON mr.config_version = ? AND mr.unit_id = p.unit_id ",
            "WHERE p.purchased_at >= ? AND p.purchased_at < ? GROUP BY p.customer_id), ",
            "c AS (SELECT customers.id AS customer_id, customers.created_at AS since, ",
            "COALESCE(a.last_at, customers.last_purchase_at) AS last_at, COALESCE(a.spend, 0) AS spend, ",
            "COALESCE(a.profit, 0) AS profit, ",
            "COALESCE(a.freq, 0) AS freq, COALESCE(a.rs, 0) AS rs, COALESCE(a.rf, 0) AS rf, ",
            "COALESCE(a.ps, 0) AS ps, COALESCE(a.pf, 0) AS pf ",
            "FROM customers LEFT JOIN a ON a.customer_id = customers.id ",
            "WHERE customers.deleted_at IS NULL AND NOT ",
            crate::profiling_withdrawn_sql!(),
            "), ",
            // Quintiles among the customers who bought in the window: rank ascending (ties share
            // the lowest rank), so the oldest purchase, fewest purchases, least spend score 1.
            "q AS (SELECT c.*, CASE WHEN freq > 0 THEN 1 + (RANK() OVER (PARTITION BY freq > 0 ORDER BY last_at) - 1) ",
            "* 5 / COUNT(*) OVER (PARTITION BY freq > 0) END AS r, ",
            "CASE WHEN freq > 0 THEN 1 + (RANK() OVER (PARTITION BY freq > 0 ORDER BY freq) - 1) ",
            "* 5 / COUNT(*) OVER (PARTITION BY freq > 0) END AS f, ",
            "CASE WHEN freq > 0 THEN 1 + (RANK() OVER (PARTITION BY freq > 0 ORDER BY spend) - 1) ",
            "* 5 / COUNT(*) OVER (PARTITION BY freq > 0) END AS m FROM c) ",
            "INSERT INTO profile_scores (run_id, customer_id, lifecycle, band, level, r, f, m, recent_spend_fen, ",
            "previous_spend_fen, recent_frequency, previous_frequency, last_purchase_at, spend_fen, frequency, profit_fen) ",
            "SELECT ?, customer_id, ",
            "CASE WHEN last_at IS NULL THEN 'potential' WHEN last_at < ? THEN 'dormant' ",
            "WHEN (ps > 0 AND rs * 100 < ps * ?) OR (pf > 0 AND rf * 100 < pf * ?) THEN 'churn_risk' ",
            "ELSE 'active' END, ",
            "CASE WHEN spend >= ? THEN 'high' WHEN spend >= ? THEN 'medium' ELSE 'low' END, ",
            "CASE WHEN spend >= ? AND freq >= ? AND since <= ? THEN 'gold' ",
            "WHEN spend >= ? AND freq >= ? AND since <= ? THEN 'silver' ELSE 'bronze' END, ",
            "r, f, m, rs, ps, rf, pf, last_at, spend, freq, profit FROM q"
        )
    };
}

crate::prepared! {
    /// Every customer not deleted and not withdrawn from profiling: lifecycle, band, the level
    /// the measures reach, RFM quintiles, the churn windows' figures, and the window's spend,
    /// profit and purchase count the tier scores are ranked from.
    pub struct Stage {
        window_from: NaiveDateTime => Timestamp,
        window_from_profit: NaiveDateTime => Timestamp, margin: i64 => BigInt,
        window_from2: NaiveDateTime => Timestamp,
        recent_from: NaiveDateTime => Timestamp, recent_from2: NaiveDateTime => Timestamp,
        previous_from: NaiveDateTime => Timestamp, previous_to: NaiveDateTime => Timestamp,
        previous_from2: NaiveDateTime => Timestamp, previous_to2: NaiveDateTime => Timestamp,
        version: i64 => BigInt,
        scan_from: NaiveDateTime => Timestamp, to: NaiveDateTime => Timestamp,
        run_id: String => Text,
        dormant_before: NaiveDateTime => Timestamp, keep_percent: i64 => BigInt, keep_percent2: i64 => BigInt,
        high_fen: i64 => BigInt, medium_fen: i64 => BigInt,
        gold_fen: i64 => BigInt, gold_frequency: i64 => BigInt, gold_since: NaiveDateTime => Timestamp,
        silver_fen: i64 => BigInt, silver_frequency: i64 => BigInt, silver_since: NaiveDateTime => Timestamp
    }
    sql = stage_sql!();
}

pub fn stage(conn: &mut DbConnection, s: Stage) -> QueryResult<usize> {
    crate::on_backend!(conn, |c| s.execute(c))
}

pub fn clear(conn: &mut DbConnection, run_id: &str) -> QueryResult<usize> {
    diesel::delete(profile_scores::table.filter(profile_scores::run_id.eq(run_id))).execute(conn)
}

/// (class, count) of a run's staging: `lifecycle:dormant`, `level:gold`, ...
pub fn distribution(conn: &mut DbConnection, run_id: &str) -> QueryResult<Vec<(String, i64)>> {
    use diesel::dsl::count_star;
    let staged = || profile_scores::table.filter(profile_scores::run_id.eq(run_id.to_owned()));
    let mut out = Vec::new();
    for (kind, rows) in [
        (
            "lifecycle",
            staged()
                .group_by(profile_scores::lifecycle)
                .select((profile_scores::lifecycle, count_star()))
                .load(conn)?,
        ),
        ("level", staged().group_by(profile_scores::level).select((profile_scores::level, count_star())).load(conn)?),
        ("band", staged().group_by(profile_scores::band).select((profile_scores::band, count_star())).load(conn)?),
    ] {
        out.extend(rows.into_iter().map(|(v, n): (String, i64)| (format!("{kind}:{v}"), n)));
    }
    Ok(out)
}

crate::prepared! {
    pub struct DropUnstaged { run_id: String => Text }
    sql = "DELETE FROM customer_profiles WHERE NOT EXISTS \
          (SELECT 1 FROM profile_scores s WHERE s.run_id = ? AND s.customer_id = customer_profiles.customer_id)";
}

crate::prepared! {
    /// A level goes up at once; one that the measures no longer reach is kept until it has been
    /// below since `grace_before` (now − grace) or earlier, then drops to what they reach. Rows
    /// whose figures and classes are unchanged (and not in a grace) keep the run that set them.
    pub struct UpdateProfiles {
        run_id: String => Text,
        now: NaiveDateTime => Timestamp, grace_before: NaiveDateTime => Timestamp,
        now2: NaiveDateTime => Timestamp, grace_before2: NaiveDateTime => Timestamp, now3: NaiveDateTime => Timestamp,
        now4: NaiveDateTime => Timestamp, run_id2: String => Text
    }
    sql = concat!(
        "UPDATE customer_profiles SET run_id = ?, lifecycle = s.lifecycle, band = s.band, ",
        "level = ", new_level!("customer_profiles"), ", ",
        "below_since = CASE WHEN ", level_rank!("s.level"), " >= ", level_rank!("customer_profiles.level"), " THEN NULL ",
        "WHEN COALESCE(customer_profiles.below_since, ?) <= ? THEN NULL ",
        "ELSE COALESCE(customer_profiles.below_since, ?) END, ",
        "rfm = CASE WHEN s.r IS NULL THEN NULL ELSE CAST(s.r * 100 + s.f * 10 + s.m AS TEXT) END, ",
        "recent_spend_fen = s.recent_spend_fen, previous_spend_fen = s.previous_spend_fen, ",
        "recent_frequency = s.recent_frequency, previous_frequency = s.previous_frequency, ",
        "last_purchase_at = s.last_purchase_at, updated_at = ? ",
        "FROM profile_scores s WHERE s.run_id = ? AND s.customer_id = customer_profiles.customer_id ",
        // Only rows that change: a rerun over a million unchanged customers writes nothing.
        "AND (customer_profiles.lifecycle <> s.lifecycle OR customer_profiles.band <> s.band ",
        "OR customer_profiles.level <> s.level OR customer_profiles.below_since IS NOT NULL ",
        "OR customer_profiles.rfm IS DISTINCT FROM (CASE WHEN s.r IS NULL THEN NULL ELSE CAST(s.r * 100 + s.f * 10 + s.m AS TEXT) END) ",
        "OR customer_profiles.recent_spend_fen <> s.recent_spend_fen OR customer_profiles.previous_spend_fen <> s.previous_spend_fen ",
        "OR customer_profiles.recent_frequency <> s.recent_frequency OR customer_profiles.previous_frequency <> s.previous_frequency ",
        "OR customer_profiles.last_purchase_at IS DISTINCT FROM s.last_purchase_at)"
    );
}

crate::prepared! {
    /// A history row for each profile whose level the run changes, with the window's figures.
    pub struct LevelChanges {
        run_id: String => Text, now: NaiveDateTime => Timestamp, grace_before: NaiveDateTime => Timestamp,
        at: NaiveDateTime => Timestamp, again: String => Text,
        now2: NaiveDateTime => Timestamp, grace_before2: NaiveDateTime => Timestamp
    }
    sql = concat!(
        "INSERT INTO level_history (customer_id, run_id, from_level, to_level, spend_fen, frequency, at) ",
        "SELECT cp.customer_id, ?, cp.level, ", new_level!("cp"), ", s.spend_fen, s.frequency, ? ",
        "FROM customer_profiles cp JOIN profile_scores s ON s.customer_id = cp.customer_id AND s.run_id = ? ",
        "WHERE ", new_level!("cp"), " <> cp.level"
    );
}

crate::prepared! {
    pub struct InsertProfiles { run_id: String => Text, at: NaiveDateTime => Timestamp, again: String => Text }
    sql = "INSERT INTO customer_profiles (customer_id, run_id, lifecycle, band, level, below_since, rfm, \
          recent_spend_fen, previous_spend_fen, recent_frequency, previous_frequency, last_purchase_at, updated_at) \
          SELECT s.customer_id, ?, s.lifecycle, s.band, s.level, NULL, \
          CASE WHEN s.r IS NULL THEN NULL ELSE CAST(s.r * 100 + s.f * 10 + s.m AS TEXT) END, \
          s.recent_spend_fen, s.previous_spend_fen, s.recent_frequency, s.previous_frequency, s.last_purchase_at, ? \
          FROM profile_scores s WHERE s.run_id = ? \
          AND NOT EXISTS (SELECT 1 FROM customer_profiles cp WHERE cp.customer_id = s.customer_id)";
}

crate::prepared! {
    /// Warnings of customers active again close as recovered.
    pub struct CloseRecovered { at: NaiveDateTime => Timestamp }
    sql = "UPDATE churn_warnings SET status = 'closed', closed_at = ?, closed_reason = 'recovered' \
          WHERE status = 'open' AND customer_id IN (SELECT customer_id FROM customer_profiles WHERE lifecycle = 'active')";
}

crate::prepared! {
    /// Warnings of customers no longer profiled (withdrawn, deleted) close without a verdict.
    pub struct CloseUnprofiled { at: NaiveDateTime => Timestamp }
    sql = "UPDATE churn_warnings SET status = 'closed', closed_at = ?, closed_reason = 'not_profiled' \
          WHERE status = 'open' AND customer_id NOT IN (SELECT customer_id FROM customer_profiles)";
}

crate::prepared! {
    /// A churn-risk customer without an open warning gets one, naming the measure that fell most
    /// with both windows' figures. Its id is the run's followed by the customer's, so ids still
    /// grow with time.
    pub struct OpenWarnings { run_id: String => Text, run_id2: String => Text, months: i64 => BigInt, at: NaiveDateTime => Timestamp }
    sql = concat!(
        "INSERT INTO churn_warnings (id, customer_id, run_id, measure, recent, previous, drop_percent, months, status, opened_at) ",
        "SELECT ? || '.' || customer_id, customer_id, ?, ",
        "CASE WHEN sd >= fd THEN 'spend' ELSE 'frequency' END, ",
        "CASE WHEN sd >= fd THEN recent_spend_fen ELSE recent_frequency END, ",
        "CASE WHEN sd >= fd THEN previous_spend_fen ELSE previous_frequency END, ",
        "CASE WHEN sd >= fd THEN sd ELSE fd END, ?, 'open', ? FROM (",
        "SELECT cp.*, CASE WHEN previous_spend_fen > 0 THEN (previous_spend_fen - recent_spend_fen) * 100 / previous_spend_fen ELSE 0 END AS sd, ",
        "CASE WHEN previous_frequency > 0 THEN (previous_frequency - recent_frequency) * 100 / previous_frequency ELSE 0 END AS fd ",
        "FROM customer_profiles cp WHERE cp.lifecycle = 'churn_risk' AND NOT EXISTS ",
        "(SELECT 1 FROM churn_warnings w WHERE w.customer_id = cp.customer_id AND w.status = 'open')) x"
    );
}

/// Makes the run's profiles current and updates the churn warnings; returns the warnings opened.
/// Call inside the run's applying transaction.
pub fn apply(
    conn: &mut DbConnection,
    run_id: &str,
    grace_before: NaiveDateTime,
    churn_months: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let id = || run_id.to_owned();
    let drop = DropUnstaged { run_id: id() };
    let changes =
        LevelChanges { run_id: id(), now: at, grace_before, at, again: id(), now2: at, grace_before2: grace_before };
    let update = UpdateProfiles {
        run_id: id(),
        now: at,
        grace_before,
        now2: at,
        grace_before2: grace_before,
        now3: at,
        now4: at,
        run_id2: id(),
    };
    let insert = InsertProfiles { run_id: id(), at, again: id() };
    let (recovered, unprofiled) = (CloseRecovered { at }, CloseUnprofiled { at });
    let open = OpenWarnings { run_id: id(), run_id2: id(), months: churn_months, at };
    let opened = crate::on_backend!(conn, |c| {
        drop.execute(c)?;
        changes.execute(c)?;
        update.execute(c)?;
        insert.execute(c)?;
        recovered.execute(c)?;
        unprofiled.execute(c)?;
        open.execute(c)?
    });
    diesel::delete(profile_scores::table).execute(conn)?;
    Ok(opened)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = level_history)]
pub struct LevelChangeRow {
    pub run_id: String,
    pub from_level: String,
    pub to_level: String,
    pub spend_fen: i64,
    pub frequency: i64,
    pub at: NaiveDateTime,
}

/// The customer's level changes, newest first.
pub fn level_history(conn: &mut DbConnection, customer_id: &str, limit: i64) -> QueryResult<Vec<LevelChangeRow>> {
    level_history::table
        .filter(level_history::customer_id.eq(customer_id))
        .order(level_history::run_id.desc())
        .limit(limit)
        .select(LevelChangeRow::as_select())
        .load(conn)
}

pub fn profile(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Option<ProfileRow>> {
    customer_profiles::table.find(customer_id).select(ProfileRow::as_select()).first(conn).optional()
}
