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

/// Subscribes a URL to change events of the caller's scope (admins). The signing secret is in
/// the answer and never shown again.
///
/// Each delivery is a POST of `{id, topic, created_at, data}` with `X-Guanxi-Event`,
/// `X-Guanxi-Delivery` and `X-Guanxi-Signature: t=…,v1=…` (HMAC-SHA256 of `t.body`). Failed
/// deliveries are retried with exponential backoff, eight attempts in all.
#[utoipa::path(
    tag = "webhooks", operation_id = "create_webhook", request_body = CreateWebhook, security(("bearer" = [])),
    responses((status = 201, body = WebhookCreated), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateWebhook>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let Body(input) = body;
    let st = state.clone();
    let created = state
        .db
        .write_as(p.owed(), move |c| service::create(c, &st.cipher, &p, input, st.settings.webhook_allow_private))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Subscriptions of the caller's scope, newest first.
#[utoipa::path(
    tag = "webhooks", operation_id = "list_webhooks", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Webhook>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Webhook>>, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let scope = Scope::of(&p);
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::list(c, &scope, before.as_deref(), limit + 1)?)).await?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.id.clone()).map(Webhook::from)))
}

/// Stops a subscription (its delivery history stays).
#[utoipa::path(
    tag = "webhooks", operation_id = "disable_webhook", params(("id" = String, Path), ("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/webhooks/{id}")]
pub async fn disable_webhook(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let expected = if_match(&req)?;
    state.db.write_as(p.owed(), move |c| service::disable(c, &p, &id, &expected)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A subscription's deliveries, newest first: status, attempts, last answer.
#[utoipa::path(
    tag = "webhooks", operation_id = "list_webhook_deliveries", params(("id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<Delivery>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Delivery>>, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            service::visible(c, &p, &id)?;
            Ok(store::deliveries(c, &id, before.as_deref(), limit + 1)?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.id.clone()).map(Delivery::from)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_webhook).service(list_webhooks).service(disable_webhook).service(list_webhook_deliveries);
}
