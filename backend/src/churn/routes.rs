use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::service::{self, ChurnWarning, NewAction, WinbackAction};
use super::store;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

crate::text_enum!(WarningStatus { Open => "open", Closed => "closed" });

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct WarningQuery {
    /// Default open.
    pub status: Option<WarningStatus>,
    /// Only the customers this account manager owns (the SPA's "my queue").
    pub owner_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The churn-warning queue, newest first: warnings of customers the caller sees, with the drop in
/// figures, the customer (masked) and the win-back actions so far.
#[utoipa::path(
    tag = "churn", operation_id = "list_churn_warnings", params(WarningQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<ChurnWarning>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/churn-warnings")]
pub async fn list_churn_warnings(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<WarningQuery>,
) -> Result<web::Json<Page<ChurnWarning>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let limit = page.limit()?;
    let before = page.cursor()?;
    let status = q.status.unwrap_or(WarningStatus::Open).as_str();
    let st = state.clone();
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let (scope, viewer) = (Scope::of(&p), p.id.clone());
            let rows = store::list(c, &scope, &viewer, status, q.owner_id.as_deref(), before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            Ok(Page { items: service::views(c, &st.cipher, &p, page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// One churn warning with its actions (404 for a customer the caller does not see).
#[utoipa::path(
    tag = "churn", operation_id = "get_churn_warning", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ChurnWarning), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/churn-warnings/{id}")]
pub async fn get_churn_warning(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ChurnWarning>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let st = state.clone();
    let warning = state
        .db
        .run_as(p.owed(), move |c| {
            let row = store::get(c, &Scope::of(&p), &p.id, &id)?.ok_or(ApiError::NotFound)?;
            service::views(c, &st.cipher, &p, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(warning))
}

/// Records a win-back action and its outcome on a warning (account managers and agents who may
/// change the customer; a shared customer is read-only for other units). Audited.
#[utoipa::path(
    tag = "churn", operation_id = "record_winback_action", params(("id" = String, Path)), request_body = NewAction,
    security(("bearer" = [])),
    responses((status = 201, body = WinbackAction), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/churn-warnings/{id}/actions")]
pub async fn record_winback_action(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<NewAction>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let warning = store::get(c, &Scope::of(&p), &p.id, &id)?.ok_or(ApiError::NotFound)?;
            service::record(c, &p, &warning, input)
        })
        .await?;
    Ok(HttpResponse::Created().json(WinbackAction::from(row)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_churn_warnings).service(get_churn_warning).service(record_winback_action);
}
