//! The SQL of tickets and their timelines. A ticket is seen by its responsible unit's scope, the
//! customer's account managers and its assignee — nobody else (404).

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::db::schema::{ticket_events, ticket_queue_tallies, tickets};
use crate::db::DbConnection;
use crate::org::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = tickets, treat_none_as_null = true)]
pub struct TicketRow {
    pub id: String,
    pub customer_id: String,
    pub unit_id: String,
    pub assignee_id: Option<String>,
    pub kind: String,
    pub channel: String,
    pub priority: String,
    pub sla_class: String,
    pub green_channel: bool,
    pub status: String,
    /// Encrypted.
    pub subject: String,
    /// Encrypted.
    pub description: Option<String>,
    pub purchase_id: Option<String>,
    pub parent_id: Option<String>,
    pub reopen_count: i32,
    pub cause: Option<String>,
    pub clock: String,
    pub first_response_due: NaiveDateTime,
    pub resolution_due: NaiveDateTime,
    pub warn_at: NaiveDateTime,
    pub escalate_at: NaiveDateTime,
    pub first_responded_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub paused_at: Option<NaiveDateTime>,
    pub sla_state: String,
    pub satisfaction: Option<i32>,
    pub revisit_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ticket_events)]
pub struct EventRow {
    pub id: String,
    pub ticket_id: String,
    pub kind: String,
    pub public: bool,
    /// Encrypted.
    pub body: Option<String>,
    pub data: String,
    pub actor_id: Option<String>,
    pub at: NaiveDateTime,
}

type Multi = <DbConnection as diesel::Connection>::Backend;

/// Tickets whose unit is in `scope` or assigned to `viewer`, and with `owned` also those of a
/// customer `viewer` manages.
fn seen_by<'a>(scope: &Scope, viewer: &str, owned: bool) -> tickets::BoxedQuery<'a, Multi> {
    let seen = sql::<Bool>("(EXISTS (SELECT 1 FROM units u WHERE u.id = tickets.unit_id AND u.path LIKE ")
        .bind::<Text, _>(scope.like_pattern())
        .sql(") OR tickets.assignee_id = ")
        .bind::<Text, _>(viewer.to_owned());
    if !owned {
        return tickets::table.filter(seen.sql(")")).into_boxed();
    }
    let seen = seen
        .sql(" OR EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = tickets.customer_id AND o.user_id = ")
        .bind::<Text, _>(viewer.to_owned())
        .sql("))");
    tickets::table.filter(seen).into_boxed()
}

/// Every ticket `viewer` may see: their units', assigned to them, their customers'.
fn visible<'a>(scope: &Scope, viewer: &str) -> tickets::BoxedQuery<'a, Multi> {
    seen_by(scope, viewer, true)
}

/// The work of `viewer`: their units' tickets and those assigned to them. Every queue but `all`:
/// a customer's manager follows the customer's tickets elsewhere on the customer's page.
fn worked<'a>(scope: &Scope, viewer: &str) -> tickets::BoxedQuery<'a, Multi> {
    seen_by(scope, viewer, false)
}

/// A queue: which open or closed tickets.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    pub customer_id: Option<String>,
    pub assignee_id: Option<String>,
    pub unassigned: bool,
    /// Open only, and only the viewer's work (`worked`), not every ticket they may see.
    pub open: bool,
    /// Open, its clock running, and marked breached by the SLA job (or escalated since).
    pub overdue: bool,
    /// Open, its clock running, and warned by the SLA job, not breached yet.
    pub breaching: bool,
}

fn filtered<'a>(scope: &Scope, viewer: &str, f: &Filter) -> tickets::BoxedQuery<'a, Multi> {
    let open = f.open || f.overdue || f.breaching;
    let mut q = if open { worked(scope, viewer) } else { visible(scope, viewer) };
    if let Some(s) = &f.status {
        q = q.filter(tickets::status.eq(s.clone()));
    }
    if let Some(k) = &f.kind {
        q = q.filter(tickets::kind.eq(k.clone()));
    }
    if let Some(p) = &f.priority {
        q = q.filter(tickets::priority.eq(p.clone()));
    }
    if let Some(c) = &f.channel {
        q = q.filter(tickets::channel.eq(c.clone()));
    }
    if let Some(c) = &f.customer_id {
        q = q.filter(tickets::customer_id.eq(c.clone()));
    }
    if let Some(a) = &f.assignee_id {
        q = q.filter(tickets::assignee_id.eq(a.clone()));
    }
    if f.unassigned {
        q = q.filter(tickets::assignee_id.is_null());
    }
    if open {
        q = q.filter(tickets::closed_at.is_null()).filter(tickets::status.ne("cancelled"));
    }
    if f.overdue || f.breaching {
        // Waiting on the customer: the clock stands still.
        q = q.filter(tickets::paused_at.is_null());
    }
    if f.overdue {
        q = q.filter(tickets::sla_state.eq_any(["breached", "escalated"]));
    }
    if f.breaching {
        q = q.filter(tickets::sla_state.eq("warned"));
    }
    q
}

/// A page of tickets, newest first (keyset by id: ids grow with time).
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    viewer: &str,
    f: &Filter,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<TicketRow>> {
    let mut q = filtered(scope, viewer, f);
    if let Some(b) = before {
        q = q.filter(tickets::id.lt(b.to_owned()));
    }
    q.order(tickets::id.desc()).limit(limit).select(TicketRow::as_select()).load(conn)
}

/// Newest first with no scope: the customer's own tickets through their link (`customer_id` set).
pub fn list_unscoped(conn: &mut DbConnection, f: &Filter, limit: i64) -> QueryResult<Vec<TicketRow>> {
    let mut q = tickets::table.select(TicketRow::as_select()).into_boxed();
    if let Some(c) = &f.customer_id {
        q = q.filter(tickets::customer_id.eq(c.clone()));
    }
    q.order(tickets::id.desc()).limit(limit).load(conn)
}

crate::prepared! {
    /// The six queue counts from the queue tallies (migration 000032): the rows of the units in
    /// scope, then those elsewhere assigned to the viewer. Each count means what its queue's
    /// filter means.
    struct CountQueues {
        mine: String => Text,
        revisits_of: String => Text,
        scope: String => Text,
        assignee: String => Text,
        not_scope: String => Text,
    }
    sql = "SELECT CAST(COALESCE(SUM(CASE WHEN q.assignee_id = ? THEN q.n ELSE 0 END), 0) AS BIGINT) AS mine, \
           CAST(COALESCE(SUM(q.n), 0) AS BIGINT) AS unit, \
           CAST(COALESCE(SUM(CASE WHEN q.assignee_id = '' THEN q.n ELSE 0 END), 0) AS BIGINT) AS unassigned, \
           CAST(COALESCE(SUM(CASE WHEN q.paused = 0 AND q.sla_state = 'warned' THEN q.n ELSE 0 END), 0) \
             AS BIGINT) AS breaching_soon, \
           CAST(COALESCE(SUM(CASE WHEN q.paused = 0 AND q.sla_state IN ('breached', 'escalated') THEN q.n \
             ELSE 0 END), 0) AS BIGINT) AS overdue, \
           CAST(COALESCE(SUM(CASE WHEN q.revisit = 1 AND q.assignee_id = ? THEN q.n ELSE 0 END), 0) \
             AS BIGINT) AS revisits \
           FROM (SELECT d.assignee_id, d.revisit, d.sla_state, d.paused, d.n FROM ticket_queue_tallies d \
             WHERE d.unit_id IN (SELECT u.id FROM units u WHERE u.path LIKE ?) \
           UNION ALL SELECT d.assignee_id, d.revisit, d.sla_state, d.paused, d.n FROM ticket_queue_tallies d \
             WHERE d.assignee_id = ? AND d.unit_id NOT IN (SELECT u.id FROM units u WHERE u.path LIKE ?)) q";
}

/// Queue sizes as `CountQueues` reads them.
#[derive(Debug, QueryableByName, serde::Serialize)]
pub struct Counts {
    #[diesel(sql_type = BigInt)]
    pub mine: i64,
    #[diesel(sql_type = BigInt)]
    pub unit: i64,
    #[diesel(sql_type = BigInt)]
    pub unassigned: i64,
    #[diesel(sql_type = BigInt)]
    pub breaching_soon: i64,
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
    #[diesel(sql_type = BigInt)]
    pub revisits: i64,
}

/// The queue counts for `viewer`; breaching soon and overdue as the SLA job marked them.
pub fn queue_counts(conn: &mut DbConnection, scope: &Scope, viewer: &str) -> QueryResult<Counts> {
    let v = || viewer.to_owned();
    let q = CountQueues {
        mine: v(),
        revisits_of: v(),
        scope: scope.like_pattern(),
        assignee: v(),
        not_scope: scope.like_pattern(),
    };
    crate::on_backend!(conn, |c| q.get_result(c))
}

/// Folds the queue tallies into one row per key (the SLA job, every minute), so that a count
/// sums a handful of rows. One statement on PostgreSQL: rows appended meanwhile by other
/// transactions are not in its snapshot and stay for the next fold. SQLite has one writer.
pub fn fold_tallies(conn: &mut DbConnection) -> QueryResult<()> {
    const KEY: &str = "unit_id, assignee_id, revisit, sla_state, paused";
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(format!(
            "WITH gone AS (DELETE FROM ticket_queue_tallies RETURNING {KEY}, n) \
             INSERT INTO ticket_queue_tallies ({KEY}, n) SELECT {KEY}, SUM(n) FROM gone \
             GROUP BY {KEY} HAVING SUM(n) <> 0"
        ))
        .execute(c)
        .map(|_| ()),
        DbConnection::Sqlite(c) => {
            let last: Option<i64> =
                ticket_queue_tallies::table.select(diesel::dsl::max(ticket_queue_tallies::id)).first(c)?;
            let Some(last) = last else { return Ok(()) };
            diesel::sql_query(format!(
                "INSERT INTO ticket_queue_tallies ({KEY}, n) SELECT {KEY}, SUM(n) FROM ticket_queue_tallies \
                 WHERE id <= ? GROUP BY {KEY} HAVING SUM(n) <> 0"
            ))
            .bind::<BigInt, _>(last)
            .execute(c)?;
            diesel::delete(ticket_queue_tallies::table.filter(ticket_queue_tallies::id.le(last))).execute(c).map(|_| ())
        }
    }
}

pub fn get(conn: &mut DbConnection, scope: &Scope, viewer: &str, id: &str) -> QueryResult<Option<TicketRow>> {
    visible(scope, viewer).filter(tickets::id.eq(id.to_owned())).select(TicketRow::as_select()).first(conn).optional()
}

/// A ticket by id with no scope: for the customer's own self-service link and the SLA job.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<TicketRow>> {
    tickets::table.find(id).select(TicketRow::as_select()).first(conn).optional()
}

pub fn insert(conn: &mut DbConnection, row: &TicketRow) -> QueryResult<()> {
    diesel::insert_into(tickets::table).values(row).execute(conn).map(|_| ())
}

/// Writes the ticket if it is still at `version` (the row carries version + 1); false when
/// someone else wrote it first.
pub fn update(conn: &mut DbConnection, row: &TicketRow, version: i64) -> QueryResult<bool> {
    let n = diesel::update(tickets::table.filter(tickets::id.eq(&row.id)).filter(tickets::version.eq(version)))
        .set(row)
        .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_event(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(ticket_events::table).values(row).execute(conn).map(|_| ())
}

/// A ticket's timeline, oldest first; `public_only` for the customer's own view.
pub fn events(conn: &mut DbConnection, ticket_id: &str, public_only: bool) -> QueryResult<Vec<EventRow>> {
    let mut q = ticket_events::table.filter(ticket_events::ticket_id.eq(ticket_id.to_owned())).into_boxed();
    if public_only {
        q = q.filter(ticket_events::public.eq(true));
    }
    // By time, then id: the SLA job's entries carry ids made of the ticket's.
    q.order((ticket_events::at.asc(), ticket_events::id.asc())).select(EventRow::as_select()).load(conn)
}
