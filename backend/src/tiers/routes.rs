use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::config::{TierConfig, TierSettings};
use super::overrides::{self, SetOverride};
use super::run;
use super::service::{self, CustomerTier};
use super::store::{self, RunRow};
use super::summary::RunSummary;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::jobs::model::Job;
use crate::jobs::owner::JobOwner;
use crate::state::AppState;

/// The value-tier settings in force (version 0: the seed's defaults, never changed).
#[utoipa::path(
    tag = "tiers", operation_id = "get_tier_config", security(("bearer" = [])),
    responses((status = 200, body = TierConfig, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tiers/config")]
pub async fn get_tier_config(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersRead)?;
    let config = state.db.run_as(p.owed(), |c| service::view(store::latest_config(c)?)).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(config.version))).json(config))
}

/// Saves new value-tier settings as the next version (managers of the whole group). `If-Match`
/// names the version changed (`"0"` for the defaults); the next run uses the new one.
#[utoipa::path(
    tag = "tiers", operation_id = "set_tier_config", request_body = TierSettings,
    params(("If-Match" = String, Header, description = "The version changed")), security(("bearer" = [])),
    responses((status = 200, body = TierConfig, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/tiers/config")]
pub async fn set_tier_config(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: Body<TierSettings>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TiersManage)?;
    service::sees_whole_group(&p)?;
    let expected = if_match(&req)?;
    let Body(settings) = body;
    let row = state.db.write_as(p.owed(), move |c| service::save(c, &p, &expected, settings)).await?;
    let config = service::view(Some(row))?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(config.version))).json(config))
}

#[derive(Debug, Serialize, Deserialize, validator::Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRun {
    /// Only compute the distribution and the movement; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Starts a tiering run over every customer (managers of the whole group): a job; when it is done
/// its run (`GET /tiers/runs`) holds the distribution, the movement matrix and the cut-offs.
#[utoipa::path(
    tag = "tiers", operation_id = "start_tier_run", request_body = StartRun, security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/tiers/runs")]
pub async fn start_tier_run(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<StartRun>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TiersManage)?;
    service::sees_whole_group(&p)?;
    let payload = run::Payload { owner: Some(JobOwner::of(&p)), dry_run: body.0.dry_run };
    let payload = serde_json::to_value(&payload).map_err(ApiError::internal)?;
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            Ok(crate::jobs::store::enqueue(c, run::KIND, &payload, Some(&p.id), Some(&p.unit_id))?)
        })
        .await?;
    Ok(HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/jobs/{}", job.id))).json(Job::from(job)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierRun {
    pub id: String,
    pub job_id: Option<String>,
    pub config_version: i64,
    pub dry_run: bool,
    /// The end of the measured window.
    pub as_of: chrono::DateTime<chrono::Utc>,
    /// running, done, failed.
    pub status: String,
    pub scored: i64,
    /// Customers whose tier changed (or, for a dry run, would change).
    pub changed: i64,
    pub summary: Option<RunSummary>,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl TryFrom<RunRow> for TierRun {
    type Error = ApiError;
    fn try_from(r: RunRow) -> Result<Self, ApiError> {
        Ok(TierRun {
            summary: r.summary.as_deref().map(serde_json::from_str).transpose()?,
            id: r.id,
            job_id: r.job_id,
            config_version: r.config_version,
            dry_run: r.dry_run,
            as_of: r.as_of.and_utc(),
            status: r.status,
            scored: r.scored,
            changed: r.changed,
            started_at: r.started_at.and_utc(),
            finished_at: r.finished_at.map(|t| t.and_utc()),
        })
    }
}

/// Tiering runs, newest first: applied and dry runs, with what each found. Counts only, no
/// customer: readable by anyone who reads customers.
#[utoipa::path(
    tag = "tiers", operation_id = "list_tier_runs", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<TierRun>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tiers/runs")]
pub async fn list_tier_runs(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<TierRun>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let limit = q.limit()?;
    let before = q.cursor()?;
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::runs(c, before.as_deref(), limit + 1)?)).await?;
    let rows = rows.into_iter().map(TierRun::try_from).collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.id.clone())))
}

/// One tiering run with its distribution, movement matrix and cut-offs.
#[utoipa::path(
    tag = "tiers", operation_id = "get_tier_run", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = TierRun), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tiers/runs/{id}")]
pub async fn get_tier_run(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<TierRun>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let row = state.db.run_as(p.owed(), move |c| store::run(c, &id)?.ok_or(ApiError::NotFound)).await?;
    Ok(web::Json(TierRun::try_from(row)?))
}

/// A customer's value tier, why (measures, percentiles, weights, score, the run's cut-offs) and
/// its changes — or why there is none (`potential`, `not_profiled`).
#[utoipa::path(
    tag = "tiers", operation_id = "get_customer_tier", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CustomerTier), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/tier")]
pub async fn get_customer_tier(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CustomerTier>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let out = state
        .db
        .run_as(p.owed(), move |c| {
            let customer = crate::customers::access::readable(c, &p, &id)?;
            service::customer_tier(c, &customer.id)
        })
        .await?;
    Ok(web::Json(out))
}

/// Sets a manager's tier for the customer, with a reason and for a number of days (audited). It is
/// shown as an override; runs go on computing the customer's own tier beneath it.
#[utoipa::path(
    tag = "tiers", operation_id = "set_tier_override", params(("id" = String, Path)), request_body = SetOverride,
    security(("bearer" = [])),
    responses((status = 200, body = CustomerTier), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/customers/{id}/tier/override")]
pub async fn set_tier_override(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<SetOverride>,
) -> Result<web::Json<CustomerTier>, ApiError> {
    p.require(Permission::TiersManage)?;
    let Body(body) = body;
    let out = state
        .db
        .write_as(p.owed(), move |c| {
            let customer = crate::customers::access::writable(c, &p, &id)?;
            overrides::set(c, &p, &customer.id, body)?;
            service::customer_tier(c, &customer.id)
        })
        .await?;
    Ok(web::Json(out))
}

/// Ends the customer's override now: the computed tier shows again.
#[utoipa::path(
    tag = "tiers", operation_id = "end_tier_override", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/customers/{id}/tier/override")]
pub async fn end_tier_override(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TiersManage)?;
    state
        .db
        .write_as(p.owed(), move |c| {
            let customer = crate::customers::access::writable(c, &p, &id)?;
            overrides::end(c, &p, &customer.id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_tier_config)
        .service(set_tier_config)
        .service(start_tier_run)
        .service(list_tier_runs)
        .service(get_tier_run)
        .service(get_customer_tier)
        .service(set_tier_override)
        .service(end_tier_override);
}
