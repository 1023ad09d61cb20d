use actix_web::{get, post, web, HttpResponse};

use super::model::*;
use super::{decide, service, store};
use crate::auth::{Permission, Principal};
use crate::customers::access::{readable, writable};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

/// A customer's consents: the current state of each purpose and the full history.
#[utoipa::path(
    tag = "consent", operation_id = "list_consents", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConsentOverview), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/consents")]
pub async fn list_consents(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ConsentOverview>, ApiError> {
    p.require(Permission::ConsentRead)?;
    let out = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = readable(c, &p, &id)?;
            service::overview(c, &customer.id)
        })
        .await?;
    Ok(web::Json(out))
}

/// Records a grant or a withdrawal (a new record; nothing is edited). A withdrawal takes effect
/// at once for every use that asks the decision function.
#[utoipa::path(
    tag = "consent", operation_id = "record_consent", params(("id" = String, Path)), request_body = RecordConsent,
    security(("bearer" = [])),
    responses((status = 201, body = Consent), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/consents")]
pub async fn record_consent(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<RecordConsent>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::ConsentWrite)?;
    let Body(input) = body;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let customer = writable(c, &p, &id)?;
            service::append(c, &p.actor(), &customer, input, Some(&p.id))
        })
        .await?;
    Ok(HttpResponse::Created().json(Consent::from(row)))
}

/// May the caller use this customer for `purpose` (through `channel`) now? The answer names the
/// consent record that decided it.
#[utoipa::path(
    tag = "consent", operation_id = "check_consent", params(("id" = String, Path), CheckQuery), security(("bearer" = [])),
    responses((status = 200, body = Decision), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/consents/check")]
pub async fn check_consent(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<CheckQuery>,
) -> Result<web::Json<Decision>, ApiError> {
    p.require(Permission::ConsentRead)?;
    let q = q.into_inner();
    let out = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = readable(c, &p, &id)?;
            service::check_purpose(c, &q.purpose)?;
            decide::decide(c, &customer.id, &q.purpose, q.channel, Some(&p.unit_path))
        })
        .await?;
    Ok(web::Json(out))
}

/// A signed receipt (JWS) of one consent record, to hand to the customer.
#[utoipa::path(
    tag = "consent", operation_id = "consent_receipt", params(("id" = String, Path), ("consent_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Receipt), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/consents/{consent_id}/receipt")]
pub async fn consent_receipt(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Receipt>, ApiError> {
    p.require(Permission::ConsentRead)?;
    let (id, consent_id) = path.into_inner();
    let st = state.clone();
    let out = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = readable(c, &p, &id)?;
            service::receipt(c, &st.tokens, &customer, &consent_id)
        })
        .await?;
    Ok(web::Json(out))
}

/// Checks a consent receipt's signature (public: customers and their advisers verify receipts).
#[utoipa::path(
    tag = "consent", operation_id = "verify_consent_receipt", request_body = VerifyReceipt,
    responses((status = 200, body = ReceiptVerification), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/consent-receipts/verify")]
pub async fn verify_consent_receipt(
    state: web::Data<AppState>,
    body: Body<VerifyReceipt>,
) -> Result<web::Json<ReceiptVerification>, ApiError> {
    let claims: Option<serde_json::Value> = state.tokens.verify_document(service::RECEIPT_TYP, &body.0.jws, false);
    Ok(web::Json(ReceiptVerification { valid: claims.is_some(), claims }))
}

/// Publishes a new version of a privacy notice (compliance).
#[utoipa::path(
    tag = "consent", operation_id = "create_privacy_notice", request_body = CreateNotice, security(("bearer" = [])),
    responses((status = 201, body = Notice), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/privacy-notices")]
pub async fn create_privacy_notice(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateNotice>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let row = state.db.write_as(p.owed(), move |c| service::create_notice(c, &p, input)).await?;
    Ok(HttpResponse::Created().json(Notice::from(row)))
}

/// Notices of the caller's scope and of the units above it (whose notices apply to the caller's
/// customers too), every version, newest first.
#[utoipa::path(
    tag = "consent", operation_id = "list_privacy_notices", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Notice>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/privacy-notices")]
pub async fn list_privacy_notices(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Notice>>, ApiError> {
    p.require(Permission::ConsentRead)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let scope = Scope::of(&p);
    let above: Vec<String> = p.unit_path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let rows = state
        .db
        .run_as(p.owed(), move |c| Ok(store::notices(c, &scope, &above, before.as_deref(), limit + 1)?))
        .await?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.id.clone()).map(Notice::from)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_consents)
        .service(record_consent)
        .service(check_consent)
        .service(consent_receipt)
        .service(verify_consent_receipt)
        .service(create_privacy_notice)
        .service(list_privacy_notices);
}
