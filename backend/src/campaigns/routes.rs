use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{Campaign, CampaignInput, CampaignReport, CampaignState, ReviewInput};
use super::service::{self, Action};
use super::store;
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::db::now;
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

fn with_etag(status: actix_web::http::StatusCode, c: Campaign) -> HttpResponse {
    HttpResponse::build(status).insert_header(("ETag", etag(c.version))).json(c)
}

/// Plans a campaign for the caller's unit, as a draft (marketing staff and managers).
#[utoipa::path(
    tag = "campaigns", operation_id = "create_campaign", request_body = CampaignInput, security(("bearer" = [])),
    responses((status = 201, body = Campaign, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/campaigns")]
pub async fn create_campaign(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CampaignInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsManage)?;
    let Body(input) = body;
    let campaign = state
        .db
        .write_as(p.owed(), move |c| {
            let plan = service::plan_of(c, &p, &input)?;
            let row = service::new_row(&p, plan, now());
            store::insert(c, &row, &input.segment_ids)?;
            audit::append(c, &p.actor(), Event::new("campaign.create", "campaign", Some(&row.id)))?;
            service::view(c, row)
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::CREATED, campaign))
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignQuery {
    pub state: Option<CampaignState>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The campaigns of the units the caller sees, newest first.
#[utoipa::path(
    tag = "campaigns", operation_id = "list_campaigns", params(CampaignQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Campaign>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/campaigns")]
pub async fn list_campaigns(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<CampaignQuery>,
) -> Result<web::Json<Page<Campaign>>, ApiError> {
    p.require(Permission::CampaignsRead)?;
    let paging = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, before) = (paging.limit()?, paging.cursor()?);
    let filter = q.state.map(CampaignState::as_str);
    let scope = Scope::of(&p);
    let (items, next_cursor) = state
        .db
        .run_as(p.owed(), move |c| {
            let rows = store::list(c, &scope, filter, before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            Ok((service::views(c, page.items)?, page.next_cursor))
        })
        .await?;
    Ok(web::Json(Page { items, next_cursor }))
}

/// One campaign (another unit's is not found).
#[utoipa::path(
    tag = "campaigns", operation_id = "get_campaign", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Campaign, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/campaigns/{id}")]
pub async fn get_campaign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsRead)?;
    let scope = Scope::of(&p);
    let campaign = state
        .db
        .run_as(p.owed(), move |c| {
            let row = store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            service::view(c, row)
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, campaign))
}

/// Changes a draft's plan (`If-Match`); a campaign past draft is 409 `campaign_state`.
#[utoipa::path(
    tag = "campaigns", operation_id = "update_campaign", request_body = CampaignInput,
    params(("id" = String, Path), ("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 200, body = Campaign, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/campaigns/{id}")]
pub async fn update_campaign(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<CampaignInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsManage)?;
    let expected = if_match(&req)?;
    let Body(input) = body;
    let campaign = state
        .db
        .write_as(p.owed(), move |c| {
            let row = store::get(c, &Scope::of(&p), &id)?.ok_or(ApiError::NotFound)?;
            let version = expected.check(row.version)?;
            if row.state != CampaignState::Draft.as_str() {
                return Err(ApiError::conflict("campaign_state").with("state", row.state.clone()));
            }
            let plan = service::plan_of(c, &p, &input)?;
            if !store::update_plan(c, &row.id, version, &plan, &input.segment_ids, now())? {
                return Err(ApiError::PreconditionFailed);
            }
            audit::append(c, &p.actor(), Event::new("campaign.update", "campaign", Some(&row.id)))?;
            let row = store::get_any(c, &row.id)?;
            service::view(c, row)
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, campaign))
}

/// Takes an action, after the permission it needs: sales and managers move their plans on; only
/// an approving manager reviews them.
async fn act(
    state: &web::Data<AppState>,
    p: Principal,
    id: String,
    action: Action,
    review: Option<ReviewInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(match action {
        Action::Submit | Action::Cancel => Permission::CampaignsManage,
        Action::Approve | Action::Reject => Permission::CampaignsApprove,
    })?;
    if let Some(r) = &review {
        validator::Validate::validate(r)?;
    }
    let note = review.and_then(|r| r.note);
    let campaign = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::act(c, &p, &id, action, note.as_deref(), now())?;
            service::view(c, row)
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, campaign))
}

/// Sends a draft for approval.
#[utoipa::path(
    tag = "campaigns", operation_id = "submit_campaign", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Campaign), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/campaigns/{id}/submit")]
pub async fn submit_campaign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    act(&state, p, id.into_inner(), Action::Submit, None).await
}

/// Approves and launches a campaign (a manager other than its author: 409
/// `campaign_second_person`). The targets' members are frozen now, as snapshots in the
/// approver's scope; the send job starts at `starts_at`.
#[utoipa::path(
    tag = "campaigns", operation_id = "approve_campaign", params(("id" = String, Path)), request_body = ReviewInput,
    security(("bearer" = [])),
    responses((status = 200, body = Campaign), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/campaigns/{id}/approve")]
pub async fn approve_campaign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<ReviewInput>,
) -> Result<HttpResponse, ApiError> {
    act(&state, p, id.into_inner(), Action::Approve, Some(body.0)).await
}

/// Sends a campaign back to its author as a draft, with the reason (`note` required).
#[utoipa::path(
    tag = "campaigns", operation_id = "reject_campaign", params(("id" = String, Path)), request_body = ReviewInput,
    security(("bearer" = [])),
    responses((status = 200, body = Campaign), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/campaigns/{id}/reject")]
pub async fn reject_campaign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<ReviewInput>,
) -> Result<HttpResponse, ApiError> {
    act(&state, p, id.into_inner(), Action::Reject, Some(body.0)).await
}

/// Stops a campaign that has not completed; nothing more is sent.
#[utoipa::path(
    tag = "campaigns", operation_id = "cancel_campaign", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Campaign), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/campaigns/{id}/cancel")]
pub async fn cancel_campaign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    act(&state, p, id.into_inner(), Action::Cancel, None).await
}

/// Where the audience stands: sent, failed, waiting, and excluded by reason, and the cost.
#[utoipa::path(
    tag = "campaigns", operation_id = "campaign_report", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CampaignReport), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/campaigns/{id}/report")]
pub async fn campaign_report(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CampaignReport>, ApiError> {
    p.require(Permission::CampaignsRead)?;
    let scope = Scope::of(&p);
    let report = state
        .db
        .run_as(p.owed(), move |c| {
            let row = store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            service::report(c, &row)
        })
        .await?;
    Ok(web::Json(report))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_campaign)
        .service(list_campaigns)
        .service(get_campaign)
        .service(update_campaign)
        .service(submit_campaign)
        .service(approve_campaign)
        .service(reject_campaign)
        .service(cancel_campaign)
        .service(campaign_report);
}
