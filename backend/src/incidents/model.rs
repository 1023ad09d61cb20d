use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::customers::dto::SourceChannel;
use crate::db::schema::{incident_actions, incidents};

crate::text_enum!(
    /// What happened to the data (PIPL art. 57: leak, tampering, loss), or access without right.
    IncidentCategory {
        Leak => "leak",
        Tampering => "tampering",
        Loss => "loss",
        UnauthorisedAccess => "unauthorised_access",
        Other => "other",
    }
);

crate::text_enum!(
    Severity {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

crate::text_enum!(
    IncidentStatus {
        Open => "open",
        Contained => "contained",
        Closed => "closed",
    }
);

crate::text_enum!(
    /// An action on the incident's timeline. `containment` moves an open incident to contained,
    /// `regulator_report` records when the regulator was told, `closure` closes it; `notification`
    /// entries are written by the notify call.
    ActionKind {
        Investigation => "investigation",
        Containment => "containment",
        Remediation => "remediation",
        RegulatorReport => "regulator_report",
        Notification => "notification",
        Closure => "closure",
        Other => "other",
    }
);

crate::text_enum!(
    /// How affected customers are told.
    NotifyChannel {
        Sms => "sms",
        Email => "email",
        Letter => "letter",
        Phone => "phone",
    }
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incidents)]
pub struct IncidentRow {
    pub id: String,
    pub unit_id: String,
    pub title: String,
    pub category: String,
    pub severity: String,
    pub status: String,
    pub description: String,
    pub cause: String,
    pub harm: String,
    pub advice: String,
    pub contact: String,
    /// JSON array of field names.
    pub fields: String,
    pub occurred_at: NaiveDateTime,
    pub detected_at: NaiveDateTime,
    pub reported_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_actions)]
pub struct ActionRow {
    pub id: String,
    pub incident_id: String,
    pub kind: String,
    pub description: String,
    pub taken_by: String,
    pub taken_at: NaiveDateTime,
}

/// Records a data incident; the recording principal's unit owns it.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIncident {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    pub category: IncidentCategory,
    pub severity: Severity,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    /// Why it happened (as far as known).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub cause: Option<String>,
    /// The harm it may cause the people affected.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub harm: Option<String>,
    /// What the people affected can do to reduce the harm.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub advice: Option<String>,
    /// Who the people affected and the regulator can contact.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub contact: String,
    /// The kinds of information involved (customer field names, e.g. `mobile`, `national_id`).
    #[validate(length(min = 1, max = 30))]
    #[schema(min_items = 1, max_items = 30)]
    pub fields: Vec<String>,
    pub occurred_at: DateTime<Utc>,
    pub detected_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Incident {
    pub id: String,
    pub unit_id: String,
    pub title: String,
    pub category: IncidentCategory,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub description: String,
    pub cause: String,
    pub harm: String,
    pub advice: String,
    pub contact: String,
    pub fields: Vec<String>,
    pub occurred_at: DateTime<Utc>,
    pub detected_at: DateTime<Utc>,
    /// When the regulator was told (the `regulator_report` action).
    pub reported_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Customers recorded as affected.
    pub affected: i64,
    /// Of those, how many were notified (a notification recorded for a reachable channel).
    pub notified: i64,
}

impl Incident {
    pub fn from_row(r: IncidentRow, affected: i64, notified: i64) -> Incident {
        Incident {
            category: IncidentCategory::parse(&r.category).unwrap_or(IncidentCategory::Other),
            severity: Severity::parse(&r.severity).unwrap_or(Severity::High),
            status: IncidentStatus::parse(&r.status).unwrap_or(IncidentStatus::Open),
            fields: serde_json::from_str(&r.fields).unwrap_or_default(),
            id: r.id,
            unit_id: r.unit_id,
            title: r.title,
            description: r.description,
            cause: r.cause,
            harm: r.harm,
            advice: r.advice,
            contact: r.contact,
            occurred_at: r.occurred_at.and_utc(),
            detected_at: r.detected_at.and_utc(),
            reported_at: r.reported_at.map(|t| t.and_utc()),
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            affected,
            notified,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAction {
    pub kind: ActionKind,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub description: String,
    /// When it was done (default: now).
    pub taken_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentAction {
    pub id: String,
    pub kind: ActionKind,
    pub description: String,
    pub taken_by: String,
    pub taken_at: DateTime<Utc>,
}

impl From<ActionRow> for IncidentAction {
    fn from(r: ActionRow) -> Self {
        IncidentAction {
            kind: ActionKind::parse(&r.kind).unwrap_or(ActionKind::Other),
            id: r.id,
            description: crate::i18n::Coded::words(&r.description, crate::i18n::current()),
            taken_by: r.taken_by,
            taken_at: r.taken_at.and_utc(),
        }
    }
}

/// Which of the caller's customers a query selects (all given conditions hold).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedQuery {
    pub unit_id: Option<String>,
    pub tag: Option<String>,
    pub channel: Option<SourceChannel>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
}

/// Adds affected customers: a list of ids, or every customer a query selects (or both).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddAffected {
    #[validate(length(max = 1000))]
    #[schema(max_items = 1000)]
    pub customer_ids: Option<Vec<String>>,
    pub query: Option<AffectedQuery>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffectedResult {
    /// Newly recorded by this call (a customer already recorded is not counted twice).
    pub added: i64,
    pub affected: i64,
}

/// Records a notification to every affected customer not yet notified.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    pub channel: NotifyChannel,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotifyResult {
    /// Notifications recorded for delivery through the channel.
    pub recorded: i64,
    /// Affected customers with no address for that channel (recorded as `no_contact`).
    pub no_contact: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitCount {
    pub unit_id: String,
    pub unit_name: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelCount {
    pub channel: String,
    pub status: String,
    pub count: i64,
}

/// The report for a regulator (PIPL art. 57): the incident, the kinds of information, cause,
/// possible harm, people affected per unit, the timeline of measures, what individuals can do,
/// notifications, and whom to contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentReport {
    pub generated_at: DateTime<Utc>,
    /// The unit (company) responsible.
    pub controller: String,
    pub incident: Incident,
    pub affected_by_unit: Vec<UnitCount>,
    pub actions: Vec<IncidentAction>,
    pub notifications: Vec<ChannelCount>,
}
