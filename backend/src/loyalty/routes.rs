use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::model::{LedgerEntry, LoyaltyRules, PointsAccount, Redeem};
use super::{service, store};
use crate::auth::{Permission, Principal};
use crate::customers::access::{readable, writable};
use crate::db::now;
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::group_setting;
use crate::http::pagination::{Page, PageParams};
use crate::state::AppState;

/// A customer's points balance and ledger, newest entries first.
#[utoipa::path(
    tag = "loyalty", operation_id = "get_points", params(("id" = String, Path), PageParams), security(("bearer" = [])),
    responses((status = 200, body = PointsAccount), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/points")]
pub async fn get_points(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<PointsAccount>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let (customer_id, balance, rows) = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = readable(c, &p, &id)?;
            let rows = store::entries(c, &customer.id, before.as_deref(), limit + 1)?;
            Ok((customer.id.clone(), store::balance(c, &customer.id)?, rows))
        })
        .await?;
    let page = Page::from_rows(rows, limit, |r| r.id.clone());
    let entries =
        Page { items: page.items.into_iter().map(LedgerEntry::from).collect(), next_cursor: page.next_cursor };
    Ok(web::Json(PointsAccount { customer_id, balance, entries }))
}

/// Spends the customer's points on a reward of their unit's catalogue (or a unit above it).
/// 409 `points_insufficient`, `reward_out_of_stock`, `reward_unavailable`; never below zero,
/// however many redemptions arrive at once.
#[utoipa::path(
    tag = "loyalty", operation_id = "redeem_points", params(("id" = String, Path)), request_body = Redeem,
    security(("bearer" = [])),
    responses((status = 201, body = LedgerEntry), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/points/redemptions")]
pub async fn redeem_points(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<Redeem>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    validator::Validate::validate(&input)?;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let customer = writable(c, &p, &id)?;
            service::redeem(c, &p.actor(), &customer, &input.reward_id, input.quantity.unwrap_or(1), now())
        })
        .await?;
    Ok(HttpResponse::Created().json(LedgerEntry::from(row)))
}

/// How points are earned and when they expire.
#[utoipa::path(
    tag = "loyalty", operation_id = "get_loyalty_rules", security(("bearer" = [])),
    responses((status = 200, body = LoyaltyRules, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/loyalty/rules")]
pub async fn get_loyalty_rules(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersRead)?;
    group_setting::read::<LoyaltyRules>(&state, &p).await
}

/// Sets them (approving managers of the whole group; `If-Match`; audited).
#[utoipa::path(
    tag = "loyalty", operation_id = "set_loyalty_rules", request_body = LoyaltyRules,
    params(("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 200, body = LoyaltyRules, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/loyalty/rules")]
pub async fn set_loyalty_rules(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: Body<LoyaltyRules>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsApprove)?;
    group_setting::replace(&state, &p, &req, body.0).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_points).service(redeem_points).service(get_loyalty_rules).service(set_loyalty_rules);
}
