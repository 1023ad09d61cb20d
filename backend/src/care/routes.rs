use actix_web::{get, post, web, HttpResponse};

use super::model::{CalendarParams, CareDay, CareRule, CareRuleInput};
use super::{service, store};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::db::now;
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, Query};
use crate::org::scope::Scope;
use crate::state::AppState;

/// The care rules of the caller's scope.
#[utoipa::path(
    tag = "care", operation_id = "list_care_rules", security(("bearer" = [])),
    responses((status = 200, body = Vec<CareRule>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/care-rules")]
pub async fn list_care_rules(state: web::Data<AppState>, p: Principal) -> Result<web::Json<Vec<CareRule>>, ApiError> {
    p.require(Permission::CampaignsRead)?;
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::list(c, &Scope::of(&p), false)?)).await?;
    Ok(web::Json(rows.into_iter().map(service::view).collect::<Result<_, _>>()?))
}

/// Makes a rule, off until a manager other than its author switches it on. 422 per field:
/// `month_day` (`holiday` needs `MM-DD`), `days` (a tip comes ≥ 1 day after), the templates.
#[utoipa::path(
    tag = "care", operation_id = "create_care_rule", request_body = CareRuleInput, security(("bearer" = [])),
    responses((status = 201, body = CareRule), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/care-rules")]
pub async fn create_care_rule(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CareRuleInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CampaignsManage)?;
    let Body(input) = body;
    let row = service::new_rule(&p, input, now())?;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            store::insert(c, &row)?;
            audit::append(c, &p.actor(), Event::new("care.create", "care_rule", Some(&row.id)))?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(service::view(row)?))
}

async fn switch(
    state: &web::Data<AppState>,
    p: Principal,
    id: String,
    on: bool,
) -> Result<web::Json<CareRule>, ApiError> {
    p.require(Permission::CampaignsApprove)?;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::switch(c, &p, &id, on, now())?;
            let action = if on { "care.activate" } else { "care.deactivate" };
            audit::append(c, &p.actor(), Event::new(action, "care_rule", Some(&row.id)))?;
            Ok(row)
        })
        .await?;
    Ok(web::Json(service::view(row)?))
}

/// Switches a rule on (four eyes: 409 `care_rule_second_person` for its author).
#[utoipa::path(
    tag = "care", operation_id = "activate_care_rule", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CareRule), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/care-rules/{id}/activate")]
pub async fn activate_care_rule(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CareRule>, ApiError> {
    switch(&state, p, id.into_inner(), true).await
}

/// Switches a rule off: no campaign from the next morning on.
#[utoipa::path(
    tag = "care", operation_id = "deactivate_care_rule", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CareRule), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/care-rules/{id}/deactivate")]
pub async fn deactivate_care_rule(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CareRule>, ApiError> {
    switch(&state, p, id.into_inner(), false).await
}

/// The coming care actions: per day and active rule, how many customers of the caller's scope
/// it concerns (consent, caps and quiet hours are decided when sending).
#[utoipa::path(
    tag = "care", operation_id = "care_calendar", params(CalendarParams), security(("bearer" = [])),
    responses((status = 200, body = Vec<CareDay>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/care/calendar")]
pub async fn care_calendar(
    state: web::Data<AppState>,
    p: Principal,
    q: Query<CalendarParams>,
) -> Result<web::Json<Vec<CareDay>>, ApiError> {
    p.require(Permission::CampaignsRead)?;
    let days = q.0.days.unwrap_or(14);
    if !(1..=31).contains(&days) {
        return Err(ApiError::BadQuery(vec![crate::error::FieldError::new("days", "range")
            .with("min", 1)
            .with("max", 31)]));
    }
    let from = state.clock.now().date();
    let st = state.clone();
    let out = state.db.run_as(p.owed(), move |c| service::calendar(c, &st.cipher, &Scope::of(&p), from, days)).await?;
    Ok(web::Json(out))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_care_rules)
        .service(create_care_rule)
        .service(activate_care_rule)
        .service(deactivate_care_rule)
        .service(care_calendar);
}
