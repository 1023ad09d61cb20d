use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::audit_log;

/// Who did it and from where (captured on the request thread, written on the blocking one).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<String>,
    pub kind: String,
    pub role: Option<String>,
    pub unit_id: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl Actor {
    /// An unauthenticated caller (e.g. a failed login), known only by address.
    pub fn anonymous(ip: &str, request_id: Option<String>) -> Actor {
        Actor { kind: "anonymous".into(), ip: Some(ip.to_owned()), request_id, ..Actor::default() }
    }

    pub fn system() -> Actor {
        Actor { kind: "system".into(), ..Actor::default() }
    }
}

/// What happened. Field names only — never values.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: &'a str,
    pub resource_type: &'a str,
    pub resource_id: Option<&'a str>,
    pub fields: &'a [&'a str],
    pub purpose: Option<&'a str>,
    pub outcome: &'a str,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, resource_type: &'a str, resource_id: Option<&'a str>) -> Event<'a> {
        Event { action, resource_type, resource_id, fields: &[], purpose: None, outcome: "success" }
    }

    pub fn fields(self, fields: &'a [&'a str]) -> Event<'a> {
        Event { fields, ..self }
    }

    pub fn outcome(self, outcome: &'a str) -> Event<'a> {
        Event { outcome, ..self }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_kind: String,
    pub actor_role: Option<String>,
    pub unit_id: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub fields: String,
    pub purpose: Option<String>,
    pub outcome: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<String>,
    pub actor_kind: String,
    pub actor_role: Option<String>,
    pub unit_id: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub fields: Vec<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            seq: r.seq,
            id: r.id,
            at: r.at.and_utc(),
            actor_id: r.actor_id,
            actor_kind: r.actor_kind,
            actor_role: r.actor_role,
            unit_id: r.unit_id,
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            fields: serde_json::from_str(&r.fields).unwrap_or_default(),
            purpose: r.purpose,
            outcome: r.outcome,
            ip: r.ip,
            request_id: r.request_id,
            hash: r.hash,
        }
    }
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Verification {
    pub ok: bool,
    /// Entries checked.
    pub checked: i64,
    /// The sequence number the chain head claims.
    pub head_seq: i64,
    /// The first entry whose hash or link does not match, if any.
    pub first_broken_seq: Option<i64>,
    pub reason: Option<String>,
}
