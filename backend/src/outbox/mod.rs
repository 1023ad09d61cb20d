//! Change events (CUS-7): written in the same transaction as the change they describe, so an
//! event exists exactly when its change committed. Webhook delivery reads from here (issue 3).

use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::{now, DbConnection};

/// Records an event. The payload names what changed, never personal values.
pub fn enqueue(
    conn: &mut DbConnection,
    topic: &str,
    aggregate_id: &str,
    unit_id: Option<&str>,
    payload: &serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(crate::db::new_id()),
            outbox::topic.eq(topic),
            outbox::aggregate_id.eq(aggregate_id),
            outbox::unit_id.eq(unit_id),
            outbox::payload.eq(payload.to_string()),
            outbox::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}
