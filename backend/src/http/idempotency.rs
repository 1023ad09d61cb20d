//! `Idempotency-Key` on creating POSTs (IETF draft-ietf-httpapi-idempotency-key-header): a client
//! that retries — a phone on a flaky network — gets the first response again instead of a second
//! record. Kept in the database so any server answers the retry, for 24 hours.
//!
//! - The key belongs to its caller (the `Authorization` header it was sent with) and to the
//!   request: the same key with another method, path or body is 422.
//! - While the first request runs, a retry is 409 (try again shortly).
//! - Only a success is kept; after an error the same key may be sent again.
//! - Stored bodies are sealed with the field keys: a response may carry personal data.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::StreamExt;

use crate::db::schema::idempotency_keys;
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
const KEEP: TimeDelta = TimeDelta::hours(24);
/// Headers of the first response that a replay repeats.
const REPLAYED: [&str; 4] = ["content-type", "location", "etag", "retry-after"];

/// What a request's key says before it runs.
enum Seen {
    /// First time: the key is now reserved for this request.
    New,
    Replay {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
}

fn bad_key() -> ApiError {
    ApiError::field("Idempotency-Key", "invalid")
}

pub async fn idempotency(mut req: ServiceRequest, next: Next<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(raw) = req.headers().get(HEADER) else { return next.call(req).await };
    // A reveal creates nothing: each one is a disclosure of its own, rate-limited and audited, so
    // a retry must run again rather than replay clear values unaudited.
    if req.method() != Method::POST || !req.path().starts_with("/api/v1/") || req.path().ends_with("/reveal") {
        return next.call(req).await;
    }
    let key = match raw.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_owned(),
        _ => return Ok(req.error_response(bad_key())),
    };
    let Some(auth) = req.headers().get(actix_web::http::header::AUTHORIZATION).map(|v| v.as_bytes().to_vec()) else {
        // Without a caller there is nobody to keep the answer for.
        return next.call(req).await;
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else { return next.call(req).await };

    let mut body = web::BytesMut::new();
    let mut payload = req.take_payload();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > crate::customers::bulk::routes::MAX_UPLOAD {
            return Ok(req.error_response(ApiError::PayloadTooLarge));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let caller = crate::crypto::sha256_hex(&auth);
    let mut fp = format!("{} {}?{}\n", req.method(), req.path(), req.query_string()).into_bytes();
    fp.extend_from_slice(&body);
    let fingerprint = crate::crypto::sha256_hex(&fp);
    req.set_payload(actix_web::dev::Payload::from(body));

    let (c, k, f) = (caller.clone(), key.clone(), fingerprint);
    let st = state.clone();
    let seen = state.db.write(move |conn| reserve(conn, &st.cipher, &c, &k, &f)).await;
    match seen {
        Err(e) => Ok(req.error_response(e)),
        Ok(Seen::Replay { status, headers, body }) => {
            let mut res = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
            for (name, value) in headers {
                res.insert_header((name, value));
            }
            res.insert_header(("idempotency-replayed", "true"));
            Ok(req.into_response(res.body(body)))
        }
        Ok(Seen::New) => {
            let res = next.call(req).await;
            let (c, k) = (caller, key);
            let res = match res {
                Ok(res) if res.status().is_success() => res,
                other => {
                    // Not kept: the key may be used again for a corrected request.
                    let _ = state.db.write(move |conn| Ok(forget(conn, &c, &k)?)).await;
                    return other;
                }
            };
            let (http_req, res) = res.into_parts();
            let status = res.status().as_u16();
            let headers: Vec<(String, String)> = REPLAYED
                .iter()
                .filter_map(|n| {
                    res.headers().get(*n).and_then(|v| v.to_str().ok()).map(|v| ((*n).to_owned(), v.to_owned()))
                })
                .collect();
            let (head, body) = res.into_parts();
            let bytes =
                actix_web::body::to_bytes(body).await.map_err(|_| ApiError::internal("response body unreadable"))?;
            let (stored, st) = (bytes.to_vec(), state.clone());
            let kept = state.db.write(move |conn| keep(conn, &st.cipher, &c, &k, status, &headers, &stored)).await;
            if let Err(e) = kept {
                tracing::warn!(error = %e, "idempotency: response not kept");
            }
            Ok(ServiceResponse::new(http_req, head.set_body(BoxBody::new(bytes))))
        }
    }
}

fn context(caller: &str, key: &str) -> String {
    format!("idempotency_keys|{caller}|{key}")
}

fn reserve(
    conn: &mut DbConnection,
    cipher: &crate::crypto::field::FieldCipher,
    caller: &str,
    key: &str,
    fingerprint: &str,
) -> Result<Seen, ApiError> {
    let t = now();
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(t - KEEP))).execute(conn)?;
    type Row = (String, Option<i32>, Option<String>, Option<Vec<u8>>);
    let found: Option<Row> = idempotency_keys::table
        .find((caller, key))
        .select((
            idempotency_keys::fingerprint,
            idempotency_keys::status,
            idempotency_keys::headers,
            idempotency_keys::body,
        ))
        .first(conn)
        .optional()?;
    match found {
        None => {
            diesel::insert_into(idempotency_keys::table)
                .values((
                    idempotency_keys::caller.eq(caller),
                    idempotency_keys::key.eq(key),
                    idempotency_keys::fingerprint.eq(fingerprint),
                    idempotency_keys::created_at.eq(t),
                ))
                .execute(conn)
                .map_err(|e| match crate::db::is_unique_violation(&e) {
                    true => in_progress(),
                    false => e.into(),
                })?;
            Ok(Seen::New)
        }
        Some((f, _, _, _)) if f != fingerprint => Err(ApiError::field("Idempotency-Key", "reused")),
        Some((_, Some(status), headers, Some(sealed))) => {
            let body =
                cipher.open_bytes(&context(caller, key), &sealed).map_err(|e| ApiError::internal(format!("{e:?}")))?;
            let headers = headers.and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default();
            Ok(Seen::Replay { status: status as u16, headers, body })
        }
        Some(_) => Err(in_progress()),
    }
}

fn in_progress() -> ApiError {
    ApiError::conflict("idempotency_running")
}

fn keep(
    conn: &mut DbConnection,
    cipher: &crate::crypto::field::FieldCipher,
    caller: &str,
    key: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), ApiError> {
    let sealed = cipher.seal_bytes(&context(caller, key), body);
    diesel::update(idempotency_keys::table.find((caller, key)))
        .set((
            idempotency_keys::status.eq(Some(i32::from(status))),
            idempotency_keys::headers.eq(serde_json::to_string(headers).ok()),
            idempotency_keys::body.eq(Some(sealed)),
        ))
        .execute(conn)?;
    Ok(())
}

fn forget(conn: &mut DbConnection, caller: &str, key: &str) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.find((caller, key))).execute(conn)
}
