//! What a campaign is on the wire and the words its state and deliveries are stored in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::consent::purpose::MarketingChannel;

crate::text_enum!(
    /// draft → pending_approval → scheduled → running → completed; cancelled from any but
    /// completed; a rejected campaign goes back to draft with the reviewer's note.
    CampaignState {
        Draft => "draft",
        PendingApproval => "pending_approval",
        Scheduled => "scheduled",
        Running => "running",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

crate::text_enum!(
    /// Why a member of the audience received nothing, decided at the moment of sending:
    /// `no_consent` (none recorded for the channel's marketing purpose), `withdrawn` (the newest
    /// record withdrew it), `unreachable` (no address for the channel, marked unreachable, erased
    /// or deleted), `capped` (the frequency cap across campaigns), `quiet_hours` (the window
    /// closed while quiet hours held the rest back), `not_profiled` (withdrew profiling, so not
    /// targeted by segments), `budget` (the budget was spent).
    Exclusion {
        NoConsent => "no_consent",
        Withdrawn => "withdrawn",
        Unreachable => "unreachable",
        Capped => "capped",
        QuietHours => "quiet_hours",
        NotProfiled => "not_profiled",
        Budget => "budget",
    }
);

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub goal: Option<String>,
    pub channel: MarketingChannel,
    /// The segments whose members are the audience (frozen as snapshots at approval).
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub segment_ids: Vec<String>,
    /// The email subject (email only). May use the template variables.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: Option<String>,
    /// The message, with `{{name}}` (masked on SMS and push) and `{{campaign}}`. SMS gain the
    /// opt-out line, emails the unsubscribe link.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// After `starts_at`; members not reached by then are left out (`quiet_hours`).
    pub ends_at: chrono::DateTime<chrono::Utc>,
    /// At most this much is spent, in fen; none: no limit.
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub budget_fen: Option<i64>,
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    pub cost_per_message_fen: i64,
    /// The landing page `{{link}}` leads to, through a signed redirect that records the response.
    #[validate(url, length(max = 500))]
    #[schema(format = "uri", max_length = 500)]
    pub link_url: Option<String>,
    /// The share of the eligible audience held back as the control group, at random (default 0).
    #[validate(range(min = 0, max = 50))]
    #[schema(minimum = 0, maximum = 50)]
    pub holdout_percent: Option<i64>,
    /// A purchase within this many days of the message is its conversion (default 30).
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365)]
    pub attribution_days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Campaign {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub goal: Option<String>,
    pub channel: MarketingChannel,
    pub segment_ids: Vec<String>,
    pub subject: Option<String>,
    pub body: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub budget_fen: Option<i64>,
    pub cost_per_message_fen: i64,
    pub state: CampaignState,
    pub author_id: String,
    /// Who approved or rejected it last, when, and the note given.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub review_note: Option<String>,
    /// Members frozen at approval (0 before).
    pub audience: i64,
    /// Also the `ETag`; a change sends it as `If-Match`.
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub link_url: Option<String>,
    pub holdout_percent: i64,
    pub attribution_days: i64,
    /// The care rule whose day this campaign is (made by the morning care job).
    pub care_rule_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// Why (required to reject).
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub note: Option<String>,
}

/// One reason and how many members it left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExclusionCount {
    pub reason: Exclusion,
    pub count: i64,
}

/// Where a campaign's audience stands (MKT-2/3).
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignReport {
    pub campaign_id: String,
    pub state: CampaignState,
    pub audience: i64,
    /// Members decided so far (the rest wait for the send job).
    pub decided: i64,
    pub sent: i64,
    pub failed: i64,
    /// Decided and handed to no adapter yet.
    pub queued: i64,
    pub excluded: i64,
    /// Every reason, zero included, in a fixed order.
    pub excluded_by_reason: Vec<ExclusionCount>,
    /// `sent × cost_per_message_fen`.
    pub cost_fen: i64,
    /// Reached members who followed the tracked link; `participation_rate` = responded ÷ sent.
    pub responded: i64,
    pub participation_rate: f64,
    /// Reached members with a purchase within the attribution window after their message;
    /// `conversion_rate` = converted ÷ sent.
    pub converted: i64,
    pub conversion_rate: f64,
    /// What those purchases came to, net of their refunds (fen).
    pub revenue_fen: i64,
    /// (revenue − cost) ÷ cost; none while nothing was spent.
    pub roi: Option<f64>,
    /// Eligible members held back as the control group, and how many of them bought in the same
    /// window; `control_conversion_rate` = control_converted ÷ control (none without a group).
    pub control: i64,
    pub control_converted: i64,
    pub control_conversion_rate: Option<f64>,
    /// conversion_rate − control_conversion_rate: what the message added.
    pub uplift: Option<f64>,
}
