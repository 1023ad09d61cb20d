//! Four eyes on access to clear personal data. An administrator may not read personal data
//! (separation of duties), so an administrator may not make an account that does either: whatever
//! would let an account read clear values — a compliance or manager role, enabling such an
//! account, a new password for one — is held as a grant and does nothing until a second person of
//! such a role, in scope and neither the requester nor the user, approves it. Everything else in
//! the same change applies at once. Both the request and the decision are audited.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{GrantRow, UserChanges, UserRow, PENDING};
use super::store;
use crate::audit::{self, Event};
use crate::auth::{Principal, Role};
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;

/// Roles whose holders read clear personal data (the manager view and purposeful reveals).
pub fn reads_clear_data(role: Role) -> bool {
    matches!(role, Role::Compliance | Role::Manager)
}

/// The part of a change that must wait for approval, split from the part that applies now.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Held {
    pub role: Option<Role>,
    pub activate: bool,
    pub password_hash: Option<String>,
}

impl Held {
    pub fn is_empty(&self) -> bool {
        self.role.is_none() && !self.activate && self.password_hash.is_none()
    }
}

/// Splits `changes` to `user` (None: a new account) into what applies now and what is held.
pub fn split(user: Option<&UserRow>, changes: &mut UserChanges) -> Held {
    let current_role = user.and_then(|u| Role::parse(&u.role));
    let new_role = changes.role.as_deref().and_then(Role::parse);
    let role_after = new_role.or(current_role);
    let clear_after = role_after.is_some_and(reads_clear_data);
    let mut held = Held::default();
    // A new account keeps its role: it does nothing until it is enabled, which is held.
    if user.is_some() && new_role.is_some_and(reads_clear_data) && new_role != current_role {
        held.role = new_role;
        changes.role = None;
    }
    let active_now = user.is_some_and(|u| u.active);
    let activates = changes.active == Some(true) && !active_now;
    if clear_after && (activates || user.is_none()) {
        held.activate = true;
        changes.active = None;
    }
    if clear_after && changes.password_hash.is_some() && user.is_some() {
        held.password_hash = changes.password_hash.take();
    }
    held
}

/// Records a held change for `user_id`, superseding an older pending one.
pub fn hold(conn: &mut DbConnection, p: &Principal, user_id: &str, held: Held) -> Result<GrantRow, ApiError> {
    let row = GrantRow {
        id: new_id(),
        user_id: user_id.to_owned(),
        role: held.role.map(|r| r.as_str().to_owned()),
        activate: held.activate,
        password_hash: held.password_hash,
        requested_by: p.id.clone(),
        requested_at: now(),
        status: PENDING.to_owned(),
        decided_by: None,
        decided_at: None,
    };
    store::hold_grant(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("user.grant_request", "user", Some(user_id)).fields(&row.names()))?;
    Ok(row)
}

impl GrantRow {
    fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.role.is_some() {
            names.push("role");
        }
        if self.activate {
            names.push("active");
        }
        if self.password_hash.is_some() {
            names.push("password");
        }
        names
    }
}

/// A pending grant the approver may decide: of a user in their scope, asked by someone else, for
/// someone else.
fn decidable(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<GrantRow, ApiError> {
    let (grant, path) = store::pending_grant(conn, id)?.ok_or(ApiError::NotFound)?;
    if !p.sees_unit_path(&path) {
        return Err(ApiError::NotFound);
    }
    if grant.requested_by == p.id || grant.user_id == p.id {
        return Err(ApiError::conflict("grant_second_person"));
    }
    Ok(grant)
}

/// Applies a grant: the role, the account enabled, the password; sessions end when the password
/// or the role changes.
pub fn approve(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<UserRow, ApiError> {
    let grant = decidable(conn, p, id)?;
    let user = store::user(conn, &grant.user_id)?.ok_or(ApiError::NotFound)?;
    let changes = UserChanges {
        role: grant.role.clone(),
        active: grant.activate.then_some(true),
        password_hash: grant.password_hash.clone(),
        ..UserChanges::default()
    };
    if !store::update_user(conn, &user.id, user.version, &changes, now())? {
        return Err(ApiError::PreconditionFailed);
    }
    if grant.role.is_some() || grant.password_hash.is_some() {
        crate::auth::sessions::store::revoke_all_for_user(conn, &user.id, "grant approved")?;
    }
    store::decide_grant(conn, id, "approved", &p.id, now())?;
    audit::append(conn, &p.actor(), Event::new("user.grant_approve", "user", Some(&user.id)).fields(&grant.names()))?;
    store::user(conn, &user.id)?.ok_or(ApiError::NotFound)
}

pub fn reject(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<(), ApiError> {
    let grant = decidable(conn, p, id)?;
    store::decide_grant(conn, id, "rejected", &p.id, now())?;
    audit::append(conn, &p.actor(), Event::new("user.grant_reject", "user", Some(&grant.user_id)))?;
    Ok(())
}

/// A grant waiting for approval, as approvers and administrators see it (never the password).
#[derive(Debug, Serialize, ToSchema)]
pub struct Grant {
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub role: Option<Role>,
    pub activate: bool,
    /// A new password is waiting (its value is never shown).
    pub password: bool,
    pub requested_by: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
}

impl From<(GrantRow, String)> for Grant {
    fn from((g, username): (GrantRow, String)) -> Self {
        Grant {
            id: g.id,
            user_id: g.user_id,
            username,
            role: g.role.as_deref().and_then(Role::parse),
            activate: g.activate,
            password: g.password_hash.is_some(),
            requested_by: g.requested_by,
            requested_at: g.requested_at.and_utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: &str, active: bool) -> UserRow {
        let mut u = super::super::service::new_user("u", "u", "h".into(), Role::Agent, "unit");
        u.role = role.into();
        u.active = active;
        u
    }

    #[test]
    fn only_what_opens_clear_data_is_held() {
        // A new compliance officer waits to be enabled; a new agent does not.
        let mut c = UserChanges { role: Some("compliance".into()), active: Some(true), ..Default::default() };
        let held = split(None, &mut c);
        assert_eq!((held.role, held.activate), (None, true));
        assert!(split(None, &mut UserChanges { role: Some("agent".into()), ..Default::default() }).is_empty());
        // Promoting an agent to manager waits; renaming it does not.
        let mut c = UserChanges { role: Some("manager".into()), display_name: Some("x".into()), ..Default::default() };
        let held = split(Some(&user("agent", true)), &mut c);
        assert_eq!(held.role, Some(Role::Manager));
        assert_eq!((c.role, c.display_name.as_deref()), (None, Some("x")));
        // A manager's new password waits; an agent's does not.
        let mut c = UserChanges { password_hash: Some("h2".into()), ..Default::default() };
        assert_eq!(split(Some(&user("manager", true)), &mut c).password_hash.as_deref(), Some("h2"));
        assert!(c.password_hash.is_none());
        let mut c = UserChanges { password_hash: Some("h2".into()), ..Default::default() };
        assert!(split(Some(&user("agent", true)), &mut c).is_empty());
        // Re-enabling a disabled manager waits; disabling one does not.
        let mut c = UserChanges { active: Some(true), ..Default::default() };
        assert!(split(Some(&user("manager", false)), &mut c).activate);
        let mut c = UserChanges { active: Some(false), ..Default::default() };
        assert!(split(Some(&user("manager", true)), &mut c).is_empty());
        assert_eq!(c.active, Some(false));
    }
}
