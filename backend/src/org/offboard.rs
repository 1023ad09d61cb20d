//! Staff departure (ORG-4): every customer the leaver was responsible for gets a successor, each
//! affected customer is owed a notification of the new contact, the leaver's open tickets follow
//! their customers, and the leaver's account and sessions end — all in one transaction.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::service::visible_user;
use crate::audit::{self, Event};
use crate::auth::principal::scope_prefix;
use crate::auth::{sessions, Principal, Role};
use crate::customers::store as customers;
use crate::db::{now, DbConnection};
use crate::error::ApiError;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OffboardRequest {
    /// Colleagues who take over; customers are shared out among them in turn.
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub successor_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OffboardResult {
    pub user_id: String,
    /// Customers that changed hands.
    pub reassigned: i64,
    /// Customers the leaver shared with a colleague who stays: they keep that colleague.
    pub kept_by_co_owner: i64,
    /// Notifications recorded for customers.
    pub notifications: i64,
    /// Open tickets that moved with their customers (or to the successors in turn).
    pub tickets: i64,
}

pub fn offboard(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    input: OffboardRequest,
) -> Result<OffboardResult, ApiError> {
    if id == p.id {
        return Err(ApiError::conflict("offboard_self"));
    }
    let leaver = visible_user(conn, p, id)?;
    // Successors come from the leaver's own subsidiary: the customers are homed there.
    let leaver_scope = super::store::user_with_path(conn, id)?.map(|(_, path)| scope_prefix(&path)).unwrap_or_default();
    let mut successors = input.successor_ids.clone();
    successors.sort();
    successors.dedup();
    for s in &successors {
        // Within the leaver's subsidiary implies within the caller's scope (the leaver is visible).
        let ok = s != id
            && super::store::user_with_path(conn, s)?.is_some_and(|(u, path)| {
                u.active
                    && path.starts_with(&leaver_scope)
                    && matches!(Role::parse(&u.role), Some(Role::Manager | Role::Agent | Role::Sales))
            });
        if !ok {
            return Err(ApiError::field("successor_ids", "invalid").with("value", s.clone()));
        }
    }
    // Ids only: a leaver may own many customers, but ids are small; owners and notifications go
    // in as batches, the successors taking turns.
    let owned = customers::owned_by(conn, id)?;
    let co_owned: std::collections::HashSet<String> =
        customers::also_owned_by_others(conn, &owned, id)?.into_iter().collect();
    let t = now();
    let handed: Vec<(String, String)> =
        owned.into_iter().filter(|c| !co_owned.contains(c)).zip(successors.iter().cycle().cloned()).collect();
    customers::add_owners(conn, &handed)?;
    let notes: Vec<(String, String)> = handed
        .iter()
        .map(|(customer, successor)| {
            let payload = serde_json::json!({ "previous_owner": id, "new_owner": successor });
            (customer.clone(), payload.to_string())
        })
        .collect();
    customers::insert_notifications(conn, "owner_changed", &notes, t)?;
    let (reassigned, notifications) = (handed.len() as i64, notes.len() as i64);
    let tickets = crate::tickets::handover::hand_over(conn, id, &handed, &successors)?;
    customers::remove_owner_everywhere(conn, id)?;
    super::store::deactivate_user(conn, id, leaver.version, t)?;
    sessions::store::revoke_all_for_user(conn, id, "offboarded")?;
    audit::append(
        conn,
        &p.actor(),
        Event::new("user.offboard", "user", Some(id)).fields(&["active", "customer_owners"]),
    )?;
    let payload =
        serde_json::json!({ "user_id": id, "successors": successors, "reassigned": reassigned, "tickets": tickets });
    crate::outbox::enqueue(conn, crate::outbox::Topic::UserOffboarded, id, Some(&leaver.unit_id), &payload)?;
    Ok(OffboardResult {
        user_id: id.to_owned(),
        reassigned,
        kept_by_co_owner: co_owned.len() as i64,
        notifications,
        tickets,
    })
}
