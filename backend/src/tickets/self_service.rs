//! Customers themselves (issue 16 §6): through a signed link of its own audience — the consent
//! link's mechanism — a customer, or a mobile app acting for them, opens an inquiry or complaint,
//! follows the customer-visible timeline, replies and rates. A rating of 1–2 reopens a complaint.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::flow::{self, TicketKind, TicketStatus};
use super::model::{Channel, NewTicket, TimelineEvent};
use super::service::{self, event, Ctx, Entry};
use super::store::{self, TicketRow};
use super::views;
use crate::audit::{self, Actor, Event};
use crate::customers::model::CustomerRow;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox::Topic;

pub const LINK_TYP: &str = "ticket-link+jwt";
pub const PAGE: &str = "/self-service/tickets";

crate::text_enum!(
    /// What a customer may open themselves.
    SelfServiceKind { Inquiry => "inquiry", Complaint => "complaint" }
);
crate::text_enum!(
    /// Where they write from: the web page or a mobile app acting for them.
    SelfServiceChannel { Website => "website", App => "app" }
);

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerTicketInput {
    pub kind: SelfServiceKind,
    /// Default website.
    pub channel: Option<SelfServiceChannel>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerReply {
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerRating {
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub satisfaction: i32,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// A ticket as its customer sees it: no staff names, no internal notes, no SLA internals.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerTicket {
    pub id: String,
    pub kind: TicketKind,
    pub status: TicketStatus,
    pub subject: String,
    pub satisfaction: Option<i32>,
    /// The customer may rate now (the answer was given, or the ticket is closed).
    pub can_rate: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Only what is shown to the customer, oldest first (staff-only entries left out).
    pub timeline: Vec<TimelineEvent>,
}

fn can_rate(status: TicketStatus) -> bool {
    matches!(status, TicketStatus::AwaitingFeedback | TicketStatus::Closed)
}

pub fn view(conn: &mut DbConnection, ctx: &Ctx<'_>, t: TicketRow, timeline: bool) -> Result<CustomerTicket, ApiError> {
    let (kind, status) = service::parse(&t)?;
    Ok(CustomerTicket {
        subject: views::open(ctx.cipher, "tickets", "subject", &t.id, &t.subject)?,
        timeline: if timeline { views::timeline(conn, ctx.cipher, &t.id, true)? } else { Vec::new() },
        kind,
        status,
        satisfaction: t.satisfaction,
        can_rate: can_rate(status),
        created_at: t.created_at.and_utc(),
        id: t.id,
    })
}

/// The customer's own ticket, or 404 (another customer's is as good as none).
pub fn own(conn: &mut DbConnection, customer: &CustomerRow, id: &str) -> Result<TicketRow, ApiError> {
    store::by_id(conn, id)?.filter(|t| t.customer_id == customer.id).ok_or(ApiError::NotFound)
}

/// Opens a ticket for the customer, in the customer's home unit, unassigned; the class strategy
/// applies as for staff.
pub fn open(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    actor: &Actor,
    customer: &CustomerRow,
    input: CustomerTicketInput,
) -> Result<TicketRow, ApiError> {
    input.validate()?;
    let kind = match input.kind {
        SelfServiceKind::Inquiry => TicketKind::Inquiry,
        SelfServiceKind::Complaint => TicketKind::Complaint,
    };
    let channel = match input.channel.unwrap_or(SelfServiceChannel::Website) {
        SelfServiceChannel::Website => Channel::Website,
        SelfServiceChannel::App => Channel::App,
    };
    let new = NewTicket {
        customer_id: customer.id.clone(),
        kind,
        channel,
        priority: None,
        subject: input.subject,
        description: input.description,
        purchase_id: None,
        unit_id: Some(customer.unit_id.clone()),
        assignee_id: None,
    };
    Ok(service::create_as(conn, ctx, actor, new)?.ticket)
}

/// A reply from the customer, shown on the timeline to both sides.
pub fn reply(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    actor: &Actor,
    t: &TicketRow,
    input: CustomerReply,
) -> Result<(), ApiError> {
    input.validate()?;
    let body = input.body.trim();
    if body.is_empty() {
        return Err(ApiError::field("body", "blank"));
    }
    let entry = Entry { kind: "reply", public: true, body: Some(body), data: serde_json::json!({}) };
    event(conn, ctx.cipher, &t.id, actor.id.as_deref(), entry)?;
    if let Some(a) = &t.assignee_id {
        super::notify::send(conn, a, "ticket.replied", &t.id, serde_json::json!({ "kind": t.kind }))?;
    }
    audit::append(conn, actor, Event::new("ticket.reply", "customer", Some(&t.customer_id)))
}

/// The customer's satisfaction: once the answer was given or the ticket closed. A complaint
/// rated 1–2 is reopened; a ticket awaiting feedback is closed with the rating; a closed one
/// keeps the newer rating.
pub fn rate(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    actor: &Actor,
    mut t: TicketRow,
    input: CustomerRating,
) -> Result<TicketRow, ApiError> {
    input.validate()?;
    let (kind, from) = service::parse(&t)?;
    if !can_rate(from) {
        return Err(ApiError::conflict("rating_not_open").with("status", from.as_str()));
    }
    let reopen = kind == TicketKind::Complaint && input.satisfaction <= flow::DISSATISFIED_AT_MOST;
    let to = if reopen {
        TicketStatus::Reopened
    } else if from == TicketStatus::AwaitingFeedback && flow::next(kind, from).contains(&TicketStatus::Closed) {
        TicketStatus::Closed
    } else {
        from
    };
    let version = t.version;
    t.satisfaction = Some(input.satisfaction);
    match to {
        TicketStatus::Reopened => service::reopen(ctx, &mut t),
        TicketStatus::Closed => (t.closed_at, t.paused_at) = (Some(ctx.at), None),
        _ => {}
    }
    t.status = to.as_str().to_owned();
    (t.updated_at, t.version) = (ctx.at, version + 1);
    if !store::update(conn, &t, version)? {
        return Err(ApiError::conflict("ticket_changed"));
    }
    let comment = input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let data = serde_json::json!({ "satisfaction": input.satisfaction });
    event(conn, ctx.cipher, &t.id, actor.id.as_deref(), Entry { kind: "rating", public: true, body: comment, data })?;
    if to != from {
        let data = serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "by": "customer" });
        event(conn, ctx.cipher, &t.id, actor.id.as_deref(), Entry { kind: "status", public: true, body: None, data })?;
        let topic = if reopen { Topic::TicketReopened } else { Topic::TicketClosed };
        service::announce(conn, topic, &t)?;
    }
    audit::append(conn, actor, Event::new("ticket.rating", "customer", Some(&t.customer_id)))?;
    Ok(t)
}
