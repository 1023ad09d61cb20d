//! The SLA job (SVC-3): every minute, open tickets whose clock runs (not waiting on the customer)
//! are warned at the warning share of their target, marked breached at the due time (escalated to
//! the managers of their unit) and escalated to the group's managers half a target later. Each
//! step is a timeline entry, a staff notification and an outbox event. Batches of tickets, each
//! batch one transaction of a few set-based statements; a step is taken once (its state guards).
//! Then it folds the queue tallies (migration 000032).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::notify::NotificationRow;
use super::store::EventRow;
use crate::db::schema::{staff_notifications, ticket_events, tickets, units, users};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox::Topic;

const BATCH: i64 = 1000;

#[derive(Clone, Copy)]
struct Step {
    from: &'static [&'static str],
    to: &'static str,
    kind: &'static str,
    topic: Topic,
    /// Who hears of it beyond the assignee: the unit's managers, the group's, or nobody.
    managers: Managers,
}

#[derive(Clone, Copy, PartialEq)]
enum Managers {
    None,
    Unit,
    Group,
}

const STEPS: [Step; 3] = [
    Step {
        from: &["on_track"],
        to: "warned",
        kind: "sla_warning",
        topic: Topic::TicketWarning,
        managers: Managers::None,
    },
    Step {
        from: &["on_track", "warned"],
        to: "breached",
        kind: "sla_breach",
        topic: Topic::TicketBreached,
        managers: Managers::Unit,
    },
    Step {
        from: &["breached"],
        to: "escalated",
        kind: "escalation",
        topic: Topic::TicketEscalated,
        managers: Managers::Group,
    },
];

/// What the sweep did: tickets warned, breached, escalated.
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Swept {
    pub warned: usize,
    pub breached: usize,
    pub escalated: usize,
}

type Due = (String, String, Option<String>, String, i32, String);

/// The step's condition as SQL text, not binds: the planners use a partial index only for
/// conditions they can see in the statement (the indexes of migration 000031).
fn due_states(step: Step) -> String {
    let states = step.from.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    let state = if step.from.len() == 1 { format!("= {states}") } else { format!("IN ({states})") };
    format!(
        "tickets.closed_at IS NULL AND tickets.status <> 'cancelled' AND tickets.paused_at IS NULL \
         AND tickets.sla_state {state}"
    )
}

fn due(conn: &mut DbConnection, step: Step, at: NaiveDateTime) -> QueryResult<Vec<Due>> {
    let open = tickets::table
        .inner_join(units::table.on(units::id.eq(tickets::unit_id)))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&due_states(step)))
        .select((
            tickets::id,
            tickets::unit_id,
            tickets::assignee_id,
            units::path,
            tickets::reopen_count,
            tickets::kind,
        ))
        .limit(BATCH);
    // No order: every ticket due at `at` takes the step in this sweep, batch after batch, each
    // found through its partial index (tickets_sla_warn, tickets_sla_breach, tickets_sla_escalate).
    match step.to {
        "warned" => open.filter(tickets::warn_at.le(at)).load(conn),
        "breached" => open.filter(tickets::resolution_due.le(at)).load(conn),
        _ => open.filter(tickets::escalate_at.le(at)).load(conn),
    }
}

/// Active managers with their unit's path and whether it is the group.
fn managers(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, String)> = users::table
        .inner_join(units::table.on(units::id.eq(users::unit_id)))
        .filter(users::role.eq("manager"))
        .filter(users::active.eq(true))
        .select((users::id, units::path, units::kind))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, path, kind)| (id, path, kind == "group")).collect())
}

fn take(
    conn: &mut DbConnection,
    step: Step,
    at: NaiveDateTime,
    bosses: &[(String, String, bool)],
) -> Result<usize, ApiError> {
    crate::db::transaction(conn, |c| -> Result<usize, ApiError> {
        let batch = due(c, step, at)?;
        if batch.is_empty() {
            return Ok(0);
        }
        let ids: Vec<&String> = batch.iter().map(|b| &b.0).collect();
        diesel::update(tickets::table.filter(tickets::id.eq_any(&ids)).filter(tickets::sla_state.eq_any(step.from)))
            .set((tickets::sla_state.eq(step.to), tickets::version.eq(tickets::version + 1)))
            .execute(c)?;
        let now = crate::db::now();
        let (mut events, mut notes, mut outbox) = (Vec::new(), Vec::new(), Vec::new());
        for (id, unit_id, assignee, path, reopened, kind) in &batch {
            // One per ticket, step and reopening: the ids say so, so a retried batch cannot double.
            let key = format!("{id}:{}:{reopened}", step.to);
            let data = serde_json::json!({ "state": step.to, "at": at.and_utc() });
            events.push(EventRow {
                id: key.clone(),
                ticket_id: id.clone(),
                kind: step.kind.to_owned(),
                public: false,
                body: None,
                data: data.to_string(),
                actor_id: None,
                at: now,
            });
            let mut to: Vec<&str> = assignee.iter().map(String::as_str).collect();
            for (boss, boss_path, group) in bosses {
                let reach = match step.managers {
                    Managers::None => false,
                    Managers::Unit => !group && path.starts_with(boss_path.as_str()),
                    Managers::Group => *group,
                };
                if reach && !to.contains(&boss.as_str()) {
                    to.push(boss);
                }
            }
            for user in to {
                notes.push(NotificationRow {
                    id: format!("{key}:{user}"),
                    user_id: user.to_owned(),
                    topic: step.topic.as_str().to_owned(),
                    ticket_id: Some(id.clone()),
                    data: serde_json::json!({ "kind": kind, "state": step.to }).to_string(),
                    created_at: now,
                    read_at: None,
                });
            }
            let payload = serde_json::json!({ "ticket_id": id, "unit_id": unit_id, "state": step.to, "kind": kind });
            outbox.push((id.clone(), Some(unit_id.clone()), payload.to_string()));
        }
        crate::insert_chunks!(c, ticket_events::table, events, 500)?;
        crate::insert_chunks!(c, staff_notifications::table, notes, 500)?;
        crate::outbox::enqueue_many(c, step.topic, &outbox)?;
        Ok(batch.len())
    })
}

/// Takes every step due at `at` (tests pass a moved clock; the job passes the service clock).
pub fn sweep(conn: &mut DbConnection, at: NaiveDateTime) -> Result<Swept, ApiError> {
    let bosses = managers(conn)?;
    let mut out = Swept::default();
    for step in STEPS {
        loop {
            let n = take(conn, step, at, &bosses)?;
            match step.to {
                "warned" => out.warned += n,
                "breached" => out.breached += n,
                _ => out.escalated += n,
            }
            if n < BATCH as usize {
                break;
            }
        }
    }
    // The steps just appended two tally rows per ticket; the queue counts sum them.
    crate::db::transaction(conn, super::store::fold_tallies)?;
    Ok(out)
}

pub const KIND: &str = "tickets.sla";

fn next_minute(t: NaiveDateTime) -> NaiveDateTime {
    t + chrono::Duration::minutes(1)
}

/// Every minute.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: Some(crate::jobs::Schedule { name: "minutely-sla", next: next_minute }),
    run: |conn, state, _, _| Ok(serde_json::to_value(sweep(conn, state.clock.now())?)?),
};
