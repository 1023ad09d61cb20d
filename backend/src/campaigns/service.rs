//! The campaign's rules: what a plan must hold, who may move it on, and the approval that freezes
//! its audience (four eyes: a manager other than the author).

use chrono::NaiveDateTime;

use super::model::{Campaign, CampaignInput, CampaignReport, CampaignState, Exclusion, ExclusionCount};
use super::store::{self, CampaignRow, Plan, Review};
use super::template;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::consent::purpose::MarketingChannel;
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::org::scope::Scope;
use crate::outbox::{self, Topic};
use crate::segments::{snapshots, store as segment_store};

/// A purchase within this many days of the message counts as its conversion, unless the plan
/// says otherwise.
pub const DEFAULT_ATTRIBUTION_DAYS: i64 = 30;

/// The plan of a valid input, or 422 naming each bad field. Every segment must be one the caller
/// sees.
pub fn plan_of(conn: &mut DbConnection, p: &Principal, input: &CampaignInput) -> Result<Plan, ApiError> {
    validator::Validate::validate(input)?;
    let mut errors = Vec::new();
    if input.ends_at <= input.starts_at {
        errors.push(FieldError::new("ends_at", "after_start"));
    }
    errors.extend(template::check_message(input.channel, input.subject.as_deref(), &input.body));
    match &input.link_url {
        None if template::uses(&input.body, "link") => errors.push(FieldError::new("link_url", "required")),
        Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => {
            errors.push(FieldError::new("link_url", "scheme"));
        }
        _ => {}
    }
    let scope = Scope::of(p);
    for (i, id) in input.segment_ids.iter().enumerate() {
        if input.segment_ids[..i].contains(id) {
            errors.push(FieldError::new(format!("segment_ids[{i}]"), "duplicate"));
        } else if segment_store::get(conn, &scope, id)?.is_none() {
            errors.push(FieldError::new(format!("segment_ids[{i}]"), "not_found"));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Plan {
        name: input.name.trim().to_owned(),
        goal: input.goal.clone(),
        channel: input.channel.as_str().to_owned(),
        subject: input.subject.clone(),
        body: input.body.clone(),
        starts_at: input.starts_at.naive_utc(),
        ends_at: input.ends_at.naive_utc(),
        budget_fen: input.budget_fen,
        cost_per_message_fen: input.cost_per_message_fen,
        link_url: input.link_url.clone(),
        holdout_percent: input.holdout_percent.unwrap_or(0),
        attribution_days: input.attribution_days.unwrap_or(DEFAULT_ATTRIBUTION_DAYS),
    })
}

pub fn new_row(p: &Principal, plan: Plan, at: NaiveDateTime) -> CampaignRow {
    CampaignRow {
        id: crate::db::new_id(),
        unit_id: p.unit_id.clone(),
        name: plan.name,
        goal: plan.goal,
        channel: plan.channel,
        subject: plan.subject,
        body: plan.body,
        starts_at: plan.starts_at,
        ends_at: plan.ends_at,
        budget_fen: plan.budget_fen,
        cost_per_message_fen: plan.cost_per_message_fen,
        state: CampaignState::Draft.as_str().to_owned(),
        send_cursor: None,
        author_id: p.id.clone(),
        reviewed_by: None,
        reviewed_at: None,
        review_note: None,
        audience: 0,
        version: 1,
        created_at: at,
        updated_at: at,
        link_url: plan.link_url,
        holdout_percent: plan.holdout_percent,
        attribution_days: plan.attribution_days,
        care_rule_id: None,
    }
}

pub fn view(conn: &mut DbConnection, row: CampaignRow) -> Result<Campaign, ApiError> {
    views(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
}

/// Rows with their segments, read in one query.
pub fn views(conn: &mut DbConnection, rows: Vec<CampaignRow>) -> Result<Vec<Campaign>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let targets = store::segment_ids(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let segment_ids = targets.iter().filter(|(c, _)| *c == r.id).map(|(_, s)| s.clone()).collect();
            Ok(Campaign {
                channel: MarketingChannel::parse(&r.channel).ok_or_else(|| ApiError::internal("campaign channel"))?,
                state: CampaignState::parse(&r.state).ok_or_else(|| ApiError::internal("campaign state"))?,
                id: r.id,
                unit_id: r.unit_id,
                name: r.name,
                goal: r.goal,
                segment_ids,
                subject: r.subject,
                body: r.body,
                starts_at: r.starts_at.and_utc(),
                ends_at: r.ends_at.and_utc(),
                budget_fen: r.budget_fen,
                cost_per_message_fen: r.cost_per_message_fen,
                author_id: r.author_id,
                reviewed_by: r.reviewed_by,
                reviewed_at: r.reviewed_at.map(|t| t.and_utc()),
                review_note: r.review_note,
                audience: r.audience,
                version: r.version,
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
                link_url: r.link_url,
                holdout_percent: r.holdout_percent,
                attribution_days: r.attribution_days,
                care_rule_id: r.care_rule_id,
            })
        })
        .collect()
}

/// An action on a campaign: the state it needs, the state it leads to, and its audit name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    Approve,
    Reject,
    Cancel,
}

impl Action {
    fn moves(self, from: CampaignState) -> Option<CampaignState> {
        use CampaignState::*;
        match (self, from) {
            (Action::Submit, Draft) => Some(PendingApproval),
            (Action::Approve, PendingApproval) => Some(Scheduled),
            (Action::Reject, PendingApproval) => Some(Draft),
            (Action::Cancel, Draft | PendingApproval | Scheduled | Running) => Some(Cancelled),
            _ => None,
        }
    }

    fn event(self) -> &'static str {
        match self {
            Action::Submit => "campaign.submit",
            Action::Approve => "campaign.approve",
            Action::Reject => "campaign.reject",
            Action::Cancel => "campaign.cancel",
        }
    }
}

/// Takes the action on a campaign the caller sees; approval freezes the audience from fresh
/// snapshots of the targets, taken in the approver's scope, in the same transaction.
pub fn act(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    action: Action,
    note: Option<&str>,
    at: NaiveDateTime,
) -> Result<CampaignRow, ApiError> {
    let scope = Scope::of(p);
    let row = store::get(conn, &scope, id)?.ok_or(ApiError::NotFound)?;
    let from = CampaignState::parse(&row.state).ok_or_else(|| ApiError::internal("campaign state"))?;
    let to = action.moves(from).ok_or_else(|| ApiError::conflict("campaign_state").with("state", from.as_str()))?;
    if matches!(action, Action::Approve | Action::Reject) && row.author_id == p.id {
        return Err(ApiError::conflict("campaign_second_person"));
    }
    if action == Action::Reject && note.is_none() {
        return Err(ApiError::field("note", "required"));
    }
    if action == Action::Approve {
        let mut frozen = Vec::new();
        for segment_id in store::segment_ids(conn, std::slice::from_ref(&row.id))?.into_iter().map(|(_, s)| s) {
            let segment = segment_store::get(conn, &scope, &segment_id)?
                .ok_or_else(|| ApiError::conflict("campaign_segment_gone").with("segment_id", segment_id.clone()))?;
            frozen.push((segment_id, snapshots::take(conn, p, &segment)?.id));
        }
        store::freeze_audience(conn, &row.id, &frozen)?;
    }
    let review = matches!(action, Action::Approve | Action::Reject).then_some(Review { by: &p.id, note });
    if !store::transition(conn, &row.id, row.version, (from.as_str(), to.as_str()), review, at)? {
        return Err(ApiError::conflict("campaign_changed"));
    }
    audit::append(conn, &p.actor(), Event::new(action.event(), "campaign", Some(&row.id)))?;
    let topic = match action {
        Action::Approve => Some(Topic::CampaignApproved),
        Action::Cancel => Some(Topic::CampaignCancelled),
        Action::Submit | Action::Reject => None,
    };
    if let Some(topic) = topic {
        outbox::enqueue(conn, topic, &row.id, Some(&row.unit_id), &serde_json::json!({ "id": row.id }))?;
    }
    Ok(store::get_any(conn, &row.id)?)
}

/// The report's counts from the delivery tallies.
pub fn report(conn: &mut DbConnection, row: &CampaignRow) -> Result<CampaignReport, ApiError> {
    let tallies = store::tallies(conn, &row.id)?;
    let count = |status: &str| tallies.iter().filter(|(s, _, _)| s == status).map(|(_, _, n)| n).sum::<i64>();
    let excluded_by_reason = Exclusion::ALL_TEXT
        .iter()
        .filter_map(|code| Exclusion::parse(code))
        .map(|reason| ExclusionCount {
            reason,
            count: tallies
                .iter()
                .filter(|(s, r, _)| s == "excluded" && r.as_deref() == Some(reason.as_str()))
                .map(|(_, _, n)| n)
                .sum(),
        })
        .collect();
    let sent = count("sent");
    let control = count("control");
    let cost_fen = sent * row.cost_per_message_fen;
    let responded = store::responded(conn, &row.id)?;
    let reached = store::conversions(conn, &row.id, "sent")?;
    let held = store::conversions(conn, &row.id, "control")?;
    let rate = |n: i64, of: i64| if of > 0 { n as f64 / of as f64 } else { 0.0 };
    let conversion_rate = rate(reached.converted, sent);
    let control_conversion_rate = (control > 0).then(|| rate(held.converted, control));
    Ok(CampaignReport {
        campaign_id: row.id.clone(),
        state: CampaignState::parse(&row.state).ok_or_else(|| ApiError::internal("campaign state"))?,
        audience: row.audience,
        decided: tallies.iter().map(|(_, _, n)| n).sum(),
        sent,
        failed: count("failed"),
        queued: count("queued"),
        excluded: count("excluded"),
        excluded_by_reason,
        cost_fen,
        responded,
        participation_rate: rate(responded, sent),
        converted: reached.converted,
        conversion_rate,
        revenue_fen: reached.revenue_fen,
        roi: (cost_fen > 0).then(|| (reached.revenue_fen - cost_fen) as f64 / cost_fen as f64),
        control,
        control_converted: held.converted,
        control_conversion_rate,
        uplift: control_conversion_rate.map(|c| conversion_rate - c),
    })
}
