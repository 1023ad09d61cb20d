use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::schema::{webhook_deliveries, webhooks};
use crate::outbox::TopicFilter;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: String,
    pub unit_id: String,
    pub url: String,
    pub description: Option<String>,
    pub topics: String,
    /// The signing secret, encrypted like a personal field.
    pub secret: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    /// A partner's webhook: the sharing agreement and purpose its deliveries are shares under.
    pub agreement_id: Option<String>,
    pub purpose: Option<String>,
}

impl WebhookRow {
    pub fn wants(&self, topic: &str) -> bool {
        self.topics.split(' ').any(|filter| TopicFilter::text_covers(filter, topic))
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub webhook_id: String,
    pub event_id: String,
    pub topic: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

impl DeliveryRow {
    /// A delivery of one event to one subscription, due now.
    pub fn pending(webhook_id: &str, event_id: &str, topic: &str, payload: String, t: NaiveDateTime) -> DeliveryRow {
        DeliveryRow {
            id: crate::db::new_id(),
            webhook_id: webhook_id.to_owned(),
            event_id: event_id.to_owned(),
            topic: topic.to_owned(),
            payload,
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: t,
            last_status: None,
            last_error: None,
            created_at: t,
            delivered_at: None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Where events are POSTed (http or https).
    #[validate(length(min = 8, max = 500))]
    #[schema(min_length = 8, max_length = 500, format = "uri", pattern = r"^https?://[^/?#\s]+")]
    pub url: String,
    /// Event topics, a family (`customer.*`) or everything (`*`).
    #[validate(length(min = 1, max = 20))]
    #[schema(min_items = 1, max_items = 20)]
    pub topics: Vec<TopicFilter>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: String,
    pub unit_id: String,
    pub url: String,
    pub description: Option<String>,
    pub topics: Vec<String>,
    pub active: bool,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub disabled_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `1` while it lasts, `2` once ended; the `If-Match` that ends it names this.
    pub version: i64,
    /// Set for a partner's webhook: the sharing agreement its deliveries are shares under.
    pub agreement_id: Option<String>,
}

impl From<WebhookRow> for Webhook {
    fn from(r: WebhookRow) -> Self {
        Webhook {
            topics: r.topics.split(' ').map(str::to_owned).collect(),
            id: r.id,
            unit_id: r.unit_id,
            url: r.url,
            description: r.description,
            version: crate::http::etag::ended_version(!r.active),
            active: r.active,
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            disabled_at: r.disabled_at.map(|t| t.and_utc()),
            agreement_id: r.agreement_id,
        }
    }
}

/// A webhook for a partner: events (ids only) of the customers the agreement covers and who
/// consented to the partner; each delivery is logged as a share.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartnerWebhook {
    pub agreement_id: String,
    /// One of the agreement's purposes; recorded in the share log.
    #[validate(length(min = 1, max = 60))]
    #[schema(min_length = 1, max_length = 60)]
    pub purpose: String,
    #[validate(length(min = 8, max = 500))]
    #[schema(min_length = 8, max_length = 500, format = "uri", pattern = r"^https?://[^/?#\s]+")]
    pub url: String,
    /// Event topics; partners receive customer and consent events of the customers they may see.
    #[validate(length(min = 1, max = 20))]
    #[schema(min_items = 1, max_items = 20)]
    pub topics: Vec<TopicFilter>,
}

/// A new subscription with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreated {
    pub webhook: Webhook,
    /// Verify `X-Guanxi-Signature: t=…,v1=…` as HMAC-SHA256 over `t + "." + body` with this.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    pub topic: String,
    /// pending, delivered or failed (given up after repeated failures).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Self {
        Delivery {
            id: r.id,
            event_id: r.event_id,
            topic: r.topic,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at.and_utc(),
            last_status: r.last_status,
            last_error: r.last_error,
            created_at: r.created_at.and_utc(),
            delivered_at: r.delivered_at.map(|t| t.and_utc()),
        }
    }
}
