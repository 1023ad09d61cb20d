//! The settings of the value tiers (SEG-1), versioned: each change is a new version, a run names
//! the version it used, and an old version stays readable. Shares and weights are whole percents
//! so that the run computes in integers, the same on both databases.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::ApiError;

/// How much each measure weighs in the score, in percent; they add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Contract amount (spend) in the window.
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub spend: u32,
    /// Profit contribution: the purchases' margins (or the default rate) in the window.
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub profit: u32,
    /// Number of purchases in the window.
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub frequency: u32,
}

/// The share of scored customers in each tier from the top, in percent; D holds the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Shares {
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub a: u32,
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub b: u32,
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub c: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierSettings {
    /// The months of purchases a run measures, ending at the run.
    #[validate(range(min = 1, max = 60))]
    #[schema(minimum = 1, maximum = 60)]
    pub window_months: u32,
    /// Add up to 100.
    #[validate(nested)]
    pub weights: Weights,
    /// a + b + c ≤ 100 (A + B is the seed's "top 20 %").
    #[validate(nested)]
    pub shares: Shares,
    /// The margin assumed, in percent of the amount, for a purchase recorded without one.
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub default_margin_percent: u32,
    /// The default margin of purchases made in these units, instead of `default_margin_percent`
    /// (a unit named twice: the later one counts; a unit that does not exist matches nothing).
    #[serde(default)]
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub unit_margins: Vec<UnitMargin>,
    /// Member levels (SEG-2). Versions saved before levels existed read the defaults.
    #[serde(default)]
    #[validate(nested)]
    pub levels: Levels,
    /// Value bands by spend in the window (SEG-2).
    #[serde(default)]
    #[validate(nested)]
    pub bands: Bands,
    /// Lifecycle and churn warnings (SEG-3, MKT-6).
    #[serde(default)]
    #[validate(nested)]
    pub lifecycle: LifecycleRules,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitMargin {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub unit_id: String,
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub percent: u32,
}

/// The least a customer must reach, all three at once, for a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    /// Spend in the window, in fen.
    #[validate(range(max = 1_000_000_000_000i64))]
    #[schema(maximum = 1_000_000_000_000i64)]
    pub spend_fen: i64,
    /// Purchases in the window.
    #[validate(range(max = 100_000))]
    #[schema(maximum = 100_000)]
    pub frequency: u32,
    /// Months since the customer was recorded (loyalty).
    #[validate(range(max = 600))]
    #[schema(maximum = 600)]
    pub tenure_months: u32,
}

/// Gold and silver by their rules (gold's is tried first), bronze for everyone else. A customer
/// whose measures fall below their level keeps it for `grace_days` before it drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    #[validate(nested)]
    pub gold: LevelRule,
    #[validate(nested)]
    pub silver: LevelRule,
    #[validate(range(max = 3650))]
    #[schema(maximum = 3650)]
    pub grace_days: u32,
}

impl Default for Levels {
    /// Seed 001 §4: gold spends much, buys steadily and stays long; bronze is new or buys little.
    fn default() -> Self {
        Levels {
            gold: LevelRule { spend_fen: 1_000_000, frequency: 4, tenure_months: 12 },
            silver: LevelRule { spend_fen: 200_000, frequency: 2, tenure_months: 3 },
            grace_days: 90,
        }
    }
}

/// High from `high_fen` of spend in the window, medium from `medium_fen`, else low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    #[validate(range(max = 1_000_000_000_000i64))]
    #[schema(maximum = 1_000_000_000_000i64)]
    pub high_fen: i64,
    #[validate(range(max = 1_000_000_000_000i64))]
    #[schema(maximum = 1_000_000_000_000i64)]
    pub medium_fen: i64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands { high_fen: 500_000, medium_fen: 100_000 }
    }
}

/// Potential: never bought. Dormant: no purchase for `dormant_days`. Churn risk: spend or
/// purchases in the last `churn_months` down by more than `churn_drop_percent` against the
/// months before. Active: the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LifecycleRules {
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    pub dormant_days: u32,
    #[validate(range(min = 1, max = 36))]
    #[schema(minimum = 1, maximum = 36)]
    pub churn_months: u32,
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub churn_drop_percent: u32,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        LifecycleRules { dormant_days: 180, churn_months: 6, churn_drop_percent: 50 }
    }
}

impl Default for TierSettings {
    /// Seed 003: spend 40 %, profit 40 %, frequency 20 %; A + B the top 20 % (A 5 %, B 15 %),
    /// C the next 30 %, D the rest; a year of purchases.
    fn default() -> Self {
        TierSettings {
            window_months: 12,
            weights: Weights { spend: 40, profit: 40, frequency: 20 },
            shares: Shares { a: 5, b: 15, c: 30 },
            default_margin_percent: 20,
            unit_margins: Vec::new(),
            levels: Levels::default(),
            bands: Bands::default(),
            lifecycle: LifecycleRules::default(),
        }
    }
}

impl TierSettings {
    /// The rules across fields, after each field's own (`validate`).
    pub fn check(&self) -> Result<(), ApiError> {
        self.validate()?;
        let w = self.weights;
        if w.spend + w.profit + w.frequency != 100 {
            return Err(ApiError::field("weights", "sum").with("total", 100));
        }
        if self.shares.a + self.shares.b + self.shares.c > 100 {
            return Err(ApiError::field("shares", "sum").with("max", 100));
        }
        Ok(())
    }
}

/// A version of the settings as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierConfig {
    /// Also the `ETag`; a change sends it as `If-Match`. 0: the defaults, never saved.
    pub version: i64,
    pub settings: TierSettings,
    pub created_by: Option<String>,
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_seed_method_and_valid() {
        let d = TierSettings::default();
        assert!(d.check().is_ok());
        assert_eq!(d.shares.a + d.shares.b, 20, "A + B are the top 20 %");
    }

    #[test]
    fn weights_must_add_up_and_shares_fit() {
        let mut s = TierSettings::default();
        s.weights.spend = 50;
        assert!(matches!(s.check(), Err(ApiError::Validation(e)) if e[0].field == "weights" && e[0].code == "sum"));
        let mut s = TierSettings { shares: Shares { a: 50, b: 40, c: 20 }, ..Default::default() };
        assert!(matches!(s.check(), Err(ApiError::Validation(e)) if e[0].field == "shares"));
        s.shares = Shares { a: 0, b: 10, c: 10 };
        assert!(s.check().is_err(), "A cannot be empty");
    }
}
