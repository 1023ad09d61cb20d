//! A leaver's open tickets follow their customers (ORG-4): a ticket whose customer went to a
//! successor goes to that successor; the rest are shared out among the successors in turn. Called
//! inside the offboarding transaction; each move is an assignment entry on the timeline.

use std::collections::HashMap;

use diesel::prelude::*;

use super::store::EventRow;
use crate::db::schema::{ticket_events, tickets};
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;

/// Moves `leaver`'s open tickets; `handed` is (customer, successor) as the customers were handed
/// over. Returns how many tickets moved.
pub fn hand_over(
    conn: &mut DbConnection,
    leaver: &str,
    handed: &[(String, String)],
    successors: &[String],
) -> Result<i64, ApiError> {
    if successors.is_empty() {
        return Ok(0);
    }
    let open: Vec<(String, String)> = tickets::table
        .filter(tickets::assignee_id.eq(leaver))
        .filter(tickets::closed_at.is_null())
        .filter(tickets::status.ne("cancelled"))
        .order(tickets::id)
        .select((tickets::id, tickets::customer_id))
        .load(conn)?;
    let by_customer: HashMap<&str, &str> = handed.iter().map(|(c, s)| (c.as_str(), s.as_str())).collect();
    let mut turn = successors.iter().cycle();
    let mut moves: HashMap<&str, Vec<&str>> = HashMap::new();
    for (ticket, customer) in &open {
        let to = match by_customer.get(customer.as_str()) {
            Some(s) => *s,
            None => turn.next().map_or(successors[0].as_str(), String::as_str),
        };
        moves.entry(to).or_default().push(ticket);
    }
    let at = now();
    let mut events = Vec::with_capacity(open.len());
    for (to, ids) in &moves {
        for chunk in ids.chunks(500) {
            diesel::update(tickets::table.filter(tickets::id.eq_any(chunk)))
                .set((
                    tickets::assignee_id.eq(*to),
                    tickets::version.eq(tickets::version + 1),
                    tickets::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        for id in ids {
            let data = serde_json::json!({ "from": leaver, "to": to, "reason": "offboarded" });
            events.push(EventRow {
                id: new_id(),
                ticket_id: (*id).to_owned(),
                kind: "assignment".into(),
                public: false,
                body: None,
                data: data.to_string(),
                actor_id: None,
                at,
            });
        }
    }
    crate::insert_chunks!(conn, ticket_events::table, events, 500)?;
    Ok(open.len() as i64)
}
