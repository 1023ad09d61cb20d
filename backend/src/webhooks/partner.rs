//! Webhooks of partners (PRV-3): a partner's subscription carries only events of customers its
//! agreement covers (in force, unit, purpose) who consented to that partner both when the event
//! happened and at fan-out, with the customer id and the changed field names (the partner reads
//! values through the partner API, itself logged). Changes of the partner's own consent are
//! always delivered, so a partner learns of a withdrawal. Each delivered event is a share in the
//! log (channel `webhook`).

use std::collections::HashMap;

use super::model::{DeliveryRow, WebhookRow};
use super::store::Event;
use crate::consent::model::PARTNER_PREFIX;
use crate::db::{new_id, DbConnection};
use crate::error::ApiError;
use crate::partners::model::{AgreementRow, ShareRow};

fn customer_of(e: &Event) -> Option<(String, serde_json::Value)> {
    let data: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
    let id = data.get("customer_id")?.as_str()?.to_owned();
    Some((id, data))
}

/// Deliveries of `events` to the partner hooks, one batch decision per hook.
pub fn deliveries(
    conn: &mut DbConnection,
    hooks: &[(&WebhookRow, &str)],
    events: &[Event],
    t: chrono::NaiveDateTime,
) -> Result<Vec<DeliveryRow>, ApiError> {
    let about: Vec<(&Event, String, serde_json::Value)> =
        events.iter().filter_map(|e| customer_of(e).map(|(c, d)| (e, c, d))).collect();
    let mut ids: Vec<String> = about.iter().map(|(_, c, _)| c.clone()).collect();
    ids.sort();
    ids.dedup();
    let today = t.date().format("%Y-%m-%d").to_string();
    let mut agreements: HashMap<String, Option<(AgreementRow, String)>> = HashMap::new();
    let mut rows = Vec::new();
    for (hook, hook_path) in hooks {
        // A partner hook carries events of its owner's scope only, whatever its agreement covers.
        let scope = crate::org::scope::Scope::from_prefix(crate::auth::principal::scope_prefix(hook_path));
        let Some(aid) = &hook.agreement_id else { continue };
        if !agreements.contains_key(aid) {
            let found = crate::partners::store::agreement_with_code(conn, aid)?;
            agreements.insert(aid.clone(), found);
        }
        let Some((agreement, code)) = agreements.get(aid).and_then(|a| a.as_ref()) else { continue };
        if !agreement.in_force(&today) {
            continue;
        }
        let purpose = format!("{PARTNER_PREFIX}{code}");
        let records = crate::consent::store::records_among(conn, &ids, &purpose, crate::db::now())?;
        // Granted by the newest record before `event` (ids are time-ordered), or now.
        let granted = |customer: &str, event: Option<&str>| {
            records
                .iter()
                .find(|(c, id, _)| c == customer && event.is_none_or(|e| id.as_str() < e))
                .is_some_and(|(_, _, g)| *g)
        };
        let units = AgreementRow::list(&agreement.unit_ids);
        for (e, customer, data) in &about {
            if !hook.wants(&e.topic) {
                continue;
            }
            let covered = e
                .unit_path
                .as_deref()
                .is_some_and(|p| scope.covers(p) && p.split('/').any(|s| units.iter().any(|u| u == s)));
            let own_change = e.topic == crate::outbox::Topic::ConsentChanged.as_str()
                && data.get("purpose").and_then(|p| p.as_str()) == Some(&purpose);
            let consented = granted(customer, Some(&e.id)) && granted(customer, None);
            if !covered || !(consented || own_change) {
                continue;
            }
            let mut slim = serde_json::json!({ "customer_id": customer });
            for key in ["fields", "purpose", "granted"] {
                if let Some(v) = data.get(key) {
                    slim[key] = v.clone();
                }
            }
            let body =
                serde_json::json!({ "id": e.id, "topic": e.topic, "created_at": e.created_at.and_utc(), "data": slim });
            rows.push(DeliveryRow::pending(&hook.id, &e.id, &e.topic, body.to_string(), t));
        }
    }
    Ok(rows)
}

/// The share a delivered partner event is: the customer's id went to the partner.
pub fn share(conn: &mut DbConnection, hook: &WebhookRow, payload: &str) -> Result<(), ApiError> {
    let (Some(aid), Some(purpose)) = (&hook.agreement_id, &hook.purpose) else { return Ok(()) };
    let Some((agreement, _)) = crate::partners::store::agreement_with_code(conn, aid)? else { return Ok(()) };
    let body: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    let customer = body["data"]["customer_id"].as_str().map(str::to_owned);
    crate::partners::store::insert_share(
        conn,
        &ShareRow {
            id: new_id(),
            partner_id: agreement.partner_id,
            agreement_id: agreement.id,
            customer_id: customer,
            channel: "webhook".into(),
            fields: "[\"id\"]".into(),
            purpose: purpose.clone(),
            count: 1,
            shared_at: crate::db::now(),
        },
    )?;
    Ok(())
}
