use chrono::TimeDelta;

use super::store;
use crate::audit::{self, Actor, Event};
use crate::auth::lockout;
use crate::auth::password;
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::org::{model::UserRow, store as org_store};

pub fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("credentials_invalid")
}

/// The start of a login: whether this name may be tried from this address now, and whom it names.
pub enum Attempt {
    Unknown,
    Locked { retry_after_secs: u64, user: Option<UserRow> },
    Check(UserRow),
}

pub fn begin_login(conn: &mut DbConnection, username: &str, address: &str) -> Result<Attempt, ApiError> {
    let user = org_store::user_by_username(conn, username)?;
    // Asked first and for every name alike: a lock says nothing about whether the name exists.
    if let Some(retry_after_secs) = lockout::locked(conn, username, address, now())? {
        return Ok(Attempt::Locked { retry_after_secs, user });
    }
    Ok(user.map_or(Attempt::Unknown, Attempt::Check))
}

/// Records a failed attempt (counted towards a lock of this name at this address unless it was
/// refused as locked already), with its audit entry.
pub fn fail_login(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    user: Option<&UserRow>,
    max_failures: i32,
    outcome: &str,
) -> Result<(), ApiError> {
    let address = actor.ip.as_deref().unwrap_or("unknown");
    let mut actor = actor.clone();
    actor.id = user.map(|u| u.id.clone());
    if outcome != "locked" {
        if let Some(until) = lockout::failed(conn, username, address, max_failures, now())? {
            if let Some(u) = user {
                // Shown to administrators as "locked"; the lock itself is the address's.
                org_store::record_failed_login(conn, &u.id, Some(until))?;
            }
            audit::append(conn, &actor, Event::new("auth.lockout", "user", user.map(|u| u.id.as_str())))?;
        }
    }
    audit::append(conn, &actor, Event::new("auth.login", "user", user.map(|u| u.id.as_str())).outcome(outcome))
}

pub struct Issued {
    pub session_id: String,
    pub refresh_token: String,
    /// Who the new access token speaks for, as the database says now.
    pub staff: store::StaffSession,
}

fn staff(conn: &mut DbConnection, user_id: &str, session_id: &str) -> Result<store::StaffSession, ApiError> {
    store::staff_for_session(conn, user_id, session_id)?.ok_or(ApiError::Unauthorized("session_ended"))
}

/// A successful login: resets the failure count, upgrades a weak hash, opens a session.
pub fn succeed_login(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &UserRow,
    refresh_ttl_secs: i64,
    upgraded_hash: Option<String>,
) -> Result<Issued, ApiError> {
    let t = now();
    org_store::record_login(conn, &user.id, t, upgraded_hash.as_deref())?;
    let session_id = store::create(conn, &user.id, t + TimeDelta::seconds(refresh_ttl_secs))?;
    let refresh_token = store::issue_refresh(conn, &session_id)?;
    let mut actor = actor.clone();
    actor.id = Some(user.id.clone());
    actor.role = Some(user.role.clone());
    actor.unit_id = Some(user.unit_id.clone());
    actor.kind = "staff".into();
    audit::append(conn, &actor, Event::new("auth.login", "user", Some(&user.id)))?;
    let staff = staff(conn, &user.id, &session_id)?;
    Ok(Issued { session_id, refresh_token, staff })
}

pub enum Refreshed {
    Rotated(Issued),
    /// A spent token came back: the family was revoked. Commit, then answer 401.
    Reused,
    Invalid,
}

pub fn refresh(conn: &mut DbConnection, actor: &Actor, token: &str) -> Result<Refreshed, ApiError> {
    let hash = crate::crypto::sha256_hex(token.as_bytes());
    let Some(found) = store::find_refresh(conn, &hash)? else {
        return Ok(Refreshed::Invalid);
    };
    if !found.session_live || !found.user_active {
        return Ok(Refreshed::Invalid);
    }
    if found.used || !store::spend(conn, &hash)? {
        store::revoke(conn, &found.session_id, "refresh token reuse")?;
        let mut actor = actor.clone();
        actor.id = Some(found.user_id.clone());
        audit::append(
            conn,
            &actor,
            Event::new("auth.refresh_reuse", "session", Some(&found.session_id)).outcome("revoked"),
        )?;
        return Ok(Refreshed::Reused);
    }
    let refresh_token = store::issue_refresh(conn, &found.session_id)?;
    let staff = staff(conn, &found.user_id, &found.session_id)?;
    Ok(Refreshed::Rotated(Issued { session_id: found.session_id, refresh_token, staff }))
}

pub fn logout(conn: &mut DbConnection, actor: &Actor, session_id: &str) -> Result<(), ApiError> {
    store::revoke(conn, session_id, "logout")?;
    audit::append(conn, actor, Event::new("auth.logout", "session", Some(session_id)))
}

/// Whether the stored hash should be replaced after a successful check.
pub fn wants_upgrade(user: &UserRow) -> bool {
    password::needs_upgrade(&user.password_hash)
}
