//! The one answer to "may this customer be used for this purpose, through this channel, by this
//! recipient, now?" — with the record that decided it. Customer reads across units, partner
//! access, exports, campaign sends and profiling all ask here; nothing else reads consent state.

use super::model::{Decision, DecisionReason, INTRA_GROUP};
use super::store;
use crate::db::DbConnection;
use crate::error::ApiError;

/// `recipient_path` is the unit path of the staff member asking (intra-group sharing can be
/// limited to some units); `channel` applies to marketing purposes (`marketing_<channel>`).
pub fn decide(
    conn: &mut DbConnection,
    customer_id: &str,
    purpose: &str,
    channel: Option<&str>,
    recipient_path: Option<&str>,
) -> Result<Decision, ApiError> {
    let decision = |allowed, reason, consent_id: Option<String>, explanation: String| Decision {
        allowed,
        purpose: purpose.to_owned(),
        reason,
        consent_id,
        explanation,
        decided_at: chrono::Utc::now(),
    };
    if let (Some(ch), Some(kind)) = (channel, purpose.strip_prefix("marketing_")) {
        if ch != kind {
            return Ok(decision(
                false,
                DecisionReason::ChannelMismatch,
                None,
                format!("consent for {purpose} does not cover the {ch} channel"),
            ));
        }
    }
    let Some(record) = store::current(conn, customer_id, purpose)? else {
        return Ok(decision(false, DecisionReason::NoConsent, None, format!("no consent recorded for {purpose}")));
    };
    let at = record.recorded_at.and_utc().to_rfc3339();
    if !record.granted {
        return Ok(decision(
            false,
            DecisionReason::Withdrawn,
            Some(record.id.clone()),
            format!("{purpose} was withdrawn at {at}"),
        ));
    }
    if purpose == INTRA_GROUP {
        if let (Some(units), Some(path)) = (record.scope_units(), recipient_path) {
            if !path.split('/').any(|segment| units.iter().any(|u| u == segment)) {
                return Ok(decision(
                    false,
                    DecisionReason::OutOfScope,
                    Some(record.id.clone()),
                    format!("the consent of {at} shares with other units only"),
                ));
            }
        }
    }
    Ok(decision(true, DecisionReason::Granted, Some(record.id.clone()), format!("{purpose} was granted at {at}")))
}

/// The batch form of `decide` for purposes without a scope or a channel (a partner's, profiling):
/// of `customer_ids`, those whose newest record for `purpose` grants it. One query per batch, for
/// exports and sends over many customers.
pub fn allowed_among(conn: &mut DbConnection, customer_ids: &[String], purpose: &str) -> Result<Vec<String>, ApiError> {
    if purpose == INTRA_GROUP || purpose.starts_with("marketing_") {
        return Err(ApiError::internal("allowed_among does not decide scoped or channel purposes"));
    }
    Ok(store::current_among(conn, customer_ids, purpose)?.into_iter().filter(|(_, g)| *g).map(|(c, _)| c).collect())
}
