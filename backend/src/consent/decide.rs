//! The one answer to "may this customer be used for this purpose, through this channel, by this
//! recipient, now?" — with the record that decided it. Customer reads across units, partner
//! access, exports, campaign sends and profiling all ask here; nothing else reads consent state.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::model::{Decision, DecisionReason};
use super::purpose::{MarketingChannel, Purpose};
use super::store;
use crate::db::DbConnection;
use crate::error::ApiError;

/// `recipient_path` is the unit path of the staff member asking (intra-group sharing can be
/// limited to some units); `channel` is the channel a marketing use goes through.
pub fn decide(
    conn: &mut DbConnection,
    customer_id: &str,
    purpose: &Purpose,
    channel: Option<MarketingChannel>,
    recipient_path: Option<&str>,
) -> Result<Decision, ApiError> {
    let decision = |allowed, reason, consent_id: Option<String>, explanation: String| Decision {
        allowed,
        purpose: purpose.clone(),
        reason,
        consent_id,
        explanation,
        decided_at: chrono::Utc::now(),
    };
    if let (Some(ch), Some(covered)) = (channel, purpose.channel()) {
        if ch != covered {
            return Ok(decision(
                false,
                DecisionReason::ChannelMismatch,
                None,
                format!("consent for {purpose} does not cover the {} channel", ch.as_str()),
            ));
        }
    }
    let Some(record) = store::current(conn, customer_id, &purpose.to_string())? else {
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
    if *purpose == Purpose::IntraGroupSharing {
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

/// The decision as SQL, for set-based work over every customer (tiering, segments): true when the
/// newest `profiling` record of the customer `customers.id` withdrew it. A customer never asked
/// is profiled on the controller's legitimate interest; one who withdrew is not (PIPL art. 24).
/// "Newest" as everywhere here: the greatest id (ids grow with time). A macro, so that statements
/// written for each database can `concat!` it.
#[macro_export]
macro_rules! profiling_withdrawn_sql {
    () => {
        "EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = customers.id AND k.purpose = 'profiling' \
         AND k.granted = FALSE AND k.id = (SELECT MAX(k2.id) FROM consents k2 \
         WHERE k2.customer_id = customers.id AND k2.purpose = 'profiling'))"
    };
}

/// The same rule for any purpose, as a scalar SQL expression: the `granted` of the customer's
/// (`customers.id`) newest record for a purpose — true, false, or NULL when there is none. In two
/// halves, `(before)` and `(after)`, with the purpose bound between them. Segment rules compare it.
#[macro_export]
macro_rules! newest_consent_sql {
    (before) => {
        "(SELECT k.granted FROM consents k WHERE k.customer_id = customers.id AND k.purpose = "
    };
    (after) => {
        " ORDER BY k.id DESC LIMIT 1)"
    };
}

/// Whether the customer's newest `profiling` record withdrew it (the rule of
/// `profiling_withdrawn_sql!` for one customer).
pub fn profiling_withdrawn(conn: &mut DbConnection, customer_id: &str) -> Result<bool, ApiError> {
    let newest = store::current(conn, customer_id, &Purpose::Profiling.to_string())?;
    Ok(newest.is_some_and(|r| !r.granted))
}

/// The batch form of `decide`, for sends, exports and profiling over many customers: for each of
/// `customer_ids`, whether its newest record for `purpose` made by `at` grants it, and if not
/// why (`NoConsent`, `Withdrawn`). One query per batch. Intra-group sharing depends on who asks
/// and is decided by id (`decide`), never in batches.
pub fn decide_many(
    conn: &mut DbConnection,
    customer_ids: &[String],
    purpose: &Purpose,
    at: NaiveDateTime,
) -> Result<Vec<(String, DecisionReason)>, ApiError> {
    if *purpose == Purpose::IntraGroupSharing {
        return Err(ApiError::internal("intra-group sharing is decided per customer and recipient"));
    }
    let newest: HashMap<String, bool> =
        store::current_among(conn, customer_ids, &purpose.to_string(), at)?.into_iter().collect();
    Ok(customer_ids
        .iter()
        .map(|id| {
            let reason = match newest.get(id) {
                Some(true) => DecisionReason::Granted,
                Some(false) => DecisionReason::Withdrawn,
                None => DecisionReason::NoConsent,
            };
            (id.clone(), reason)
        })
        .collect())
}

/// Of `customer_ids`, those `purpose` may use now.
pub fn allowed_among(
    conn: &mut DbConnection,
    customer_ids: &[String],
    purpose: &Purpose,
) -> Result<Vec<String>, ApiError> {
    Ok(decide_many(conn, customer_ids, purpose, crate::db::now())?
        .into_iter()
        .filter(|(_, reason)| *reason == DecisionReason::Granted)
        .map(|(id, _)| id)
        .collect())
}
