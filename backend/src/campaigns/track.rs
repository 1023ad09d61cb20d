//! Tracked links (MKT-3): `{{link}}` in a message becomes a signed link to this server naming the
//! campaign and the customer; following it records the customer's first response and redirects
//! to the campaign's landing page. The target is read from the campaign, never from the link, so
//! a link cannot be turned into a redirect to anywhere.

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::store;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

const TYP: &str = "track+jwt";
/// As long as an old message may still be followed.
const VALID_DAYS: i64 = 365;

#[derive(Serialize, Deserialize)]
struct TrackClaims {
    iss: String,
    /// The customer.
    sub: String,
    /// The campaign.
    cmp: String,
    exp: i64,
}

/// The absolute link a message of `campaign_id` to `customer_id` carries.
pub fn link_for(state: &AppState, campaign_id: &str, customer_id: &str) -> Result<String, ApiError> {
    let claims = TrackClaims {
        iss: state.tokens.issuer().to_owned(),
        sub: customer_id.to_owned(),
        cmp: campaign_id.to_owned(),
        exp: (chrono::Utc::now() + chrono::Duration::days(VALID_DAYS)).timestamp(),
    };
    let token = state.tokens.sign_document(TYP, &claims)?;
    Ok(format!("{}/api/v1/track/{token}", state.settings.public_url))
}

/// Records the response and redirects (302) to the campaign's landing page. A link that is not
/// ours, has expired or whose campaign has no landing page is 404.
#[utoipa::path(
    tag = "campaigns", operation_id = "follow_tracked_link", params(("token" = String, Path)), security(()),
    responses((status = 302, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/track/{token}")]
pub async fn follow_tracked_link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let claims: TrackClaims = state.tokens.verify_document(TYP, &token, true).ok_or(ApiError::NotFound)?;
    let at = state.clock.now();
    let target = state
        .db
        .write(move |c| {
            store::respond(c, &claims.cmp, &claims.sub, at)?;
            Ok(store::link_url(c, &claims.cmp)?)
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Found().insert_header(("Location", target)).finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(follow_tracked_link);
}
