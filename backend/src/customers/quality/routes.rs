use actix_web::{get, post, web, HttpResponse};

use super::dto::{FieldVerification, UnitQuality, VerifyRequest};
use super::{job, store};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::customers::service;
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::jobs::model::Job;
use crate::jobs::owner::JobOwner;
use crate::org::scope::Scope;
use crate::state::AppState;

/// Marks filled fields as verified with the customer (a later change to a field drops its mark).
#[utoipa::path(
    tag = "customers", operation_id = "verify_customer_fields", params(("id" = String, Path)), request_body = VerifyRequest,
    security(("bearer" = [])),
    responses((status = 200, body = Vec<FieldVerification>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/verifications")]
pub async fn verify_customer_fields(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<VerifyRequest>,
) -> Result<web::Json<Vec<FieldVerification>>, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let mut fields: Vec<String> = input.fields.iter().map(|f| f.as_str().to_owned()).collect();
    fields.sort();
    fields.dedup();
    let list = state
        .db
        .write_as(p.owed(), move |c| {
            let row = crate::customers::access::writable(c, &p, &id)?;
            let filled = service::filled_fields(&row);
            if let Some(empty) = fields.iter().find(|f| !filled.contains(&f.as_str())) {
                return Err(ApiError::field("fields", "empty").with("value", empty.clone()));
            }
            store::verify(c, &id, &fields, &p.id)?;
            let names: Vec<&str> = fields.iter().map(String::as_str).collect();
            audit::append(c, &p.actor(), Event::new("customer.verify", "customer", Some(&id)).fields(&names))?;
            Ok(store::verifications(c, &id)?)
        })
        .await?;
    Ok(web::Json(list.into_iter().map(to_dto).collect()))
}

fn to_dto((field, verified_by, at): (String, String, chrono::NaiveDateTime)) -> FieldVerification {
    FieldVerification { field, verified_by, verified_at: at.and_utc() }
}

/// The customer's verified fields.
#[utoipa::path(
    tag = "customers", operation_id = "list_customer_verifications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<FieldVerification>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/verifications")]
pub async fn list_customer_verifications(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<FieldVerification>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let list = state
        .db
        .run_as(p.owed(), move |c| {
            crate::customers::access::readable(c, &p, &id)?;
            Ok(store::verifications(c, &id)?)
        })
        .await?;
    Ok(web::Json(list.into_iter().map(to_dto).collect()))
}

/// Runs the data-quality job now for the caller's scope (it also runs every quarter for the
/// whole group): customers with no contact channel become unreachable, long-inactive ones are
/// tagged `inactive`, and each unit's figures are measured.
#[utoipa::path(
    tag = "customers", operation_id = "run_quality", security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/quality-runs")]
pub async fn run_quality(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersQuality)?;
    let payload = serde_json::to_value(job::Payload { owner: Some(JobOwner::of(&p)) }).map_err(ApiError::internal)?;
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            Ok(crate::jobs::store::enqueue(c, job::KIND, &payload, Some(&p.id), Some(&p.unit_id))?)
        })
        .await?;
    Ok(HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/jobs/{}", job.id))).json(Job::from(job)))
}

/// The latest data-quality figures of each unit in the caller's scope, with the
/// information-accuracy rate (verified / filled fields).
#[utoipa::path(
    tag = "customers", operation_id = "get_quality", security(("bearer" = [])),
    responses((status = 200, body = Vec<UnitQuality>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/quality")]
pub async fn get_quality(state: web::Data<AppState>, p: Principal) -> Result<web::Json<Vec<UnitQuality>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let scope = Scope::of(&p);
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::latest(c, &scope)?)).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(unit_id, unit_name, customers, filled, verified, unreachable, inactive, at)| UnitQuality {
                accuracy: if filled > 0 { verified as f64 / filled as f64 } else { 0.0 },
                unit_id,
                unit_name,
                customers,
                filled,
                verified,
                unreachable,
                inactive,
                measured_at: at.and_utc(),
            })
            .collect(),
    ))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_quality).service(run_quality).service(verify_customer_fields).service(list_customer_verifications);
}
