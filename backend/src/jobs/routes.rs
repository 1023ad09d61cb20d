use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::Job;
use super::store;
use crate::auth::{Permission, Principal, Role};
use crate::error::{ApiError, Problem};
use crate::http::pagination::{Page, PageParams};
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
        .run_as(principal.owed(), move |conn| {
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobListParams {
    /// Only jobs of this kind, e.g. `customers.import`.
    pub kind: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The caller's own jobs, newest first.
#[utoipa::path(
    tag = "jobs", operation_id = "list_jobs", params(JobListParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Job>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/jobs")]
pub async fn list_jobs(
    state: web::Data<AppState>,
    principal: Principal,
    q: crate::http::extract::Query<JobListParams>,
) -> Result<web::Json<Page<Job>>, ApiError> {
    principal.require(Permission::JobsRead)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor };
    let (limit, after) = (page.limit()?, page.cursor()?);
    let rows = state
        .db
        .run_as(principal.owed(), move |c| {
            Ok(store::list_for(c, &principal.id, q.kind.as_deref(), after.as_deref(), limit + 1)?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(rows, limit, |j| j.id.clone()).map(Job::from)))
}

/// A file a job wrote (an import's `errors.csv`, an export), for the user who started the job
/// only: exports hold personal data masked for that user's role.
#[utoipa::path(
    tag = "jobs", operation_id = "get_job_file",
    params(("id" = String, Path, description = "Job id"), ("name" = String, Path, description = "File name")),
    security(("bearer" = [])),
    responses(
        (status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/jobs/{id}/files/{name}")]
pub async fn get_job_file(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::JobsRead)?;
    let (id, name) = path.into_inner();
    let (file_name, part_id, part_name) = (name.clone(), id.clone(), name.clone());
    let (st, owed) = (state.clone(), principal.owed());
    let file = state
        .db
        .run_as(principal.owed(), move |c| {
            let job = store::get(c, &id)?.filter(|j| j.created_by.as_deref() == Some(principal.id.as_str()));
            match job {
                Some(j) if j.status == "succeeded" => Ok(super::files::get(c, &st.cipher, &id, &name)?),
                _ => Ok(None),
            }
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    let safe: String =
        file_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    let mut res = HttpResponse::Ok();
    res.content_type(file.content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{safe}\"")));
    if file.parts == 0 {
        return Ok(res.body(file.content));
    }
    // Part by part, one small query each, so a large export never sits whole in memory.
    let (db, parts, st) = (state.db.clone(), file.parts, state.clone());
    let stream = futures_util::stream::unfold(0, move |seq| {
        let (db, id, name, st, owed) = (db.clone(), part_id.clone(), part_name.clone(), st.clone(), owed.clone());
        async move {
            if seq >= parts {
                return None;
            }
            match db.run_as(owed, move |c| Ok(super::files::part(c, &st.cipher, &id, &name, seq)?)).await {
                Ok(Some(bytes)) => Some((Ok::<_, ApiError>(web::Bytes::from(bytes)), seq + 1)),
                Ok(None) => Some((Err(ApiError::NotFound), parts)),
                Err(e) => Some((Err(e), parts)),
            }
        }
    });
    Ok(res.streaming(stream))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_jobs).service(get_job).service(get_job_file);
}
