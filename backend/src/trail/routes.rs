use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::model::{AuditEntry, AuditRow};
use crate::audit::store;
use crate::auth::{Permission, Principal};
use crate::customers::summary::CustomerRef;
use crate::db::DbConnection;
use crate::error::{ApiError, Problem};
use crate::http::pagination::{Page, PageParams};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries by this user or API key.
    pub actor_id: Option<String>,
    /// Only this action, e.g. `customer.reveal`.
    pub action: Option<String>,
    pub resource_type: Option<String>,
    /// Only entries about this resource (with `resource_type=customer`: this customer).
    pub resource_id: Option<String>,
    /// Only entries at or after this time.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Only entries before this time.
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// An entry with the names a reviewer reads it by.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrailEntry {
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The acting user's display name (absent for keys, customers and the system).
    pub actor_name: Option<String>,
    /// The customer the entry is about, masked for the reader; absent when it is about something
    /// else or the customer is out of the reader's reach.
    pub customer: Option<CustomerRef>,
}

/// The audit log, newest first: who (by name), about whom (masked), why, which fields, from
/// where.
///
/// For compliance officers and auditors. Entries name fields, never their values.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<TrailEntry>),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    principal: Principal,
    q: crate::http::extract::Query<AuditQuery>,
) -> Result<web::Json<Page<TrailEntry>>, ApiError> {
    principal.require(Permission::AuditRead)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let limit = page.limit()?;
    let before_seq = page.seq_cursor()?;
    let filter = store::Filter {
        actor_id: q.actor_id,
        action: q.action,
        resource_type: q.resource_type,
        resource_id: q.resource_id,
        before_seq,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
        scope: crate::org::scope::Scope::of(&principal).narrowed().cloned(),
    };
    let st = state.clone();
    let page = state
        .db
        .run_as(principal.owed(), move |conn| {
            let rows = store::list(conn, &filter, limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.seq.to_string());
            Ok(Page { items: named(conn, &st, &principal, page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// The page's actors and customers, each looked up once for the page.
fn named(
    conn: &mut DbConnection,
    state: &AppState,
    p: &Principal,
    rows: Vec<AuditRow>,
) -> Result<Vec<TrailEntry>, ApiError> {
    let distinct = |ids: Vec<String>| {
        let mut ids = ids;
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let users = distinct(rows.iter().filter(|r| r.actor_kind == "staff").filter_map(|r| r.actor_id.clone()).collect());
    let customers =
        distinct(rows.iter().filter(|r| r.resource_type == "customer").filter_map(|r| r.resource_id.clone()).collect());
    let names = crate::org::store::display_names(conn, &users)?;
    let refs = crate::customers::summary::summaries(conn, &state.cipher, p, &customers)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let actor_name = (r.actor_kind == "staff")
                .then(|| names.iter().find(|(id, _)| Some(id) == r.actor_id.as_ref()).map(|(_, n)| n.clone()))
                .flatten();
            let customer = (r.resource_type == "customer")
                .then(|| refs.iter().find(|c| Some(&c.id) == r.resource_id.as_ref()).cloned())
                .flatten();
            TrailEntry { entry: AuditEntry::from(r), actor_name, customer }
        })
        .collect())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}
