//! Signed checkpoints of the audit chain, as Certificate Transparency's signed tree heads: the
//! chain's length and head hash, signed with the service key (a JWS anyone verifies with the
//! published key). Each is stored, written to the server log and retrievable; a copy kept outside
//! the database — the log, a ticket, a printout — lets a verification tell when the newest entries
//! were deleted and the head rewritten, which the chain alone cannot show.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::jwt::TokenService;
use crate::db::schema::{audit_checkpoints, audit_log};
use crate::db::{now, DbConnection};
use crate::error::ApiError;

pub const TYP: &str = "audit-checkpoint+jwt";
pub const KIND: &str = "audit.checkpoint";

/// Each hour: sign the head of the chain.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: Some(crate::jobs::Schedule { name: "hourly-audit-checkpoint", next: crate::jobs::schedule::next_hour }),
    run: |conn, state, _, _| {
        let row = sign(conn, &state.tokens)?;
        Ok(serde_json::json!({ "seq": row.seq, "hash": row.hash }))
    },
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_checkpoints)]
pub struct CheckpointRow {
    pub seq: i64,
    pub hash: String,
    pub signed_at: NaiveDateTime,
    pub jws: String,
}

/// A signed checkpoint: the chain had `seq` entries, the last with hash `hash`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub signed_at: chrono::DateTime<chrono::Utc>,
    /// The JWS (EdDSA, `typ` `audit-checkpoint+jwt`, key in `/.well-known/jwks.json`); keep a copy.
    pub jws: String,
}

impl From<CheckpointRow> for Checkpoint {
    fn from(r: CheckpointRow) -> Self {
        Checkpoint { seq: r.seq, hash: r.hash, signed_at: r.signed_at.and_utc(), jws: r.jws }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    iat: i64,
    seq: i64,
    hash: String,
}

/// Signs the chain's head now (or returns the checkpoint of that head if one exists), stores it
/// and writes it to the log.
pub fn sign(conn: &mut DbConnection, tokens: &TokenService) -> Result<CheckpointRow, ApiError> {
    let (seq, hash) = super::store::head(conn)?;
    if let Some(existing) =
        audit_checkpoints::table.find(seq).select(CheckpointRow::as_select()).first(conn).optional()?
    {
        return Ok(existing);
    }
    let t = now();
    let claims = Claims { iss: tokens.issuer().to_owned(), iat: t.and_utc().timestamp(), seq, hash: hash.clone() };
    let row = CheckpointRow { seq, hash, signed_at: t, jws: tokens.sign_document(TYP, &claims)? };
    diesel::insert_into(audit_checkpoints::table).values(&row).execute(conn)?;
    // The copy outside the database: whoever rewrites the tables cannot rewrite this line.
    tracing::info!(seq = row.seq, hash = %row.hash, jws = %row.jws, "audit checkpoint");
    Ok(row)
}

pub fn list(conn: &mut DbConnection, before_seq: Option<i64>, limit: i64) -> Result<Vec<CheckpointRow>, ApiError> {
    let mut q = audit_checkpoints::table.select(CheckpointRow::as_select()).into_boxed();
    if let Some(b) = before_seq {
        q = q.filter(audit_checkpoints::seq.lt(b));
    }
    Ok(q.order(audit_checkpoints::seq.desc()).limit(limit).load(conn)?)
}

/// The (seq, hash) a checkpoint JWS vouches for, if its signature is this service's.
pub fn open(tokens: &TokenService, jws: &str) -> Result<(i64, String), ApiError> {
    let claims: Claims =
        tokens.verify_document(TYP, jws.trim(), false).ok_or_else(|| ApiError::field("checkpoint", "signature"))?;
    Ok((claims.seq, claims.hash))
}

/// Why the chain contradicts a checkpoint (seq, hash), if it does: the entry it names is gone or
/// differs. The newest stored checkpoint is asked too.
pub fn contradiction(
    conn: &mut DbConnection,
    given: Option<(i64, String)>,
) -> Result<Option<(i64, &'static str)>, ApiError> {
    let stored: Option<(i64, String)> = audit_checkpoints::table
        .order(audit_checkpoints::seq.desc())
        .select((audit_checkpoints::seq, audit_checkpoints::hash))
        .first(conn)
        .optional()?;
    for (seq, hash) in given.into_iter().chain(stored) {
        let found: Option<String> = audit_log::table.find(seq).select(audit_log::hash).first(conn).optional()?;
        match found {
            None if seq > 0 => return Ok(Some((seq, "the chain is shorter than a signed checkpoint"))),
            Some(h) if h != hash => return Ok(Some((seq, "entry differs from a signed checkpoint"))),
            _ => {}
        }
    }
    Ok(None)
}
