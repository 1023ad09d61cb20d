//! Masked references to customers for the screens of other domains — a ticket's customer, a
//! campaign's audience, a segment's members: id, name and mobile masked for the caller's role,
//! and the home unit. One statement for a whole page of ids; customers the caller cannot reach
//! are left out, as if they did not exist.

use serde::Serialize;
use utoipa::ToSchema;

use super::mask::{self, View};
use super::store;
use crate::auth::Principal;
use crate::crypto::field::FieldCipher;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::org::scope::Scope;

/// A customer as another record refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CustomerRef {
    pub id: String,
    /// Masked for the caller's role.
    pub name: String,
    /// Masked for every role (`138****1234`).
    pub mobile: Option<String>,
    pub unit_id: String,
}

/// The references of `ids` the principal may reach, in the order of `ids`.
pub fn summaries(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    ids: &[String],
) -> Result<Vec<CustomerRef>, ApiError> {
    let view = View::for_role(p.role);
    let rows = store::reachable_refs(conn, &Scope::of(p), &p.id, ids)?;
    let mut refs = rows.into_iter().map(|row| reference(cipher, view, row)).collect::<Result<Vec<_>, ApiError>>()?;
    let order: std::collections::HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    refs.sort_by_key(|r| order.get(r.id.as_str()).copied());
    Ok(refs)
}

/// One customer the caller may read, as a reference (404 otherwise): masked where they reach it
/// as home unit or owner; where sharing alone lets them read it, the id only (`***`), as the
/// lists show customers `summaries` leaves out.
pub fn readable(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    id: &str,
) -> Result<CustomerRef, ApiError> {
    let (row, reached) = super::access::readable_ref(conn, p, id)?;
    if !reached {
        let (id, _, _, unit_id) = row;
        return Ok(CustomerRef { id, name: "***".into(), mobile: None, unit_id });
    }
    reference(cipher, View::for_role(p.role), row)
}

fn reference(
    cipher: &FieldCipher,
    view: View,
    (id, name, mobile, unit_id): store::RefRow,
) -> Result<CustomerRef, ApiError> {
    let mobile = mobile
        .map(|ct| cipher.decrypt(super::model::TABLE, "mobile", &id, &ct))
        .transpose()
        .map_err(|e| ApiError::internal(format!("customer {id} mobile: {e:?}")))?;
    Ok(CustomerRef { name: mask::name(&name, view), mobile: mobile.map(|m| mask::mobile(&m, view)), id, unit_id })
}
