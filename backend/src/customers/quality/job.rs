use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::store;
use crate::audit::{self, Actor, Event};
use crate::auth::Permission;
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::Progress;
use crate::org::scope::Scope;

pub const KIND: &str = "customers.quality";

/// Each quarter (CUS-8), and on demand.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: Some(crate::jobs::Schedule { name: "quarterly-quality", next: crate::jobs::schedule::next_quarter }),
    run: |conn, state, job, progress| run(conn, state.settings.quality_inactive_days, job, progress),
};

/// Who asked for the run; none for the quarterly schedule, which covers the whole group.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Payload {
    pub owner: Option<JobOwner>,
}

#[derive(Debug, Serialize)]
struct Summary {
    units: usize,
    marked_unreachable: usize,
    inactive: i64,
    inactive_days: i64,
}

pub fn run(
    conn: &mut DbConnection,
    inactive_days: i64,
    job: &JobRow,
    progress: &mut Progress<'_>,
) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let (scope, actor) = match &payload.owner {
        Some(owner) => {
            let p = owner.principal(conn)?;
            p.require(Permission::CustomersQuality)?;
            (Scope::of(&p), p.actor())
        }
        None => (Scope::from_prefix("/"), Actor::system()),
    };
    progress(0, Some(3))?;
    // 1. No way to reach them at all: mark unreachable, with a change event each.
    let marked = crate::db::transaction(conn, |c| {
        let rows = store::channelless(c, &scope)?;
        let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        store::mark_unreachable(c, &ids)?;
        let events: Vec<(String, Option<String>, String)> = rows
            .iter()
            .map(|(id, unit, version)| {
                let data = serde_json::json!({"customer_id": id, "unit_id": unit, "version": version + 1, "fields": ["reachable"], "quality_job": job.id});
                (id.clone(), Some(unit.clone()), data.to_string())
            })
            .collect();
        crate::outbox::enqueue_many(c, crate::outbox::Topic::CustomerUpdated, &events)?;
        audit::append(c, &actor, Event::new("customer.quality", "job", Some(&job.id)).fields(&["reachable"]))?;
        Ok::<_, crate::error::ApiError>(ids.len())
    })?;
    progress(1, Some(3))?;
    // 2. Long inactive: re-tag from scratch (set-based).
    let cutoff = now() - TimeDelta::days(inactive_days);
    let inactive =
        crate::db::transaction(conn, |c| Ok::<_, crate::error::ApiError>(store::retag_inactive(c, &scope, cutoff)?))?;
    progress(2, Some(3))?;
    // 3. The figures per unit.
    let figures = store::measure(conn, &scope)?;
    crate::db::transaction(conn, |c| Ok::<_, crate::error::ApiError>(store::save_report(c, &job.id, &figures)?))?;
    progress(3, Some(3))?;
    Ok(serde_json::to_value(Summary { units: figures.len(), marked_unreachable: marked, inactive, inactive_days })?)
}
