//! Data-subject requests (PRV-8): logged with a due date, carried out by compliance — a full
//! copy (access), every consent withdrawn (withdrawal), anonymisation unless a legal hold blocks
//! it (deletion), or the record of a correction. Each step is one transaction and audited.

use chrono::TimeDelta;
use serde_json::{json, Value};

use super::model::*;
use super::store;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::consent::model::{ConsentChannel, RecordConsent};
use crate::consent::purpose::Purpose;
use crate::crypto::field::FieldCipher;
use crate::customers::access::writable;
use crate::customers::records::store as records;
use crate::customers::service::clear_value;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{ended_version, IfMatch};
use crate::i18n::Coded;

/// A person's records are few; this bounds a copy without paging.
const COPY_LIMIT: i64 = 100_000;

pub fn create(
    conn: &mut DbConnection,
    p: &Principal,
    input: CreateRequest,
    due_days: i64,
) -> Result<RequestRow, ApiError> {
    let customer = writable(conn, p, &input.customer_id).map_err(|_| ApiError::field("customer_id", "not_found"))?;
    let t = now();
    let row = RequestRow {
        id: new_id(),
        customer_id: customer.id.clone(),
        unit_id: customer.unit_id,
        kind: input.kind.as_str().to_owned(),
        status: RequestStatus::Open.as_str().to_owned(),
        details: input.details,
        outcome: None,
        due_at: t + TimeDelta::days(due_days),
        created_by: p.id.clone(),
        created_at: t,
        completed_by: None,
        completed_at: None,
    };
    store::insert(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("privacy_request.create", "customer", Some(&customer.id)))?;
    Ok(row)
}

/// A request of the caller's scope, or 404.
pub fn visible_request(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<RequestRow, ApiError> {
    match store::get_with_path(conn, id)? {
        Some((row, path)) if p.sees_unit_path(&path) => Ok(row),
        _ => Err(ApiError::NotFound),
    }
}

/// Carries the request out and closes it.
pub fn complete(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    input: CompleteRequest,
) -> Result<RequestRow, ApiError> {
    let req = visible_request(conn, p, id)?;
    if req.status != RequestStatus::Open.as_str() {
        return Err(ApiError::conflict("request_closed"));
    }
    let note = input.note.unwrap_or_default();
    let (status, outcome) = match RequestKind::parse(&req.kind) {
        Some(RequestKind::Deletion) => match store::active_hold(conn, &req.customer_id)? {
            Some(hold) => (RequestStatus::Rejected, Coded::new("legal_hold").with("reason", hold.reason)),
            None => {
                writable(conn, p, &req.customer_id)?;
                store::anonymise::anonymise(conn, &req.customer_id)?;
                audit::append(conn, &p.actor(), Event::new("customer.anonymise", "customer", Some(&req.customer_id)))?;
                (RequestStatus::Completed, Coded::new("anonymised"))
            }
        },
        Some(RequestKind::Withdrawal) => {
            let customer = writable(conn, p, &req.customer_id)?;
            let current = crate::consent::service::overview(conn, &customer.id)?.current;
            let mut withdrawn = 0;
            for c in current.into_iter().filter(|c| c.granted) {
                let Some(purpose) = Purpose::parse(&c.purpose) else { continue };
                let input = RecordConsent {
                    purpose,
                    granted: false,
                    channel: ConsentChannel::Paper,
                    evidence: Some(format!("privacy request {}", req.id)),
                    notice_id: None,
                    scope: None,
                };
                crate::consent::service::append(conn, &p.actor(), &customer, input, Some(&p.id))?;
                withdrawn += 1;
            }
            (RequestStatus::Completed, Coded::new("consents_withdrawn").with("count", withdrawn))
        }
        Some(RequestKind::Access) => match input.delivery {
            Some(d) => (RequestStatus::Completed, Coded::new("copy_provided_by").with("delivery", d.as_str())),
            None => (RequestStatus::Completed, Coded::new("copy_provided")),
        },
        _ if note.is_empty() => return Err(ApiError::field("note", "correction_required")),
        _ => (RequestStatus::Completed, Coded::new("corrected")),
    };
    // The record keeps codes; a note is the person's own words.
    let outcome = if note.is_empty() { outcome } else { outcome.with("note", note) };
    if !store::close(conn, &req.id, status.as_str(), &outcome.stored(), &p.id, now())? {
        return Err(ApiError::conflict("request_closed"));
    }
    audit::append(conn, &p.actor(), Event::new("privacy_request.complete", "customer", Some(&req.customer_id)))?;
    visible_request(conn, p, id)
}

/// Everything held about the customer of an access request, in clear and machine-readable;
/// audited as a disclosure to the data subject.
pub fn copy(conn: &mut DbConnection, cipher: &FieldCipher, p: &Principal, id: &str) -> Result<Value, ApiError> {
    let req = visible_request(conn, p, id)?;
    if req.kind != RequestKind::Access.as_str() {
        return Err(ApiError::conflict("not_access_request"));
    }
    let row = writable(conn, p, &req.customer_id)?;
    let mut customer = serde_json::Map::new();
    for f in crate::customers::fields::names() {
        customer.insert(f.to_owned(), clear_value(cipher, &row, f)?.map_or(Value::Null, Value::String));
    }
    let controller = crate::org::store::unit(conn, &row.unit_id)?.map(|u| u.name);
    let (owners, tags) = crate::customers::store::owners_and_tags(conn, std::slice::from_ref(&row.id))?;
    use crate::customers::records::dto::{Contact, Feedback, Preference, Purchase};
    let purchases = values::<_, Purchase>(records::purchases(conn, &row.id, None, COPY_LIMIT)?)?;
    let preferences = values::<_, Preference>(records::preferences(conn, &row.id, None, COPY_LIMIT)?)?;
    let feedback = values::<_, Feedback>(records::feedback(conn, &row.id, None, COPY_LIMIT)?)?;
    let contacts = values::<_, Contact>(records::contacts(conn, &row.id, None, COPY_LIMIT)?)?;
    let consents = crate::consent::service::overview(conn, &row.id)?.history;
    let consents = serde_json::to_value(consents).map_err(ApiError::internal)?;
    let shares = crate::partners::store::shares(conn, None, None, Some(&row.id), None, COPY_LIMIT)?;
    let shares = values::<_, crate::partners::model::Share>(shares)?;
    let copied: Vec<&str> = crate::customers::fields::names().collect();
    let mut ev = Event::new("customer.copy", "customer", Some(&row.id)).fields(&copied);
    ev.purpose = Some("data_subject_request");
    audit::append(conn, &p.actor(), ev)?;
    Ok(json!({
        "format": "guanxi-personal-data-copy/1",
        "generated_at": chrono::Utc::now(),
        "request_id": req.id,
        "controller": controller,
        "customer": {
            "id": row.id, "unit_id": row.unit_id, "fields": customer, "tags": tags.get(&row.id), "owners": owners.get(&row.id),
            "customer_type": row.customer_type, "preferred_channel": row.preferred_channel,
            "source": {"channel": row.source_channel, "supplier": row.source_supplier, "legal_basis": row.source_legal_basis},
            "created_at": row.created_at.and_utc(), "updated_at": row.updated_at.and_utc(),
        },
        "consents": consents,
        "purchases": purchases,
        "preferences": preferences,
        "feedback": feedback,
        "contacts": contacts,
        "shares": shares,
        "tickets": crate::tickets::views::privacy_copy(conn, cipher, &row.id, COPY_LIMIT)?,
    }))
}

/// Rows as their API shapes, as JSON.
fn values<R, D: From<R> + serde::Serialize>(rows: Vec<R>) -> Result<Vec<Value>, ApiError> {
    rows.into_iter().map(|r| serde_json::to_value(D::from(r)).map_err(ApiError::internal)).collect()
}

pub fn place_hold(
    conn: &mut DbConnection,
    p: &Principal,
    customer_id: &str,
    input: CreateHold,
) -> Result<HoldRow, ApiError> {
    let customer = writable(conn, p, customer_id)?;
    let row = HoldRow {
        id: new_id(),
        customer_id: customer.id,
        reason: input.reason,
        created_by: p.id.clone(),
        created_at: now(),
        released_at: None,
        released_by: None,
    };
    store::insert_hold(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("legal_hold.place", "customer", Some(customer_id)))?;
    Ok(row)
}

pub fn release_hold(
    conn: &mut DbConnection,
    p: &Principal,
    customer_id: &str,
    hold_id: &str,
    expected: &IfMatch,
) -> Result<(), ApiError> {
    writable(conn, p, customer_id)?;
    let hold = store::hold(conn, customer_id, hold_id)?.ok_or(ApiError::NotFound)?;
    expected.check(ended_version(hold.released_at.is_some()))?;
    if !store::release_hold(conn, customer_id, hold_id, &p.id, now())? {
        return Err(ApiError::NotFound);
    }
    audit::append(conn, &p.actor(), Event::new("legal_hold.release", "customer", Some(customer_id)))
}

/// Requests as the caller sees them: each with its customer's masked reference (one statement for
/// the page, however many requests).
pub fn shown(
    conn: &mut DbConnection,
    cipher: &crate::crypto::field::FieldCipher,
    p: &Principal,
    rows: Vec<RequestRow>,
) -> Result<Vec<PrivacyRequest>, ApiError> {
    let mut ids: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    let refs = crate::customers::summary::summaries(conn, cipher, p, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let customer = refs.iter().find(|c| c.id == r.customer_id).cloned();
            PrivacyRequest { customer, ..PrivacyRequest::from(r) }
        })
        .collect())
}

/// One request as the caller sees it.
pub fn shown_one(
    conn: &mut DbConnection,
    cipher: &crate::crypto::field::FieldCipher,
    p: &Principal,
    row: RequestRow,
) -> Result<PrivacyRequest, ApiError> {
    shown(conn, cipher, p, vec![row])?.pop().ok_or(ApiError::NotFound)
}
