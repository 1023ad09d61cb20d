//! Appending to and verifying the chain. hash(n) = SHA-256(hash(n-1) ‖ "\n" ‖ canonical JSON of
//! entry n without its hash). Timestamps are hashed as stored (microseconds, UTC).

use serde::Serialize;

use super::model::{Actor, AuditRow, Event, Verification};
use super::store;
use crate::db::DbConnection;
use crate::error::ApiError;

#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    id: &'a str,
    at: String,
    actor_id: &'a Option<String>,
    actor_kind: &'a str,
    actor_role: &'a Option<String>,
    unit_id: &'a Option<String>,
    action: &'a str,
    resource_type: &'a str,
    resource_id: &'a Option<String>,
    fields: &'a str,
    purpose: &'a Option<String>,
    outcome: &'a str,
    ip: &'a Option<String>,
    request_id: &'a Option<String>,
}

pub fn compute_hash(prev_hash: &str, r: &AuditRow) -> String {
    let canonical = Canonical {
        seq: r.seq,
        id: &r.id,
        at: r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        actor_id: &r.actor_id,
        actor_kind: &r.actor_kind,
        actor_role: &r.actor_role,
        unit_id: &r.unit_id,
        action: &r.action,
        resource_type: &r.resource_type,
        resource_id: &r.resource_id,
        fields: &r.fields,
        purpose: &r.purpose,
        outcome: &r.outcome,
        ip: &r.ip,
        request_id: &r.request_id,
    };
    let json = serde_json::to_string(&canonical).unwrap_or_default();
    crate::crypto::sha256_hex(format!("{prev_hash}\n{json}").as_bytes())
}

/// Appends one entry inside the caller's transaction, so the entry commits with the change.
pub fn append(conn: &mut DbConnection, actor: &Actor, event: Event<'_>) -> Result<(), ApiError> {
    let (seq, prev_hash) = store::lock_head(conn)?;
    let mut row = AuditRow {
        seq: seq + 1,
        id: crate::db::new_id(),
        at: crate::db::now(),
        actor_id: actor.id.clone(),
        actor_kind: actor.kind.clone(),
        actor_role: actor.role.clone(),
        unit_id: actor.unit_id.clone(),
        action: event.action.to_owned(),
        resource_type: event.resource_type.to_owned(),
        resource_id: event.resource_id.map(str::to_owned),
        fields: serde_json::to_string(event.fields).map_err(ApiError::internal)?,
        purpose: event.purpose.map(str::to_owned),
        outcome: event.outcome.to_owned(),
        ip: actor.ip.clone(),
        request_id: actor.request_id.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = compute_hash(&row.prev_hash, &row);
    store::insert(conn, &row)?;
    Ok(())
}

const BATCH: i64 = 1000;

/// Walks the whole chain in the background (`POST /audit/verifications`).
pub const VERIFY_JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: "audit.verify",
    schedule: None,
    run: |conn, _, _, progress| {
        Ok(serde_json::to_value(verify(conn, None, |done, total| progress(done, Some(total)))?)?)
    },
};

/// Walks the whole chain in batches (constant memory), calling `progress(checked, head_seq)`,
/// then holds it against a signed checkpoint kept elsewhere (`checkpoint`: its seq and hash) and
/// the newest stored one: a chain cut short and given a new head is intact but contradicts them.
pub fn verify(
    conn: &mut DbConnection,
    checkpoint: Option<(i64, String)>,
    mut progress: impl FnMut(i64, i64) -> Result<(), ApiError>,
) -> Result<Verification, ApiError> {
    let (head_seq, head_hash) = store::head(conn)?;
    let mut prev_hash = "0".repeat(64);
    let mut expected_seq = 1;
    let mut checked = 0;
    let broken = |seq: i64, checked: i64, reason: &str| Verification {
        ok: false,
        checked,
        head_seq,
        first_broken_seq: Some(seq),
        reason: Some(reason.to_owned()),
    };
    loop {
        let rows = store::batch_after(conn, expected_seq - 1, BATCH)?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            if r.seq != expected_seq {
                return Ok(broken(expected_seq, checked, "entry missing"));
            }
            if r.prev_hash != prev_hash {
                return Ok(broken(r.seq, checked, "link to the previous entry does not match"));
            }
            if compute_hash(&prev_hash, r) != r.hash {
                return Ok(broken(r.seq, checked, "entry content does not match its hash"));
            }
            prev_hash = r.hash.clone();
            expected_seq += 1;
            checked += 1;
        }
        progress(checked, head_seq)?;
    }
    if checked != head_seq || (head_seq > 0 && prev_hash != head_hash) {
        return Ok(broken(checked + 1, checked, "chain is shorter than its head says"));
    }
    if let Some((seq, reason)) = super::checkpoint::contradiction(conn, checkpoint)? {
        return Ok(broken(seq, checked, reason));
    }
    Ok(Verification { ok: true, checked, head_seq, first_broken_seq: None, reason: None })
}
