use actix_web::{get, put, web};

use super::model::{default_of, ClassStrategy, Strategy, CLASSES};
use super::store::{self, StrategyRow};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::state::AppState;

fn view(class: &str, row: Option<&StrategyRow>) -> Result<ClassStrategy, ApiError> {
    Ok(match row {
        Some(r) => ClassStrategy {
            class: class.to_owned(),
            strategy: r.strategy()?,
            customised: true,
            updated_by: r.updated_by.clone(),
            updated_at: Some(r.updated_at.and_utc()),
        },
        None => ClassStrategy {
            class: class.to_owned(),
            strategy: default_of(class),
            customised: false,
            updated_by: None,
            updated_at: None,
        },
    })
}

/// The service strategy of every class (tiers, member levels, lifecycle stages): the saved one
/// or the seed's default.
#[utoipa::path(
    tag = "tiers", operation_id = "list_service_strategies", security(("bearer" = [])),
    responses((status = 200, body = Vec<ClassStrategy>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/service-strategies")]
pub async fn list_service_strategies(
    state: web::Data<AppState>,
    p: Principal,
) -> Result<web::Json<Vec<ClassStrategy>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let rows = state.db.run_as(p.owed(), |c| Ok(store::all(c)?)).await?;
    let out = CLASSES
        .iter()
        .map(|class| view(class, rows.iter().find(|r| r.class == *class)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(out))
}

/// Sets a class's service strategy (managers of the whole group; audited). An unknown class is 404.
#[utoipa::path(
    tag = "tiers", operation_id = "set_service_strategy", params(("class" = String, Path, description = "e.g. tier:A")),
    request_body = Strategy, security(("bearer" = [])),
    responses((status = 200, body = ClassStrategy), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/service-strategies/{class}")]
pub async fn set_service_strategy(
    state: web::Data<AppState>,
    p: Principal,
    class: web::Path<String>,
    body: Body<Strategy>,
) -> Result<web::Json<ClassStrategy>, ApiError> {
    p.require(Permission::TiersManage)?;
    // One table for the whole group, like the tier settings.
    if !crate::org::scope::Scope::of(&p).is_whole_group() {
        return Err(ApiError::Forbidden);
    }
    let class = CLASSES.iter().find(|c| **c == class.as_str()).ok_or(ApiError::NotFound)?;
    let Body(s) = body;
    validator::Validate::validate(&s)?;
    let row = StrategyRow {
        class: (*class).to_owned(),
        priority: i64::from(s.priority),
        sla_class: s.sla_class.as_str().to_owned(),
        green_channel: s.green_channel,
        dedicated_manager: s.dedicated_manager,
        campaign_eligible: s.campaign_eligible,
        updated_by: Some(p.id.clone()),
        updated_at: crate::db::now(),
    };
    let saved = row.clone();
    state
        .db
        .write_as(p.owed(), move |c| {
            store::put(c, &row)?;
            audit::append(c, &p.actor(), Event::new("strategies.set", "service_strategy", Some(&row.class)))?;
            Ok(())
        })
        .await?;
    Ok(web::Json(view(class, Some(&saved))?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_service_strategies).service(set_service_strategy);
}
