//! A tiering run (SEG-5) as a job: every half year by itself, and on demand — as a dry run that
//! only shows what would change, or applied. The scoring is one statement into the run's own
//! staging rows; applying is one transaction, so until it commits everyone reads the previous
//! tiers, and a run killed halfway leaves them intact (its retry scores afresh).

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::config::TierSettings;
use super::profile_store::{self, Stage};
use super::store::{self, RunRow, Score};
use super::summary::{Move, RunSummary, ScoreRange};
use crate::audit::{self, Actor, Event};
use crate::auth::Permission;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::Progress;
use crate::outbox::Topic;

pub const KIND: &str = "tiers.run";

/// On 1 January and 1 July (the seed's half-yearly review), applied; and on demand.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: Some(crate::jobs::Schedule { name: "half-yearly-tiers", next: next_half_year }),
    run: |conn, _, job, progress| run(conn, job, progress),
};

/// 01:00 UTC on the first day of the half year after `t`.
pub fn next_half_year(t: NaiveDateTime) -> NaiveDateTime {
    let (y, m) = if t.month() < 7 { (t.year(), 7) } else { (t.year() + 1, 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.and_hms_opt(1, 0, 0)).unwrap_or(t)
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Payload {
    /// None for the scheduled run.
    pub owner: Option<JobOwner>,
    #[serde(default)]
    pub dry_run: bool,
}

const NONE: &str = "none";

pub fn run(conn: &mut DbConnection, job: &JobRow, progress: &mut Progress<'_>) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let actor = match &payload.owner {
        Some(owner) => owner.acting(conn, Permission::TiersManage)?.actor(),
        None => Actor::system(),
    };
    let run = execute(conn, &actor, Some(&job.id), payload.dry_run, progress)?;
    Ok(serde_json::json!({ "run_id": run.id, "dry_run": run.dry_run, "scored": run.scored, "changed": run.changed }))
}

/// A run from start to end: scored, summarised, then applied or (dry run) discarded. A retried
/// job goes on with the run row it made before.
pub fn execute(
    conn: &mut DbConnection,
    actor: &Actor,
    job_id: Option<&str>,
    dry_run: bool,
    progress: &mut Progress<'_>,
) -> Result<RunRow, ApiError> {
    crate::db::for_sorting_every_customer(conn, |conn| execute_in(conn, actor, job_id, dry_run, progress))
}

fn execute_in(
    conn: &mut DbConnection,
    actor: &Actor,
    job_id: Option<&str>,
    dry_run: bool,
    progress: &mut Progress<'_>,
) -> Result<RunRow, ApiError> {
    progress(0, Some(3))?;
    let (version, settings) = super::service::current_settings(conn)?;
    let started = now();
    let existing = match job_id {
        Some(id) => store::run_of_job(conn, id)?,
        None => None,
    };
    let mut run = match existing {
        Some(r) => r,
        None => {
            let row = RunRow {
                id: new_id(),
                job_id: job_id.map(str::to_owned),
                config_version: version,
                dry_run,
                as_of: started,
                status: "running".into(),
                scored: 0,
                changed: 0,
                summary: None,
                created_by: actor.id.clone(),
                started_at: started,
                finished_at: None,
            };
            crate::db::transaction(conn, |c| store::insert_run(c, &row))?;
            row
        }
    };
    let scored = crate::db::transaction(conn, |c| score(c, &run.id, run.config_version, &settings, run.as_of))?;
    crate::db::refresh_statistics(conn, &["tier_scores"])?;
    progress(1, Some(3))?;
    let summary = summarise(conn, &run.id)?;
    progress(2, Some(3))?;
    let text = serde_json::to_string(&summary)?;
    let changed = crate::db::transaction(conn, |c| -> Result<i64, ApiError> {
        let changed = if run.dry_run {
            store::clear_scores(c, &run.id)?;
            profile_store::clear(c, &run.id)?;
            summary.movement.iter().filter(|m| m.from != m.to).map(|m| m.count).sum()
        } else {
            let at = now();
            let changed = store::apply(c, &run.id, run.config_version, at)?;
            let grace_before = at - chrono::Duration::days(i64::from(settings.levels.grace_days));
            let churn_months = i64::from(settings.lifecycle.churn_months);
            let warnings = profile_store::apply(c, &run.id, grace_before, churn_months, at)?;
            let data = serde_json::json!({
                "run_id": run.id, "config_version": run.config_version, "scored": scored, "changed": changed,
                "warnings_opened": warnings,
            });
            crate::outbox::enqueue(c, Topic::TiersApplied, &run.id, None, &data)?;
            changed
        };
        store::finish_run(c, &run.id, "done", scored, changed, &text, now())?;
        let action = if run.dry_run { "tiers.dry_run" } else { "tiers.apply" };
        audit::append(c, actor, Event::new(action, "tier_run", Some(&run.id)))?;
        Ok(changed)
    })?;
    progress(3, Some(3))?;
    (run.scored, run.changed, run.status, run.summary) = (scored, changed, "done".into(), Some(text));
    Ok(run)
}

/// Scores every customer with a purchase in the window ending at `as_of` into the run's staging.
pub fn score(
    conn: &mut DbConnection,
    run_id: &str,
    version: i64,
    s: &TierSettings,
    as_of: NaiveDateTime,
) -> Result<i64, ApiError> {
    // The profiles are staged first: the staging aggregates the purchases once, and the tier
    // scores are ranked from it.
    profile_store::clear(conn, run_id)?;
    let from = as_of.checked_sub_months(Months::new(s.window_months)).unwrap_or(as_of);
    let months = |m: u32| as_of.checked_sub_months(Months::new(m)).unwrap_or(as_of);
    let (l, b, life) = (s.levels, s.bands, s.lifecycle);
    let recent_from = months(life.churn_months);
    let previous_from = months(life.churn_months * 2);
    let keep = i64::from(100 - life.churn_drop_percent.min(100));
    profile_store::stage(
        conn,
        Stage {
            window_from: from,
            window_from_profit: from,
            margin: i64::from(s.default_margin_percent),
            window_from2: from,
            recent_from,
            recent_from2: recent_from,
            previous_from,
            previous_to: recent_from,
            previous_from2: previous_from,
            previous_to2: recent_from,
            version,
            scan_from: from.min(previous_from),
            to: as_of,
            run_id: run_id.to_owned(),
            dormant_before: as_of - chrono::Duration::days(i64::from(life.dormant_days)),
            keep_percent: keep,
            keep_percent2: keep,
            high_fen: b.high_fen,
            medium_fen: b.medium_fen,
            gold_fen: l.gold.spend_fen,
            gold_frequency: i64::from(l.gold.frequency),
            gold_since: months(l.gold.tenure_months),
            silver_fen: l.silver.spend_fen,
            silver_frequency: i64::from(l.silver.frequency),
            silver_since: months(l.silver.tenure_months),
        },
    )?;
    // Read back at once: fresh statistics, or the planner takes the staging for empty.
    crate::db::refresh_statistics(conn, &["profile_scores"])?;
    store::clear_scores(conn, run_id)?;
    let (a, b, c) = (i64::from(s.shares.a), i64::from(s.shares.b), i64::from(s.shares.c));
    let n = store::score(
        conn,
        Score {
            staged: run_id.to_owned(),
            w_spend: i64::from(s.weights.spend),
            w_profit: i64::from(s.weights.profit),
            w_frequency: i64::from(s.weights.frequency),
            run_id: run_id.to_owned(),
            cut_a: a,
            cut_b: a + b,
            cut_c: a + b + c,
        },
    )?;
    Ok(n as i64)
}

pub fn summarise(conn: &mut DbConnection, run_id: &str) -> Result<RunSummary, ApiError> {
    let distribution = store::distribution(conn, run_id)?.into_iter().filter_map(|r| Some((r.a?, r.n))).collect();
    let name = |t: Option<String>| t.unwrap_or_else(|| NONE.to_owned());
    let mut movement: Vec<Move> = store::movement(conn, run_id)?
        .into_iter()
        .map(|r| Move { from: name(r.a), to: name(r.b), count: r.n })
        .collect();
    movement.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    let cutoffs = store::cutoffs(conn, run_id)?
        .into_iter()
        .filter_map(|(tier, min, max)| Some((tier, ScoreRange { min: min?, max: max? })))
        .collect();
    let classes = profile_store::distribution(conn, run_id)?.into_iter().collect();
    Ok(RunSummary { distribution, movement, cutoffs, classes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_years_start_in_january_and_july() {
        let at = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(12, 0, 0).unwrap();
        assert_eq!(next_half_year(at(2026, 3, 5)).to_string(), "2026-07-01 01:00:00");
        assert_eq!(next_half_year(at(2026, 7, 1)).to_string(), "2027-01-01 01:00:00");
        assert_eq!(next_half_year(at(2026, 12, 31)).to_string(), "2027-01-01 01:00:00");
    }
}
