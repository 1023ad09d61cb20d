//! Operations endpoints: liveness, readiness (database reachable, schema current, not shutting
//! down) and Prometheus metrics.

use std::sync::atomic::Ordering;

use actix_web::{get, web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::http::metrics::Metrics;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "ops", operation_id = "healthz", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok".into() })
}

/// Readiness: the database answers, migrations are applied, and the server is not shutting down.
#[utoipa::path(
    tag = "ops", operation_id = "readyz",
    responses((status = 200, body = Health), (status = 503, body = Problem, content_type = "application/problem+json"))
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    if !state.accepting.load(Ordering::Relaxed) {
        return Err(ApiError::Unavailable("shutting down".into()));
    }
    state
        .db
        .run(|c| {
            c.batch_execute("SELECT 1").map_err(|e| ApiError::Unavailable(format!("database: {e}")))?;
            if crate::db::migrate::is_current(c) {
                Ok(())
            } else {
                Err(ApiError::Unavailable("migrations pending".into()))
            }
        })
        .await?;
    Ok(web::Json(Health { status: "ready".into() }))
}

/// Request counts and latency histograms (Prometheus text format), for the scraper that holds
/// `GUANXI_METRICS_TOKEN` as its bearer token; 404 when the operator set none.
#[utoipa::path(tag = "ops", operation_id = "metrics", security(("metrics_token" = [])),
    responses((status = 200, body = String, content_type = "text/plain"), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
#[get("/metrics")]
pub async fn metrics(
    m: web::Data<Metrics>,
    state: web::Data<crate::state::AppState>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let expected = state.settings.metrics_token.as_deref().ok_or(ApiError::NotFound)?;
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compared as digests: equal-length, so the comparison's time tells nothing of the token.
    if crate::crypto::sha256_hex(given.as_bytes()) != crate::crypto::sha256_hex(expected.as_bytes()) {
        return Err(ApiError::Unauthorized("metrics_token"));
    }
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(m.render()))
}
