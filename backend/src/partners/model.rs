//! Partners, sharing agreements and the share log: rows and API bodies.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::{partners, shares, sharing_agreements};

/// Fields an agreement may hand to a partner, by their API names.
pub const SHAREABLE: [&str; 8] =
    ["name", "gender", "birth_date", "mobile", "email", "address", "address_region", "national_id"];

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = partners)]
pub struct PartnerRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub nda_reference: String,
    pub nda_signed_on: String,
    pub nda_expires_on: Option<String>,
    pub contact: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// A third party under a confidentiality agreement. Its consent purpose is
/// `partner_sharing:<code>`.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartner {
    /// Lower-case letters, digits and hyphens; names the consent purpose.
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub code: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The confidentiality agreement's document reference.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub nda_reference: String,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub nda_signed_on: String,
    #[schema(format = Date)]
    pub nda_expires_on: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub contact: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Partner {
    pub id: String,
    pub code: String,
    pub name: String,
    pub nda_reference: String,
    #[schema(format = Date)]
    pub nda_signed_on: String,
    #[schema(format = Date)]
    pub nda_expires_on: Option<String>,
    pub contact: Option<String>,
    /// The consent purpose customers grant to share with this partner.
    pub purpose: String,
    pub created_at: DateTime<Utc>,
}

impl From<PartnerRow> for Partner {
    fn from(r: PartnerRow) -> Self {
        Partner {
            purpose: format!("{}{}", crate::consent::model::PARTNER_PREFIX, r.code),
            id: r.id,
            code: r.code,
            name: r.name,
            nda_reference: r.nda_reference,
            nda_signed_on: r.nda_signed_on,
            nda_expires_on: r.nda_expires_on,
            contact: r.contact,
            created_at: r.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sharing_agreements)]
pub struct AgreementRow {
    pub id: String,
    pub partner_id: String,
    pub fields: String,
    pub purposes: String,
    pub unit_ids: String,
    pub document_reference: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub active: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl AgreementRow {
    pub fn list(json: &str) -> Vec<String> {
        serde_json::from_str(json).unwrap_or_default()
    }

    /// In force on `day` (dates are ISO strings, so they compare as text).
    pub fn in_force(&self, day: &str) -> bool {
        self.active && self.starts_on.as_str() <= day && self.ends_on.as_deref().is_none_or(|e| day <= e)
    }
}

/// What a partner may receive: these fields, for these purposes, of customers homed in these
/// units (or below them).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAgreement {
    #[validate(length(min = 1, max = 8))]
    #[schema(min_items = 1, max_items = 8)]
    pub fields: Vec<String>,
    /// The partner's purposes of use, e.g. `delivery`, `insurance_quote`.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub purposes: Vec<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_items = 1, max_items = 100)]
    pub unit_ids: Vec<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub document_reference: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Agreement {
    pub id: String,
    pub partner_id: String,
    pub fields: Vec<String>,
    pub purposes: Vec<String>,
    pub unit_ids: Vec<String>,
    pub document_reference: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// `1` while it lasts, `2` once ended; the `If-Match` that ends it names this.
    pub version: i64,
}

impl From<AgreementRow> for Agreement {
    fn from(r: AgreementRow) -> Self {
        Agreement {
            fields: AgreementRow::list(&r.fields),
            purposes: AgreementRow::list(&r.purposes),
            unit_ids: AgreementRow::list(&r.unit_ids),
            id: r.id,
            partner_id: r.partner_id,
            document_reference: r.document_reference,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            version: crate::http::etag::ended_version(!r.active),
            active: r.active,
            created_at: r.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartnerKey {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerKeyCreated {
    pub id: String,
    /// Shown once.
    pub key: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = shares)]
pub struct ShareRow {
    pub id: String,
    pub partner_id: String,
    pub agreement_id: String,
    pub customer_id: Option<String>,
    pub channel: String,
    pub fields: String,
    pub purpose: String,
    pub count: i64,
    pub shared_at: NaiveDateTime,
}

/// One disclosure: who received which fields of whom, why, how.
#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub agreement_id: String,
    pub customer_id: Option<String>,
    /// The customer, masked for the reader (in the shares log; absent for an export of many, or
    /// a customer out of the reader's reach).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<crate::customers::summary::CustomerRef>,
    /// `api`, `export` or `webhook`.
    pub channel: String,
    pub fields: Vec<String>,
    pub purpose: String,
    pub count: i64,
    pub shared_at: DateTime<Utc>,
}

impl From<(ShareRow, String)> for Share {
    fn from((r, partner_name): (ShareRow, String)) -> Self {
        Share {
            fields: AgreementRow::list(&r.fields),
            id: r.id,
            partner_id: r.partner_id,
            partner_name,
            agreement_id: r.agreement_id,
            customer_id: r.customer_id,
            customer: None,
            channel: r.channel,
            purpose: r.purpose,
            count: r.count,
            shared_at: r.shared_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShareQuery {
    /// One partner's disclosures.
    pub partner_id: Option<String>,
    pub customer_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerReadQuery {
    /// One of the agreement's purposes; recorded in the share log.
    pub purpose: String,
}

/// A customer as a partner receives it: the id and the agreed fields in clear, nothing else.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedCustomer {
    pub id: String,
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}
