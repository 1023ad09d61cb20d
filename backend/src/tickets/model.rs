//! Tickets as the API reads and writes them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::flow::{TicketKind, TicketStatus};
use crate::customers::summary::CustomerRef;

crate::text_enum!(
    /// Where the customer reached us.
    Channel {
        Hotline => "hotline",
        Website => "website",
        Email => "email",
        Social => "social",
        Chat => "chat",
        InPerson => "in_person",
        App => "app",
    }
);
crate::text_enum!(
    /// Where a ticket's resolution clock stands.
    SlaState { OnTrack => "on_track", Warned => "warned", Breached => "breached", Escalated => "escalated" }
);
crate::text_enum!(
    /// How soon: a key customer's ticket is raised by their class strategy.
    Priority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
);

impl Priority {
    /// The rank of the strategies' service priority (1 first … 4 last) as a ticket priority.
    pub fn of_service_priority(p: u8) -> Priority {
        match p {
            1 => Priority::Urgent,
            2 => Priority::High,
            3 => Priority::Normal,
            _ => Priority::Low,
        }
    }

    fn rank(self) -> u8 {
        match self {
            Priority::Urgent => 4,
            Priority::High => 3,
            Priority::Normal => 2,
            Priority::Low => 1,
        }
    }

    pub fn max(self, other: Priority) -> Priority {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub customer_id: String,
    pub kind: TicketKind,
    pub channel: Channel,
    /// Default normal; a key customer's class strategy may raise it (the green channel).
    pub priority: Option<Priority>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// The purchase the ticket is about (one of the customer's).
    pub purchase_id: Option<String>,
    /// The responsible unit; default the caller's own.
    pub unit_id: Option<String>,
    pub assignee_id: Option<String>,
}

/// A step of the workflow. What a step needs: `assigned` — `assignee_id` (and for complaints the
/// investigation `findings` and the `cause`); `awaiting_feedback`, and `closed` for inquiries —
/// `solution`; `closed` otherwise — `feedback` and `satisfaction`; `reopened` and `cancelled` —
/// `reason`.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub to: TicketStatus,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub findings: Option<String>,
    /// Responsible unit (default the ticket's).
    pub unit_id: Option<String>,
    pub assignee_id: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub cause: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub solution: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub feedback: Option<String>,
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub satisfaction: Option<i32>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// On closing a service ticket: plan a revisit this many days later.
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365)]
    pub revisit_after_days: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
    /// Shown to the customer on their self-service page; default internal.
    #[serde(default)]
    pub public: bool,
}

/// One entry of a ticket's timeline. `kind`: comment, created, status, assignment, sla_warning,
/// sla_breach, escalation, rating. `data` holds codes and figures (`{"from":"new","to":"investigating"}`),
/// never sentences: the UI words them.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub id: String,
    pub kind: String,
    pub public: bool,
    pub body: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub actor_id: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The SLA clocks as the queue shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlaClocks {
    /// `always` or `business`: what the resolution target counts.
    pub clock: String,
    pub first_response_due: chrono::DateTime<chrono::Utc>,
    pub first_responded_at: Option<chrono::DateTime<chrono::Utc>>,
    pub resolution_due: chrono::DateTime<chrono::Utc>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// While waiting on the customer the clocks stand still.
    pub paused: bool,
    /// on_track; warned (past the warning share of the target); breached (past due, escalated to
    /// the unit's manager); escalated (half the target later still, to the group).
    pub state: SlaState,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ticket {
    pub id: String,
    /// Masked for the caller's role.
    pub customer: CustomerRef,
    pub kind: TicketKind,
    pub channel: Channel,
    pub priority: Priority,
    #[schema(value_type = crate::strategies::model::SlaClass)]
    pub sla_class: String,
    /// Served in the priority lane (a key customer's class strategy).
    pub green_channel: bool,
    pub status: TicketStatus,
    pub subject: String,
    pub description: Option<String>,
    pub purchase_id: Option<String>,
    pub parent_id: Option<String>,
    pub unit_id: String,
    pub assignee_id: Option<String>,
    pub cause: Option<String>,
    pub reopen_count: i32,
    pub satisfaction: Option<i32>,
    pub revisit_at: Option<chrono::DateTime<chrono::Utc>>,
    pub sla: SlaClocks,
    /// The statuses the caller may move it to now (the UI's buttons).
    pub next: Vec<TicketStatus>,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
}

/// A ticket with its timeline, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDetail {
    #[serde(flatten)]
    pub ticket: Ticket,
    pub timeline: Vec<TimelineEvent>,
}

/// Queue sizes, for the queue page's live counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueCounts {
    pub mine: i64,
    pub unit: i64,
    pub unassigned: i64,
    pub breaching_soon: i64,
    pub overdue: i64,
    /// Revisits planned for me, not yet done.
    pub revisits: i64,
}
