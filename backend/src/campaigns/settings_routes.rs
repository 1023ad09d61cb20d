use actix_web::{get, put, web, HttpRequest, HttpResponse};

use super::settings::MarketingRules;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::group_setting;
use crate::state::AppState;

/// The frequency cap and quiet hours every campaign obeys.
#[utoipa::path(
    tag = "campaigns", operation_id = "get_marketing_rules", security(("bearer" = [])),
    responses((status = 200, body = MarketingRules, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/marketing/rules")]
pub async fn get_marketing_rules(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsRead)?;
    group_setting::read::<MarketingRules>(&state, &p).await
}

/// Sets them (approving managers of the whole group; `If-Match`; audited).
#[utoipa::path(
    tag = "campaigns", operation_id = "set_marketing_rules", request_body = MarketingRules,
    params(("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 200, body = MarketingRules, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/marketing/rules")]
pub async fn set_marketing_rules(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: Body<MarketingRules>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsApprove)?;
    group_setting::replace(&state, &p, &req, body.0).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_marketing_rules).service(set_marketing_rules);
}
