//! Consents through a merge. The source's consent records move to the survivor, so the evidence
//! stays whole; where the two records disagreed on a purpose the more restrictive state wins:
//! if either side had withdrawn, the survivor ends withdrawn, even when the other side's grant
//! was newer. Such a withdrawal is a new record (channel `merge`); one that came from the
//! source's side goes back to the source on undo, so undo restores both customers' states.

use super::dto::ConsentOutcome;
use crate::audit::Actor;
use crate::consent::model::{ConsentChannel, RecordConsent};
use crate::consent::purpose::Purpose;
use crate::customers::model::CustomerRow;
use crate::db::DbConnection;
use crate::error::ApiError;

fn current(conn: &mut DbConnection, customer_id: &str) -> Result<Vec<(String, bool)>, ApiError> {
    Ok(crate::consent::service::overview(conn, customer_id)?
        .current
        .into_iter()
        .map(|c| (c.purpose, c.granted))
        .collect())
}

/// Each purpose either side decided on, with the merged state.
pub fn outcomes(conn: &mut DbConnection, target_id: &str, source_id: &str) -> Result<Vec<ConsentOutcome>, ApiError> {
    let (t, s) = (current(conn, target_id)?, current(conn, source_id)?);
    let state = |list: &[(String, bool)], p: &str| list.iter().find(|(q, _)| q == p).map(|(_, g)| *g);
    let mut purposes: Vec<String> = t.iter().chain(&s).map(|(p, _)| p.clone()).collect();
    purposes.sort();
    purposes.dedup();
    Ok(purposes
        .into_iter()
        .map(|purpose| {
            let (target, source) = (state(&t, &purpose), state(&s, &purpose));
            let merged = target.unwrap_or(true) && source.unwrap_or(true);
            ConsentOutcome { purpose, target, source, merged }
        })
        .collect())
}

/// After the source's records moved to `target`: appends a withdrawal wherever the newest record
/// grants but the merged state is withdrawn. Returns the ids of those that came from the source.
pub fn settle(
    conn: &mut DbConnection,
    actor: &Actor,
    merged_by: &str,
    target: &CustomerRow,
    outcomes: &[ConsentOutcome],
    merge_id: &str,
) -> Result<Vec<String>, ApiError> {
    let now_state = current(conn, &target.id)?;
    let mut from_source = Vec::new();
    for o in outcomes.iter().filter(|o| !o.merged) {
        if !now_state.iter().any(|(p, granted)| *p == o.purpose && *granted) {
            continue;
        }
        let Some(purpose) = Purpose::parse(&o.purpose) else { continue };
        let input = RecordConsent {
            purpose,
            granted: false,
            channel: ConsentChannel::Merge,
            evidence: Some(format!("merge {merge_id}: the more restrictive state is kept")),
            notice_id: None,
            scope: None,
        };
        let row = crate::consent::service::append(conn, actor, target, input, Some(merged_by))?;
        if o.source == Some(false) {
            from_source.push(row.id);
        }
    }
    Ok(from_source)
}
