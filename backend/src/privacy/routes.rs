use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::{service, store};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::if_match;
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

/// Logs a data-subject request (access, correction, withdrawal, deletion) with its due date.
#[utoipa::path(
    tag = "privacy", operation_id = "create_privacy_request", request_body = CreateRequest, security(("bearer" = [])),
    responses((status = 201, body = PrivacyRequest, headers(("Location" = String, description = "The new resource"))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/privacy-requests")]
pub async fn create_privacy_request(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateRequest>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyRequests)?;
    let Body(input) = body;
    let days = state.settings.privacy_due_days;
    let st = state.clone();
    let shown = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::create(c, &p, input, days)?;
            service::shown_one(c, &st.cipher, &p, row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/privacy-requests/{}", shown.id)))
        .json(shown))
}

/// Requests of the caller's scope, newest first; `overdue=true` lists open ones past due.
#[utoipa::path(
    tag = "privacy", operation_id = "list_privacy_requests", params(RequestQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<PrivacyRequest>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/privacy-requests")]
pub async fn list_privacy_requests(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<RequestQuery>,
) -> Result<web::Json<Page<PrivacyRequest>>, ApiError> {
    p.require(Permission::PrivacyRequests)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, before) = (page.limit()?, page.cursor()?);
    let (scope, st) = (Scope::of(&p), state.clone());
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let filter = store::Filter {
                scope,
                status: q.status.map(RequestStatus::as_str),
                overdue_at: q.overdue.unwrap_or(false).then(crate::db::now),
                customer_id: q.customer_id.as_deref(),
            };
            let rows = store::list(c, filter, before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            Ok(Page { items: service::shown(c, &st.cipher, &p, page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// One request with its due date and outcome.
#[utoipa::path(
    tag = "privacy", operation_id = "get_privacy_request", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = PrivacyRequest), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/privacy-requests/{id}")]
pub async fn get_privacy_request(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<PrivacyRequest>, ApiError> {
    p.require(Permission::PrivacyRequests)?;
    let st = state.clone();
    let shown = state
        .db
        .run_as(p.owed(), move |c| {
            let row = service::visible_request(c, &p, &id)?;
            service::shown_one(c, &st.cipher, &p, row)
        })
        .await?;
    Ok(web::Json(shown))
}

/// Carries a request out (compliance). A deletion blocked by a legal hold closes as `rejected`
/// with the hold's reason.
#[utoipa::path(
    tag = "privacy", operation_id = "complete_privacy_request", params(("id" = String, Path)), request_body = CompleteRequest,
    security(("bearer" = [])),
    responses((status = 200, body = PrivacyRequest), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/privacy-requests/{id}/complete")]
pub async fn complete_privacy_request(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CompleteRequest>,
) -> Result<web::Json<PrivacyRequest>, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let (Body(input), owed) = (body, p.owed());
    let st = state.clone();
    let shown = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::complete(c, &p, &id, input)?;
            service::shown_one(c, &st.cipher, &p, row)
        })
        .await?;
    if shown.kind == RequestKind::Deletion {
        state
            .db
            .run_as(owed, |c| {
                crate::db::checkpoint_after_purge(c);
                Ok(())
            })
            .await?;
    }
    Ok(web::Json(shown))
}

/// The copy for an access request: everything held about the customer, machine-readable.
#[utoipa::path(
    tag = "privacy", operation_id = "privacy_request_copy", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Object), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/privacy-requests/{id}/copy")]
pub async fn privacy_request_copy(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let st = state.clone();
    let name = format!("attachment; filename=\"personal-data-{id}.json\"");
    let doc = state.db.write_as(p.owed(), move |c| service::copy(c, &st.cipher, &p, &id)).await?;
    Ok(HttpResponse::Ok().insert_header(("Content-Disposition", name)).json(doc))
}

/// Places a legal hold: deletion and retention anonymisation wait until it is released.
#[utoipa::path(
    tag = "privacy", operation_id = "place_legal_hold", params(("id" = String, Path)), request_body = CreateHold,
    security(("bearer" = [])),
    responses((status = 201, body = LegalHold), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/legal-holds")]
pub async fn place_legal_hold(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreateHold>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let row = state.db.write_as(p.owed(), move |c| service::place_hold(c, &p, &id, input)).await?;
    Ok(HttpResponse::Created().json(LegalHold::from(row)))
}

/// A customer's legal holds, released ones included.
#[utoipa::path(
    tag = "privacy", operation_id = "list_legal_holds", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<LegalHold>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/legal-holds")]
pub async fn list_legal_holds(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<LegalHold>>, ApiError> {
    p.require(Permission::PrivacyRequests)?;
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = crate::customers::access::writable(c, &p, &id)?;
            Ok(store::holds(c, &customer.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(LegalHold::from).collect()))
}

/// Releases a legal hold (the deletion may then be requested again).
#[utoipa::path(
    tag = "privacy", operation_id = "release_legal_hold", params(("id" = String, Path), ("hold_id" = String, Path), ("If-Match" = String, Header)),
    security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/customers/{id}/legal-holds/{hold_id}")]
pub async fn release_legal_hold(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let expected = if_match(&req)?;
    let (id, hold_id) = path.into_inner();
    state.db.write_as(p.owed(), move |c| service::release_hold(c, &p, &id, &hold_id, &expected)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_privacy_request)
        .service(list_privacy_requests)
        .service(get_privacy_request)
        .service(complete_privacy_request)
        .service(privacy_request_copy)
        .service(place_legal_hold)
        .service(list_legal_holds)
        .service(release_legal_hold);
}
