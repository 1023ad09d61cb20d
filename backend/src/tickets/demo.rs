//! Demo tickets for `guanxi seed-demo`: one for every fifth customer, spread over the last 60 days,
//! in the proportions a service centre sees (inquiries most, complaints and repairs next), in every
//! status, some breached, closed ones rated. Batches of 1,000 rows in one transaction each.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::flow::{TicketKind, TicketStatus};
use super::model::{Channel, Priority};
use super::sla::{self, Key};
use super::sla_config;
use super::store::{EventRow, TicketRow};
use crate::crypto::field::FieldCipher;
use crate::db::schema::{customers, ticket_events, tickets, units, users};
use crate::db::{new_id, now, DbConnection};
use crate::demo_customers::Rng;
use crate::error::ApiError;

const SUBJECTS: [(TicketKind, &str); 10] = [
    (TicketKind::Inquiry, "套餐资费咨询"),
    (TicketKind::Inquiry, "账单明细查询"),
    (TicketKind::Inquiry, "宽带提速办理"),
    (TicketKind::Complaint, "机顶盒频繁死机"),
    (TicketKind::Complaint, "上门服务迟到"),
    (TicketKind::Repair, "宽带无法上网"),
    (TicketKind::Repair, "电视无信号"),
    (TicketKind::Installation, "新装宽带预约"),
    (TicketKind::Revisit, "维修后回访"),
    (TicketKind::Other, "发票补开"),
];
const CHANNELS: [Channel; 7] = [
    Channel::Hotline,
    Channel::Hotline,
    Channel::Hotline,
    Channel::App,
    Channel::Website,
    Channel::Chat,
    Channel::Email,
];
/// Where a ticket of `kind` stands: more than half closed, a tenth one step before, the rest
/// spread over the open steps of its workflow.
fn status_for(kind: TicketKind, roll: u64) -> TicketStatus {
    use TicketStatus::*;
    let path: &[TicketStatus] = match kind {
        TicketKind::Complaint => &[New, Investigating, Assigned, Resolving, AwaitingFeedback, Closed],
        TicketKind::Installation | TicketKind::Repair => &[New, Assigned, Resolving, AwaitingFeedback, Closed],
        _ => &[New, Resolving, Closed],
    };
    let last = path.len() - 1;
    match roll {
        0..=54 => path[last],
        55..=64 => path[last - 1],
        _ => path[roll as usize % last],
    }
}

/// Adds tickets for customers from the `skip`-th on (ids in order), one per fifth; returns how many.
pub fn seed(conn: &mut DbConnection, cipher: &FieldCipher, skip: i64) -> Result<u64, ApiError> {
    seed_some(conn, cipher, skip, 5, u64::MAX)
}

/// Adds tickets until there are `target` in all (the benchmark's million), a ticket for every
/// customer in turn, as many rounds as it takes; returns how many it added.
pub fn top_up(conn: &mut DbConnection, cipher: &FieldCipher, target: u64) -> Result<u64, ApiError> {
    let mut added = 0;
    loop {
        let have = tickets::table.count().get_result::<i64>(conn)? as u64;
        if have >= target {
            return Ok(added);
        }
        let made = seed_some(conn, cipher, 0, 1, target - have)?;
        if made == 0 {
            return Ok(added);
        }
        added += made;
    }
}

/// One pass over the customers from the `skip`-th on: a ticket for one in `odds`, at most `limit`.
fn seed_some(conn: &mut DbConnection, cipher: &FieldCipher, skip: i64, odds: u64, limit: u64) -> Result<u64, ApiError> {
    let setup = sla_config::setup(conn)?;
    // Each subsidiary's agents work its customers' tickets (agents sit in its departments).
    let agents: Vec<(Option<String>, String, String)> = users::table
        .inner_join(units::table.on(units::id.eq(users::unit_id)))
        .filter(users::role.eq("agent"))
        .filter(users::active.eq(true))
        .select((units::parent_id, users::unit_id, users::id))
        .load(conn)?;
    let mut rng = Rng(0x7469_636B_6574 ^ skip as u64);
    let (mut after, mut made, mut skipped) = (String::new(), 0u64, 0i64);
    let at = now();
    while made < limit {
        let page: Vec<(String, String)> = customers::table
            .filter(customers::id.gt(&after))
            .filter(customers::deleted_at.is_null())
            .order(customers::id)
            .limit(5000)
            .select((customers::id, customers::unit_id))
            .load(conn)?;
        let Some(last) = page.last() else { break };
        after = last.0.clone();
        let (mut rows, mut events) = (Vec::new(), Vec::new());
        for (customer, unit) in page {
            skipped += 1;
            if skipped <= skip || rng.below(odds) != 0 || made + rows.len() as u64 >= limit {
                continue;
            }
            let (kind, subject) = *rng.pick(&SUBJECTS);
            let channel = *rng.pick(&CHANNELS);
            let priority =
                *rng.pick(&[Priority::Normal, Priority::Normal, Priority::Normal, Priority::High, Priority::Low]);
            let created = at - Duration::minutes(rng.below(60 * 24 * 60) as i64);
            let status = status_for(kind, rng.below(100));
            let row = ticket(
                &setup,
                cipher,
                &mut rng,
                [&customer, &unit],
                (kind, subject, channel, priority),
                created,
                status,
                at,
            );
            let assignee = agents
                .iter()
                .find(|(parent, own, _)| parent.as_deref() == Some(unit.as_str()) || *own == unit)
                .map(|(_, _, id)| id.clone());
            let row = TicketRow { assignee_id: if status == TicketStatus::New { None } else { assignee }, ..row };
            let data = serde_json::json!({ "kind": row.kind, "channel": row.channel, "priority": row.priority });
            events.push(EventRow {
                id: new_id(),
                ticket_id: row.id.clone(),
                kind: "created".into(),
                public: true,
                body: None,
                data: data.to_string(),
                actor_id: None,
                at: created,
            });
            if status != TicketStatus::New {
                let data = serde_json::json!({ "from": "new", "to": row.status });
                events.push(EventRow {
                    id: new_id(),
                    ticket_id: row.id.clone(),
                    kind: "status".into(),
                    public: true,
                    body: None,
                    data: data.to_string(),
                    actor_id: None,
                    at: created + Duration::minutes(30),
                });
            }
            rows.push(row);
        }
        made += rows.len() as u64;
        crate::db::transaction(conn, |c| -> Result<(), ApiError> {
            crate::insert_chunks!(c, tickets::table, rows, 500)?;
            crate::insert_chunks!(c, ticket_events::table, events, 1000)?;
            Ok(())
        })?;
    }
    Ok(made)
}

#[allow(clippy::too_many_arguments)]
fn ticket(
    setup: &sla::Setup,
    cipher: &FieldCipher,
    rng: &mut Rng,
    [customer, unit]: [&String; 2],
    (kind, subject, channel, priority): (TicketKind, &str, Channel, Priority),
    created: NaiveDateTime,
    status: TicketStatus,
    at: NaiveDateTime,
) -> TicketRow {
    let key =
        Key { kind: kind.as_str(), channel: channel.as_str(), priority: priority.as_str(), sla_class: "standard" };
    let targets = sla::targets(&setup.policies, &key);
    let c = sla::start(&setup.calendar, targets, created, created, setup.warn_percent);
    let done = matches!(status, TicketStatus::Closed | TicketStatus::AwaitingFeedback);
    // Most answered in time; some late.
    let resolved = created + (c.resolution_due - created) * (rng.below(13) as i32 + 1) / 10;
    let resolved = resolved.min(at);
    let open_breached = !done && c.resolution_due < at;
    let id = new_id();
    TicketRow {
        subject: cipher.encrypt("tickets", "subject", &id, subject),
        description: None,
        customer_id: customer.clone(),
        unit_id: unit.clone(),
        assignee_id: None,
        kind: kind.as_str().into(),
        channel: channel.as_str().into(),
        priority: priority.as_str().into(),
        sla_class: "standard".into(),
        green_channel: false,
        status: status.as_str().into(),
        purchase_id: None,
        parent_id: None,
        reopen_count: i32::from(kind == TicketKind::Complaint && rng.below(10) == 0),
        cause: None,
        clock: if targets.clock == super::calendar::Clock::Always { "always" } else { "business" }.into(),
        first_response_due: c.first_response_due,
        resolution_due: c.resolution_due,
        warn_at: c.warn_at,
        escalate_at: c.escalate_at,
        first_responded_at: (status != TicketStatus::New).then(|| created + Duration::minutes(rng.below(90) as i64)),
        resolved_at: done.then_some(resolved),
        paused_at: (status == TicketStatus::AwaitingFeedback).then_some(resolved),
        sla_state: match (open_breached, c.warn_at < at && !done) {
            (true, _) => "breached",
            (false, true) => "warned",
            _ => "on_track",
        }
        .into(),
        satisfaction: (status == TicketStatus::Closed).then(|| *rng.pick(&[5, 5, 5, 4, 4, 4, 3, 2, 1])),
        revisit_at: None,
        created_by: "demo".into(),
        created_at: created,
        updated_at: created,
        closed_at: (status == TicketStatus::Closed).then_some(resolved),
        version: 1,
        id,
    }
}
