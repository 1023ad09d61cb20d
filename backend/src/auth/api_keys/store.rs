use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{api_keys, units};
use crate::db::{now, DbConnection};
use crate::org::scope::Scope;

/// How every key begins: a bearer token with it is a key, without it an access token.
pub const API_KEY_PREFIX: &str = "gx_";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub scopes: String,
    pub unit_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    /// Set for a partner's key: it reads through the partner API only (PRV-3).
    pub partner_id: Option<String>,
}

/// An API key as listed (never the key itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub unit_id: String,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub partner_id: Option<String>,
    /// `1` while it lasts, `2` once ended; the `If-Match` that ends it names this.
    pub version: i64,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(r: ApiKeyRow) -> Self {
        ApiKey {
            scopes: r.scopes.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            unit_id: r.unit_id,
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            expires_at: r.expires_at.map(|t| t.and_utc()),
            version: crate::http::etag::ended_version(r.revoked_at.is_some()),
            revoked_at: r.revoked_at.map(|t| t.and_utc()),
            last_used_at: r.last_used_at.map(|t| t.and_utc()),
            partner_id: r.partner_id,
        }
    }
}

pub struct KeyAuth {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub unit_id: String,
    pub unit_path: String,
    pub partner_id: Option<String>,
}

impl ApiKeyRow {
    /// A new key for `unit_id` and the key itself (shown once; only its hash is stored).
    pub fn issue(
        name: String,
        scopes: String,
        unit_id: String,
        created_by: String,
        expires_at: Option<NaiveDateTime>,
        partner_id: Option<String>,
    ) -> (ApiKeyRow, String) {
        let key = format!("{}{}", API_KEY_PREFIX, crate::crypto::random_token());
        let row = ApiKeyRow {
            id: crate::db::new_id(),
            name,
            prefix: key[..API_KEY_PREFIX.len() + 6].to_owned(),
            key_hash: crate::crypto::sha256_hex(key.as_bytes()),
            scopes,
            unit_id,
            created_by,
            created_at: now(),
            expires_at,
            revoked_at: None,
            last_used_at: None,
            partner_id,
        };
        (row, key)
    }
}

pub fn insert(conn: &mut DbConnection, row: &ApiKeyRow) -> QueryResult<()> {
    diesel::insert_into(api_keys::table).values(row).execute(conn).map(|_| ())
}

/// Keys of the units in the scope, keyset on id.
pub fn list(conn: &mut DbConnection, scope: &Scope, after: Option<&str>, limit: i64) -> QueryResult<Vec<ApiKeyRow>> {
    let in_scope = scope.unit_ids();
    let mut q = api_keys::table.filter(api_keys::unit_id.eq_any(in_scope)).select(ApiKeyRow::as_select()).into_boxed();
    if let Some(a) = after {
        q = q.filter(api_keys::id.gt(a.to_owned()));
    }
    q.order(api_keys::id.asc()).limit(limit).load(conn)
}

pub fn get_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(ApiKeyRow, String)>> {
    api_keys::table
        .inner_join(units::table)
        .filter(api_keys::id.eq(id))
        .select((ApiKeyRow::as_select(), units::path))
        .first(conn)
        .optional()
}

pub fn revoke(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(api_keys::table.find(id).filter(api_keys::revoked_at.is_null()))
        .set(api_keys::revoked_at.eq(Some(now())))
        .execute(conn)
        .map(|_| ())
}

/// The live key with this hash. Notes the use at most once a minute (a write per request would
/// turn every integration read into a write).
pub fn authenticate(conn: &mut DbConnection, key_hash: &str) -> Result<Option<KeyAuth>, crate::error::ApiError> {
    let t = now();
    let found: Option<(ApiKeyRow, String)> = api_keys::table
        .inner_join(units::table)
        .filter(api_keys::key_hash.eq(key_hash))
        .select((ApiKeyRow::as_select(), units::path))
        .first(conn)
        .optional()?;
    let Some((row, unit_path)) = found else { return Ok(None) };
    if row.revoked_at.is_some() || row.expires_at.is_some_and(|e| e <= t) {
        return Ok(None);
    }
    if row.last_used_at.is_none_or(|u| u < t - TimeDelta::minutes(1)) {
        diesel::update(api_keys::table.find(&row.id)).set(api_keys::last_used_at.eq(Some(t))).execute(conn)?;
    }
    Ok(Some(KeyAuth {
        scopes: row.scopes.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        id: row.id,
        name: row.name,
        unit_id: row.unit_id,
        unit_path,
        partner_id: row.partner_id,
    }))
}
