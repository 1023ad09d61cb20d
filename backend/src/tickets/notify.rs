//! Staff notifications (the bell): one row per person and event, codes and ids only — the UI
//! words them in the reader's language.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::staff_notifications as n;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = n)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub topic: String,
    pub ticket_id: Option<String>,
    pub data: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// A notification as its reader sees it. `topic`: ticket.assigned, ticket.warning,
/// ticket.breached, ticket.escalated, ticket.reopened, ticket.closed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub topic: String,
    pub ticket_id: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

impl From<NotificationRow> for Notification {
    fn from(r: NotificationRow) -> Self {
        Notification {
            id: r.id,
            topic: r.topic,
            ticket_id: r.ticket_id,
            data: serde_json::from_str(&r.data).unwrap_or(serde_json::Value::Null),
            created_at: r.created_at.and_utc(),
            read: r.read_at.is_some(),
        }
    }
}

pub fn send(
    conn: &mut DbConnection,
    user_id: &str,
    topic: &str,
    ticket_id: &str,
    data: serde_json::Value,
) -> Result<(), ApiError> {
    let row = NotificationRow {
        id: new_id(),
        user_id: user_id.to_owned(),
        topic: topic.to_owned(),
        ticket_id: Some(ticket_id.to_owned()),
        data: data.to_string(),
        created_at: now(),
        read_at: None,
    };
    diesel::insert_into(n::table).values(&row).execute(conn)?;
    Ok(())
}

/// A person's notifications, newest first (keyset by id).
pub fn list(
    conn: &mut DbConnection,
    user_id: &str,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut q = n::table.filter(n::user_id.eq(user_id.to_owned())).into_boxed();
    if let Some(b) = before {
        q = q.filter(n::id.lt(b.to_owned()));
    }
    q.order(n::id.desc()).limit(limit).select(NotificationRow::as_select()).load(conn)
}

pub fn unread(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    n::table.filter(n::user_id.eq(user_id)).filter(n::read_at.is_null()).count().get_result(conn)
}

/// Marks the person's notifications up to and including `up_to` (all when None) read.
pub fn mark_read(conn: &mut DbConnection, user_id: &str, up_to: Option<&str>, at: NaiveDateTime) -> QueryResult<usize> {
    let mut q =
        diesel::update(n::table).filter(n::user_id.eq(user_id.to_owned())).filter(n::read_at.is_null()).into_boxed();
    if let Some(id) = up_to {
        q = q.filter(n::id.le(id.to_owned()));
    }
    q.set(n::read_at.eq(at)).execute(conn)
}
