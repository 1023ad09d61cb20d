use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::customers::dto::Customer;

/// Merge `source_id` into the customer of the path (which survives).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub source_id: String,
    /// The surviving customer's version as the caller last saw it (412 otherwise).
    pub target_version: i64,
    /// The merged-away customer's version as the caller last saw it (412 otherwise).
    pub source_version: i64,
    /// Only show what the merge would do; change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Fields to take from the source even where the survivor has a value (by default the
    /// survivor's values win and the source only fills gaps).
    #[serde(default)]
    #[validate(length(max = 12))]
    #[schema(max_items = 12)]
    pub take_from_source: Vec<String>,
}

/// One field of the merged record, masked for the caller's role.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChoice {
    pub field: String,
    pub target: Option<String>,
    pub source: Option<String>,
    pub merged: Option<String>,
    /// `target`, `source`, or `same` when both hold the same value.
    pub from: String,
}

/// Related records that move to the survivor.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
pub struct MoveCounts {
    pub purchases: usize,
    pub preferences: usize,
    pub feedback: usize,
    pub contacts: usize,
    pub notifications: usize,
    pub consents: usize,
}

/// A consent purpose through a merge: each side's current state and the survivor's (the more
/// restrictive wins: a withdrawal on either side withdraws).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentOutcome {
    pub purpose: String,
    pub target: Option<bool>,
    pub source: Option<bool>,
    pub merged: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MergePreview {
    pub target_id: String,
    pub source_id: String,
    pub fields: Vec<FieldChoice>,
    pub moves: MoveCounts,
    pub tags: Vec<String>,
    pub owner_ids: Vec<String>,
    pub consents: Vec<ConsentOutcome>,
}

/// A merge as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Merge {
    pub id: String,
    pub target_id: String,
    pub source_id: String,
    pub fields: Vec<String>,
    pub moves: MoveCounts,
    pub merged_by: String,
    pub merged_at: chrono::DateTime<chrono::Utc>,
    /// Until when it can be undone (30 days), unless the survivor changes in between.
    pub undo_until: chrono::DateTime<chrono::Utc>,
    pub undone_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The dry run, or the merge done with the survivor as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeOutcome {
    pub preview: MergePreview,
    pub merge: Option<Merge>,
    pub customer: Option<Customer>,
}
