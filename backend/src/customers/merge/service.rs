use chrono::TimeDelta;

use super::dto::*;
use super::store::{self as merges, MergeRow, Moved};
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::crypto::field::FieldCipher;
use crate::customers::fields::{self, Derived, Field};
use crate::customers::model::{CustomerRow, TABLE};
use crate::customers::{service, store};
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::outbox::Topic;

pub const UNDO_DAYS: i64 = 30;

/// Copies one field from `src` into `dst` with what derives from it; sensitive values are
/// decrypted and sealed again for the survivor's row (a ciphertext is bound to its row), blind
/// indexes and regions carry over unchanged.
fn take(cipher: &FieldCipher, dst: &mut CustomerRow, src: &CustomerRow, f: &Field) -> Result<(), ApiError> {
    let value = (f.stored.get)(src).map(str::to_owned);
    let value = match f.sensitive() {
        true => service::open(cipher, src, f.name, &value)?.map(|clear| cipher.encrypt(TABLE, f.name, &dst.id, &clear)),
        false => value,
    };
    (f.stored.set)(dst, value);
    if let Derived::BlindIndex(s) | Derived::Region(s) = f.derived {
        (s.set)(dst, (s.get)(src).map(str::to_owned));
    }
    Ok(())
}

struct Plan {
    merged: CustomerRow,
    /// Per field: "target", "source" or "same".
    origin: Vec<(&'static str, &'static str)>,
    taken: Vec<&'static str>,
}

fn plan(
    cipher: &FieldCipher,
    target: &CustomerRow,
    source: &CustomerRow,
    prefer_source: &[String],
) -> Result<Plan, ApiError> {
    if let Some(bad) = prefer_source.iter().find(|f| !fields::find(f).is_some_and(|f| f.is(fields::MERGED))) {
        return Err(ApiError::field("take_from_source", "unknown").with("value", bad.clone()));
    }
    let mut wanted: Vec<&str> = prefer_source.iter().map(String::as_str).collect();
    // Birth date and gender follow the national id they are read from.
    if wanted.contains(&"national_id") {
        wanted.extend(["birth_date", "gender"]);
    }
    let mut merged = target.clone();
    let (mut origin, mut taken) = (Vec::new(), Vec::new());
    for f in fields::with(fields::MERGED) {
        let (t, s) = (fields::is_set(target, f), fields::is_set(source, f));
        let use_source = s && (!t || wanted.contains(&f.name));
        if use_source {
            take(cipher, &mut merged, source, f)?;
            taken.push(f.name);
        }
        origin.push((f.name, if use_source { "source" } else { "target" }));
    }
    if taken.iter().any(|f| matches!(*f, "name" | "birth_date")) {
        let birth = service::open(cipher, &merged, "birth_date", &merged.birth_date)?;
        merged.birthday_bidx = birth.as_deref().and_then(|b| service::birthday_index(cipher, b));
        merged.identity_bidx = birth.map(|b| service::identity_index(cipher, &merged.name, &b));
    }
    merged.last_contact_at = target.last_contact_at.max(source.last_contact_at);
    merged.last_purchase_at = target.last_purchase_at.max(source.last_purchase_at);
    Ok(Plan { merged, origin, taken })
}

fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = a.iter().chain(b).cloned().collect();
    all.sort();
    all.dedup();
    all
}

fn field_value(c: &serde_json::Value, f: &str) -> Option<String> {
    match c.get(f) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    }
}

/// Dry run or merge of `input.source_id` into `target_id`.
pub fn merge(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    target_id: &str,
    input: MergeRequest,
) -> Result<MergeOutcome, ApiError> {
    if input.source_id == target_id {
        return Err(ApiError::field("source_id", "same"));
    }
    let target = crate::customers::access::writable(conn, p, target_id)?;
    let source = crate::customers::access::writable(conn, p, &input.source_id).map_err(|e| match e {
        ApiError::NotFound => ApiError::field("source_id", "unknown"),
        other => other,
    })?;
    if target.version != input.target_version || source.version != input.source_version {
        return Err(ApiError::PreconditionFailed);
    }
    let plan = plan(cipher, &target, &source, &input.take_from_source)?;
    let (owners, tags) = store::owners_and_tags(conn, &[target.id.clone(), source.id.clone()])?;
    let list = |m: &store::ByCustomer, id: &str| m.get(id).cloned().unwrap_or_default();
    let (t_owners, s_owners) = (list(&owners, &target.id), list(&owners, &source.id));
    let (t_tags, s_tags) = (list(&tags, &target.id), list(&tags, &source.id));
    let mut moved = merges::records_of(conn, &source.id)?;
    moved.owners_added = s_owners.iter().filter(|o| !t_owners.contains(o)).cloned().collect();
    moved.tags_added = s_tags.iter().filter(|t| !t_tags.contains(t)).cloned().collect();
    let (all_owners, all_tags) = (union(&t_owners, &s_owners), union(&t_tags, &s_tags));

    let shown = |row: &CustomerRow, o: &[String], t: &[String]| -> Result<serde_json::Value, ApiError> {
        let c = service::view(cipher, p, row.clone(), o.to_vec(), t.to_vec())?;
        serde_json::to_value(c).map_err(ApiError::internal)
    };
    let (tv, sv, mv) = (
        shown(&target, &t_owners, &t_tags)?,
        shown(&source, &s_owners, &s_tags)?,
        shown(&plan.merged, &all_owners, &all_tags)?,
    );
    let fields = plan
        .origin
        .iter()
        .map(|(f, from)| {
            let (t, s) = (field_value(&tv, f), field_value(&sv, f));
            let from = if t.is_some() && t == s { "same" } else { from };
            FieldChoice { field: (*f).into(), target: t, source: s, merged: field_value(&mv, f), from: from.into() }
        })
        .collect();
    let preview = MergePreview {
        target_id: target.id.clone(),
        source_id: source.id.clone(),
        fields,
        moves: moved.counts(),
        tags: all_tags.clone(),
        owner_ids: all_owners.clone(),
        consents: super::consents::outcomes(conn, &target.id, &source.id)?,
    };
    if input.dry_run {
        return Ok(MergeOutcome { preview, merge: None, customer: None });
    }

    let t = now();
    let mut merged = plan.merged;
    merged.version = target.version + 1;
    merged.updated_at = t;
    if !store::update(conn, &merged, target.version)? {
        return Err(ApiError::PreconditionFailed);
    }
    merges::reassign(conn, &moved, &target.id)?;
    let merge_id = crate::db::new_id();
    let derived = super::consents::settle(conn, &p.actor(), &p.id, &merged, &preview.consents, &merge_id)?;
    moved.consents.extend(derived);
    crate::customers::quality::store::unverify(conn, &target.id, &plan.taken)?;
    store::replace_owners(conn, &target.id, &all_owners)?;
    store::replace_tags(conn, &target.id, &all_tags)?;
    let mut gone = source.clone();
    gone.version = source.version + 1;
    gone.updated_at = t;
    gone.deleted_at = Some(t);
    if !store::update(conn, &gone, source.version)? {
        return Err(ApiError::PreconditionFailed);
    }
    let row = MergeRow {
        id: merge_id,
        target_id: target.id.clone(),
        source_id: source.id.clone(),
        target_before: serde_json::to_string(&target).map_err(ApiError::internal)?,
        target_version: merged.version,
        moved: serde_json::to_string(&moved).map_err(ApiError::internal)?,
        fields: serde_json::to_string(&plan.taken).map_err(ApiError::internal)?,
        merged_by: p.id.clone(),
        merged_at: t,
        undone_at: None,
        undone_by: None,
    };
    merges::insert(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("customer.merge", "customer", Some(&target.id)).fields(&plan.taken))?;
    audit::append(conn, &p.actor(), Event::new("customer.merged_away", "customer", Some(&source.id)))?;
    service::event(conn, Topic::CustomerMerged, &merged, &plan.taken)?;
    service::event(conn, Topic::CustomerDeleted, &gone, &[])?;
    let customer = service::view(cipher, p, merged, all_owners, all_tags)?;
    Ok(MergeOutcome { preview, merge: Some(to_dto(row)?), customer: Some(customer) })
}

pub fn to_dto(r: MergeRow) -> Result<Merge, ApiError> {
    let moved: Moved = serde_json::from_str(&r.moved).map_err(ApiError::internal)?;
    Ok(Merge {
        fields: serde_json::from_str(&r.fields).map_err(ApiError::internal)?,
        moves: moved.counts(),
        undo_until: (r.merged_at + TimeDelta::days(UNDO_DAYS)).and_utc(),
        merged_at: r.merged_at.and_utc(),
        undone_at: r.undone_at.map(|t| t.and_utc()),
        id: r.id,
        target_id: r.target_id,
        source_id: r.source_id,
        merged_by: r.merged_by,
    })
}

/// Merges into a visible customer, newest first.
pub fn list(conn: &mut DbConnection, p: &Principal, target_id: &str) -> Result<Vec<Merge>, ApiError> {
    crate::customers::access::readable(conn, p, target_id)?;
    merges::into(conn, target_id)?.into_iter().map(to_dto).collect()
}

/// Undoes a merge within 30 days, if the survivor has not changed since (undoing would
/// otherwise lose those changes): the survivor as it was, the source back, its records back.
pub fn undo(conn: &mut DbConnection, p: &Principal, merge_id: &str) -> Result<Merge, ApiError> {
    let m = merges::get(conn, merge_id)?.ok_or(ApiError::NotFound)?;
    let target = crate::customers::access::writable(conn, p, &m.target_id)?;
    if m.undone_at.is_some() {
        return Err(ApiError::conflict("merge_undone"));
    }
    if m.target_before == crate::privacy::store::anonymise::ERASED {
        return Err(ApiError::conflict("merge_erased"));
    }
    let t = now();
    if t - m.merged_at > TimeDelta::days(UNDO_DAYS) {
        return Err(ApiError::conflict("merge_undo_expired").with("days", UNDO_DAYS));
    }
    if target.version != m.target_version {
        return Err(ApiError::conflict("merge_target_changed"));
    }
    let (mut source, _) = store::get_any_with_path(conn, &m.source_id)?.ok_or(ApiError::NotFound)?;
    let moved: Moved = serde_json::from_str(&m.moved).map_err(ApiError::internal)?;
    let mut before: CustomerRow = serde_json::from_str(&m.target_before).map_err(ApiError::internal)?;
    before.version = target.version + 1;
    before.updated_at = t;
    if !store::update(conn, &before, target.version)? {
        return Err(ApiError::PreconditionFailed);
    }
    merges::reassign(conn, &moved, &source.id)?;
    let (owners, tags) = store::owners_and_tags(conn, std::slice::from_ref(&target.id))?;
    let keep = |all: Option<&Vec<String>>, added: &[String]| -> Vec<String> {
        all.map(|v| v.iter().filter(|x| !added.contains(x)).cloned().collect()).unwrap_or_default()
    };
    store::replace_owners(conn, &target.id, &keep(owners.get(&target.id), &moved.owners_added))?;
    store::replace_tags(conn, &target.id, &keep(tags.get(&target.id), &moved.tags_added))?;
    let source_version = source.version;
    source.version += 1;
    source.updated_at = t;
    source.deleted_at = None;
    if !store::update(conn, &source, source_version)? {
        return Err(ApiError::PreconditionFailed);
    }
    merges::mark_undone(conn, merge_id, &p.id, t)?;
    audit::append(conn, &p.actor(), Event::new("customer.unmerge", "customer", Some(&target.id)))?;
    service::event(conn, Topic::CustomerUnmerged, &before, &[])?;
    service::event(conn, Topic::CustomerRestored, &source, &[])?;
    let mut row = m;
    row.undone_at = Some(t);
    to_dto(row)
}

/// Where a merged customer lives on: the surviving record, following merges of merges, if the
/// caller may read it (otherwise nothing, as for any record out of reach). Old ids in links,
/// bookmarks and privacy requests lead there instead of to "not found".
pub fn surviving(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<Option<String>, ApiError> {
    let Some(current) = merged_into(conn, id)? else { return Ok(None) };
    match crate::customers::access::readable(conn, p, &current) {
        Ok(_) => Ok(Some(current)),
        Err(ApiError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The record a merged customer's id now lives in, following merges of merges; `None` when the
/// id was never merged away (or the merge was undone). For the customer's own link, which needs
/// no staff member's reach: the person is the same.
pub fn merged_into(conn: &mut DbConnection, id: &str) -> Result<Option<String>, ApiError> {
    let mut current = id.to_owned();
    // A chain is as long as the merges made one after another; ten is far beyond real use and
    // bounds the walk whatever the table holds.
    for _ in 0..10 {
        match merges::successor_of(conn, &current)? {
            Some(next) => current = next,
            None => break,
        }
    }
    Ok((current != id).then_some(current))
}
