//! Change events (CUS-7): written in the same transaction as the change they describe, so an
//! event exists exactly when its change committed. Webhook delivery reads from here (issue 3).

use diesel::prelude::*;

mod topic;
pub use topic::{Event, Family, Topic, TopicFilter};

use crate::db::schema::outbox;
use crate::db::{now, DbConnection};

/// Records an event. The payload names what changed, never personal values.
pub fn enqueue(
    conn: &mut DbConnection,
    topic: Topic,
    aggregate_id: &str,
    unit_id: Option<&str>,
    payload: &serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(crate::db::new_id()),
            outbox::topic.eq(topic.as_str()),
            outbox::aggregate_id.eq(aggregate_id),
            outbox::unit_id.eq(unit_id),
            outbox::payload.eq(payload.to_string()),
            outbox::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Many events of one topic at once: (aggregate id, unit id, payload JSON).
pub fn enqueue_many(
    conn: &mut DbConnection,
    topic: Topic,
    events: &[(String, Option<String>, String)],
) -> QueryResult<()> {
    let t = now();
    let rows: Vec<_> = events
        .iter()
        .map(|(aggregate, unit, payload)| {
            (
                outbox::id.eq(crate::db::new_id()),
                outbox::topic.eq(topic.as_str()),
                outbox::aggregate_id.eq(aggregate),
                outbox::unit_id.eq(unit.as_deref()),
                outbox::payload.eq(payload),
                outbox::created_at.eq(t),
            )
        })
        .collect();
    for chunk in rows.chunks(2000) {
        match conn {
            DbConnection::Postgres(c) => diesel::insert_into(outbox::table).values(chunk).execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(outbox::table).values(chunk).execute(c)?,
        };
    }
    Ok(())
}
