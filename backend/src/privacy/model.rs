//! Data-subject requests and legal holds: rows and API bodies.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::{legal_holds, privacy_requests};

crate::text_enum!(
    /// What the customer asks for (PRV-8).
    RequestKind {
        Access => "access",
        Correction => "correction",
        Withdrawal => "withdrawal",
        Deletion => "deletion",
    }
);
crate::text_enum!(RequestStatus { Open => "open", Completed => "completed", Rejected => "rejected" });

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = privacy_requests)]
pub struct RequestRow {
    pub id: String,
    pub customer_id: String,
    pub unit_id: String,
    pub kind: String,
    pub status: String,
    pub details: Option<String>,
    pub outcome: Option<String>,
    pub due_at: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub completed_by: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    pub customer_id: String,
    pub kind: RequestKind,
    /// What the customer said (no personal values beyond what the request needs).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub details: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrivacyRequest {
    pub id: String,
    pub customer_id: String,
    /// The customer as the caller may see them (masked); absent once the record is gone.
    pub customer: Option<crate::customers::summary::CustomerRef>,
    pub unit_id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub details: Option<String>,
    /// What was done, or why it was refused.
    pub outcome: Option<String>,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub completed_by: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<RequestRow> for PrivacyRequest {
    fn from(r: RequestRow) -> Self {
        let status = RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Open);
        PrivacyRequest {
            overdue: status == RequestStatus::Open && r.due_at < crate::db::now(),
            kind: RequestKind::parse(&r.kind).unwrap_or(RequestKind::Access),
            status,
            id: r.id,
            customer_id: r.customer_id,
            customer: None,
            unit_id: r.unit_id,
            details: r.details,
            outcome: r.outcome.map(|o| crate::i18n::Coded::words(&o, crate::i18n::current())),
            due_at: r.due_at.and_utc(),
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            completed_by: r.completed_by,
            completed_at: r.completed_at.map(|t| t.and_utc()),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    pub status: Option<RequestStatus>,
    /// Only open requests past their due date.
    pub overdue: Option<bool>,
    pub customer_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Carries out a request: access and withdrawal are done by the server, deletion anonymises
/// (unless a legal hold blocks it), correction records the note after the edit was made.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// What was done, in the officer's words. Required for a correction (what was corrected).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub note: Option<String>,
    /// How the customer received their copy (access requests).
    pub delivery: Option<CopyDelivery>,
}

crate::text_enum!(
    /// How an access request's copy reached the customer.
    CopyDelivery {
        Email => "email",
        Post => "post",
        InPerson => "in_person",
        Download => "download",
    }
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = legal_holds)]
pub struct HoldRow {
    pub id: String,
    pub customer_id: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub released_at: Option<NaiveDateTime>,
    pub released_by: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHold {
    /// E.g. a litigation or regulator case reference.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LegalHold {
    pub id: String,
    pub customer_id: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    /// `1` while it lasts, `2` once ended; the `If-Match` that ends it names this.
    pub version: i64,
}

impl From<HoldRow> for LegalHold {
    fn from(r: HoldRow) -> Self {
        LegalHold {
            id: r.id,
            customer_id: r.customer_id,
            reason: r.reason,
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            version: crate::http::etag::ended_version(r.released_at.is_some()),
            released_at: r.released_at.map(|t| t.and_utc()),
        }
    }
}
