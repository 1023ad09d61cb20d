//! Opening a ticket, moving it through its workflow and commenting: each one transaction with its
//! timeline entries, audit, outbox event and staff notifications.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::calendar::Clock;
use super::flow::{self, Needs, TicketKind, TicketStatus};
use super::model::{NewComment, NewTicket, Priority, Transition};
use super::notify;
use super::sla::{self, Key, Setup};
use super::store::{self, EventRow, TicketRow};
use crate::audit::{self, Actor, Event};
use crate::auth::Principal;
use crate::crypto::field::FieldCipher;
use crate::customers::summary::CustomerRef;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::org::scope::Scope;
use crate::outbox::Topic;

pub fn clock_of(row: &TicketRow) -> Clock {
    if row.clock == "always" {
        Clock::Always
    } else {
        Clock::Business
    }
}

fn clock_text(c: Clock) -> &'static str {
    match c {
        Clock::Always => "always",
        Clock::Business => "business",
    }
}

fn text(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A unit in the caller's scope, or 422 on `field`.
fn unit_in_scope(conn: &mut DbConnection, p: &Principal, field: &str, id: &str) -> Result<(), ApiError> {
    // The caller's own unit needs no trip: the session check vouches for it and its path.
    if id == p.unit_id {
        return Ok(());
    }
    match crate::org::store::unit_path(conn, id)? {
        Some(path) if p.sees_unit_path(&path) => Ok(()),
        _ => Err(ApiError::field(field, "unknown")),
    }
}

/// An active member of staff of a unit in the caller's scope, or 422 on `field`.
fn assignable(conn: &mut DbConnection, p: &Principal, field: &str, id: &str) -> Result<(), ApiError> {
    match crate::org::store::user_with_path(conn, id)? {
        Some((user, path)) if user.active && p.sees_unit_path(&path) => Ok(()),
        _ => Err(ApiError::field(field, "unknown")),
    }
}

fn purchase_of(conn: &mut DbConnection, customer_id: &str, purchase_id: &str) -> Result<(), ApiError> {
    use crate::db::schema::purchases;
    let found: Option<String> = purchases::table
        .filter(purchases::id.eq(purchase_id))
        .filter(purchases::customer_id.eq(customer_id))
        .select(purchases::id)
        .first(conn)
        .optional()?;
    found.map(|_| ()).ok_or_else(|| ApiError::field("purchase_id", "unknown"))
}

pub struct Ctx<'a> {
    pub cipher: &'a FieldCipher,
    pub setup: std::sync::Arc<Setup>,
    pub at: NaiveDateTime,
}

impl<'a> Ctx<'a> {
    /// What a ticket write needs: the cipher, the SLA setup as stored now, and the service clock.
    pub fn load(conn: &mut DbConnection, state: &'a crate::state::AppState) -> Result<Ctx<'a>, ApiError> {
        Ok(Ctx {
            cipher: &state.cipher,
            setup: super::sla_config::current(conn, &state.sla_setup)?,
            at: state.clock.now(),
        })
    }
}

/// A timeline entry (the stored row returned): its kind, whether the customer sees it, its text (encrypted) and its codes.
pub struct Entry<'a> {
    pub kind: &'a str,
    pub public: bool,
    pub body: Option<&'a str>,
    pub data: serde_json::Value,
}

pub fn event(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    ticket_id: &str,
    actor: Option<&str>,
    e: Entry<'_>,
) -> Result<EventRow, ApiError> {
    let id = new_id();
    let body = e.body.map(|b| cipher.encrypt("ticket_events", "body", &id, b));
    let row = EventRow {
        id,
        ticket_id: ticket_id.to_owned(),
        kind: e.kind.to_owned(),
        public: e.public,
        body,
        data: e.data.to_string(),
        actor_id: actor.map(str::to_owned),
        at: now(),
    };
    store::insert_event(conn, &row)?;
    Ok(row)
}

fn outbox(conn: &mut DbConnection, topic: Topic, t: &TicketRow) -> Result<(), ApiError> {
    let data = serde_json::json!({
        "ticket_id": t.id, "customer_id": t.customer_id, "unit_id": t.unit_id, "kind": t.kind,
        "status": t.status, "priority": t.priority, "assignee_id": t.assignee_id,
    });
    crate::outbox::enqueue(conn, topic, &t.id, None, &data)?;
    Ok(())
}

/// Opens a ticket for a customer the caller may read. A key customer's class strategy raises the
/// priority and sets the SLA class (the green channel).
pub fn create(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    p: &Principal,
    input: NewTicket,
) -> Result<(Opened, CustomerRef), ApiError> {
    use validator::Validate;
    input.validate()?;
    let customer = crate::customers::summary::readable(conn, ctx.cipher, p, &input.customer_id)?;
    let unit_id = input.unit_id.clone().unwrap_or_else(|| p.unit_id.clone());
    unit_in_scope(conn, p, "unit_id", &unit_id)?;
    if let Some(a) = &input.assignee_id {
        assignable(conn, p, "assignee_id", a)?;
    }
    if let Some(pid) = &input.purchase_id {
        purchase_of(conn, &input.customer_id, pid)?;
    }
    let opened = create_as(conn, ctx, &p.actor(), NewTicket { unit_id: Some(unit_id), ..input })?;
    Ok((opened, customer))
}

/// A new ticket and the timeline entries written with it (the answer is built from them, not
/// read back).
pub struct Opened {
    pub ticket: TicketRow,
    pub entries: Vec<EventRow>,
}

/// Opens a ticket whose customer, unit and assignee were checked (`create` for staff, the
/// customer's own link for self-service).
pub fn create_as(conn: &mut DbConnection, ctx: &Ctx<'_>, actor: &Actor, input: NewTicket) -> Result<Opened, ApiError> {
    use validator::Validate;
    input.validate()?;
    let subject = text(Some(&input.subject)).ok_or_else(|| ApiError::field("subject", "blank"))?;
    let unit_id = input.unit_id.clone().ok_or_else(|| ApiError::field("unit_id", "required"))?;
    let strategy = crate::tiers::service::strategy_of(conn, &input.customer_id)?.strategy;
    let asked = input.priority.unwrap_or(Priority::Normal);
    let priority =
        if strategy.green_channel { asked.max(Priority::of_service_priority(strategy.priority)) } else { asked };
    let sla_class = strategy.sla_class.as_str();
    let key =
        Key { kind: input.kind.as_str(), channel: input.channel.as_str(), priority: priority.as_str(), sla_class };
    let targets = sla::targets(&ctx.setup.policies, &key);
    let c = sla::start(&ctx.setup.calendar, targets, ctx.at, ctx.at, ctx.setup.warn_percent);
    let id = new_id();
    let row = TicketRow {
        subject: ctx.cipher.encrypt("tickets", "subject", &id, &subject),
        description: text(input.description.as_deref()).map(|d| ctx.cipher.encrypt("tickets", "description", &id, &d)),
        id,
        customer_id: input.customer_id,
        unit_id,
        assignee_id: input.assignee_id,
        kind: input.kind.as_str().to_owned(),
        channel: input.channel.as_str().to_owned(),
        priority: priority.as_str().to_owned(),
        sla_class: sla_class.to_owned(),
        green_channel: strategy.green_channel,
        status: TicketStatus::New.as_str().to_owned(),
        purchase_id: input.purchase_id,
        parent_id: None,
        reopen_count: 0,
        cause: None,
        clock: clock_text(targets.clock).to_owned(),
        first_response_due: c.first_response_due,
        resolution_due: c.resolution_due,
        warn_at: c.warn_at,
        escalate_at: c.escalate_at,
        first_responded_at: None,
        resolved_at: None,
        paused_at: None,
        sla_state: "on_track".into(),
        satisfaction: None,
        revisit_at: None,
        created_by: actor.id.clone().unwrap_or_default(),
        created_at: ctx.at,
        updated_at: ctx.at,
        closed_at: None,
        version: 1,
    };
    store::insert(conn, &row)?;
    let data = serde_json::json!({
        "kind": row.kind, "channel": row.channel, "priority": row.priority, "sla_class": row.sla_class,
        "green_channel": row.green_channel, "asked_priority": asked.as_str(),
    });
    let mut entries = vec![event(
        conn,
        ctx.cipher,
        &row.id,
        actor.id.as_deref(),
        Entry { kind: "created", public: true, body: None, data },
    )?];
    if let Some(a) = &row.assignee_id {
        let to = serde_json::json!({ "to": a });
        entries.push(event(
            conn,
            ctx.cipher,
            &row.id,
            actor.id.as_deref(),
            Entry { kind: "assignment", public: false, body: None, data: to },
        )?);
        notify::send(conn, a, "ticket.assigned", &row.id, serde_json::json!({ "kind": row.kind }))?;
    }
    outbox(conn, Topic::TicketCreated, &row)?;
    audit::append(conn, actor, Event::new("ticket.create", "customer", Some(&row.customer_id)))?;
    Ok(Opened { ticket: row, entries })
}

fn required(v: Option<&str>, field: &str) -> Result<String, ApiError> {
    text(v).ok_or_else(|| ApiError::field(field, "required"))
}

/// The texts a step carries, each a timeline entry: (field, text, shown to the customer).
type Notes = Vec<(&'static str, String, bool)>;

/// Checks what a step into `to` needs; returns the texts it carries.
fn carried(conn: &mut DbConnection, p: &Principal, kind: TicketKind, t: &Transition) -> Result<Notes, ApiError> {
    let mut notes: Notes = Vec::new();
    match flow::needs(kind, t.to) {
        Needs::Nothing => {}
        Needs::Responsibility => {
            let assignee = t.assignee_id.as_deref().ok_or_else(|| ApiError::field("assignee_id", "required"))?;
            assignable(conn, p, "assignee_id", assignee)?;
            if let Some(u) = &t.unit_id {
                unit_in_scope(conn, p, "unit_id", u)?;
            }
            if kind == TicketKind::Complaint {
                notes.push(("findings", required(t.findings.as_deref(), "findings")?, false));
                notes.push(("cause", required(t.cause.as_deref(), "cause")?, false));
            }
        }
        Needs::Solution => notes.push(("solution", required(t.solution.as_deref(), "solution")?, true)),
        Needs::Feedback => {
            notes.push(("feedback", required(t.feedback.as_deref(), "feedback")?, true));
            if t.satisfaction.is_none() {
                return Err(ApiError::field("satisfaction", "required"));
            }
        }
        Needs::Reason => notes.push(("reason", required(t.reason.as_deref(), "reason")?, true)),
    }
    if let Some(c) = text(t.comment.as_deref()) {
        notes.push(("comment", c, false));
    }
    Ok(notes)
}

/// A 409 naming the statuses that may follow.
fn not_allowed(kind: TicketKind, from: TicketStatus, to: TicketStatus) -> ApiError {
    let allowed: Vec<&str> = flow::next(kind, from).iter().map(|s| s.as_str()).collect();
    ApiError::conflict("transition_not_allowed")
        .with("from", from.as_str())
        .with("to", to.as_str())
        .with("allowed", allowed.join(", "))
}

pub fn parse(row: &TicketRow) -> Result<(TicketKind, TicketStatus), ApiError> {
    let kind = TicketKind::parse(&row.kind).ok_or_else(|| ApiError::Internal("stored ticket kind".into()))?;
    let status = TicketStatus::parse(&row.status).ok_or_else(|| ApiError::Internal("stored ticket status".into()))?;
    Ok((kind, status))
}

/// Reopened: counted, open again, its resolution clock started afresh.
pub fn reopen(ctx: &Ctx<'_>, t: &mut TicketRow) {
    t.reopen_count += 1;
    t.closed_at = None;
    restart(ctx, t);
}

/// The outbox event of a step and the assignee's notification.
pub fn announce(conn: &mut DbConnection, topic: Topic, t: &TicketRow) -> Result<(), ApiError> {
    outbox(conn, topic, t)?;
    if let Some(a) = &t.assignee_id {
        notify::send(conn, a, topic.as_str(), &t.id, serde_json::json!({ "kind": t.kind }))?;
    }
    Ok(())
}

/// A reopened ticket's resolution clock starts again from now, with the targets its policy
/// gives today; the first response stays answered.
fn restart(ctx: &Ctx<'_>, t: &mut TicketRow) {
    let key = Key { kind: &t.kind, channel: &t.channel, priority: &t.priority, sla_class: &t.sla_class };
    let targets = sla::targets(&ctx.setup.policies, &key);
    let c = sla::start(&ctx.setup.calendar, targets, ctx.at, t.created_at, ctx.setup.warn_percent);
    t.clock = clock_text(targets.clock).to_owned();
    (t.resolution_due, t.warn_at, t.escalate_at) = (c.resolution_due, c.warn_at, c.escalate_at);
    (t.resolved_at, t.sla_state, t.paused_at) = (None, "on_track".into(), None);
}

/// Moves a ticket on (409 listing the allowed steps otherwise). A complaint closed with a
/// satisfaction of 1–2 is reopened instead: the customer was not satisfied.
pub fn transition(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    actor: &Principal,
    mut t: TicketRow,
    input: Transition,
) -> Result<TicketRow, ApiError> {
    use validator::Validate;
    input.validate()?;
    let (kind, from) = parse(&t)?;
    if !flow::next(kind, from).contains(&input.to) {
        return Err(not_allowed(kind, from, input.to));
    }
    let notes = carried(conn, actor, kind, &input)?;
    let mut to = input.to;
    if to == TicketStatus::Closed
        && kind == TicketKind::Complaint
        && input.satisfaction.is_some_and(|s| s <= flow::DISSATISFIED_AT_MOST)
    {
        to = TicketStatus::Reopened;
    }
    let version = t.version;
    let before_assignee = t.assignee_id.clone();
    if from == TicketStatus::New && t.first_responded_at.is_none() {
        t.first_responded_at = Some(ctx.at);
    }
    match to {
        TicketStatus::Assigned => {
            t.assignee_id = input.assignee_id.clone();
            if let Some(u) = &input.unit_id {
                t.unit_id = u.clone();
            }
            if let Some(c) = text(input.cause.as_deref()) {
                t.cause = Some(c);
            }
        }
        TicketStatus::AwaitingFeedback => t.paused_at = Some(ctx.at),
        TicketStatus::Closed => {
            t.closed_at = Some(ctx.at);
            t.satisfaction = input.satisfaction.or(t.satisfaction);
        }
        TicketStatus::Reopened => {
            t.satisfaction = input.satisfaction.or(t.satisfaction);
            reopen(ctx, &mut t);
        }
        _ => {}
    }
    if flow::resolves(to) && t.resolved_at.is_none() {
        t.resolved_at = Some(ctx.at);
    }
    t.status = to.as_str().to_owned();
    t.updated_at = ctx.at;
    t.version = version + 1;
    let revisit = match (to, input.revisit_after_days) {
        (TicketStatus::Closed, Some(days)) if kind != TicketKind::Revisit => Some(ctx.at + Duration::days(days)),
        _ => None,
    };
    if !store::update(conn, &t, version)? {
        return Err(ApiError::conflict("ticket_changed"));
    }
    for (field, body, public) in &notes {
        let data = serde_json::json!({ "field": field });
        event(
            conn,
            ctx.cipher,
            &t.id,
            Some(&actor.id),
            Entry { kind: "note", public: *public, body: Some(body), data },
        )?;
    }
    let mut data = serde_json::json!({ "from": from.as_str(), "to": to.as_str() });
    if let Some(s) = input.satisfaction {
        data["satisfaction"] = s.into();
    }
    event(conn, ctx.cipher, &t.id, Some(&actor.id), Entry { kind: "status", public: true, body: None, data })?;
    if t.assignee_id != before_assignee {
        let data = serde_json::json!({ "from": before_assignee, "to": t.assignee_id, "unit_id": t.unit_id });
        event(conn, ctx.cipher, &t.id, Some(&actor.id), Entry { kind: "assignment", public: false, body: None, data })?;
        if let Some(a) = &t.assignee_id {
            notify::send(conn, a, "ticket.assigned", &t.id, serde_json::json!({ "kind": t.kind }))?;
        }
    }
    if let Some(at) = revisit {
        plan_revisit(conn, ctx, actor, &t, at)?;
    }
    let topic = match to {
        TicketStatus::Assigned => Some(Topic::TicketAssigned),
        TicketStatus::Reopened => Some(Topic::TicketReopened),
        TicketStatus::Closed => Some(Topic::TicketClosed),
        _ => None,
    };
    match topic {
        // The assignee heard of the assignment above.
        Some(Topic::TicketAssigned) => outbox(conn, Topic::TicketAssigned, &t)?,
        Some(topic) => announce(conn, topic, &t)?,
        None => {}
    }
    let event = Event::new("ticket.transition", "customer", Some(&t.customer_id)).fields(&["status"]);
    audit::append(conn, &actor.actor(), event)?;
    Ok(t)
}

/// A revisit ticket for the same customer, due `at`, with the closed ticket as its parent.
fn plan_revisit(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    actor: &Principal,
    parent: &TicketRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let subject = super::views::open(ctx.cipher, "tickets", "subject", &parent.id, &parent.subject)?;
    let targets = sla::targets(
        &ctx.setup.policies,
        &Key { kind: "revisit", channel: &parent.channel, priority: &parent.priority, sla_class: &parent.sla_class },
    );
    let c = sla::start(&ctx.setup.calendar, targets, at, at, ctx.setup.warn_percent);
    let id = new_id();
    let row = TicketRow {
        subject: ctx.cipher.encrypt("tickets", "subject", &id, &subject),
        description: None,
        id,
        kind: TicketKind::Revisit.as_str().to_owned(),
        status: TicketStatus::New.as_str().to_owned(),
        parent_id: Some(parent.id.clone()),
        reopen_count: 0,
        cause: None,
        clock: clock_text(targets.clock).to_owned(),
        first_response_due: c.first_response_due,
        resolution_due: c.resolution_due,
        warn_at: c.warn_at,
        escalate_at: c.escalate_at,
        first_responded_at: None,
        resolved_at: None,
        paused_at: None,
        sla_state: "on_track".into(),
        satisfaction: None,
        revisit_at: Some(at),
        created_by: actor.id.clone(),
        created_at: ctx.at,
        updated_at: ctx.at,
        closed_at: None,
        version: 1,
        ..parent.clone()
    };
    store::insert(conn, &row)?;
    let data = serde_json::json!({ "kind": row.kind, "parent_id": parent.id, "revisit_at": at.and_utc() });
    event(
        conn,
        ctx.cipher,
        &row.id,
        Some(&actor.id),
        Entry { kind: "created", public: false, body: None, data: data.clone() },
    )?;
    event(conn, ctx.cipher, &parent.id, Some(&actor.id), Entry { kind: "revisit", public: false, body: None, data })?;
    outbox(conn, Topic::TicketCreated, &row)
}

/// A comment on the timeline; the first one shown to the customer is the first response.
/// Returns the ticket as it is now.
pub fn comment(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    actor: &Principal,
    mut t: TicketRow,
    input: NewComment,
) -> Result<TicketRow, ApiError> {
    use validator::Validate;
    input.validate()?;
    let body = text(Some(&input.body)).ok_or_else(|| ApiError::field("body", "blank"))?;
    event(
        conn,
        ctx.cipher,
        &t.id,
        Some(&actor.id),
        Entry { kind: "comment", public: input.public, body: Some(&body), data: serde_json::json!({}) },
    )?;
    if input.public && t.first_responded_at.is_none() {
        let version = t.version;
        (t.first_responded_at, t.updated_at, t.version) = (Some(ctx.at), ctx.at, version + 1);
        if !store::update(conn, &t, version)? {
            return Err(ApiError::conflict("ticket_changed"));
        }
    }
    audit::append(conn, &actor.actor(), Event::new("ticket.comment", "customer", Some(&t.customer_id)))?;
    Ok(t)
}

/// The ticket of `id` the caller sees, or 404.
pub fn visible(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<TicketRow, ApiError> {
    store::get(conn, &Scope::of(p), &p.id, id)?.ok_or(ApiError::NotFound)
}
