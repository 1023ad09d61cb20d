//! Partners and what they may receive (PRV-3). A partner's key reads a customer only when an
//! agreement in force covers the customer's unit and the purpose, and the customer's consent for
//! that partner holds now; it receives the agreed fields and nothing else, and every read lands
//! in the share log.

use chrono::NaiveDate;
use serde_json::Value;

use super::model::*;
use super::store;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::consent::decide::decide;
use crate::consent::purpose::Purpose;
use crate::crypto::field::FieldCipher;
use crate::customers::service::clear_value;
use crate::db::{new_id, now, DbConnection};
use crate::error::{ApiError, FieldError};

fn date(field: &str, v: &str, errors: &mut Vec<FieldError>) {
    if NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
        errors.push(FieldError::new(field, "date"));
    }
}

fn fail_if(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

pub fn create(conn: &mut DbConnection, p: &Principal, input: CreatePartner) -> Result<PartnerRow, ApiError> {
    let mut errors = Vec::new();
    if !input.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        errors.push(FieldError::new("code", "format").with("allowed", "a-z 0-9 -"));
    }
    date("nda_signed_on", &input.nda_signed_on, &mut errors);
    if let Some(e) = &input.nda_expires_on {
        date("nda_expires_on", e, &mut errors);
    }
    fail_if(errors)?;
    let row = PartnerRow {
        id: new_id(),
        code: input.code,
        name: input.name,
        nda_reference: input.nda_reference,
        nda_signed_on: input.nda_signed_on,
        nda_expires_on: input.nda_expires_on,
        contact: input.contact,
        created_by: p.id.clone(),
        created_at: now(),
    };
    store::insert(conn, &row).map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            ApiError::conflict("partner_code_taken")
        } else {
            e.into()
        }
    })?;
    audit::append(conn, &p.actor(), Event::new("partner.create", "partner", Some(&row.id)))?;
    Ok(row)
}

pub fn add_agreement(
    conn: &mut DbConnection,
    p: &Principal,
    partner_id: &str,
    input: CreateAgreement,
) -> Result<AgreementRow, ApiError> {
    store::get(conn, partner_id)?.ok_or(ApiError::NotFound)?;
    let mut errors = Vec::new();
    if let Some(bad) = input.fields.iter().find(|f| !SHAREABLE.contains(&f.as_str())) {
        errors.push(FieldError::new("fields", "not_shareable").with("value", bad.as_str()));
    }
    if input.purposes.iter().any(|x| x.trim().is_empty() || x.len() > 60) {
        errors.push(FieldError::new("purposes", "format"));
    }
    for unit in &input.unit_ids {
        if crate::org::service::visible_unit(conn, p, unit).is_err() {
            errors.push(FieldError::new("unit_ids", "unknown"));
            break;
        }
    }
    date("starts_on", &input.starts_on, &mut errors);
    if let Some(e) = &input.ends_on {
        date("ends_on", e, &mut errors);
    }
    fail_if(errors)?;
    let json = |v: &Vec<String>| serde_json::to_string(v).map_err(ApiError::internal);
    let row = AgreementRow {
        id: new_id(),
        partner_id: partner_id.to_owned(),
        fields: json(&input.fields)?,
        purposes: json(&input.purposes)?,
        unit_ids: json(&input.unit_ids)?,
        document_reference: input.document_reference,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        active: true,
        created_by: p.id.clone(),
        created_at: now(),
    };
    store::insert_agreement(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("sharing_agreement.create", "partner", Some(partner_id)))?;
    Ok(row)
}

/// One customer as this partner may receive it, logged as a share; 404 when any condition fails
/// (the partner learns nothing about customers it may not see).
pub fn read_customer(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    customer_id: &str,
    purpose: &str,
) -> Result<SharedCustomer, ApiError> {
    let partner_id = p.partner_id.as_deref().ok_or(ApiError::Forbidden)?;
    let partner = store::get(conn, partner_id)?.ok_or(ApiError::Forbidden)?;
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let agreements: Vec<AgreementRow> =
        store::agreements(conn, partner_id)?.into_iter().filter(|a| a.in_force(&today)).collect();
    if !agreements.iter().any(|a| AgreementRow::list(&a.purposes).iter().any(|x| x == purpose)) {
        return Err(ApiError::field("purpose", "not_agreed"));
    }
    let (row, path) = crate::customers::store::get_with_path(conn, customer_id)?.ok_or(ApiError::NotFound)?;
    // A partner key reaches no further than the scope of the unit that issued it.
    if !p.sees_unit_path(&path) {
        return Err(ApiError::NotFound);
    }
    let agreement = agreements
        .into_iter()
        .find(|a| {
            AgreementRow::list(&a.purposes).iter().any(|x| x == purpose)
                && AgreementRow::list(&a.unit_ids).iter().any(|u| path.split('/').any(|s| s == u))
        })
        .ok_or(ApiError::NotFound)?;
    let consent = decide(conn, &row.id, &Purpose::PartnerSharing(partner.code.clone()), None, None)?;
    if !consent.allowed {
        return Err(ApiError::NotFound);
    }
    let fields = AgreementRow::list(&agreement.fields);
    let mut out = serde_json::Map::new();
    for f in &fields {
        let value = clear_value(cipher, &row, f)?;
        out.insert(f.clone(), value.map_or(Value::Null, Value::String));
    }
    store::insert_share(
        conn,
        &ShareRow {
            id: new_id(),
            partner_id: partner.id.clone(),
            agreement_id: agreement.id.clone(),
            customer_id: Some(row.id.clone()),
            channel: "api".into(),
            fields: agreement.fields.clone(),
            purpose: purpose.to_owned(),
            count: 1,
            shared_at: now(),
        },
    )?;
    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut ev = Event::new("customer.share", "customer", Some(&row.id)).fields(&names);
    ev.purpose = Some(purpose);
    audit::append(conn, &p.actor(), ev)?;
    Ok(SharedCustomer { id: row.id, fields: out })
}
