use actix_web::{get, put, web, HttpRequest, HttpResponse};

use super::settings::{self, MarketingRules};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::state::AppState;

/// The frequency cap and quiet hours every campaign obeys.
#[utoipa::path(
    tag = "campaigns", operation_id = "get_marketing_rules", security(("bearer" = [])),
    responses((status = 200, body = MarketingRules, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/marketing/rules")]
pub async fn get_marketing_rules(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsRead)?;
    let row = state.db.run_as(p.owed(), |c| Ok(settings::get(c)?)).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(row.version))).json(row.rules()))
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
    if !crate::org::scope::Scope::of(&p).is_whole_group() {
        return Err(ApiError::Forbidden);
    }
    let expected = if_match(&req)?;
    let Body(rules) = body;
    validator::Validate::validate(&rules)?;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let current = settings::get(c)?;
            let version = expected.check(current.version)?;
            if !settings::put(c, version, &rules, &p.id, crate::db::now())? {
                return Err(ApiError::PreconditionFailed);
            }
            audit::append(c, &p.actor(), Event::new("marketing.rules", "marketing_rules", None))?;
            Ok(settings::get(c)?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(row.version))).json(row.rules()))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_marketing_rules).service(set_marketing_rules);
}
