//! Records attached to a customer: purchases (CUS-2), preferences (CUS-3), feedback (CUS-4) and
//! the contact log. Reachable only through a customer the caller may see; each write is audited,
//! evented, and keeps the customer's lifecycle dates (last purchase, last contact) current.

pub mod dto;
pub mod routes;
pub mod store;

use super::model::CustomerRow;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox::Topic;

/// The shared shape of every record write: permission, visible customer, the insert, its audit
/// entry and its event — in the caller's transaction.
pub fn write<T>(
    conn: &mut DbConnection,
    p: &Principal,
    customer_id: &str,
    kind: &str,
    topic: Topic,
    insert: impl FnOnce(&mut DbConnection, &CustomerRow) -> Result<(String, T), ApiError>,
) -> Result<T, ApiError> {
    let customer = super::access::writable(conn, p, customer_id)?;
    let (record_id, out) = insert(conn, &customer)?;
    // Under the customer, so that it is on the customer's timeline (the record is in the event).
    let action = format!("customer.{kind}.create");
    audit::append(conn, &p.actor(), Event::new(&action, "customer", Some(&customer.id)))?;
    let payload =
        serde_json::json!({ "customer_id": customer.id, "unit_id": customer.unit_id, "record_id": record_id });
    crate::outbox::enqueue(conn, topic, &customer.id, Some(&customer.unit_id), &payload)?;
    Ok(out)
}

/// Read access: the permission and a customer the caller may see.
pub fn readable(conn: &mut DbConnection, p: &Principal, customer_id: &str) -> Result<CustomerRow, ApiError> {
    super::access::readable(conn, p, customer_id)
}
