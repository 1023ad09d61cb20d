use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::schema::{contacts, feedback, preferences, purchases};

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

crate::text_enum!(SalesChannel { Store => "store", Online => "online", Phone => "phone", Agent => "agent", App => "app" });
crate::text_enum!(PreferenceCategory { Interest => "interest", Habit => "habit", Brand => "brand", Product => "product", Communication => "communication" });
crate::text_enum!(FeedbackKind { Opinion => "opinion", Suggestion => "suggestion", Complaint => "complaint" });
crate::text_enum!(ContactKind { Call => "call", Visit => "visit", Message => "message", Email => "email" });
crate::text_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = purchases)]
pub struct PurchaseRow {
    pub id: String,
    pub customer_id: String,
    pub unit_id: String,
    pub product: String,
    pub amount_fen: i64,
    pub currency: String,
    pub channel: String,
    pub purchased_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub margin_fen: Option<i64>,
    pub refund_of: Option<String>,
    pub ends_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePurchase {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub product: String,
    /// Amount in fen (1/100 yuan); refunds are negative.
    #[validate(range(min = -100_000_000_000i64, max = 100_000_000_000i64))]
    #[schema(minimum = -100_000_000_000f64, maximum = 100_000_000_000f64)]
    pub amount_fen: i64,
    /// ISO 4217 (default CNY).
    #[validate(length(equal = 3))]
    #[schema(min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    pub channel: SalesChannel,
    pub purchased_at: DateTime<Utc>,
    /// The profit it made, in fen; without it, value tiers assume the
    /// configured default margin rate.
    #[validate(range(min = -100_000_000_000i64, max = 100_000_000_000i64))]
    #[schema(minimum = -100_000_000_000f64, maximum = 100_000_000_000f64)]
    pub margin_fen: Option<i64>,
    /// The purchase this one refunds (its amount negative, at most the original's): the points
    /// that one earned are taken back in proportion.
    pub refund_of: Option<String>,
    /// When a subscription or contract bought ends (after `purchased_at`): renewal reminders
    /// count back from it.
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Purchase {
    pub id: String,
    pub customer_id: String,
    /// The subsidiary that sold it.
    pub unit_id: String,
    pub product: String,
    pub amount_fen: i64,
    pub currency: String,
    pub channel: SalesChannel,
    pub purchased_at: DateTime<Utc>,
    pub margin_fen: Option<i64>,
    pub refund_of: Option<String>,
    pub ends_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<PurchaseRow> for Purchase {
    fn from(r: PurchaseRow) -> Self {
        Purchase {
            channel: SalesChannel::parse(&r.channel).unwrap_or(SalesChannel::Store),
            id: r.id,
            customer_id: r.customer_id,
            unit_id: r.unit_id,
            product: r.product,
            amount_fen: r.amount_fen,
            currency: r.currency,
            purchased_at: utc(r.purchased_at),
            margin_fen: r.margin_fen,
            refund_of: r.refund_of,
            ends_at: r.ends_at.map(utc),
            created_at: utc(r.created_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = preferences)]
pub struct PreferenceRow {
    pub id: String,
    pub customer_id: String,
    pub category: String,
    pub value: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePreference {
    pub category: PreferenceCategory,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub value: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Preference {
    pub id: String,
    pub customer_id: String,
    pub category: PreferenceCategory,
    pub value: String,
    pub created_at: DateTime<Utc>,
}

impl From<PreferenceRow> for Preference {
    fn from(r: PreferenceRow) -> Self {
        Preference {
            category: PreferenceCategory::parse(&r.category).unwrap_or(PreferenceCategory::Interest),
            id: r.id,
            customer_id: r.customer_id,
            value: r.value,
            created_at: utc(r.created_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = feedback)]
pub struct FeedbackRow {
    pub id: String,
    pub customer_id: String,
    pub kind: String,
    pub content: String,
    pub channel: String,
    pub ticket_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback {
    pub kind: FeedbackKind,
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub content: String,
    pub channel: ContactKind,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Feedback {
    pub id: String,
    pub customer_id: String,
    pub kind: FeedbackKind,
    pub content: String,
    pub channel: ContactKind,
    /// The service ticket opened for it (complaints; the ticket issue links them).
    pub ticket_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<FeedbackRow> for Feedback {
    fn from(r: FeedbackRow) -> Self {
        Feedback {
            kind: FeedbackKind::parse(&r.kind).unwrap_or(FeedbackKind::Opinion),
            channel: ContactKind::parse(&r.channel).unwrap_or(ContactKind::Call),
            id: r.id,
            customer_id: r.customer_id,
            content: r.content,
            ticket_id: r.ticket_id,
            created_at: utc(r.created_at),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: String,
    pub customer_id: String,
    pub kind: String,
    pub direction: String,
    pub reached: bool,
    pub summary: String,
    pub occurred_at: NaiveDateTime,
    pub staff_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContact {
    pub kind: ContactKind,
    pub direction: Direction,
    /// Whether the customer was reached; a failed outbound contact marks them unreachable.
    pub reached: bool,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub summary: String,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    pub id: String,
    pub customer_id: String,
    pub kind: ContactKind,
    pub direction: Direction,
    pub reached: bool,
    pub summary: String,
    pub occurred_at: DateTime<Utc>,
    pub staff_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ContactRow> for Contact {
    fn from(r: ContactRow) -> Self {
        Contact {
            kind: ContactKind::parse(&r.kind).unwrap_or(ContactKind::Call),
            direction: Direction::parse(&r.direction).unwrap_or(Direction::Outbound),
            id: r.id,
            customer_id: r.customer_id,
            reached: r.reached,
            summary: r.summary,
            occurred_at: utc(r.occurred_at),
            staff_id: r.staff_id,
            created_at: utc(r.created_at),
        }
    }
}
