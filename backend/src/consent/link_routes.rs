//! The staff side issues links; the public side is authorised by the link alone.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::link::{self, ConsentLink, IssueLink, SelfServiceChoice, SelfServiceResult, SelfServiceView};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::customers::access::writable;
use crate::error::{ApiError, Problem};
use crate::http::extract::{client_ip, Body};
use crate::state::AppState;

/// The link token, sent as `Authorization: Bearer <token>` by the public page.
/// The caller of a self-service route: the link token from `Authorization: Bearer …` (401
/// without one) and the client address, within the per-link and per-address limits (429). An
/// extractor, so it is decided before the body is read: 401 comes before 422.
pub struct LinkCaller {
    pub token: String,
    pub ip: String,
}

impl actix_web::FromRequest for LinkCaller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<LinkCaller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(link_caller(req))
    }
}

fn link_caller(req: &HttpRequest) -> Result<LinkCaller, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::internal("state missing"))?;
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, t)| scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty())
        .map(|(_, t)| t.trim().to_owned())
        .ok_or(ApiError::Unauthorized("link_missing"))?;
    let ip = client_ip(req, state.settings.trust_proxy);
    let (per_link, per_address) = &state.link_views;
    per_link.check(&crate::crypto::sha256_hex(token.as_bytes()))?;
    per_address.check(&crate::auth::lockout::address_key(&ip))?;
    Ok(LinkCaller { token, ip })
}

/// Issues a signed, expiring self-service link for the customer (to send by SMS, email or QR
/// code). Anyone holding it sees the customer's consents and disclosures and can change the
/// consents, until it expires.
#[utoipa::path(
    tag = "consent", operation_id = "issue_consent_link", params(("id" = String, Path)), request_body = IssueLink,
    security(("bearer" = [])),
    responses((status = 201, body = ConsentLink), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/consent-links")]
pub async fn issue_consent_link(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<IssueLink>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::ConsentWrite)?;
    let days = body.0.valid_days.unwrap_or(7);
    let st = state.clone();
    let out = state
        .db
        .write_as(p.owed(), move |c| {
            let customer = writable(c, &p, &id)?;
            let out = link::issue(&st.tokens, &customer, days)?;
            audit::append(c, &p.actor(), Event::new("consent.link_issue", "customer", Some(&customer.id)))?;
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The customer's own view through a consent link: the notice in force, current consents,
/// history and disclosures. Authorised by the link (`Authorization: Bearer <link token>`).
#[utoipa::path(
    tag = "consent", operation_id = "self_service_view", security(("bearer" = [])),
    responses((status = 200, body = SelfServiceView), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/self-service/consents")]
pub async fn self_service_view(
    state: web::Data<AppState>,
    caller: LinkCaller,
) -> Result<web::Json<SelfServiceView>, ApiError> {
    let LinkCaller { token, ip } = caller;
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, expires) = link::open(c, &st.tokens, &token)?;
            let view = link::view(c, &customer, expires)?;
            let actor = link::actor(&customer, &ip);
            audit::append(c, &actor, Event::new("consent.self_service_view", "customer", Some(&customer.id)))?;
            Ok(view)
        })
        .await?;
    Ok(web::Json(out))
}

/// The customer grants or withdraws a purpose through a consent link; the answer carries the
/// signed receipt.
#[utoipa::path(
    tag = "consent", operation_id = "self_service_choose", request_body = SelfServiceChoice, security(("bearer" = [])),
    responses((status = 201, body = SelfServiceResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/self-service/consents")]
pub async fn self_service_choose(
    state: web::Data<AppState>,
    caller: LinkCaller,
    body: Body<SelfServiceChoice>,
) -> Result<HttpResponse, ApiError> {
    let LinkCaller { token, ip } = caller;
    let Body(choice) = body;
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open(c, &st.tokens, &token)?;
            let actor = link::actor(&customer, &ip);
            link::choose(c, &st.tokens, &actor, &customer, choice)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(issue_consent_link).service(self_service_view).service(self_service_choose);
}
