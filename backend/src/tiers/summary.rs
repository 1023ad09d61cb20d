//! What a run found, as stored with the run and shown by the API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Counts per tier, the movement from → to, and each tier's score range: what a dry run shows
/// before anything is applied, and what an applied run did.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RunSummary {
    /// Scored customers per tier (A, B, C, D).
    pub distribution: BTreeMap<String, i64>,
    /// Customers moving from one tier to another; `none` is no tier (no purchase in the window,
    /// not profiled, or not scored before). Unchanged customers are counted too (A → A).
    pub movement: Vec<Move>,
    /// The lowest and highest score in each tier (0..=1,000,000).
    pub cutoffs: BTreeMap<String, ScoreRange>,
    /// Profiled customers per class the measures reach, e.g. `lifecycle:churn_risk`,
    /// `level:gold`, `band:high` (levels before their grace).
    #[serde(default)]
    pub classes: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Move {
    pub from: String,
    pub to: String,
    pub count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScoreRange {
    pub min: i64,
    pub max: i64,
}
