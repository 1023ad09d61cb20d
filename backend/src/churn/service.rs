//! The churn queue as the API shows it, and a win-back action recorded against a warning.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::store::{self, ActionRow, WarningRow};
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::crypto::field::FieldCipher;
use crate::customers::summary::{summaries, CustomerRef};
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;

crate::text_enum!(
    /// What the owner did to win the customer back.
    WinbackKind { Call => "call", Visit => "visit", Message => "message", Offer => "offer", Other => "other" }
);
crate::text_enum!(
    /// How it went.
    WinbackOutcome {
        Planned => "planned",
        Reached => "reached",
        WonBack => "won_back",
        Declined => "declined",
        Unreachable => "unreachable",
    }
);

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    pub action: WinbackKind,
    pub outcome: WinbackOutcome,
    /// What was offered or said; no more personal data than the work needs.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WinbackAction {
    pub id: String,
    #[schema(value_type = WinbackKind)]
    pub action: String,
    #[schema(value_type = WinbackOutcome)]
    pub outcome: String,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<ActionRow> for WinbackAction {
    fn from(r: ActionRow) -> Self {
        WinbackAction {
            id: r.id,
            action: r.action,
            outcome: r.outcome,
            note: r.note,
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
        }
    }
}

/// A churn warning: the measure that fell most, in figures ("spend −62 % vs the previous 6
/// months": `measure` spend, `drop_percent` 62, `months` 6, `recent` and `previous` the sums).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChurnWarning {
    pub id: String,
    /// Masked for the caller's role.
    pub customer: CustomerRef,
    /// `spend` (fen) or `frequency` (purchases).
    pub measure: String,
    /// The last `months`.
    pub recent: i64,
    /// The `months` before those.
    pub previous: i64,
    pub drop_percent: i64,
    pub months: i64,
    /// open or closed.
    pub status: String,
    pub opened_at: chrono::DateTime<chrono::Utc>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `recovered` (active again) or `not_profiled` (withdrew profiling, or deleted).
    pub closed_reason: Option<String>,
    /// Oldest first.
    pub actions: Vec<WinbackAction>,
}

/// Warnings with their customers (masked; unreachable ones left out) and actions, in two
/// statements for the whole page.
pub fn views(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    rows: Vec<WarningRow>,
) -> Result<Vec<ChurnWarning>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
    let customers: std::collections::HashMap<String, CustomerRef> =
        summaries(conn, cipher, p, &ids)?.into_iter().map(|c| (c.id.clone(), c)).collect();
    let warning_ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut actions: std::collections::HashMap<String, Vec<WinbackAction>> = Default::default();
    for a in store::actions(conn, &warning_ids)? {
        actions.entry(a.warning_id.clone()).or_default().push(a.into());
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let customer = customers.get(&r.customer_id)?.clone();
            Some(ChurnWarning {
                actions: actions.remove(&r.id).unwrap_or_default(),
                id: r.id,
                customer,
                measure: r.measure,
                recent: r.recent,
                previous: r.previous,
                drop_percent: r.drop_percent,
                months: r.months,
                status: r.status,
                opened_at: r.opened_at.and_utc(),
                closed_at: r.closed_at.map(|t| t.and_utc()),
                closed_reason: r.closed_reason,
            })
        })
        .collect())
}

/// Records on the open churn warnings of `reached` customers that a campaign reached them: a
/// `message` action, outcome `reached`, by the campaign's author, noting the campaign and channel
/// (codes, not words). One query for the warnings and one insert per batch of a send.
pub fn note_campaign(
    conn: &mut DbConnection,
    reached: &[String],
    campaign_id: &str,
    channel: &str,
    author_id: &str,
    at: chrono::NaiveDateTime,
) -> Result<usize, ApiError> {
    let warnings = store::open_of(conn, reached)?;
    let rows: Vec<ActionRow> = warnings
        .into_iter()
        .map(|warning_id| ActionRow {
            id: new_id(),
            warning_id,
            action: WinbackKind::Message.as_str().to_owned(),
            outcome: WinbackOutcome::Reached.as_str().to_owned(),
            note: Some(format!("campaign:{campaign_id} channel:{channel}")),
            created_by: author_id.to_owned(),
            created_at: at,
        })
        .collect();
    store::insert_actions(conn, &rows)?;
    Ok(rows.len())
}

/// Records a win-back action on an open or closed warning of a customer the caller may change.
pub fn record(
    conn: &mut DbConnection,
    p: &Principal,
    warning: &WarningRow,
    input: NewAction,
) -> Result<ActionRow, ApiError> {
    input.validate()?;
    crate::customers::access::writable(conn, p, &warning.customer_id)?;
    let row = ActionRow {
        id: new_id(),
        warning_id: warning.id.clone(),
        action: input.action.as_str().to_owned(),
        outcome: input.outcome.as_str().to_owned(),
        note: input.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        created_by: p.id.clone(),
        created_at: now(),
    };
    store::insert_action(conn, &row)?;
    let event = Event::new("churn.winback", "customer", Some(&warning.customer_id)).fields(&["action", "outcome"]);
    audit::append(conn, &p.actor(), event)?;
    Ok(row)
}
