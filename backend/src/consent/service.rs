//! Recording consent (append-only, audited, with a change event), privacy notices, and signed
//! receipts.

use chrono::Utc;

use super::model::*;
use super::store;
use crate::audit::{self, Actor, Event};
use crate::auth::jwt::TokenService;
use crate::auth::Principal;
use crate::customers::model::CustomerRow;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;

pub const RECEIPT_TYP: &str = "consent-receipt+jwt";
const LANGUAGES: [&str; 2] = ["zh-CN", "en"];

/// Whether `purpose` names something that exists: a partner's purpose needs the partner.
pub fn check_purpose(conn: &mut DbConnection, purpose: &Purpose) -> Result<(), ApiError> {
    let known = match purpose.partner() {
        Some(code) => crate::partners::store::code_exists(conn, code)?,
        None => true,
    };
    if known {
        Ok(())
    } else {
        Err(ApiError::field("purpose", "unknown"))
    }
}

/// The ids of a unit and its ancestors, nearest last (unit paths are `/id/id/…/`).
pub fn lineage(conn: &mut DbConnection, unit_id: &str) -> Result<Vec<String>, ApiError> {
    let path = crate::org::store::unit_path(conn, unit_id)?.ok_or(ApiError::NotFound)?;
    Ok(path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect())
}

/// Appends one consent record for `customer`. `recorded_by` is none for the customer's own
/// (self-service) choices.
pub fn append(
    conn: &mut DbConnection,
    actor: &Actor,
    customer: &CustomerRow,
    input: RecordConsent,
    recorded_by: Option<&str>,
) -> Result<ConsentRow, ApiError> {
    check_purpose(conn, &input.purpose)?;
    let scope = match (&input.scope, &input.purpose) {
        (None, _) => None,
        (Some(ids), Purpose::IntraGroupSharing) if !ids.is_empty() && ids.len() <= 100 => {
            let found = crate::org::store::count_units(conn, ids)?;
            if found != ids.len() as i64 {
                return Err(ApiError::field("scope", "unknown_unit"));
            }
            Some(serde_json::to_string(ids).map_err(ApiError::internal)?)
        }
        _ => return Err(ApiError::field("scope", "not_applicable")),
    };
    let lineage = lineage(conn, &customer.unit_id)?;
    let notice = match &input.notice_id {
        Some(id) => Some(
            store::notice(conn, id)?
                .filter(|n| lineage.contains(&n.unit_id))
                .ok_or_else(|| ApiError::field("notice_id", "unknown"))?,
        ),
        None => store::current_notice(conn, &lineage)?,
    };
    if input.granted && notice.is_none() {
        return Err(ApiError::field("notice_id", "no_notice"));
    }
    let row = ConsentRow {
        id: new_id(),
        customer_id: customer.id.clone(),
        purpose: input.purpose.to_string(),
        granted: input.granted,
        scope,
        notice_id: notice.map(|n| n.id),
        channel: input.channel.as_str().to_owned(),
        evidence: input.evidence,
        recorded_by: recorded_by.map(str::to_owned),
        self_service: recorded_by.is_none(),
        recorded_at: now(),
    };
    store::insert(conn, &row)?;
    let action = if row.granted { "consent.grant" } else { "consent.withdraw" };
    let fields = [row.purpose.as_str()];
    audit::append(conn, actor, Event::new(action, "customer", Some(&customer.id)).fields(&fields))?;
    let payload = serde_json::json!({
        "customer_id": customer.id, "consent_id": row.id, "purpose": row.purpose, "granted": row.granted,
    });
    crate::outbox::enqueue(
        conn,
        crate::outbox::Topic::ConsentChanged,
        &customer.id,
        Some(&customer.unit_id),
        &payload,
    )?;
    Ok(row)
}

/// Current state per purpose (the newest record of each) and the whole history.
pub fn overview(conn: &mut DbConnection, customer_id: &str) -> Result<ConsentOverview, ApiError> {
    let history = store::history(conn, customer_id)?;
    let mut seen = std::collections::HashSet::new();
    let current: Vec<Consent> =
        history.iter().filter(|r| seen.insert(r.purpose.clone())).cloned().map(Consent::from).collect();
    Ok(ConsentOverview { current, history: history.into_iter().map(Consent::from).collect() })
}

pub fn create_notice(conn: &mut DbConnection, p: &Principal, input: CreateNotice) -> Result<NoticeRow, ApiError> {
    let unit_id = match input.unit_id {
        Some(id) => id,
        None => p.scope_prefix().trim_matches('/').rsplit('/').next().unwrap_or_default().to_owned(),
    };
    crate::org::service::visible_unit(conn, p, &unit_id).map_err(|_| ApiError::field("unit_id", "unknown"))?;
    if !LANGUAGES.contains(&input.language.as_str()) {
        return Err(ApiError::field("language", "unsupported"));
    }
    for purpose in &input.purposes {
        check_purpose(conn, purpose)
            .map_err(|_| ApiError::field("purposes", "unknown").with("value", purpose.to_string()))?;
    }
    let row = NoticeRow {
        id: new_id(),
        version: store::latest_version(conn, &unit_id, &input.language)? + 1,
        unit_id,
        language: input.language,
        title: input.title,
        purposes: serde_json::to_string(&input.purposes).map_err(ApiError::internal)?,
        method: input.method,
        scope: input.scope,
        retention: input.retention,
        body: input.body,
        created_by: p.id.clone(),
        created_at: now(),
    };
    store::insert_notice(conn, &row).map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            ApiError::conflict("notice_race")
        } else {
            e.into()
        }
    })?;
    audit::append(conn, &p.actor(), Event::new("privacy_notice.publish", "privacy_notice", Some(&row.id)))?;
    Ok(row)
}

/// A receipt for one consent record, signed with the service's key: shaped after the Kantara
/// consent receipt (v1.1) and ISO/IEC TS 27560, with Guanxi's own additions under `x-guanxi`.
pub fn receipt(
    conn: &mut DbConnection,
    tokens: &TokenService,
    customer: &CustomerRow,
    consent_id: &str,
) -> Result<Receipt, ApiError> {
    let row = store::get(conn, &customer.id, consent_id)?.ok_or(ApiError::NotFound)?;
    let notice = match &row.notice_id {
        Some(id) => store::notice(conn, id)?,
        None => None,
    };
    let controller = crate::org::store::unit(conn, &customer.unit_id)?.ok_or(ApiError::NotFound)?;
    let claims = serde_json::json!({
        "iss": tokens.issuer(),
        "iat": Utc::now().timestamp(),
        "version": "KI-CR-v1.1.0",
        "jurisdiction": "CN",
        "consentTimestamp": row.recorded_at.and_utc().timestamp(),
        "collectionMethod": row.channel,
        "consentReceiptID": row.id,
        "language": notice.as_ref().map(|n| n.language.clone()),
        "piiPrincipalId": customer.id,
        "piiControllers": [{ "piiController": controller.name, "controllerId": controller.id, "onBehalf": false }],
        "policyUrl": notice.as_ref().map(|n| format!("urn:guanxi:notice:{}:v{}", n.id, n.version)),
        "services": [{
            "service": "customer relationship",
            "purposes": [{
                "purpose": row.purpose,
                "consentType": "EXPLICIT",
                "purposeCategory": [row.purpose.split(':').next().unwrap_or_default()],
                "termination": notice.as_ref().map(|n| n.retention.clone()),
                "thirdPartyDisclosure": row.purpose.starts_with(PARTNER_PREFIX) || row.purpose == Purpose::IntraGroupSharing.to_string(),
                "thirdPartyName": row.purpose.strip_prefix(PARTNER_PREFIX),
            }],
        }],
        "sensitive": row.purpose == "sensitive_pi",
        "spiCat": if row.purpose == "sensitive_pi" { vec!["sensitive_pi"] } else { vec![] },
        "x-guanxi": {
            "action": if row.granted { "grant" } else { "withdraw" },
            "noticeId": row.notice_id,
            "noticeVersion": notice.as_ref().map(|n| n.version),
            "scope": row.scope_units(),
            "selfService": row.self_service,
            "evidence": row.evidence,
        },
    });
    let jws = tokens.sign_document(RECEIPT_TYP, &claims)?;
    Ok(Receipt { receipt_id: row.id, jws, claims })
}
