//! Optimistic concurrency: `version` → `ETag`, and the `If-Match` a change must send.

use actix_web::HttpRequest;

use crate::error::ApiError;

pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match`: 428 without the header, 412 when it is not one of ours.
pub fn if_match(req: &HttpRequest) -> Result<i64, ApiError> {
    let raw = req
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .ok_or(ApiError::PreconditionRequired)?
        .to_str()
        .map_err(|_| ApiError::PreconditionFailed)?;
    raw.trim().trim_start_matches("W/").trim_matches('"').parse().map_err(|_| ApiError::PreconditionFailed)
}
