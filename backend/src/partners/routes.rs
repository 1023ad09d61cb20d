use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::{service, store};
use crate::audit::{self, Event};
use crate::auth::api_keys::store::ApiKeyRow;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::{ended_version, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

/// Who may see partners and their agreements.
const SEE_PARTNERS: [Permission; 2] = [Permission::PrivacyManage, Permission::SharesRead];

/// Registers a partner with its confidentiality agreement (compliance).
#[utoipa::path(
    tag = "partners", operation_id = "create_partner", request_body = CreatePartner, security(("bearer" = [])),
    responses((status = 201, body = Partner), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/partners")]
pub async fn create_partner(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreatePartner>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let row = state.db.write_as(p.owed(), move |c| service::create(c, &p, input)).await?;
    Ok(HttpResponse::Created().json(Partner::from(row)))
}

/// Partners, by code.
#[utoipa::path(
    tag = "partners", operation_id = "list_partners", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Partner>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/partners")]
pub async fn list_partners(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Partner>>, ApiError> {
    p.require_any(&SEE_PARTNERS)?;
    let (limit, after) = (q.limit()?, q.cursor()?);
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::list(c, after.as_deref(), limit + 1)?)).await?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.code.clone()).map(Partner::from)))
}

/// Adds a sharing agreement: which fields, for which purposes, of which units' customers.
#[utoipa::path(
    tag = "partners", operation_id = "create_sharing_agreement", params(("id" = String, Path)),
    request_body = CreateAgreement, security(("bearer" = [])),
    responses((status = 201, body = Agreement), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/partners/{id}/agreements")]
pub async fn create_sharing_agreement(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreateAgreement>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let row = state.db.write_as(p.owed(), move |c| service::add_agreement(c, &p, &id, input)).await?;
    Ok(HttpResponse::Created().json(Agreement::from(row)))
}

/// A partner's agreements, newest first.
#[utoipa::path(
    tag = "partners", operation_id = "list_sharing_agreements", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<Agreement>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/partners/{id}/agreements")]
pub async fn list_sharing_agreements(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Agreement>>, ApiError> {
    p.require_any(&SEE_PARTNERS)?;
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            store::get(c, &id)?.ok_or(ApiError::NotFound)?;
            Ok(store::agreements(c, &id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(Agreement::from).collect()))
}

/// Ends an agreement at once: the partner's reads under it stop with the next request.
#[utoipa::path(
    tag = "partners", operation_id = "end_sharing_agreement", params(("id" = String, Path), ("agreement_id" = String, Path), ("If-Match" = String, Header)),
    security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/partners/{id}/agreements/{agreement_id}")]
pub async fn end_sharing_agreement(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let expected = if_match(&req)?;
    let (id, agreement_id) = path.into_inner();
    state
        .db
        .write_as(p.owed(), move |c| {
            let agreement = store::agreement(c, &id, &agreement_id)?.ok_or(ApiError::NotFound)?;
            expected.check(ended_version(!agreement.active))?;
            if store::end_agreement(c, &id, &agreement_id)? == 0 {
                return Err(ApiError::NotFound);
            }
            audit::append(c, &p.actor(), Event::new("sharing_agreement.end", "partner", Some(&id)))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Issues an API key for a partner. It reaches the partner API only; shown once.
#[utoipa::path(
    tag = "partners", operation_id = "create_partner_key", params(("id" = String, Path)), request_body = CreatePartnerKey,
    security(("bearer" = [])),
    responses((status = 201, body = PartnerKeyCreated), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/partners/{id}/api-keys")]
pub async fn create_partner_key(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreatePartnerKey>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let (row, key) = ApiKeyRow::issue(
        input.name,
        Permission::PartnerApi.scope().to_owned(),
        p.unit_id.clone(),
        p.id.clone(),
        input.expires_at.map(|e| e.naive_utc()),
        Some(id.into_inner()),
    );
    let created = state
        .db
        .write_as(p.owed(), move |c| {
            let partner = row.partner_id.clone().unwrap_or_default();
            store::get(c, &partner)?.ok_or(ApiError::NotFound)?;
            crate::auth::api_keys::store::insert(c, &row)?;
            audit::append(c, &p.actor(), Event::new("api_key.create", "partner", Some(&partner)))?;
            Ok(PartnerKeyCreated { id: row.id, key })
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Shares by file: the customers the agreement covers who consented to this partner, with the
/// agreed fields in clear, as a job (download its file from `/jobs/{id}/files/…`); each customer
/// in it is logged as a share.
#[utoipa::path(
    tag = "partners", operation_id = "create_partner_export", params(("id" = String, Path)),
    request_body = super::export::PartnerExportRequest, security(("bearer" = [])),
    responses((status = 202, body = crate::jobs::model::Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/partners/{id}/exports")]
pub async fn create_partner_export(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<super::export::PartnerExportRequest>,
) -> Result<HttpResponse, ApiError> {
    use super::export::{agreement_for, Payload, KIND};
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let partner_id = id.into_inner();
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            store::get(c, &partner_id)?.ok_or(ApiError::NotFound)?;
            agreement_for(c, &Scope::of(&p), &partner_id, &input.agreement_id, &input.purpose)?;
            let payload = Payload {
                owner: crate::jobs::owner::JobOwner::of(&p),
                partner_id,
                agreement_id: input.agreement_id,
                purpose: input.purpose,
                format: input.format,
            };
            let payload = serde_json::to_value(payload).map_err(ApiError::internal)?;
            let kinds = crate::customers::bulk::routes::EXPORT_KINDS;
            crate::jobs::store::enqueue_export(c, &kinds, KIND, &payload, &p.id, &p.unit_id)
        })
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/jobs/{}", job.id)))
        .json(crate::jobs::model::Job::from(job)))
}

/// A webhook for the partner under one of its agreements: events (customer id and changed field
/// names) of the customers the agreement covers who consent to the partner; each delivery is
/// logged as a share. The signing secret is shown once.
#[utoipa::path(
    tag = "partners", operation_id = "create_partner_webhook", params(("id" = String, Path)),
    request_body = crate::webhooks::model::CreatePartnerWebhook, security(("bearer" = [])),
    responses((status = 201, body = crate::webhooks::model::WebhookCreated), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/partners/{id}/webhooks")]
pub async fn create_partner_webhook(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<crate::webhooks::model::CreatePartnerWebhook>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let Body(input) = body;
    let st = state.clone();
    let created = state
        .db
        .write_as(p.owed(), move |c| {
            let allow = st.settings.webhook_allow_private;
            crate::webhooks::service::create_for_partner(c, &st.cipher, &p, &id, input, allow)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// The partner API: one customer, only the agreed fields, only with the customer's consent to
/// this partner; every answer is logged as a share. Anything else is 404.
#[utoipa::path(
    tag = "partners", operation_id = "partner_read_customer", params(("id" = String, Path), PartnerReadQuery),
    security(("bearer" = [])),
    responses((status = 200, body = SharedCustomer), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/partner/customers/{id}")]
pub async fn partner_read_customer(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PartnerReadQuery>,
) -> Result<web::Json<SharedCustomer>, ApiError> {
    p.require(Permission::PartnerApi)?;
    let st = state.clone();
    let out = state.db.write_as(p.owed(), move |c| service::read_customer(c, &st.cipher, &p, &id, &q.purpose)).await?;
    Ok(web::Json(out))
}

/// The share log: every disclosure to a partner, newest first.
#[utoipa::path(
    tag = "partners", operation_id = "list_shares", params(ShareQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Share>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/shares")]
pub async fn list_shares(
    state: web::Data<AppState>,
    p: Principal,
    f: crate::http::extract::Query<ShareQuery>,
) -> Result<web::Json<Page<Share>>, ApiError> {
    p.require(Permission::SharesRead)?;
    let f = f.into_inner();
    let page = PageParams { limit: f.limit, cursor: f.cursor.clone() };
    let (limit, before) = (page.limit()?, page.cursor()?);
    let st = state.clone();
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let scope = Scope::of(&p);
            let (partner, customer) = (f.partner_id.as_deref(), f.customer_id.as_deref());
            let rows = store::shares(c, scope.narrowed(), partner, customer, before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.0.id.clone()).map(Share::from);
            // Each row's customer as the reader may see them: one statement for the page.
            let mut ids: Vec<String> = page.items.iter().filter_map(|s| s.customer_id.clone()).collect();
            ids.sort_unstable();
            ids.dedup();
            let refs = crate::customers::summary::summaries(c, &st.cipher, &p, &ids)?;
            Ok(page.map(|s| {
                let customer = refs.iter().find(|r| Some(&r.id) == s.customer_id.as_ref()).cloned();
                Share { customer, ..s }
            }))
        })
        .await?;
    Ok(web::Json(page))
}

/// A customer's disclosure history: who received their data, when and why.
#[utoipa::path(
    tag = "partners", operation_id = "list_customer_shares", params(("id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<Share>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/shares")]
pub async fn list_customer_shares(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Share>>, ApiError> {
    p.require(Permission::ConsentRead)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = crate::customers::access::readable(c, &p, &id)?;
            Ok(store::shares(c, None, None, Some(&customer.id), before.as_deref(), limit + 1)?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.0.id.clone()).map(Share::from)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_partner)
        .service(list_partners)
        .service(create_sharing_agreement)
        .service(list_sharing_agreements)
        .service(end_sharing_agreement)
        .service(create_partner_key)
        .service(create_partner_export)
        .service(create_partner_webhook)
        .service(partner_read_customer)
        .service(list_shares)
        .service(list_customer_shares);
}
