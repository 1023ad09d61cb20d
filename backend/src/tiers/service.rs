//! The value tiers' rules outside the run: who may configure and run them, the current settings,
//! and a customer's tier with the why.

use serde::Serialize;
use utoipa::ToSchema;

use super::config::{TierConfig, TierSettings};
use super::store::{self, ConfigRow};
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::http::etag::IfMatch;
use crate::org::scope::Scope;

/// Percentiles are ranked across the whole group's customers, so only someone who sees the whole
/// group sets them or runs them (besides `tiers:manage`); everyone else reads.
pub fn sees_whole_group(p: &Principal) -> Result<(), ApiError> {
    if !Scope::of(p).is_whole_group() {
        return Err(ApiError::Forbidden);
    }
    Ok(())
}

/// The newest saved version, or the seed's defaults (version 0) before anyone saved one.
pub fn current_settings(conn: &mut DbConnection) -> Result<(i64, TierSettings), ApiError> {
    match store::latest_config(conn)? {
        Some(row) => Ok((row.version, serde_json::from_str(&row.settings)?)),
        None => Ok((0, TierSettings::default())),
    }
}

pub fn view(row: Option<ConfigRow>) -> Result<TierConfig, ApiError> {
    Ok(match row {
        Some(r) => TierConfig {
            version: r.version,
            settings: serde_json::from_str(&r.settings)?,
            created_by: r.created_by,
            created_at: Some(r.created_at.and_utc()),
        },
        None => TierConfig { version: 0, settings: TierSettings::default(), created_by: None, created_at: None },
    })
}

/// Saves the settings as the next version, if `expected` still names the current one.
pub fn save(
    conn: &mut DbConnection,
    p: &Principal,
    expected: &IfMatch,
    settings: TierSettings,
) -> Result<ConfigRow, ApiError> {
    settings.check()?;
    let current = store::latest_config(conn)?.map_or(0, |r| r.version);
    expected.check(current)?;
    let row = ConfigRow {
        version: current + 1,
        settings: serde_json::to_string(&settings)?,
        created_by: Some(p.id.clone()),
        created_at: now(),
    };
    store::insert_config(conn, &row)?;
    // A unit named twice: the later rate counts.
    let mut rates = std::collections::BTreeMap::new();
    for m in &settings.unit_margins {
        rates.insert(m.unit_id.clone(), i64::from(m.percent));
    }
    store::insert_margin_rates(conn, row.version, &rates.into_iter().collect::<Vec<_>>())?;
    audit::append(conn, &p.actor(), Event::new("tiers.configure", "tier_config", Some(&row.version.to_string())))?;
    Ok(row)
}

/// A customer's tier and why: the measures, their percentiles, the weights, the score and the
/// score range of each tier in the run that set it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerTier {
    /// A, B, C or D; absent when the customer has none (`reason` says why).
    pub tier: Option<String>,
    /// `potential` (no purchase in the last run's window) or `not_profiled` (withdrew
    /// profiling consent) when there is no tier; absent before any run.
    pub reason: Option<String>,
    pub why: Option<TierWhy>,
    pub history: Vec<TierChange>,
    /// The tier the last applied run computed, when a manager's override shows another.
    pub computed_tier: Option<String>,
    /// A manager's tier in force instead of the computed one.
    pub r#override: Option<super::overrides::TierOverride>,
    /// Level, band, RFM and lifecycle from the last applied run; absent before any run and for
    /// customers not profiled.
    pub profile: Option<CustomerProfile>,
    /// The service strategy of the customer's classes (SEG-6).
    pub strategy: crate::strategies::model::CustomerStrategy,
}

/// A customer's classes besides the tier (SEG-2, SEG-3).
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerProfile {
    #[schema(value_type = crate::customers::codes::Lifecycle)]
    pub lifecycle: String,
    #[schema(value_type = crate::customers::codes::ValueBand)]
    pub band: String,
    #[schema(value_type = crate::customers::codes::MemberLevel)]
    pub level: String,
    /// While the measures are below the level: when it drops unless they recover.
    pub level_kept_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Recency, frequency and monetary quintiles (`"555"` the best); absent without a purchase
    /// in the window.
    pub rfm: Option<String>,
    /// Spend and purchases in the last `churn_months` and in the months before: what lifecycle
    /// and churn warnings compare.
    pub recent_spend_fen: i64,
    pub previous_spend_fen: i64,
    pub recent_frequency: i64,
    pub previous_frequency: i64,
    pub churn_months: u32,
    pub last_purchase_at: Option<chrono::DateTime<chrono::Utc>>,
    pub run_id: String,
    /// Upgrades and downgrades, newest first, with the window's spend and purchases behind them.
    pub level_history: Vec<LevelChange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelChange {
    pub run_id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    #[schema(value_type = crate::customers::codes::MemberLevel)]
    pub from: String,
    #[schema(value_type = crate::customers::codes::MemberLevel)]
    pub to: String,
    pub spend_fen: i64,
    pub frequency: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierWhy {
    pub run_id: String,
    pub config_version: i64,
    pub as_of: chrono::DateTime<chrono::Utc>,
    pub window_months: u32,
    pub spend_fen: i64,
    pub profit_fen: i64,
    pub frequency: i64,
    /// Percent ranks among the scored customers, in basis points (0..=10000).
    pub pct_spend: i64,
    pub pct_profit: i64,
    pub pct_frequency: i64,
    pub weights: super::config::Weights,
    /// Σ weight × percentile, 0..=1,000,000.
    pub score: i64,
    pub cutoffs: std::collections::BTreeMap<String, super::summary::ScoreRange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierChange {
    pub run_id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub score: Option<i64>,
    pub spend_fen: Option<i64>,
    pub profit_fen: Option<i64>,
    pub frequency: Option<i64>,
    pub config_version: i64,
}

/// The settings a run used (version 0: the defaults).
fn settings_of(conn: &mut DbConnection, run: &store::RunRow) -> Result<TierSettings, ApiError> {
    Ok(store::config(conn, run.config_version)?
        .map_or(Ok(TierSettings::default()), |c| serde_json::from_str(&c.settings))?)
}

fn why(
    conn: &mut DbConnection,
    run: store::RunRow,
    settings: &TierSettings,
    customer_id: &str,
) -> Result<Option<TierWhy>, ApiError> {
    let Some(s) = store::score_of(conn, &run.id, customer_id)? else { return Ok(None) };
    let summary: super::summary::RunSummary =
        run.summary.as_deref().map_or(Ok(Default::default()), serde_json::from_str)?;
    Ok(Some(TierWhy {
        run_id: run.id,
        config_version: run.config_version,
        as_of: run.as_of.and_utc(),
        window_months: settings.window_months,
        spend_fen: s.spend_fen,
        profit_fen: s.profit_fen,
        frequency: s.frequency,
        pct_spend: s.pct_spend,
        pct_profit: s.pct_profit,
        pct_frequency: s.pct_frequency,
        weights: settings.weights,
        score: s.score,
        cutoffs: summary.cutoffs,
    }))
}

pub fn customer_tier(conn: &mut DbConnection, customer_id: &str) -> Result<CustomerTier, ApiError> {
    let history = store::history(conn, customer_id, 50)?
        .into_iter()
        .map(|h| TierChange {
            run_id: h.run_id,
            at: h.at.and_utc(),
            from: h.from_tier,
            to: h.to_tier,
            score: h.score,
            spend_fen: h.spend_fen,
            profit_fen: h.profit_fen,
            frequency: h.frequency,
            config_version: h.config_version,
        })
        .collect();
    let applied = store::last_applied(conn)?;
    // Read once: the why and the profile both answer to the settings of the last applied run.
    let settings = applied.as_ref().map(|run| settings_of(conn, run)).transpose()?;
    let profile = match &settings {
        Some(s) => profile(conn, s, customer_id)?,
        None => None,
    };
    let over = super::overrides::active(conn, customer_id, now())?;
    let computed = store::current(conn, customer_id)?;
    let reason = match (&computed, &applied) {
        (Some(_), _) | (None, None) => None,
        (None, Some(_)) if crate::consent::decide::profiling_withdrawn(conn, customer_id)? => Some("not_profiled"),
        (None, Some(_)) => Some("potential"),
    };
    // The why is the last applied run's: it scored every customer who has a tier.
    let why = match (&computed, applied, &settings) {
        (Some(_), Some(run), Some(s)) => why(conn, run, s, customer_id)?,
        _ => None,
    };
    let tier = over.as_ref().map(|o| o.tier.clone()).or_else(|| computed.clone());
    let classes = classes(tier.as_deref(), profile.as_ref().map(|p| (p.level.as_str(), p.lifecycle.as_str())));
    let strategy = crate::strategies::resolve(conn, classes)?;
    Ok(CustomerTier {
        strategy,
        tier,
        reason: reason.map(str::to_owned),
        why,
        history,
        computed_tier: over.as_ref().and(computed),
        r#override: over.map(Into::into),
        profile,
    })
}

fn profile(
    conn: &mut DbConnection,
    settings: &TierSettings,
    customer_id: &str,
) -> Result<Option<CustomerProfile>, ApiError> {
    let Some(p) = super::profile_store::profile(conn, customer_id)? else { return Ok(None) };
    let grace = chrono::Duration::days(i64::from(settings.levels.grace_days));
    let level_history = super::profile_store::level_history(conn, customer_id, 20)?
        .into_iter()
        .map(|h| LevelChange {
            run_id: h.run_id,
            at: h.at.and_utc(),
            from: h.from_level,
            to: h.to_level,
            spend_fen: h.spend_fen,
            frequency: h.frequency,
        })
        .collect();
    Ok(Some(CustomerProfile {
        level_history,
        lifecycle: p.lifecycle,
        band: p.band,
        level: p.level,
        level_kept_until: p.below_since.map(|t| (t + grace).and_utc()),
        rfm: p.rfm,
        recent_spend_fen: p.recent_spend_fen,
        previous_spend_fen: p.previous_spend_fen,
        recent_frequency: p.recent_frequency,
        previous_frequency: p.previous_frequency,
        churn_months: settings.lifecycle.churn_months,
        last_purchase_at: p.last_purchase_at.map(|t| t.and_utc()),
        run_id: p.run_id,
    }))
}

/// The classes a customer is in: the tier in force, the level and the lifecycle.
fn classes(tier: Option<&str>, profile: Option<(&str, &str)>) -> Vec<String> {
    let mut out: Vec<String> = tier.iter().map(|t| format!("tier:{t}")).collect();
    if let Some((level, lifecycle)) = profile {
        out.extend([format!("level:{level}"), format!("lifecycle:{lifecycle}")]);
    }
    out
}

/// A customer's service strategy (SEG-6) as tickets and campaigns read it: from the tier in
/// force (an override first) and the stored profile, without the why.
pub fn strategy_of(
    conn: &mut DbConnection,
    customer_id: &str,
) -> Result<crate::strategies::model::CustomerStrategy, ApiError> {
    let (tier, level, lifecycle) = store::class_inputs(conn, customer_id, now())?;
    let classes = classes(tier.as_deref(), level.as_deref().zip(lifecycle.as_deref()));
    crate::strategies::resolve(conn, classes)
}
