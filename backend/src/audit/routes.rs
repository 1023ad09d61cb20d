use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::checkpoint::{self, Checkpoint};
use super::model::Verification;
use super::service;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::pagination::{Page, PageParams};
use crate::jobs::model::Job;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// A signed checkpoint (its JWS) kept outside the database: the chain must still hold the
    /// entry it names, unchanged.
    pub checkpoint: Option<String>,
}

/// Recomputes the hash chain now and reports the first broken link.
///
/// Reads the whole log in batches; for very long logs prefer `POST /audit/verifications`.
#[utoipa::path(
    tag = "audit",
    operation_id = "verify_audit",
    params(VerifyQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Verification),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit/verify")]
pub async fn verify_audit(
    state: web::Data<AppState>,
    principal: Principal,
    q: crate::http::extract::Query<VerifyQuery>,
) -> Result<web::Json<Verification>, ApiError> {
    principal.require(Permission::AuditRead)?;
    let checkpoint = q.into_inner().checkpoint.map(|jws| checkpoint::open(&state.tokens, &jws)).transpose()?;
    let report =
        state.db.run_as(principal.owed(), move |conn| service::verify(conn, checkpoint, |_, _| Ok(()))).await?;
    Ok(web::Json(report))
}

/// Signs the chain's current head: a checkpoint to keep outside the database (it is also written
/// to the server log; one is made every hour).
#[utoipa::path(
    tag = "audit", operation_id = "create_audit_checkpoint", security(("bearer" = [])),
    responses((status = 201, body = Checkpoint), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/audit/checkpoints")]
pub async fn create_audit_checkpoint(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AuditRead)?;
    let st = state.clone();
    let row = state.db.write_as(principal.owed(), move |conn| checkpoint::sign(conn, &st.tokens)).await?;
    Ok(HttpResponse::Created().json(Checkpoint::from(row)))
}

/// Signed checkpoints, newest first.
#[utoipa::path(
    tag = "audit", operation_id = "list_audit_checkpoints", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Checkpoint>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/audit/checkpoints")]
pub async fn list_audit_checkpoints(
    state: web::Data<AppState>,
    principal: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Checkpoint>>, ApiError> {
    principal.require(Permission::AuditRead)?;
    let limit = q.limit()?;
    let before = q.seq_cursor()?;
    let rows = state.db.run_as(principal.owed(), move |conn| checkpoint::list(conn, before, limit + 1)).await?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.seq.to_string()).map(Checkpoint::from)))
}

/// Starts a chain verification as a background job with progress.
#[utoipa::path(
    tag = "audit",
    operation_id = "start_audit_verification",
    security(("bearer" = [])),
    responses(
        (status = 202, body = Job, headers(("Location" = String, description = "The job to poll"))),
        (status = "4XX", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/audit/verifications")]
pub async fn start_audit_verification(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AuditRead)?;
    let actor = principal.actor();
    let (by, unit) = (principal.id.clone(), principal.unit_id.clone());
    let job = state
        .db
        .write_as(principal.owed(), move |conn| {
            let job = crate::jobs::store::enqueue(
                conn,
                super::service::VERIFY_JOB.name,
                &serde_json::json!({}),
                Some(&by),
                Some(&unit),
            )?;
            super::append(conn, &actor, super::Event::new("audit.verify_started", "job", Some(&job.id)))?;
            Ok(job)
        })
        .await?;
    Ok(HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/jobs/{}", job.id))).json(Job::from(job)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(verify_audit)
        .service(start_audit_verification)
        .service(create_audit_checkpoint)
        .service(list_audit_checkpoints);
}
