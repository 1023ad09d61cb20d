use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{refresh_tokens, sessions, units, users};
use crate::db::{now, DbConnection};

pub fn create(conn: &mut DbConnection, user_id: &str, expires_at: NaiveDateTime) -> QueryResult<String> {
    let id = crate::db::new_id();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now()),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Issues a new refresh token in the session; returns the clear token (only the hash is stored).
pub fn issue_refresh(conn: &mut DbConnection, session_id: &str) -> QueryResult<String> {
    let token = crate::crypto::random_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(crate::crypto::sha256_hex(token.as_bytes())),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::issued_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(token)
}

pub struct Presented {
    pub session_id: String,
    pub user_id: String,
    pub used: bool,
    pub session_live: bool,
    pub user_active: bool,
}

pub fn find_refresh(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<Presented>> {
    type Row = (String, Option<NaiveDateTime>, String, Option<NaiveDateTime>, NaiveDateTime, bool);
    let row: Option<Row> = refresh_tokens::table
        .inner_join(sessions::table.inner_join(users::table))
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((
            sessions::id,
            refresh_tokens::used_at,
            sessions::user_id,
            sessions::revoked_at,
            sessions::expires_at,
            users::active,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(session_id, used_at, user_id, revoked_at, expires_at, active)| Presented {
        session_id,
        user_id,
        used: used_at.is_some(),
        session_live: revoked_at.is_none() && expires_at > now(),
        user_active: active,
    }))
}

/// Marks a token spent; false when another request spent it first.
pub fn spend(conn: &mut DbConnection, token_hash: &str) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Some(now())))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke(conn: &mut DbConnection, session_id: &str, reason: &str) -> QueryResult<()> {
    super::live::invalidate();
    diesel::update(sessions::table.find(session_id).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(Some(now())), sessions::revoked_reason.eq(Some(reason))))
        .execute(conn)
        .map(|_| ())
}

pub fn revoke_all_for_user(conn: &mut DbConnection, user_id: &str, reason: &str) -> QueryResult<()> {
    super::live::invalidate();
    diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(Some(now())), sessions::revoked_reason.eq(Some(reason))))
        .execute(conn)
        .map(|_| ())
}

/// The staff user behind an access token's (sub, sid), with unit path and session state: the one
/// query every authenticated staff request runs.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct StaffSession {
    pub user_id: String,
    pub username: String,
    pub role: String,
    pub unit_id: String,
    pub active: bool,
    pub unit_path: String,
    pub revoked_at: Option<NaiveDateTime>,
    pub expires_at: NaiveDateTime,
}

impl StaffSession {
    pub fn live(&self) -> bool {
        self.active && self.revoked_at.is_none() && self.expires_at > now()
    }
}

pub fn staff_for_session(
    conn: &mut DbConnection,
    user_id: &str,
    session_id: &str,
) -> QueryResult<Option<StaffSession>> {
    users::table
        .inner_join(units::table)
        .inner_join(sessions::table)
        .filter(users::id.eq(user_id))
        .filter(sessions::id.eq(session_id))
        .select((
            users::id,
            users::username,
            users::role,
            users::unit_id,
            users::active,
            units::path,
            sessions::revoked_at,
            sessions::expires_at,
        ))
        .first(conn)
        .optional()
}
