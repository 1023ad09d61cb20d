use actix_web::{get, post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::{reencrypt, store};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::jobs::model::Job;
use crate::jobs::owner::JobOwner;
use crate::state::AppState;

/// Which keys this server holds, which it writes with, and what still needs an older key.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyStatus {
    /// Field-encryption key ids, oldest first (ids only; key material never leaves the files).
    pub field_keys: Vec<String>,
    pub encrypting_with: String,
    pub blind_index_keys: Vec<String>,
    pub indexing_with: String,
    /// Stored values still encrypted with an older field key.
    pub stale: store::Stale,
    /// Whether a re-encryption run to the current blind-index key has finished (indexes carry no
    /// key id, so this is how an older blind-index key is known to be unused).
    pub blind_index_current: bool,
    /// True when the older keys may be retired (`guanxi rotate-keys --retire`).
    pub retirable: bool,
}

/// Key status for operators: ids, the newest of each kind, and how many stored values still use
/// an older field key (a full scan).
#[utoipa::path(
    tag = "ops", operation_id = "get_key_status", security(("bearer" = [])),
    responses((status = 200, body = KeyStatus), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/keys")]
pub async fn get_key_status(state: web::Data<AppState>, p: Principal) -> Result<web::Json<KeyStatus>, ApiError> {
    p.require(Permission::KeysManage)?;
    let st = state.clone();
    let status = state
        .db
        .run_as(p.owed(), move |c| {
            let cipher = &st.cipher;
            let field_keys = cipher.field_key_ids();
            let blind_index_keys = cipher.blind_key_ids();
            let old: Vec<String> = field_keys[..field_keys.len() - 1].to_vec();
            let stale = store::stale(c, &old)?;
            let blind_index_current = blind_index_keys.len() == 1 || reencrypt::reindexed_to(c, cipher.blind_key_id())?;
            Ok(KeyStatus {
                retirable: stale.total() == 0 && blind_index_current,
                encrypting_with: cipher.field_key_id().to_owned(),
                indexing_with: cipher.blind_key_id().to_owned(),
                field_keys,
                blind_index_keys,
                stale,
                blind_index_current,
            })
        })
        .await?;
    Ok(web::Json(status))
}

/// Starts the re-encryption job: every stored value moves to this server's newest field key and
/// every blind index to its newest blind-index key. Run it after every server was restarted
/// with the key files `guanxi rotate-keys` wrote; follow it at `/jobs/{id}`.
#[utoipa::path(
    tag = "ops", operation_id = "start_key_rotation", security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/key-rotations")]
pub async fn start_key_rotation(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::KeysManage)?;
    let payload = reencrypt::Payload {
        owner: JobOwner::of(&p),
        field_key: state.cipher.field_key_id().to_owned(),
        blind_key: state.cipher.blind_key_id().to_owned(),
    };
    let payload = serde_json::to_value(payload).map_err(ApiError::internal)?;
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            let job = crate::jobs::store::enqueue(c, reencrypt::KIND, &payload, Some(&p.id), Some(&p.unit_id))?;
            audit::append(c, &p.actor(), Event::new("keys.rotation_start", "job", Some(&job.id)))?;
            Ok(job)
        })
        .await?;
    Ok(HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/jobs/{}", job.id))).json(Job::from(job)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_key_status).service(start_key_rotation);
}
