//! Ticket rows as the API shows them: texts decrypted, the customer masked for the caller's role,
//! the next legal steps, the timeline.

use std::collections::HashMap;

use super::flow::{self, TicketKind, TicketStatus};
use super::model::{Channel, Priority, SlaClocks, SlaState, Ticket, TicketDetail, TimelineEvent};
use super::store::{self, TicketRow};
use crate::auth::{Permission, Principal};
use crate::crypto::field::FieldCipher;
use crate::customers::summary::{summaries, CustomerRef};
use crate::db::DbConnection;
use crate::error::ApiError;

/// A stored text of a ticket in clear (the row id binds it to its row).
pub fn open(cipher: &FieldCipher, table: &str, column: &str, id: &str, stored: &str) -> Result<String, ApiError> {
    // Erased (the customer's data was anonymised): nothing to open.
    if stored.is_empty() {
        return Ok(String::new());
    }
    cipher.decrypt(table, column, id, stored).map_err(|e| ApiError::internal(format!("{table} {id} {column}: {e:?}")))
}

fn stored<T>(v: Option<T>, what: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::Internal(format!("stored ticket {what} unknown")))
}

fn view(cipher: &FieldCipher, p: Option<&Principal>, r: TicketRow, customer: CustomerRef) -> Result<Ticket, ApiError> {
    let kind = stored(TicketKind::parse(&r.kind), "kind")?;
    let status = stored(TicketStatus::parse(&r.status), "status")?;
    let next = match p {
        Some(p) if p.allows(Permission::TicketsWrite) => flow::next(kind, status).to_vec(),
        _ => Vec::new(),
    };
    Ok(Ticket {
        subject: open(cipher, "tickets", "subject", &r.id, &r.subject)?,
        description: r.description.as_deref().map(|d| open(cipher, "tickets", "description", &r.id, d)).transpose()?,
        customer,
        kind,
        channel: stored(Channel::parse(&r.channel), "channel")?,
        priority: stored(Priority::parse(&r.priority), "priority")?,
        sla_class: r.sla_class,
        green_channel: r.green_channel,
        status,
        purchase_id: r.purchase_id,
        parent_id: r.parent_id,
        unit_id: r.unit_id,
        assignee_id: r.assignee_id,
        cause: r.cause,
        reopen_count: r.reopen_count,
        satisfaction: r.satisfaction,
        revisit_at: r.revisit_at.map(|t| t.and_utc()),
        sla: SlaClocks {
            clock: r.clock,
            first_response_due: r.first_response_due.and_utc(),
            first_responded_at: r.first_responded_at.map(|t| t.and_utc()),
            resolution_due: r.resolution_due.and_utc(),
            resolved_at: r.resolved_at.map(|t| t.and_utc()),
            paused: r.paused_at.is_some(),
            state: stored(SlaState::parse(&r.sla_state), "SLA state")?,
        },
        next,
        created_by: r.created_by,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        closed_at: r.closed_at.map(|t| t.and_utc()),
        version: r.version,
        id: r.id,
    })
}

/// A page of tickets with their customers (one statement for the page). A ticket the caller
/// sees through its unit or assignment whose customer they cannot reach shows the customer's id
/// only.
pub fn tickets(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    rows: Vec<TicketRow>,
) -> Result<Vec<Ticket>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
    let customers: HashMap<String, CustomerRef> =
        summaries(conn, cipher, p, &ids)?.into_iter().map(|c| (c.id.clone(), c)).collect();
    rows.into_iter()
        .map(|r| {
            let customer = customers.get(&r.customer_id).cloned().unwrap_or_else(|| CustomerRef {
                id: r.customer_id.clone(),
                name: "***".into(),
                mobile: None,
                unit_id: r.unit_id.clone(),
            });
            view(cipher, Some(p), r, customer)
        })
        .collect()
}

pub fn timeline(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    ticket_id: &str,
    public_only: bool,
) -> Result<Vec<TimelineEvent>, ApiError> {
    store::events(conn, ticket_id, public_only)?.into_iter().map(|e| entry(cipher, e)).collect()
}

fn entry(cipher: &FieldCipher, e: store::EventRow) -> Result<TimelineEvent, ApiError> {
    Ok(TimelineEvent {
        body: e.body.as_deref().map(|b| open(cipher, "ticket_events", "body", &e.id, b)).transpose()?,
        data: serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null),
        id: e.id,
        kind: e.kind,
        public: e.public,
        actor_id: e.actor_id,
        at: e.at.and_utc(),
    })
}

pub fn detail(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    row: TicketRow,
) -> Result<TicketDetail, ApiError> {
    let id = row.id.clone();
    let ticket = tickets(conn, cipher, p, vec![row])?.pop().ok_or(ApiError::NotFound)?;
    Ok(TicketDetail { ticket, timeline: timeline(conn, cipher, &id, false)? })
}

/// A ticket just opened, from what was written and the customer reference read for it (nothing
/// read back).
pub fn detail_of_new(
    cipher: &FieldCipher,
    p: &Principal,
    (row, entries): (TicketRow, Vec<store::EventRow>),
    customer: CustomerRef,
) -> Result<TicketDetail, ApiError> {
    let ticket = view(cipher, Some(p), row, customer)?;
    let timeline = entries.into_iter().map(|e| entry(cipher, e)).collect::<Result<_, _>>()?;
    Ok(TicketDetail { ticket, timeline })
}

/// The customer's tickets for their privacy copy (an access request): each with its words and
/// its whole timeline, newest ticket first.
pub fn privacy_copy(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    customer_id: &str,
    limit: i64,
) -> Result<Vec<serde_json::Value>, ApiError> {
    let filter = store::Filter { customer_id: Some(customer_id.to_owned()), ..Default::default() };
    store::list_unscoped(conn, &filter, limit)?
        .into_iter()
        .map(|r| {
            Ok(serde_json::json!({
                "id": r.id, "kind": r.kind, "channel": r.channel, "status": r.status,
                "subject": open(cipher, "tickets", "subject", &r.id, &r.subject)?,
                "description": r.description.as_deref().map(|d| open(cipher, "tickets", "description", &r.id, d)).transpose()?,
                "satisfaction": r.satisfaction, "created_at": r.created_at.and_utc(), "closed_at": r.closed_at.map(|t| t.and_utc()),
                "timeline": timeline(conn, cipher, &r.id, false)?,
            }))
        })
        .collect()
}
