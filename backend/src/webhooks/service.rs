use super::model::*;
use super::store;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::crypto::field::FieldCipher;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{ended_version, IfMatch};
use crate::outbox::TopicFilter;

pub fn check_url(url: &str, allow_internal: bool) -> Result<(), ApiError> {
    let bad = |code: &str| ApiError::field("url", code);
    let uri: actix_web::http::Uri = url.parse().map_err(|_| bad("not_url"))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Err(bad("scheme"));
    }
    let host = uri.host().ok_or_else(|| bad("host"))?;
    if !allow_internal && super::address::host_is_internal(host) {
        return Err(bad("internal"));
    }
    Ok(())
}

/// The stored form of a subscription: its filters, sorted and without repeats.
fn topic_list(topics: &[TopicFilter]) -> String {
    let mut list: Vec<&str> = topics.iter().map(|t| t.as_str()).collect();
    list.sort_unstable();
    list.dedup();
    list.join(" ")
}

pub fn create(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    input: CreateWebhook,
    allow_internal: bool,
) -> Result<WebhookCreated, ApiError> {
    insert(conn, cipher, p, input, None, allow_internal)
}

/// A partner's webhook under one of its agreements (compliance).
pub fn create_for_partner(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    partner_id: &str,
    input: CreatePartnerWebhook,
    allow_internal: bool,
) -> Result<WebhookCreated, ApiError> {
    crate::partners::store::get(conn, partner_id)?.ok_or(ApiError::NotFound)?;
    let scope = crate::org::scope::Scope::of(p);
    crate::partners::export::agreement_for(conn, &scope, partner_id, &input.agreement_id, &input.purpose)?;
    let hook = CreateWebhook { url: input.url, topics: input.topics, description: None };
    insert(conn, cipher, p, hook, Some((input.agreement_id, input.purpose)), allow_internal)
}

fn insert(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    input: CreateWebhook,
    partner: Option<(String, String)>,
    allow_internal: bool,
) -> Result<WebhookCreated, ApiError> {
    check_url(&input.url, allow_internal)?;
    let topics = topic_list(&input.topics);
    let (agreement_id, purpose) = partner.unzip();
    let secret = format!("whsec_{}", crate::crypto::random_token());
    let id = new_id();
    let row = WebhookRow {
        secret: cipher.encrypt("webhooks", "secret", &id, &secret),
        id,
        unit_id: p.unit_id.clone(),
        url: input.url,
        description: input.description,
        topics,
        active: true,
        created_by: p.id.clone(),
        created_at: now(),
        disabled_at: None,
        agreement_id,
        purpose,
    };
    store::insert(conn, &row)?;
    audit::append(conn, &p.actor(), Event::new("webhook.create", "webhook", Some(&row.id)))?;
    Ok(WebhookCreated { webhook: row.into(), secret })
}

/// A subscription in the principal's scope, or 404.
pub fn visible(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<WebhookRow, ApiError> {
    match store::get_with_path(conn, id)? {
        Some((row, path)) if p.sees_unit_path(&path) => Ok(row),
        _ => Err(ApiError::NotFound),
    }
}

pub fn disable(conn: &mut DbConnection, p: &Principal, id: &str, expected: &IfMatch) -> Result<(), ApiError> {
    let row = visible(conn, p, id)?;
    expected.check(ended_version(!row.active))?;
    if row.active {
        store::disable(conn, id)?;
        audit::append(conn, &p.actor(), Event::new("webhook.disable", "webhook", Some(id)))?;
    }
    Ok(())
}

/// Turns up to `limit` outbox events into deliveries for every subscription whose scope holds
/// the event's unit and that wants its topic. Returns how many events it handled.
pub fn fan_out(conn: &mut DbConnection, limit: i64) -> Result<usize, ApiError> {
    crate::db::transaction(conn, |c| {
        let hooks = store::active(c)?;
        if hooks.is_empty() {
            // Nobody listens: retire the backlog in bulk instead of reading every payload.
            return Ok(store::retire_unheard(c, limit * 10)?);
        }
        let events = store::claim_events(c, limit)?;
        if events.is_empty() {
            return Ok(0);
        }
        let t = now();
        let partner_hooks: Vec<(&WebhookRow, &str)> =
            hooks.iter().filter(|(h, _)| h.agreement_id.is_some()).map(|(h, p)| (h, p.as_str())).collect();
        let mut rows = super::partner::deliveries(c, &partner_hooks, &events, t)?;
        for e in &events {
            for (hook, path) in hooks.iter().filter(|(h, _)| h.agreement_id.is_none()) {
                let scope = crate::org::scope::Scope::from_prefix(crate::auth::principal::scope_prefix(path));
                // Events of no unit go to the group's hooks only.
                let in_scope = e.unit_path.as_deref().map_or(scope.is_whole_group(), |u| scope.covers(u));
                if in_scope && hook.wants(&e.topic) {
                    let data: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null);
                    let body = serde_json::json!({
                        "id": e.id, "topic": e.topic, "created_at": e.created_at.and_utc(), "data": data,
                    });
                    rows.push(super::model::DeliveryRow::pending(&hook.id, &e.id, &e.topic, body.to_string(), t));
                }
            }
        }
        store::insert_deliveries(c, &rows)?;
        let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
        store::mark_fanned_out(c, &ids)?;
        Ok(events.len())
    })
}
