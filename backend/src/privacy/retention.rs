//! Retention (PRV-5, issue 4 §8): per-purpose retention periods, and the job that anonymises
//! customers whose every period has run out and who are under no legal hold.
//!
//! The rule, in words: the customer relationship (`relationship`) lapses `days` after the last
//! activity (last update, purchase or contact); a consent purpose lapses `days` after its latest
//! record (grant or withdrawal). A customer is anonymised when the relationship and every purpose
//! they ever consented to have lapsed. A purpose without a period never lapses, and without a
//! `relationship` period nobody is anonymised: deleting is opt-in.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::store::retention::{self as store, PolicyRow};
use crate::audit::{self, Actor, Event};
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::http::etag::IfMatch;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::Progress;

pub const RELATIONSHIP: &str = "relationship";
pub const KIND: &str = "privacy.retention";

/// Each night, and on demand.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: Some(crate::jobs::Schedule { name: "daily-retention", next: crate::jobs::schedule::next_night }),
    run: |conn, _, job, progress| run(conn, job, progress),
};
const BATCH: i64 = 500;

/// How long data may stay once a purpose (or the relationship) has lapsed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionPolicy {
    /// `relationship`, a consent purpose, or `partner_sharing:<code>`.
    pub purpose: String,
    pub days: i32,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Also the `ETag`; a change or removal sends it as `If-Match`.
    pub version: i64,
}

impl From<PolicyRow> for RetentionPolicy {
    fn from(r: PolicyRow) -> Self {
        RetentionPolicy {
            purpose: r.purpose,
            days: r.days,
            updated_by: r.updated_by,
            updated_at: r.updated_at.and_utc(),
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRetention {
    /// 1 day to 100 years.
    #[validate(range(min = 1, max = 36500))]
    #[schema(minimum = 1, maximum = 36500)]
    pub days: i32,
}

#[derive(Debug, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRun {
    /// Count what would be anonymised, change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    /// None for the daily schedule.
    pub owner: Option<JobOwner>,
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    dry_run: bool,
    /// Live customers inactive for longer than the relationship period, not under a hold.
    inactive: i64,
    /// Of those, whose every consent purpose has lapsed too.
    expired: i64,
    anonymised: i64,
    /// Inactive customers kept because of a legal hold.
    held: i64,
}

pub fn check_purpose(conn: &mut DbConnection, purpose: &str) -> Result<(), ApiError> {
    if purpose == RELATIONSHIP {
        return Ok(());
    }
    let purpose =
        crate::consent::purpose::Purpose::parse(purpose).ok_or_else(|| ApiError::field("purpose", "unknown"))?;
    crate::consent::service::check_purpose(conn, &purpose)
}

/// Creates a period (no `If-Match`: there is no version to name yet) or changes one (its
/// `If-Match` must name the current version; 428 without it).
pub fn set(
    conn: &mut DbConnection,
    actor: &Actor,
    by: &str,
    purpose: &str,
    expected: Option<&IfMatch>,
    days: i32,
) -> Result<PolicyRow, ApiError> {
    check_purpose(conn, purpose)?;
    let mut row =
        PolicyRow { purpose: purpose.to_owned(), days, updated_by: by.to_owned(), updated_at: now(), version: 1 };
    match (store::policy(conn, purpose)?, expected) {
        (Some(_), None) => return Err(ApiError::PreconditionRequired),
        (Some(stored), Some(expected)) => {
            let version = expected.check(stored.version)?;
            row.version = version + 1;
            if !store::update_policy(conn, &row, version)? {
                return Err(ApiError::PreconditionFailed);
            }
        }
        // `If-Match` names a version, and nothing exists yet (RFC 9110 §13.1.1).
        (None, Some(_)) => return Err(ApiError::PreconditionFailed),
        // A racing insert of the same purpose is a 409.
        (None, None) => store::insert_policy(conn, &row)?,
    }
    audit::append(conn, actor, Event::new("retention.set", "retention_policy", Some(purpose)))?;
    Ok(row)
}

pub fn remove(conn: &mut DbConnection, actor: &Actor, purpose: &str, expected: &IfMatch) -> Result<(), ApiError> {
    let stored = store::policy(conn, purpose)?.ok_or(ApiError::NotFound)?;
    let version = expected.check(stored.version)?;
    if !store::delete_policy(conn, purpose, version)? {
        return Err(ApiError::PreconditionFailed);
    }
    audit::append(conn, actor, Event::new("retention.remove", "retention_policy", Some(purpose)))?;
    Ok(())
}

/// Of `ids`, those whose every consent purpose has lapsed (one query for the batch).
fn lapsed(
    conn: &mut DbConnection,
    ids: &[String],
    cutoffs: &HashMap<String, NaiveDateTime>,
) -> QueryResult<Vec<String>> {
    let latest = store::latest_consents(conn, ids)?;
    let mut alive = std::collections::HashSet::new();
    for (customer, purpose, at) in latest {
        let lapsed = match (cutoffs.get(&purpose), at) {
            (Some(cutoff), Some(at)) => at < *cutoff,
            _ => false,
        };
        if !lapsed {
            alive.insert(customer);
        }
    }
    Ok(ids.iter().filter(|id| !alive.contains(*id)).cloned().collect())
}

pub fn run(conn: &mut DbConnection, job: &JobRow, progress: &mut Progress<'_>) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let actor = match &payload.owner {
        Some(owner) => {
            let p = owner.principal(conn)?;
            p.require(crate::auth::Permission::PrivacyManage)?;
            p.actor()
        }
        None => Actor::system(),
    };
    let t = now();
    let cutoffs: HashMap<String, NaiveDateTime> =
        store::policies(conn)?.into_iter().map(|p| (p.purpose, t - Duration::days(i64::from(p.days)))).collect();
    let mut s = Summary { dry_run: payload.dry_run, ..Summary::default() };
    let Some(&relationship) = cutoffs.get(RELATIONSHIP) else {
        return Ok(serde_json::to_value(s)?);
    };
    progress(0, None)?;
    let mut after = String::new();
    loop {
        let batch = store::inactive_after(conn, relationship, &after, BATCH)?;
        let Some((last, _)) = batch.last() else { break };
        after = last.clone();
        let free: Vec<String> = batch.iter().filter(|(_, held)| !held).map(|(id, _)| id.clone()).collect();
        s.held += (batch.len() - free.len()) as i64;
        s.inactive += free.len() as i64;
        let expired = lapsed(conn, &free, &cutoffs)?;
        s.expired += expired.len() as i64;
        if !payload.dry_run && !expired.is_empty() {
            let n = crate::db::transaction(conn, |c| {
                let mut n = 0;
                for id in &expired {
                    if super::store::anonymise::anonymise(c, id)? {
                        let event = Event {
                            purpose: Some("retention"),
                            ..Event::new("customer.anonymise", "customer", Some(id))
                        };
                        audit::append(c, &actor, event)?;
                        n += 1;
                    }
                }
                Ok::<_, ApiError>(n)
            })?;
            s.anonymised += n;
        }
        progress(s.inactive + s.held, None)?;
    }
    if s.anonymised > 0 {
        crate::db::checkpoint_after_purge(conn);
    }
    Ok(serde_json::to_value(s)?)
}
