use actix_web::{get, web};

use super::model::Job;
use super::store;
use crate::auth::{Permission, Principal, Role};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// A job's status and progress.
///
/// Visible to whoever started it, and to admins, compliance officers and auditors of the same
/// scope; to anyone else it does not exist (404).
#[utoipa::path(
    tag = "jobs",
    operation_id = "get_job",
    params(("id" = String, Path, description = "Job id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Job),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/jobs/{id}")]
pub async fn get_job(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Job>, ApiError> {
    principal.require(Permission::JobsRead)?;
    let id = id.into_inner();
    let job = state
        .db
        .run(move |conn| {
            let job = store::get(conn, &id)?;
            let unit_path = match job.as_ref().and_then(|j| j.unit_id.clone()) {
                Some(unit) => crate::org::store::unit_path(conn, &unit)?,
                None => None,
            };
            Ok(job.map(|j| (j, unit_path)))
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    let (job, unit_path) = job;
    let own = job.created_by.as_deref() == Some(principal.id.as_str());
    let overseer = matches!(principal.role, Some(Role::Admin | Role::Compliance | Role::Auditor))
        && unit_path.as_deref().is_some_and(|p| principal.sees_unit_path(p));
    if !(own || overseer) {
        return Err(ApiError::NotFound);
    }
    Ok(web::Json(job.into()))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_job);
}
