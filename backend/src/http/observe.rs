//! One middleware for every request: a request id (echoed as `X-Request-Id`, quoted in problem
//! documents), a tracing span, one log line, and the counters behind `/metrics`.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, Error};
use tracing::Instrument;

use super::metrics::Metrics;
use crate::error::ApiError;

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let v = req.headers().get("x-request-id")?.to_str().ok()?;
    let ok = !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| v.to_owned())
}

pub async fn observe<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let id = incoming_id(&req).unwrap_or_else(crate::db::new_id);
    let lang = crate::i18n::negotiate(req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().to_string();
    let span = tracing::info_span!("request", request_id = %id, %method, path = %req.path());
    if let Some(refused) = refuse_early(&req) {
        let answer = || actix_web::ResponseError::error_response(&refused);
        let mut res = crate::i18n::sync_with_lang(lang, || crate::request::sync_with_id(id.clone(), answer));
        finish_headers(res.headers_mut(), &id, true);
        return Ok(req.into_response(res).map_into_right_body());
    }
    let started = Instant::now();
    let list = crate::http::pagination::list_of(req.path(), req.query_string());
    let handled = async move {
        let res = next.call(req).await?;
        // A handler that never touched the database still owes its principal's session check:
        // settle it now, and answer 401 instead if it fails.
        let owed = actix_web::HttpMessage::extensions(res.request()).get::<crate::db::Owed>().cloned();
        let Some(owed) = owed.filter(crate::db::Owed::is_owed) else {
            return Ok::<_, Error>(res.map_into_left_body());
        };
        let Some(state) = res.request().app_data::<web::Data<crate::state::AppState>>().cloned() else {
            return Ok(res.map_into_left_body());
        };
        match state.db.run(move |c| owed.settle(c)).await {
            Ok(()) => Ok(res.map_into_left_body()),
            Err(e) => {
                let (req, _) = res.into_parts();
                let failed = actix_web::ResponseError::error_response(&e);
                Ok(ServiceResponse::new(req, failed).map_into_right_body())
            }
        }
    };
    let listed = crate::request::counting_statements(crate::request::within_list(list, handled));
    let in_lang = crate::i18n::with_lang(lang, listed);
    let (res, statements) = crate::request::with_id(id.clone(), in_lang).instrument(span.clone()).await;
    let res = res?;
    // The principal's extractor leaves the caller's allowance on the request.
    let rate = actix_web::HttpMessage::extensions(res.request()).get::<crate::auth::throttle::RateNote>().map(|n| n.0);
    let res = not_modified(res);
    let mut res = crate::i18n::sync_with_lang(lang, || crate::request::sync_with_id(id.clone(), || as_problem(res)));
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = res.status().as_u16();
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    span.in_scope(|| tracing::info!(status, ms = format!("{ms:.2}"), %route, "served"));
    if let Some(m) = metrics {
        m.record(&method, &route, status, ms, statements);
    }
    let api = crate::spa::is_api_path(res.request().path());
    finish_headers(res.headers_mut(), &id, api);
    if let Some((limit, remaining, reset)) = rate {
        for (name, value) in
            [("ratelimit-limit", limit.into()), ("ratelimit-remaining", remaining.into()), ("ratelimit-reset", reset)]
        {
            res.headers_mut().insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
    }
    Ok(res)
}

/// Requests refused before any routing: methods this server never answers (TRACE, CONNECT, …)
/// or a path does not, `%00` in the URL, and oversized headers.
fn refuse_early(req: &ServiceRequest) -> Option<ApiError> {
    if super::methods::is_refused(req.method()) {
        let allow = super::methods::allowed(req.path()).unwrap_or_default();
        return Some(ApiError::MethodNotAllowed(allow));
    }
    // The document decides which path a request names, literal segments first: GET on
    // `/customers/exports` (POST only) is 405, not a read of a customer called "exports".
    if let Some(allow) = super::methods::allowed(req.path()) {
        let method = if req.method() == actix_web::http::Method::HEAD { "GET" } else { req.method().as_str() };
        if !allow.contains(&method) {
            return Some(ApiError::MethodNotAllowed(allow));
        }
    }
    if super::extract::has_encoded_nul(req.uri()) {
        return Some(ApiError::bad_request("url_nul"));
    }
    let header_bytes: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if header_bytes > MAX_HEADER_BYTES {
        return Some(ApiError::HeadersTooLarge);
    }
    None
}

/// Every response leaves with the security headers and the request id; API responses are
/// never cached (OWASP API8: personal data must not linger in browser or proxy caches).
fn finish_headers(h: &mut HeaderMap, id: &str, api: bool) {
    for (name, value) in SECURITY_HEADERS {
        if !h.contains_key(name) {
            h.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
    }
    if api && !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(v) = HeaderValue::from_str(id) {
        h.insert(HeaderName::from_static("x-request-id"), v);
    }
}

/// A read whose `If-None-Match` names the version it would send answers 304 without a body: a
/// client that has the record saves the transfer (and its personal data stays where it is).
fn not_modified<B: MessageBody + 'static>(res: ServiceResponse<EitherBody<B>>) -> ServiceResponse<EitherBody<B>> {
    let req = res.request();
    if res.status() != StatusCode::OK || !matches!(req.method().as_str(), "GET" | "HEAD") {
        return res;
    }
    let (Some(etag), Some(wanted)) = (res.headers().get(ETAG), req.headers().get(IF_NONE_MATCH)) else { return res };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let current = bare(etag.to_str().unwrap_or_default());
    let matches = wanted.to_str().unwrap_or_default().split(',').any(|t| t.trim() == "*" || bare(t) == current);
    if !matches {
        return res;
    }
    let etag = etag.clone();
    let (req, _) = res.into_parts();
    let out = actix_web::HttpResponse::NotModified().insert_header((ETAG, etag)).finish();
    ServiceResponse::new(req, out).map_into_right_body()
}

/// Errors the framework answers itself (an unmatched method, a body over the upload limit) leave
/// as problem documents like every other error on the API.
fn as_problem<B: MessageBody + 'static>(res: ServiceResponse<EitherBody<B>>) -> ServiceResponse<EitherBody<B>> {
    let status = res.status();
    let path = res.request().path().to_owned();
    if !status.is_client_error() && !status.is_server_error() {
        return res;
    }
    if status == StatusCode::NOT_FOUND {
        // A path some route has, asked with a method none of them answers.
        let method = res.request().method().as_str().to_owned();
        if let Some(allow) = super::methods::allowed(&path).filter(|a| !a.contains(&method.as_str())) {
            let (req, _) = res.into_parts();
            let out = actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed(allow));
            return ServiceResponse::new(req, out).map_into_right_body();
        }
    }
    let is_problem =
        res.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem || !crate::spa::is_api_path(&path) {
        return res;
    }
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::MethodNotAllowed(super::methods::allowed(&path).unwrap_or_default())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        s if s.is_server_error() => ApiError::internal(format!("framework answered {s}")),
        _ => ApiError::bad_request("unreadable"),
    };
    let (req, _) = res.into_parts();
    let out = actix_web::ResponseError::error_response(&error);
    ServiceResponse::new(req, out).map_into_right_body()
}

/// Sum of header names and values a request may carry (a browser sends 1–4 KiB).
const MAX_HEADER_BYTES: usize = 16 * 1024;

const SECURITY_HEADERS: [(&str, &str); 3] =
    [("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer")];
