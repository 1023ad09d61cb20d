use actix_web::{get, post, web};

use super::dto::{Merge, MergeOutcome, MergeRequest};
use super::service;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::state::AppState;

/// Merges another customer into this one (managers), or with `dry_run` shows what that would do.
///
/// The answer lists every field as the survivor has it, as the source has it and as the merged
/// record will have it (masked for the caller's role), and what moves. The merge itself moves
/// purchases, preferences, feedback, contacts and notifications, unites owners and tags, deletes
/// the source, and can be undone for 30 days. Both versions must be current (412 otherwise).
#[utoipa::path(
    tag = "customers", operation_id = "merge_customer", params(("id" = String, Path, description = "The surviving customer")),
    request_body = MergeRequest, security(("bearer" = [])),
    responses((status = 200, body = MergeOutcome), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/merge")]
pub async fn merge_customer(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<MergeRequest>,
) -> Result<web::Json<MergeOutcome>, ApiError> {
    p.require(Permission::CustomersMerge)?;
    let Body(input) = body;
    let st = state.clone();
    let outcome = if input.dry_run {
        state.db.run_as(p.owed(), move |c| service::merge(c, &st.cipher, &p, &id, input)).await?
    } else {
        state.db.write_as(p.owed(), move |c| service::merge(c, &st.cipher, &p, &id, input)).await?
    };
    Ok(web::Json(outcome))
}

/// Merges into this customer, newest first, with whether each can still be undone.
#[utoipa::path(
    tag = "customers", operation_id = "list_merges", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<Merge>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/merges")]
pub async fn list_merges(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Merge>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    Ok(web::Json(state.db.run_as(p.owed(), move |c| service::list(c, &p, &id)).await?))
}

/// Undoes a merge (within 30 days, and only while the survivor is unchanged since — 409
/// otherwise): the survivor as it was, the merged-away customer and its records back.
#[utoipa::path(
    tag = "customers", operation_id = "undo_merge", params(("id" = String, Path, description = "Merge id")),
    security(("bearer" = [])),
    responses((status = 200, body = Merge), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customer-merges/{id}/undo")]
pub async fn undo_merge(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Merge>, ApiError> {
    p.require(Permission::CustomersMerge)?;
    Ok(web::Json(state.db.write_as(p.owed(), move |c| service::undo(c, &p, &id)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(merge_customer).service(list_merges).service(undo_merge);
}
