//! The re-encryption job: every stored ciphertext to the newest field key, every blind index
//! recomputed with the newest blind-index key. Batches of rows, each its own transaction, so
//! the servers keep serving; safe to re-run (rows already on the newest keys are left alone).

use serde::{Deserialize, Serialize};

use super::store;
use crate::audit::{self, Event};
use crate::crypto::field::{CipherError, FieldCipher};
use crate::customers::model::CustomerRow;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::Progress;

pub const KIND: &str = "keys.reencrypt";

pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: None,
    run: |conn, state, job, progress| {
        run(conn, &state.cipher, &crate::tickets::files::Files::new(&state.settings.data_dir), job, progress)
    },
};
const BATCH: i64 = 500;
const SEALED: [&str; 5] = ["national_id", "mobile", "email", "address", "birth_date"];

/// The keys the run moves to: those of the server that started it. A server without them (not
/// yet restarted with the new key file) refuses the run rather than write with an older key.
#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub owner: JobOwner,
    pub field_key: String,
    pub blind_key: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    pub field_key: String,
    pub blind_key: String,
    pub customers_updated: u64,
    pub webhooks_updated: u64,
    pub merge_snapshots_updated: u64,
    #[serde(default)]
    pub job_files_updated: u64,
    pub tickets_updated: u64,
    #[serde(default)]
    pub attachments_updated: u64,
    /// Rows changed by a request while the job ran (they were written with the newest keys).
    pub skipped_as_changed: u64,
}

fn column<'r>(row: &'r mut CustomerRow, name: &str) -> &'r mut Option<String> {
    match name {
        "national_id" => &mut row.national_id,
        "mobile" => &mut row.mobile,
        "email" => &mut row.email,
        "address" => &mut row.address,
        _ => &mut row.birth_date,
    }
}

/// Re-seals a customer row (live or a merge snapshot) with the newest keys; true if anything
/// changed.
pub fn refresh(cipher: &FieldCipher, row: &mut CustomerRow) -> Result<bool, CipherError> {
    let id = row.id.clone();
    let mut changed = false;
    let mut clear = std::collections::HashMap::new();
    for col in SEALED {
        let Some(stored) = column(row, col).clone() else { continue };
        clear.insert(col, cipher.decrypt("customers", col, &id, &stored)?);
        if let Some(new) = cipher.reseal("customers", col, &id, &stored)? {
            *column(row, col) = Some(new);
            changed = true;
        }
    }
    let index = |col: &str| clear.get(col).map(|v| cipher.blind_index(col, v));
    let identity = clear.get("birth_date").map(|b| crate::customers::service::identity_index(cipher, &row.name, b));
    let birthday = clear.get("birth_date").and_then(|b| crate::customers::service::birthday_index(cipher, b));
    for (slot, new) in [
        (&mut row.national_id_bidx, index("national_id")),
        (&mut row.mobile_bidx, index("mobile")),
        (&mut row.email_bidx, index("email")),
        (&mut row.identity_bidx, identity),
        (&mut row.birthday_bidx, birthday),
    ] {
        // Only indexes that exist are recomputed: an absent one stays absent.
        if slot.is_some() && *slot != new {
            *slot = new;
            changed = true;
        }
    }
    Ok(changed)
}

pub fn run(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    files: &crate::tickets::files::Files,
    job: &JobRow,
    progress: &mut Progress<'_>,
) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let p = payload.owner.acting(conn, crate::auth::Permission::KeysManage)?;
    if payload.field_key != cipher.field_key_id() || payload.blind_key != cipher.blind_key_id() {
        return Err(ApiError::conflict("keys_not_loaded")
            .with("field_key", cipher.field_key_id())
            .with("blind_key", cipher.blind_key_id())
            .with("target_field_key", payload.field_key.as_str())
            .with("target_blind_key", payload.blind_key.as_str()));
    }
    let (c_total, w_total, m_total) = store::counts(conn)?;
    let total = c_total + w_total + m_total;
    let mut done = 0;
    progress(0, Some(total))?;
    let mut s =
        Summary { field_key: payload.field_key.clone(), blind_key: payload.blind_key.clone(), ..Summary::default() };
    let open_err = |what: &str, id: &str, e: CipherError| {
        ApiError::internal(format!("{what} {id}: cannot open a stored value ({e:?})"))
    };

    let mut after = String::new();
    loop {
        let rows = store::customers_after(conn, &after, BATCH)?;
        let Some(last) = rows.last() else { break };
        after = last.id.clone();
        let n = rows.len() as i64;
        crate::db::transaction(conn, |c| {
            for mut row in rows {
                if refresh(cipher, &mut row).map_err(|e| open_err("customer", &row.id, e))? {
                    match store::update_sealed(c, &row)? {
                        0 => s.skipped_as_changed += 1,
                        _ => s.customers_updated += 1,
                    }
                }
            }
            Ok::<_, crate::error::ApiError>(())
        })?;
        done += n;
        progress(done, Some(total))?;
    }

    let mut after = String::new();
    loop {
        let hooks = store::webhooks_after(conn, &after, BATCH)?;
        let Some(last) = hooks.last() else { break };
        after = last.0.clone();
        done += hooks.len() as i64;
        for (id, secret) in hooks {
            let new = cipher.reseal("webhooks", "secret", &id, &secret).map_err(|e| open_err("webhook", &id, e))?;
            if let Some(new) = new {
                s.webhooks_updated += store::update_webhook_secret(conn, &id, &secret, &new)? as u64;
            }
        }
        progress(done, Some(total))?;
    }

    let mut after = String::new();
    loop {
        let merges = store::merges_after(conn, &after, BATCH)?;
        let Some(last) = merges.last() else { break };
        after = last.0.clone();
        done += merges.len() as i64;
        for (id, snapshot) in merges {
            if snapshot == crate::privacy::store::anonymise::ERASED {
                continue;
            }
            let mut row: CustomerRow =
                serde_json::from_str(&snapshot).map_err(|e| ApiError::internal(format!("merge {id}: {e}")))?;
            if refresh(cipher, &mut row).map_err(|e| open_err("merge snapshot", &id, e))? {
                let new = serde_json::to_string(&row)?;
                s.merge_snapshots_updated += store::update_snapshot(conn, &id, &snapshot, &new)? as u64;
            }
        }
        progress(done, Some(total))?;
    }

    s.job_files_updated = crate::jobs::files::reseal_all(conn, cipher)?;
    s.tickets_updated = crate::tickets::reseal::reseal_all(conn, cipher)?;
    s.attachments_updated = crate::tickets::attachments::reseal_all(conn, cipher, files)?;

    audit::append(conn, &p.actor(), Event::new("keys.reencrypt", "job", Some(&job.id)))?;
    Ok(serde_json::to_value(s)?)
}

/// Whether a run that moved every blind index to `blind_key` ended well (indexes carry no key
/// id, so this is how an older blind-index key is known to be unused).
pub fn reindexed_to(conn: &mut DbConnection, blind_key: &str) -> diesel::QueryResult<bool> {
    Ok(store::succeeded_runs(conn, KIND)?
        .into_iter()
        .flatten()
        .any(|r| serde_json::from_str::<Summary>(&r).is_ok_and(|s| s.blind_key == blind_key)))
}
