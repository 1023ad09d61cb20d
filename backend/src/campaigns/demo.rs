//! Demo campaigns for `guanxi seed-demo`, made the way users make them: a segment, a plan by one
//! manager approved by another (which freezes the audience), and the send job deciding every
//! member against the demo's consents. "Spring offer" ran two months ago with a tracked link and
//! a 10 % control group, so its report shows reach, exclusions by reason, conversions from the
//! demo's purchases and uplift; "Member day" is approved and starts in ten minutes, so a server
//! running jobs sends it while the user watches.

use chrono::{NaiveDateTime, TimeDelta, Timelike};
use diesel::prelude::*;

use super::model::CampaignInput;
use super::service::{self, Action};
use super::{send, store};
use crate::auth::Principal;
use crate::consent::purpose::MarketingChannel;
use crate::db::schema::campaigns;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::segments::store::{self as segments, SegmentRow};
use crate::state::AppState;

fn plan(name: &str, segment: &str, body: &str, starts: NaiveDateTime) -> CampaignInput {
    CampaignInput {
        name: name.to_owned(),
        goal: Some("到店转化 In-store conversion".into()),
        channel: MarketingChannel::Sms,
        segment_ids: vec![segment.to_owned()],
        subject: None,
        body: body.to_owned(),
        starts_at: starts.and_utc(),
        ends_at: (starts + TimeDelta::days(7)).and_utc(),
        budget_fen: None,
        cost_per_message_fen: 5,
        link_url: Some("https://www.example.com/spring".into()),
        holdout_percent: Some(10),
        attribution_days: Some(30),
    }
}

fn launch(
    conn: &mut DbConnection,
    author: &Principal,
    approver: &Principal,
    input: &CampaignInput,
    at: NaiveDateTime,
) -> Result<String, ApiError> {
    let row = service::new_row(author, service::plan_of(conn, author, input)?, at);
    store::insert(conn, &row, &input.segment_ids)?;
    service::act(conn, author, &row.id, Action::Submit, None, at)?;
    service::act(conn, approver, &row.id, Action::Approve, None, at)?;
    Ok(row.id)
}

/// Seeds the two campaigns unless there are campaigns already; returns the first one's tally.
pub fn seed(
    conn: &mut DbConnection,
    state: &AppState,
    author: &Principal,
    approver: &Principal,
    now: NaiveDateTime,
) -> Result<Option<send::Tally>, ApiError> {
    if campaigns::table.count().get_result::<i64>(conn)? > 0 {
        return Ok(None);
    }
    let segment = SegmentRow {
        id: crate::db::new_id(),
        unit_id: author.unit_id.clone(),
        name: "个人客户 Individual customers".into(),
        description: Some("全部个人客户 Every individual customer".into()),
        rule: serde_json::json!({"field": "customer_type", "op": "in", "value": ["individual"]}).to_string(),
        version: 1,
        created_by: Some(author.id.clone()),
        created_at: now,
        updated_at: now,
    };
    segments::insert(conn, &segment)?;
    // 10:00 in Beijing, sixty days ago: outside quiet hours, its attribution window long closed.
    let day = now - TimeDelta::days(60);
    let ran = day.with_hour(2).and_then(|t| t.with_minute(0)).unwrap_or(day);
    let body = "{{name}}您好，春季回馈：宽带续费享 8 折，详见 {{link}}";
    let spring = launch(conn, author, approver, &plan("春季回馈 Spring offer", &segment.id, body, ran), ran)?;
    let tally = send::tick(conn, state, ran + TimeDelta::minutes(5))?;
    // One in eight reached customers followed the link.
    store::demo_responses(conn, &spring, &["%3", "%a"])?;
    let body = "{{name}}您好，本周六会员日积分双倍，详见 {{link}}";
    launch(conn, author, approver, &plan("会员日 Member day", &segment.id, body, now + TimeDelta::minutes(10)), now)?;
    Ok(Some(tally))
}
