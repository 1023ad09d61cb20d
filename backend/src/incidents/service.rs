use super::model::*;
use super::store;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::customers::store::Filter;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::org::scope::Scope;

/// The kinds of information an incident can name: the person's fields and their records.
const RECORDS: [&str; 6] = ["purchases", "preferences", "feedback", "contacts", "consents", "tickets"];

fn known_field(f: &str) -> bool {
    crate::customers::fields::is_personal(f) || RECORDS.contains(&f)
}

const BATCH: i64 = 1000;

/// An incident of a unit the principal sees; 404 otherwise.
pub fn visible(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<IncidentRow, ApiError> {
    match store::get_with_path(conn, id)? {
        Some((row, path)) if p.sees_unit_path(&path) => Ok(row),
        _ => Err(ApiError::NotFound),
    }
}

pub fn with_counts(conn: &mut DbConnection, rows: Vec<IncidentRow>) -> Result<Vec<Incident>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let counts = store::counts(conn, &ids)?;
    Ok(rows
        .into_iter()
        .zip(counts)
        .map(|(r, (_, affected, notified))| Incident::from_row(r, affected, notified))
        .collect())
}

pub fn create(conn: &mut DbConnection, p: &Principal, input: CreateIncident) -> Result<IncidentRow, ApiError> {
    if let Some(bad) = input.fields.iter().find(|f| !known_field(f)) {
        return Err(ApiError::field("fields", "unknown").with("value", bad.clone()));
    }
    if input.detected_at < input.occurred_at {
        return Err(ApiError::field("detected_at", "before_occurrence"));
    }
    let t = now();
    let mut fields = input.fields;
    fields.sort();
    fields.dedup();
    let row = IncidentRow {
        id: new_id(),
        unit_id: p.unit_id.clone(),
        title: input.title,
        category: input.category.as_str().to_owned(),
        severity: input.severity.as_str().to_owned(),
        status: IncidentStatus::Open.as_str().to_owned(),
        description: input.description,
        cause: input.cause.unwrap_or_default(),
        harm: input.harm.unwrap_or_default(),
        advice: input.advice.unwrap_or_default(),
        contact: input.contact,
        fields: serde_json::to_string(&fields).map_err(ApiError::internal)?,
        occurred_at: input.occurred_at.naive_utc(),
        detected_at: input.detected_at.naive_utc(),
        reported_at: None,
        created_by: p.id.clone(),
        created_at: t,
        updated_at: t,
    };
    store::insert(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("incident.create", "incident", Some(&row.id)))?;
    Ok(row)
}

pub fn record_action(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    input: RecordAction,
) -> Result<ActionRow, ApiError> {
    let incident = visible(conn, p, id)?;
    if incident.status == IncidentStatus::Closed.as_str() {
        return Err(ApiError::conflict("incident_closed"));
    }
    let t = now();
    let row = ActionRow {
        id: new_id(),
        incident_id: incident.id.clone(),
        kind: input.kind.as_str().to_owned(),
        description: input.description,
        taken_by: p.id.clone(),
        taken_at: input.taken_at.map_or(t, |d| d.naive_utc()),
    };
    store::insert_action(conn, &row)?;
    let status = match (input.kind, incident.status.as_str()) {
        (ActionKind::Closure, _) => IncidentStatus::Closed.as_str(),
        (ActionKind::Containment, "open") => IncidentStatus::Contained.as_str(),
        _ => incident.status.as_str(),
    };
    let reported = (input.kind == ActionKind::RegulatorReport).then_some(row.taken_at);
    store::set_status(conn, &incident.id, status, reported, t)?;
    audit::append(
        conn,
        &p.actor(),
        Event::new("incident.action", "incident", Some(&incident.id)).fields(&[input.kind.as_str()]),
    )?;
    Ok(row)
}

pub fn add_affected(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    input: AddAffected,
) -> Result<AffectedResult, ApiError> {
    let incident = visible(conn, p, id)?;
    if input.customer_ids.is_none() && input.query.is_none() {
        return Err(ApiError::field("customer_ids", "required"));
    }
    let mut added = 0;
    if let Some(ids) = &input.customer_ids {
        let found = crate::customers::access::reachable_ids(conn, p, ids)?;
        if let Some(unknown) = ids.iter().find(|i| !found.contains(i)) {
            return Err(ApiError::field("customer_ids", "unknown").with("value", unknown.clone()));
        }
        added += store::add_affected(conn, &incident.id, &found)?;
    }
    if let Some(q) = input.query {
        let filter = Filter {
            unit_id: q.unit_id,
            tag: q.tag,
            channel: q.channel.map(|c| c.as_str().to_owned()),
            created_from: q.created_from.map(|t| t.naive_utc()),
            created_to: q.created_to.map(|t| t.naive_utc()),
            ..Filter::default()
        };
        let mut before: Option<String> = None;
        loop {
            let ids = crate::customers::store::ids(conn, &Scope::of(p), &p.id, &filter, before.as_deref(), BATCH)?;
            let Some(last) = ids.last() else { break };
            before = Some(last.clone());
            added += store::add_affected(conn, &incident.id, &ids)?;
        }
    }
    audit::append(conn, &p.actor(), Event::new("incident.affected", "incident", Some(&incident.id)))?;
    Ok(AffectedResult { added, affected: store::affected_count(conn, &incident.id)? })
}

pub fn notify(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    channel: NotifyChannel,
) -> Result<NotifyResult, ApiError> {
    let incident = visible(conn, p, id)?;
    let t = now();
    let mut out = NotifyResult { recorded: 0, no_contact: 0 };
    let mut after = String::new();
    loop {
        let batch = store::to_notify(conn, &incident.id, channel.as_str(), &after, BATCH)?;
        let Some((last, _)) = batch.last() else { break };
        after = last.clone();
        let reachable = batch.iter().filter(|(_, r)| *r).count() as i64;
        out.recorded += reachable;
        out.no_contact += batch.len() as i64 - reachable;
        store::insert_notifications(conn, &incident.id, channel.as_str(), &batch, t)?;
    }
    let note = crate::i18n::Coded::new("notifications_recorded")
        .with("channel", channel.as_str())
        .with("recorded", out.recorded)
        .with("no_contact", out.no_contact)
        .stored();
    let action = RecordAction { kind: ActionKind::Notification, description: note, taken_at: None };
    if incident.status != IncidentStatus::Closed.as_str() {
        record_action(conn, p, &incident.id, action)?;
    }
    audit::append(
        conn,
        &p.actor(),
        Event::new("incident.notify", "incident", Some(&incident.id)).fields(&[channel.as_str()]),
    )?;
    Ok(out)
}

pub fn report(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<IncidentReport, ApiError> {
    let row = visible(conn, p, id)?;
    let controller = crate::org::store::unit(conn, &row.unit_id)?.map(|u| u.name).unwrap_or_default();
    let affected_by_unit = store::affected_by_unit(conn, &row.id)?
        .into_iter()
        .map(|(unit_id, unit_name, count)| UnitCount { unit_id, unit_name, count })
        .collect();
    let actions = store::actions(conn, &row.id)?.into_iter().map(IncidentAction::from).collect();
    let notifications = store::notification_counts(conn, &row.id)?
        .into_iter()
        .map(|(channel, status, count)| ChannelCount { channel, status, count })
        .collect();
    audit::append(conn, &p.actor(), Event::new("incident.report", "incident", Some(&row.id)))?;
    let incident = with_counts(conn, vec![row])?.pop().ok_or(ApiError::NotFound)?;
    Ok(IncidentReport {
        generated_at: chrono::Utc::now(),
        controller,
        incident,
        affected_by_unit,
        actions,
        notifications,
    })
}
