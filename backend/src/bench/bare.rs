//! Reference endpoints for `guanxi bench`: the same SQL on the same pool as a real endpoint, with
//! none of the product around it (no token check, no permissions). Mounted only by the bench.

use actix_web::{web, HttpResponse};

use crate::auth::sessions::store;
use crate::error::ApiError;
use crate::state::AppState;

async fn bare_me(state: web::Data<AppState>, ids: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let (sub, sid) = ids.into_inner();
    let row = state.db.run(move |c| Ok(store::staff_for_session(c, &sub, &sid)?)).await?;
    Ok(HttpResponse::Ok().json(row))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bench/me/{sub}/{sid}", web::get().to(bare_me));
}
