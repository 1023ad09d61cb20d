//! The one error type. Every failure leaves as RFC 9457 `application/problem+json`; internal
//! causes are logged (never sent), and nothing personal or secret goes into either.

use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One failed field of a request body or query.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request id, to quote when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A query string that does not parse, each failing parameter named.
    #[error("bad query")]
    BadQuery(Vec<FieldError>),
    #[error("unauthorized")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// With the methods the path does answer (the `Allow` header).
    #[error("method not allowed")]
    MethodNotAllowed(Vec<&'static str>),
    #[error("request headers too large")]
    HeadersTooLarge,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("precondition required")]
    PreconditionRequired,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Every problem `type` this API answers with (`https://guanxi.dev/problems/<code>`), its status
/// and what it means; listed in the OpenAPI document's description.
pub const PROBLEM_TYPES: [(&str, u16, &str); 15] = [
    ("bad-request", 400, "the request cannot be read (malformed JSON, query string, URL)"),
    ("unauthorized", 401, "no valid credentials"),
    ("forbidden", 403, "the role or key may not do this"),
    ("not-found", 404, "no such resource in the caller's reach"),
    ("method-not-allowed", 405, "the path answers other methods (see Allow)"),
    ("conflict", 409, "the state does not allow it, or a concurrent request holds it"),
    ("precondition-failed", 412, "If-Match names another version"),
    ("payload-too-large", 413, "the body is over the limit"),
    ("unsupported-media-type", 415, "the body's content type is not accepted"),
    ("validation", 422, "fields break the rules; `errors` names each with a code"),
    ("precondition-required", 428, "the change needs If-Match"),
    ("rate-limited", 429, "too many requests (see Retry-After)"),
    ("headers-too-large", 431, "the request headers are too large"),
    ("internal", 500, "a fault on our side, logged under the instance id"),
    ("unavailable", 503, "the service or database is not ready"),
];

impl ApiError {
    pub fn internal(cause: impl fmt::Display) -> ApiError {
        ApiError::Internal(cause.to_string())
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }])
    }

    fn code(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) | ApiError::BadQuery(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            ApiError::Forbidden => ("forbidden", "Not allowed"),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::MethodNotAllowed(_) => ("method-not-allowed", "Method not allowed"),
            ApiError::HeadersTooLarge => ("headers-too-large", "Request headers too large"),
            ApiError::Conflict(_) => ("conflict", "Conflict"),
            ApiError::PreconditionFailed => ("precondition-failed", "Version mismatch"),
            ApiError::PayloadTooLarge => ("payload-too-large", "Request body too large"),
            ApiError::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            ApiError::Validation(_) => ("validation", "Invalid request"),
            ApiError::PreconditionRequired => ("precondition-required", "If-Match required"),
            ApiError::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal error"),
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            ApiError::BadRequest(d) | ApiError::Conflict(d) => Some(d.clone()),
            ApiError::Unauthorized(d) => Some((*d).to_owned()),
            ApiError::PreconditionFailed => Some("the resource changed since it was read; fetch it again".into()),
            ApiError::PreconditionRequired => Some("send If-Match with the current ETag".into()),
            ApiError::TooManyRequests { retry_after_secs } => Some(format!("retry after {retry_after_secs} s")),
            ApiError::Internal(_) => Some("the error was logged; quote the instance id".into()),
            _ => None,
        }
    }

    pub fn problem(&self) -> Problem {
        let (code, title) = self.code();
        Problem {
            kind: format!("https://guanxi.dev/problems/{code}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            instance: crate::request::id(),
            errors: match self {
                ApiError::Validation(errors) | ApiError::BadQuery(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::BadQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "unavailable"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::TooManyRequests { retry_after_secs } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unauthorized(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::MethodNotAllowed(allow) => {
                res.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

/// A second row with the same unique key (a race the caller lost, or a duplicate it sent).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}

impl ApiError {
    /// The words of the error without its kind, for a job's `error` (which users read).
    pub fn message(self) -> String {
        match self {
            ApiError::BadRequest(m) | ApiError::Conflict(m) | ApiError::Unavailable(m) | ApiError::Internal(m) => m,
            other => other.to_string(),
        }
    }
}

impl From<csv::Error> for ApiError {
    fn from(e: csv::Error) -> Self {
        ApiError::internal(format!("csv: {e}"))
    }
}

impl<W> From<csv::IntoInnerError<W>> for ApiError {
    fn from(e: csv::IntoInnerError<W>) -> Self {
        ApiError::internal(format!("csv: {}", e.error()))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::internal(format!("json: {e}"))
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ApiError::NotFound,
            e if is_unique_violation(&e) => ApiError::Conflict("a record with the same unique value exists".into()),
            e => ApiError::Internal(format!("database: {e}")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(format!("database pool: {e}"))
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut list = Vec::new();
        flatten(&errors, "", &mut list);
        list.sort_by(|a, b| a.field.cmp(&b.field));
        ApiError::Validation(list)
    }
}

/// Every field error of a body, nested ones named by their path (`source.supplier`,
/// `contacts[2].kind`), so a client can put each message next to its field.
fn flatten(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        // A rule over a whole struct (`__all__`) is reported on the struct itself.
        let path = match (prefix, field.as_ref()) {
            ("", "__all__") => "body".to_owned(),
            (p, "__all__") => p.to_owned(),
            ("", f) => f.to_owned(),
            (p, f) => format!("{p}.{f}"),
        };
        match kind {
            ValidationErrorsKind::Field(errs) => out.extend(errs.iter().map(|e| {
                FieldError {
                    field: path.clone(),
                    code: e.code.to_string(),
                    message: e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("{path} is invalid ({})", e.code)),
                }
            })),
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_type_is_listed() {
        let all = [
            ApiError::BadRequest(String::new()),
            ApiError::BadQuery(Vec::new()),
            ApiError::Unauthorized(""),
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::MethodNotAllowed(Vec::new()),
            ApiError::HeadersTooLarge,
            ApiError::Conflict(String::new()),
            ApiError::PreconditionFailed,
            ApiError::PayloadTooLarge,
            ApiError::UnsupportedMediaType,
            ApiError::Validation(Vec::new()),
            ApiError::PreconditionRequired,
            ApiError::TooManyRequests { retry_after_secs: 1 },
            ApiError::Unavailable(String::new()),
            ApiError::Internal(String::new()),
        ];
        for e in all {
            let (code, _) = e.code();
            let listed = PROBLEM_TYPES.iter().find(|(c, _, _)| *c == code);
            assert_eq!(listed.map(|(_, s, _)| *s), Some(e.status_code().as_u16()), "{code}");
        }
    }
}
