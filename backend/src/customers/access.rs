//! Who may reach which customer by id: the one rule every by-id path asks.
//!
//! Staff reach a customer homed in their scope (their subsidiary's subtree, or the whole group)
//! and customers they own. Staff of another unit may also *read* a customer whose live
//! intra-group sharing consent covers their unit — sharing grants reads only: every write, reveal
//! and privacy action on a shared customer answers 404, exactly as if it did not exist.

use super::model::CustomerRow;
use super::store;
use crate::auth::principal::PrincipalKind;
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::ApiError;

/// What the caller is about to do with the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read the (masked) record and its history.
    Read,
    /// Change it, reveal clear values, or act on its privacy rights.
    Write,
}

/// The customer if the principal may reach it for `access`; otherwise 404.
pub fn customer(conn: &mut DbConnection, p: &Principal, id: &str, access: Access) -> Result<CustomerRow, ApiError> {
    let (row, path) = store::get_with_path(conn, id)?.ok_or(ApiError::NotFound)?;
    admit(conn, p, id, &path, access, |c| Ok(store::is_owner(c, id, &p.id)?))?;
    Ok(row)
}

/// The rule itself, once the customer's unit path is known: home unit or owner (asked only if
/// the unit does not already decide), else sharing for reads; otherwise 404.
fn admit(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    unit_path: &str,
    access: Access,
    owns: impl FnOnce(&mut DbConnection) -> Result<bool, ApiError>,
) -> Result<(), ApiError> {
    if p.sees_unit_path(unit_path) || owns(conn)? || (access == Access::Read && shared_with(conn, p, id)?) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// A customer the caller may read, with its owners and tags: one statement when the caller
/// reaches it as home unit or owner (the common case), the sharing decision only otherwise.
pub fn readable_whole(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<store::Whole, ApiError> {
    let whole = store::whole(conn, id)?.ok_or(ApiError::NotFound)?;
    admit(conn, p, id, &whole.unit_path, Access::Read, |_| Ok(whole.owners.contains(&p.id)))?;
    Ok(whole)
}

/// A customer the caller may read, as its reference columns, and whether the caller reaches it as
/// home unit or owner (`true`) rather than through sharing alone (`false`); otherwise 404.
pub fn readable_ref(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<(store::RefRow, bool), ApiError> {
    let (row, path) = store::ref_with_path(conn, id)?.ok_or(ApiError::NotFound)?;
    let reached = p.sees_unit_path(&path) || store::is_owner(conn, id, &p.id)?;
    if reached || shared_with(conn, p, id)? {
        Ok((row, reached))
    } else {
        Err(ApiError::NotFound)
    }
}

/// A customer the caller may read (home, owned or shared with its unit).
pub fn readable(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<CustomerRow, ApiError> {
    customer(conn, p, id, Access::Read)
}

/// A customer the caller may change (home or owned; never through sharing).
pub fn writable(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<CustomerRow, ApiError> {
    customer(conn, p, id, Access::Write)
}

/// Of `ids`, the live customers the principal reaches as their home unit or as an owner — the
/// batch rule for other domains' lists (sharing is decided per customer, by id, not in batches).
pub fn reachable_ids(conn: &mut DbConnection, p: &Principal, ids: &[String]) -> Result<Vec<String>, ApiError> {
    Ok(store::reachable_ids(conn, &crate::org::scope::Scope::of(p), &p.id, ids)?)
}

/// Staff of another unit see a customer only while the intra-group sharing consent holds.
fn shared_with(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<bool, ApiError> {
    if p.kind != PrincipalKind::Staff {
        return Ok(false);
    }
    let d = crate::consent::decide::decide(
        conn,
        id,
        &crate::consent::purpose::Purpose::IntraGroupSharing,
        None,
        Some(&p.unit_path),
    )?;
    Ok(d.allowed)
}
