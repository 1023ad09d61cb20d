//! The change events there are, by name: emitters write a `Topic`, webhook subscriptions name
//! `TopicFilter`s, and the OpenAPI document lists both — a subscription cannot name an event
//! nothing emits.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Topic {
    #[serde(rename = "customer.created")]
    CustomerCreated,
    #[serde(rename = "customer.updated")]
    CustomerUpdated,
    #[serde(rename = "customer.deleted")]
    CustomerDeleted,
    #[serde(rename = "customer.merged")]
    CustomerMerged,
    #[serde(rename = "customer.unmerged")]
    CustomerUnmerged,
    #[serde(rename = "customer.restored")]
    CustomerRestored,
    #[serde(rename = "customer.purchase.created")]
    PurchaseCreated,
    #[serde(rename = "customer.preference.created")]
    PreferenceCreated,
    #[serde(rename = "customer.feedback.created")]
    FeedbackCreated,
    #[serde(rename = "customer.contact.created")]
    ContactCreated,
    #[serde(rename = "consent.changed")]
    ConsentChanged,
    #[serde(rename = "user.offboarded")]
    UserOffboarded,
    #[serde(rename = "tiers.applied")]
    TiersApplied,
    #[serde(rename = "ticket.created")]
    TicketCreated,
    #[serde(rename = "ticket.assigned")]
    TicketAssigned,
    #[serde(rename = "ticket.warning")]
    TicketWarning,
    #[serde(rename = "ticket.breached")]
    TicketBreached,
    #[serde(rename = "ticket.escalated")]
    TicketEscalated,
    #[serde(rename = "ticket.reopened")]
    TicketReopened,
    #[serde(rename = "ticket.closed")]
    TicketClosed,
    #[serde(rename = "campaign.approved")]
    CampaignApproved,
    #[serde(rename = "campaign.cancelled")]
    CampaignCancelled,
    #[serde(rename = "campaign.completed")]
    CampaignCompleted,
}

impl Topic {
    pub const ALL: [Topic; 23] = [
        Topic::CustomerCreated,
        Topic::CustomerUpdated,
        Topic::CustomerDeleted,
        Topic::CustomerMerged,
        Topic::CustomerUnmerged,
        Topic::CustomerRestored,
        Topic::PurchaseCreated,
        Topic::PreferenceCreated,
        Topic::FeedbackCreated,
        Topic::ContactCreated,
        Topic::ConsentChanged,
        Topic::UserOffboarded,
        Topic::TiersApplied,
        Topic::TicketCreated,
        Topic::TicketAssigned,
        Topic::TicketWarning,
        Topic::TicketBreached,
        Topic::TicketEscalated,
        Topic::TicketReopened,
        Topic::TicketClosed,
        Topic::CampaignApproved,
        Topic::CampaignCancelled,
        Topic::CampaignCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::CustomerCreated => "customer.created",
            Topic::CustomerUpdated => "customer.updated",
            Topic::CustomerDeleted => "customer.deleted",
            Topic::CustomerMerged => "customer.merged",
            Topic::CustomerUnmerged => "customer.unmerged",
            Topic::CustomerRestored => "customer.restored",
            Topic::PurchaseCreated => "customer.purchase.created",
            Topic::PreferenceCreated => "customer.preference.created",
            Topic::FeedbackCreated => "customer.feedback.created",
            Topic::ContactCreated => "customer.contact.created",
            Topic::ConsentChanged => "consent.changed",
            Topic::UserOffboarded => "user.offboarded",
            Topic::TiersApplied => "tiers.applied",
            Topic::TicketCreated => "ticket.created",
            Topic::TicketAssigned => "ticket.assigned",
            Topic::TicketWarning => "ticket.warning",
            Topic::TicketBreached => "ticket.breached",
            Topic::TicketEscalated => "ticket.escalated",
            Topic::TicketReopened => "ticket.reopened",
            Topic::TicketClosed => "ticket.closed",
            Topic::CampaignApproved => "campaign.approved",
            Topic::CampaignCancelled => "campaign.cancelled",
            Topic::CampaignCompleted => "campaign.completed",
        }
    }

    /// What happened, and what the event's `data` carries (ids and field names, never values).
    pub fn describe(self) -> String {
        const CUSTOMER: &str = "`data`: `customer_id`, `unit_id`, `version` and `fields` (the names of the \
            fields written, never their values).";
        const RECORD: &str = "`data`: `customer_id`, `unit_id` and `record_id`.";
        const TICKET: &str = "`data`: `ticket_id`, `customer_id`, `unit_id`, `kind`, `status`, `priority`, \
            `assignee_id` (never the ticket's text).";
        const CAMPAIGN: &str = "`data`: `id` (the campaign's).";
        const SLA: &str = "`data`: `ticket_id`, `unit_id`, `kind`, `state`.";
        let (what, data) = match self {
            Topic::CustomerCreated => ("A customer was created (by hand, import or demo data).", CUSTOMER),
            Topic::CustomerUpdated => ("A customer was changed (by hand or by a quality run).", CUSTOMER),
            Topic::CustomerDeleted => ("A customer was deleted, or merged into another.", CUSTOMER),
            Topic::CustomerMerged => ("A customer took in a duplicate; `fields` names what it took.", CUSTOMER),
            Topic::CustomerUnmerged => ("A merge was undone: the surviving customer as it was before.", CUSTOMER),
            Topic::CustomerRestored => ("A merge was undone: the absorbed customer is back.", CUSTOMER),
            Topic::PurchaseCreated => ("A purchase was recorded for a customer.", RECORD),
            Topic::PreferenceCreated => ("A preference was recorded for a customer.", RECORD),
            Topic::FeedbackCreated => ("Feedback (an opinion, a complaint, praise) was recorded.", RECORD),
            Topic::ContactCreated => ("A contact (call, visit, message) was logged for a customer.", RECORD),
            Topic::ConsentChanged => (
                "A customer granted or withdrew consent.",
                "`data`: `customer_id`, `consent_id`, `purpose`, `granted`.",
            ),
            Topic::UserOffboarded => (
                "A member of staff left; their customers went to successors.",
                "`data`: `user_id`, `successors`, `reassigned` (customers), `tickets` (open tickets moved).",
            ),
            Topic::TiersApplied => (
                "A tiering run changed customers' value tiers (one event per run; each change is in \
                 `GET /customers/{id}/tier`).",
                "`data`: `run_id`, `config_version`, `scored`, `changed`.",
            ),
            Topic::TicketCreated => ("A service ticket was opened (by staff, an integration, or a customer).", TICKET),
            Topic::TicketAssigned => ("A ticket was assigned to a unit and a person.", TICKET),
            Topic::TicketWarning => ("A ticket's resolution clock passed the warning share of its target.", SLA),
            Topic::TicketBreached => ("A ticket passed its resolution due time; its unit's managers were told.", SLA),
            Topic::TicketEscalated => ("A breached ticket stayed open half a target longer; the group was told.", SLA),
            Topic::TicketReopened => ("A ticket was reopened (the customer was not satisfied).", TICKET),
            Topic::TicketClosed => ("A ticket was closed.", TICKET),
            Topic::CampaignApproved => ("A campaign was approved; its audience is frozen.", CAMPAIGN),
            Topic::CampaignCancelled => ("A campaign was cancelled; nothing more is sent.", CAMPAIGN),
            Topic::CampaignCompleted => ("A campaign's audience has been decided and sent.", CAMPAIGN),
        };
        format!("{what} {data}")
    }
}

/// What every webhook delivery carries as its JSON body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    /// The event's id, the same on every retry (deduplicate on it).
    pub id: String,
    pub topic: Topic,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Ids and field names as the topic describes; never personal values.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// What a subscription names: one topic, every `customer.*` topic, or everything (`*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum TopicFilter {
    Family(Family),
    One(Topic),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Family {
    #[serde(rename = "*")]
    Everything,
    #[serde(rename = "customer.*")]
    Customer,
}

impl TopicFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            TopicFilter::Family(Family::Everything) => "*",
            TopicFilter::Family(Family::Customer) => "customer.*",
            TopicFilter::One(t) => t.as_str(),
        }
    }

    /// Whether a stored filter (its text) covers `topic`.
    pub fn text_covers(filter: &str, topic: &str) -> bool {
        filter == "*" || filter == topic || filter.strip_suffix('*').is_some_and(|family| topic.starts_with(family))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_are_the_stored_names() {
        for t in Topic::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
            let back: TopicFilter = serde_json::from_value(serde_json::json!(t.as_str())).unwrap();
            assert_eq!(back, TopicFilter::One(t));
        }
        for f in [TopicFilter::Family(Family::Everything), TopicFilter::Family(Family::Customer)] {
            assert_eq!(serde_json::from_value::<TopicFilter>(serde_json::json!(f.as_str())).unwrap(), f);
        }
        assert!(serde_json::from_value::<TopicFilter>(serde_json::json!("customer.offboarded")).is_err());
    }

    #[test]
    fn families_cover_their_topics_only() {
        assert!(TopicFilter::text_covers("customer.*", "customer.merged"));
        assert!(!TopicFilter::text_covers("customer.*", "consent.changed"));
        assert!(TopicFilter::text_covers("*", "user.offboarded"));
        assert!(TopicFilter::text_covers("consent.changed", "consent.changed"));
        assert!(!TopicFilter::text_covers("consent.changed", "customer.created"));
    }
}
