//! A care rule on the wire, and a day of the care calendar.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::consent::purpose::MarketingChannel;

crate::text_enum!(
    /// What a rule watches for: `birthday` (the customer's, found by the month-day index),
    /// `holiday` (a day of the year, `month_day`), `renewal` (`days` before a purchase's
    /// `ends_at`), `tip` (`days` after a purchase).
    CareKind {
        Birthday => "birthday",
        Holiday => "holiday",
        Renewal => "renewal",
        Tip => "tip",
    }
);

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CareRuleInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub kind: CareKind,
    pub channel: MarketingChannel,
    /// The email subject (email only).
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: Option<String>,
    /// The message, with the campaign template variables (`{{name}}`, `{{campaign}}`).
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
    /// `renewal`: days before the end (0: on the day); `tip`: days after the purchase (≥ 1).
    #[validate(range(min = 0, max = 365))]
    #[schema(minimum = 0, maximum = 365)]
    pub days: Option<i64>,
    /// `holiday` only: the day as `MM-DD` (e.g. `01-29`).
    #[schema(example = "10-01")]
    pub month_day: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareRule {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub kind: CareKind,
    pub channel: MarketingChannel,
    pub subject: Option<String>,
    pub body: String,
    pub days: i64,
    pub month_day: Option<String>,
    /// Active once a manager other than its author switched it on.
    pub active: bool,
    pub author_id: String,
    pub approved_by: Option<String>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// How many customers a rule concerns on a day (before consent, caps and quiet hours, which the
/// send decides on the day).
#[derive(Debug, Serialize, ToSchema)]
pub struct CareDay {
    pub date: chrono::NaiveDate,
    pub rule_id: String,
    pub rule_name: String,
    pub kind: CareKind,
    pub customers: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarParams {
    /// Days ahead from today, today included (1–31, default 14).
    #[param(minimum = 1, maximum = 31)]
    pub days: Option<i64>,
}
