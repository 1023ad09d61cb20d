//! Consent records and privacy notices: stored rows and API bodies.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::{consents, privacy_notices};

pub use super::purpose::{MarketingChannel, Purpose, PARTNER_PREFIX};

crate::text_enum!(
    /// How the customer expressed the choice (the evidence's medium).
    ConsentChannel {
        Paper => "paper",
        WebForm => "web_form",
        App => "app",
        CallRecording => "call_recording",
        InPerson => "in_person",
        SelfService => "self_service",
        Merge => "merge",
    }
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = consents)]
pub struct ConsentRow {
    pub id: String,
    pub customer_id: String,
    pub purpose: String,
    pub granted: bool,
    /// JSON array of unit ids the consent extends to (intra-group sharing); none = the whole group.
    pub scope: Option<String>,
    pub notice_id: Option<String>,
    pub channel: String,
    pub evidence: Option<String>,
    pub recorded_by: Option<String>,
    pub self_service: bool,
    pub recorded_at: NaiveDateTime,
}

impl ConsentRow {
    pub fn scope_units(&self) -> Option<Vec<String>> {
        self.scope.as_deref().and_then(|s| serde_json::from_str(s).ok())
    }
}

/// Grants or withdraws one purpose. A grant refers to a privacy notice (the unit's newest when
/// none is named); a withdrawal takes effect at once.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordConsent {
    pub purpose: Purpose,
    pub granted: bool,
    pub channel: ConsentChannel,
    /// Where the evidence is kept: a form number, a call-recording id, a file reference.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub evidence: Option<String>,
    pub notice_id: Option<String>,
    /// Intra-group sharing only: the units (subsidiaries) that may see the customer; absent = all.
    pub scope: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    pub id: String,
    pub customer_id: String,
    pub purpose: String,
    pub granted: bool,
    pub scope: Option<Vec<String>>,
    pub notice_id: Option<String>,
    pub channel: ConsentChannel,
    pub evidence: Option<String>,
    /// The staff member who recorded it; none when the customer did it themselves.
    pub recorded_by: Option<String>,
    pub self_service: bool,
    pub recorded_at: DateTime<Utc>,
}

impl From<ConsentRow> for Consent {
    fn from(r: ConsentRow) -> Self {
        Consent {
            scope: r.scope_units(),
            channel: ConsentChannel::parse(&r.channel).unwrap_or(ConsentChannel::Paper),
            id: r.id,
            customer_id: r.customer_id,
            purpose: r.purpose,
            granted: r.granted,
            notice_id: r.notice_id,
            evidence: r.evidence,
            recorded_by: r.recorded_by,
            self_service: r.self_service,
            recorded_at: r.recorded_at.and_utc(),
        }
    }
}

/// Every purpose's current state (the newest record decides) and the full history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentOverview {
    pub current: Vec<Consent>,
    pub history: Vec<Consent>,
}

crate::text_enum!(
    /// Why the decision came out as it did.
    DecisionReason {
        Granted => "granted",
        Withdrawn => "withdrawn",
        NoConsent => "no_consent",
        OutOfScope => "out_of_scope",
        ChannelMismatch => "channel_mismatch",
    }
);

/// The answer to "may this customer be used for this purpose (through this channel) now?".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    pub allowed: bool,
    pub purpose: Purpose,
    pub reason: DecisionReason,
    /// The consent record that decided it, when one did.
    pub consent_id: Option<String>,
    pub explanation: String,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    pub purpose: Purpose,
    /// The channel a marketing use would go through.
    pub channel: Option<MarketingChannel>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = privacy_notices)]
pub struct NoticeRow {
    pub id: String,
    pub unit_id: String,
    pub language: String,
    pub version: i32,
    pub title: String,
    pub purposes: String,
    pub method: String,
    pub scope: String,
    pub retention: String,
    pub body: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// Publishes a new version of a unit's notice in one language (older versions stay, since
/// consents refer to them).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNotice {
    /// Defaults to the caller's subsidiary.
    pub unit_id: Option<String>,
    /// `zh-CN` or `en`.
    pub language: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[validate(length(min = 1, max = 20))]
    #[schema(min_items = 1, max_items = 20)]
    pub purposes: Vec<Purpose>,
    /// How personal information is processed.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub method: String,
    /// Which personal information, shared with whom.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub scope: String,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub retention: String,
    #[validate(length(min = 1, max = 50000))]
    #[schema(min_length = 1, max_length = 50000)]
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    pub id: String,
    pub unit_id: String,
    pub language: String,
    pub version: i32,
    pub title: String,
    pub purposes: Vec<String>,
    pub method: String,
    pub scope: String,
    pub retention: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl From<NoticeRow> for Notice {
    fn from(r: NoticeRow) -> Self {
        Notice {
            purposes: serde_json::from_str(&r.purposes).unwrap_or_default(),
            id: r.id,
            unit_id: r.unit_id,
            language: r.language,
            version: r.version,
            title: r.title,
            method: r.method,
            scope: r.scope,
            retention: r.retention,
            body: r.body,
            created_at: r.created_at.and_utc(),
        }
    }
}

/// A signed consent receipt (JWS, EdDSA, verifiable with `/.well-known/jwks.json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub receipt_id: String,
    pub jws: String,
    /// The signed claims, shaped after the Kantara consent receipt / ISO/IEC TS 27560.
    #[schema(value_type = Object)]
    pub claims: serde_json::Value,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyReceipt {
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub jws: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptVerification {
    pub valid: bool,
    #[schema(value_type = Option<Object>)]
    pub claims: Option<serde_json::Value>,
}
