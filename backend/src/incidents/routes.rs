use actix_web::{get, post, web, HttpResponse};

use super::model::*;
use super::{service, store};
use crate::auth::{Permission, Principal};
use crate::customers::summary::{summaries, CustomerRef};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

/// Records a data incident for the caller's unit.
#[utoipa::path(
    tag = "incidents", operation_id = "create_incident", request_body = CreateIncident, security(("bearer" = [])),
    responses((status = 201, body = Incident, headers(("Location" = String, description = "The new resource"))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/incidents")]
pub async fn create_incident(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateIncident>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::IncidentsManage)?;
    let Body(input) = body;
    let row = state.db.write_as(p.owed(), move |c| service::create(c, &p, input)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/incidents/{}", row.id)))
        .json(Incident::from_row(row, 0, 0)))
}

/// The incident register of the caller's scope, newest first.
#[utoipa::path(
    tag = "incidents", operation_id = "list_incidents", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Incident>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/incidents")]
pub async fn list_incidents(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Incident>>, ApiError> {
    p.require(Permission::IncidentsRead)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let rows = store::list(c, &Scope::of(&p), before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            let items = service::with_counts(c, page.items)?;
            Ok(Page { items, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// One incident with its counts of affected and notified customers.
#[utoipa::path(
    tag = "incidents", operation_id = "get_incident", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Incident), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/incidents/{id}")]
pub async fn get_incident(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Incident>, ApiError> {
    p.require(Permission::IncidentsRead)?;
    let out = state
        .db
        .run_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            service::with_counts(c, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(out))
}

/// The incident's timeline of measures, oldest first.
#[utoipa::path(
    tag = "incidents", operation_id = "list_incident_actions", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<IncidentAction>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/incidents/{id}/actions")]
pub async fn list_incident_actions(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<IncidentAction>>, ApiError> {
    p.require(Permission::IncidentsRead)?;
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            Ok(store::actions(c, &row.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(IncidentAction::from).collect()))
}

/// Records a measure taken: containment moves an open incident to contained, a regulator
/// report stamps `reported_at`, closure closes it (a closed incident takes no more actions).
#[utoipa::path(
    tag = "incidents", operation_id = "record_incident_action", params(("id" = String, Path)), request_body = RecordAction,
    security(("bearer" = [])),
    responses((status = 201, body = IncidentAction), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/incidents/{id}/actions")]
pub async fn record_incident_action(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<RecordAction>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::IncidentsManage)?;
    let Body(input) = body;
    let row = state.db.write_as(p.owed(), move |c| service::record_action(c, &p, &id, input)).await?;
    Ok(HttpResponse::Created().json(IncidentAction::from(row)))
}

/// Records affected customers, by id list and/or by query over the caller's customers.
#[utoipa::path(
    tag = "incidents", operation_id = "add_incident_customers", params(("id" = String, Path)), request_body = AddAffected,
    security(("bearer" = [])),
    responses((status = 200, body = AffectedResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/incidents/{id}/customers")]
pub async fn add_incident_customers(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<AddAffected>,
) -> Result<web::Json<AffectedResult>, ApiError> {
    p.require(Permission::IncidentsManage)?;
    let Body(input) = body;
    let out = state.db.write_as(p.owed(), move |c| service::add_affected(c, &p, &id, input)).await?;
    Ok(web::Json(out))
}

/// The affected customers, masked for the caller's role (a compliance officer sees names, never
/// full numbers). Customers outside the caller's reach are left out of the page.
#[utoipa::path(
    tag = "incidents", operation_id = "list_incident_customers", params(("id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<CustomerRef>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/incidents/{id}/customers")]
pub async fn list_incident_customers(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<CustomerRef>>, ApiError> {
    p.require(Permission::IncidentsRead)?;
    let (limit, after) = (q.limit()?, q.cursor()?);
    let st = state.clone();
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let incident = service::visible(c, &p, &id)?;
            let ids = store::affected_ids(c, &incident.id, after.as_deref(), limit + 1)?;
            let page = Page::from_rows(ids, limit, String::clone);
            let items = summaries(c, &st.cipher, &p, &page.items)?;
            Ok(Page { items, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// Records a notification through `channel` to every affected customer not notified yet (those
/// without an address for the channel are recorded as `no_contact`).
#[utoipa::path(
    tag = "incidents", operation_id = "notify_incident_customers", params(("id" = String, Path)), request_body = Notify,
    security(("bearer" = [])),
    responses((status = 200, body = NotifyResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/incidents/{id}/notifications")]
pub async fn notify_incident_customers(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<Notify>,
) -> Result<web::Json<NotifyResult>, ApiError> {
    p.require(Permission::IncidentsManage)?;
    let channel = body.0.channel;
    let out = state.db.write_as(p.owed(), move |c| service::notify(c, &p, &id, channel)).await?;
    Ok(web::Json(out))
}

/// The report for the regulator (JSON; the web UI prints it).
#[utoipa::path(
    tag = "incidents", operation_id = "incident_report", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = IncidentReport), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/incidents/{id}/report")]
pub async fn incident_report(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<IncidentReport>, ApiError> {
    p.require(Permission::IncidentsRead)?;
    let out = state.db.write_as(p.owed(), move |c| service::report(c, &p, &id)).await?;
    Ok(web::Json(out))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_incident)
        .service(list_incidents)
        .service(get_incident)
        .service(list_incident_actions)
        .service(record_incident_action)
        .service(add_incident_customers)
        .service(list_incident_customers)
        .service(notify_incident_customers)
        .service(incident_report);
}
