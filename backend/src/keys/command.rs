//! The operator's side of a rotation: `guanxi rotate-keys` (add a key) and
//! `guanxi rotate-keys --retire` (drop the older keys once nothing stored needs them).

use super::{reencrypt, store};
use crate::config::Settings;
use crate::crypto::field::FieldCipher;
use crate::crypto::keys::{self, Keyring, BLIND_PREFIX, FIELD_PREFIX};

/// Adds a field key (or a blind-index key); returns its id.
pub fn add(settings: &Settings, blind_index: bool) -> Result<String, String> {
    if blind_index {
        keys::add_key(&settings.blind_index_key_file, BLIND_PREFIX)
    } else {
        keys::add_key(&settings.field_key_file, FIELD_PREFIX)
    }
}

/// Removes the older keys of both files, refusing while a stored value still needs one.
/// Returns the ids removed.
pub fn retire(settings: &Settings, db: &crate::db::DbPool) -> Result<Vec<String>, String> {
    let ring = Keyring::load_or_create(settings)?;
    let cipher = FieldCipher::new(&ring);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let ids = cipher.field_key_ids();
    let stale = store::stale(&mut conn, &ids[..ids.len() - 1]).map_err(|e| e.to_string())?;
    if stale.total() > 0 {
        return Err(format!(
            "{} stored values still use an older field key ({} customers, {} webhooks, {} merge snapshots): run the re-encryption (POST /api/v1/key-rotations) first",
            stale.total(),
            stale.customers,
            stale.webhooks,
            stale.merge_snapshots
        ));
    }
    if cipher.blind_key_ids().len() > 1
        && !reencrypt::reindexed_to(&mut conn, cipher.blind_key_id()).map_err(|e| e.to_string())?
    {
        return Err(format!(
            "no finished re-encryption run has moved the blind indexes to {}: run it (POST /api/v1/key-rotations) first",
            cipher.blind_key_id()
        ));
    }
    let mut removed = keys::retire_old_keys(&settings.field_key_file, FIELD_PREFIX)?;
    removed.extend(keys::retire_old_keys(&settings.blind_index_key_file, BLIND_PREFIX)?);
    Ok(removed)
}
