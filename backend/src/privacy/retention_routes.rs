use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};

use super::retention::{self, RetentionPolicy, RetentionRun, SetRetention};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::jobs::model::Job;
use crate::jobs::owner::JobOwner;
use crate::state::AppState;

/// The retention periods: `relationship` (from the last activity) and per consent purpose
/// (from its latest grant or withdrawal).
#[utoipa::path(
    tag = "privacy", operation_id = "list_retention_policies", security(("bearer" = [])),
    responses((status = 200, body = Vec<RetentionPolicy>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/retention-policies")]
pub async fn list_retention_policies(
    state: web::Data<AppState>,
    p: Principal,
) -> Result<web::Json<Vec<RetentionPolicy>>, ApiError> {
    p.require(Permission::ConsentRead)?;
    let rows = state.db.run_as(p.owed(), |c| Ok(super::store::retention::policies(c)?)).await?;
    Ok(web::Json(rows.into_iter().map(RetentionPolicy::from).collect()))
}

/// Sets the retention period of `relationship` or of a consent purpose: a new one without
/// `If-Match`, a change of an existing one with `If-Match` naming its version (428 without).
#[utoipa::path(
    tag = "privacy", operation_id = "set_retention_policy",
    params(("purpose" = String, Path), ("If-Match" = Option<String>, Header, description = "The version changed; absent when creating")),
    request_body = SetRetention, security(("bearer" = [])),
    responses((status = 200, body = RetentionPolicy, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/retention-policies/{purpose}")]
pub async fn set_retention_policy(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    purpose: web::Path<String>,
    body: Body<SetRetention>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let days = body.0.days;
    let expected = match if_match(&req) {
        Err(ApiError::PreconditionRequired) => None,
        other => Some(other?),
    };
    let row = state
        .db
        .write_as(p.owed(), move |c| retention::set(c, &p.actor(), &p.id, &purpose, expected.as_ref(), days))
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(row.version))).json(RetentionPolicy::from(row)))
}

/// Removes a retention period (that purpose then never lapses).
#[utoipa::path(
    tag = "privacy", operation_id = "delete_retention_policy", params(("purpose" = String, Path), ("If-Match" = String, Header)),
    security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/retention-policies/{purpose}")]
pub async fn delete_retention_policy(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    purpose: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let expected = if_match(&req)?;
    state.db.write_as(p.owed(), move |c| retention::remove(c, &p.actor(), &purpose, &expected)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Runs the retention job now (it also runs daily): anonymises customers whose relationship and
/// every consent purpose have lapsed and who are under no legal hold. `dry_run` only counts.
#[utoipa::path(
    tag = "privacy", operation_id = "run_retention", request_body = RetentionRun, security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/retention-runs")]
pub async fn run_retention(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<RetentionRun>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::PrivacyManage)?;
    let payload = retention::Payload { owner: Some(JobOwner::of(&p)), dry_run: body.0.dry_run };
    let payload = serde_json::to_value(payload).map_err(ApiError::internal)?;
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            Ok(crate::jobs::store::enqueue(c, retention::KIND, &payload, Some(&p.id), Some(&p.unit_id))?)
        })
        .await?;
    Ok(HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/jobs/{}", job.id))).json(Job::from(job)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_retention_policies)
        .service(set_retention_policy)
        .service(delete_retention_policy)
        .service(run_retention);
}
