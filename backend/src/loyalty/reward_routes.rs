use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::model::{Reward, RewardInput};
use super::store::{self, RewardRow};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::db::{new_id, now};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::org::scope::Scope;
use crate::state::AppState;

/// The rewards catalogue: those of the units the caller sees and of the units above theirs
/// (a group-wide catalogue), by name.
#[utoipa::path(
    tag = "loyalty", operation_id = "list_rewards", security(("bearer" = [])),
    responses((status = 200, body = Vec<Reward>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/rewards")]
pub async fn list_rewards(state: web::Data<AppState>, p: Principal) -> Result<web::Json<Vec<Reward>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let scope = Scope::of(&p);
    let path = p.unit_path.clone();
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            let above: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect();
            Ok(store::catalogue(c, &above, &scope)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(Reward::from).collect()))
}

/// Adds a reward to the caller's unit's catalogue (marketing staff and managers).
#[utoipa::path(
    tag = "loyalty", operation_id = "create_reward", request_body = RewardInput, security(("bearer" = [])),
    responses((status = 201, body = Reward, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/rewards")]
pub async fn create_reward(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<RewardInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsManage)?;
    let Body(input) = body;
    validator::Validate::validate(&input)?;
    let t = now();
    let row = RewardRow {
        id: new_id(),
        unit_id: p.unit_id.clone(),
        name: input.name.trim().to_owned(),
        kind: input.kind.as_str().to_owned(),
        points: input.points,
        stock: input.stock,
        active: input.active,
        version: 1,
        created_at: t,
        updated_at: t,
    };
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            store::insert_reward(c, &row)?;
            audit::append(c, &p.actor(), Event::new("reward.create", "reward", Some(&row.id)))?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(("ETag", etag(row.version))).json(Reward::from(row)))
}

/// Changes a reward of a unit the caller sees: price, stock, whether it is offered (`If-Match`).
#[utoipa::path(
    tag = "loyalty", operation_id = "update_reward", request_body = RewardInput,
    params(("id" = String, Path), ("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 200, body = Reward, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/rewards/{id}")]
pub async fn update_reward(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<RewardInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsManage)?;
    let expected = if_match(&req)?;
    let Body(input) = body;
    validator::Validate::validate(&input)?;
    let scope = Scope::of(&p);
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let current = store::reward_in(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            let version = expected.check(current.version)?;
            let row = RewardRow {
                name: input.name.trim().to_owned(),
                kind: input.kind.as_str().to_owned(),
                points: input.points,
                stock: input.stock,
                active: input.active,
                version: version + 1,
                updated_at: now(),
                ..current
            };
            if !store::update_reward(c, &row, version)? {
                return Err(ApiError::PreconditionFailed);
            }
            audit::append(c, &p.actor(), Event::new("reward.update", "reward", Some(&row.id)))?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(row.version))).json(Reward::from(row)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_rewards).service(create_reward).service(update_reward);
}
