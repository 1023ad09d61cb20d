//! The one error type. Every failure leaves as RFC 9457 `application/problem+json`; internal
//! causes are logged (never sent), and nothing personal or secret goes into either.

use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::i18n::Params;
use crate::i18n::{self, Lang};

/// One failed field of a request body or query: a stable code and its parameters; `message`
/// says it in the request's language (filled in when the problem is written).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    /// The figures and values the code speaks of (`{"min": 1, "max": 100}`).
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    #[schema(value_type = Object)]
    pub params: Params,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), code: code.into(), params: Params::new(), message: String::new() }
    }

    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> FieldError {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// With `message` in `lang`.
    pub fn localised(mut self, lang: Lang) -> FieldError {
        self.message = i18n::field_message(&self.field, &self.code, &self.params, lang);
        self
    }
}

/// Why a request was refused, beyond its problem type: a stable code (`merge_undo_expired`) and
/// the parameters its words need.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub code: &'static str,
    pub params: Params,
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem in the request's language (`Accept-Language`: zh-CN by default, or en).
    pub title: String,
    pub status: u16,
    /// A stable code for this particular refusal (`merge_undo_expired`), for clients that show
    /// their own words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Params::is_empty")]
    #[schema(value_type = Object)]
    pub params: Params,
    /// `code` with its parameters in the request's language.
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
    #[error("bad request: {}", .0.code)]
    BadRequest(Reason),
    /// A query string that does not parse, each failing parameter named.
    #[error("bad query")]
    BadQuery(Vec<FieldError>),
    /// The reason's code (`token_invalid`).
    #[error("unauthorized: {0}")]
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
    #[error("conflict: {}", .0.code)]
    Conflict(Reason),
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

    /// One failed field; add its parameters with [`ApiError::with`].
    pub fn field(field: &str, code: &str) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, code)])
    }

    pub fn conflict(code: &'static str) -> ApiError {
        ApiError::Conflict(Reason { code, params: Params::new() })
    }

    pub fn bad_request(code: &'static str) -> ApiError {
        ApiError::BadRequest(Reason { code, params: Params::new() })
    }

    /// Adds a parameter to the reason, or to the last field error.
    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> ApiError {
        let value = value.into();
        match &mut self {
            ApiError::BadRequest(r) | ApiError::Conflict(r) => {
                r.params.insert(name.to_owned(), value);
            }
            ApiError::Validation(list) | ApiError::BadQuery(list) => {
                if let Some(last) = list.last_mut() {
                    last.params.insert(name.to_owned(), value);
                }
            }
            _ => {}
        }
        self
    }

    fn kind(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) | ApiError::BadQuery(_) => "bad-request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed(_) => "method-not-allowed",
            ApiError::HeadersTooLarge => "headers-too-large",
            ApiError::Conflict(_) => "conflict",
            ApiError::PreconditionFailed => "precondition-failed",
            ApiError::PayloadTooLarge => "payload-too-large",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::Validation(_) => "validation",
            ApiError::PreconditionRequired => "precondition-required",
            ApiError::TooManyRequests { .. } => "rate-limited",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The catalogue key and parameters of the detail, if the problem has one.
    fn reason(&self) -> Option<(String, Option<&'static str>, Params)> {
        let own = |kind: &str| Some((format!("problem.{kind}.detail"), None, Params::new()));
        match self {
            ApiError::BadRequest(r) => Some((format!("bad_request.{}", r.code), Some(r.code), r.params.clone())),
            ApiError::Conflict(r) => Some((format!("conflict.{}", r.code), Some(r.code), r.params.clone())),
            ApiError::Unauthorized(code) => Some((format!("unauthorized.{code}"), Some(*code), Params::new())),
            ApiError::TooManyRequests { retry_after_secs } => Some((
                "problem.rate-limited.detail".into(),
                None,
                Params::from([("seconds".to_owned(), (*retry_after_secs).into())]),
            )),
            ApiError::PreconditionFailed | ApiError::PreconditionRequired | ApiError::Internal(_) => own(self.kind()),
            _ => None,
        }
    }

    /// The problem document in the current request's language.
    pub fn problem(&self) -> Problem {
        self.problem_in(i18n::current())
    }

    pub fn problem_in(&self, lang: Lang) -> Problem {
        let kind = self.kind();
        let reason = self.reason();
        let title = i18n::text(&format!("problem.{kind}"), &Params::new(), lang).unwrap_or_else(|| kind.to_owned());
        let (code, params, detail) = match reason {
            Some((key, code, params)) => {
                let detail = i18n::text(&key, &params, lang).or_else(|| code.map(str::to_owned));
                (code.map(str::to_owned), if code.is_some() { params } else { Params::new() }, detail)
            }
            None => (None, Params::new(), None),
        };
        Problem {
            kind: format!("https://guanxi.dev/problems/{kind}"),
            title,
            status: self.status_code().as_u16(),
            code,
            params,
            detail,
            instance: crate::request::id(),
            errors: match self {
                ApiError::Validation(errors) | ApiError::BadQuery(errors) => {
                    errors.iter().cloned().map(|e| e.localised(lang)).collect()
                }
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
    /// A job's `error` as stored: the problem's codes and parameters (its words are chosen when
    /// the job is read, in the reader's language). Internal causes stay in the log.
    pub fn stored(&self) -> StoredError {
        let (code, params) = match self {
            ApiError::BadRequest(r) | ApiError::Conflict(r) => (Some(r.code.to_owned()), r.params.clone()),
            ApiError::Unauthorized(code) => (Some((*code).to_owned()), Params::new()),
            _ => (None, Params::new()),
        };
        let errors = match self {
            ApiError::Validation(list) | ApiError::BadQuery(list) => list.clone(),
            _ => Vec::new(),
        };
        StoredError { kind: self.kind().to_owned(), code, params, errors }
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

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::internal(format!("io: {e}"))
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
            e if is_unique_violation(&e) => ApiError::conflict("duplicate"),
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
                // The bounds of a rule, never the value (it may be personal data).
                let params = e.params.iter().filter(|(k, _)| *k != "value").map(|(k, v)| (k.to_string(), v.clone()));
                FieldError {
                    field: path.clone(),
                    code: e.code.to_string(),
                    params: params.collect(),
                    message: String::new(),
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

/// An error kept in a record (a failed job): codes and parameters, never words.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredError {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    pub params: Params,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl StoredError {
    /// The error in `lang`: its reason, else its field errors, else its kind.
    pub fn message(&self, lang: Lang) -> String {
        let prefix = match self.kind.as_str() {
            "bad-request" => "bad_request",
            other => other,
        };
        let reason = self.code.as_ref().and_then(|c| i18n::text(&format!("{prefix}.{c}"), &self.params, lang));
        reason
            .or_else(|| {
                let fields: Vec<String> =
                    self.errors.iter().map(|e| i18n::field_message(&e.field, &e.code, &e.params, lang)).collect();
                (!fields.is_empty()).then(|| fields.join("; "))
            })
            .or_else(|| i18n::text(&format!("problem.{}", self.kind), &Params::new(), lang))
            .unwrap_or_else(|| self.kind.clone())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_type_is_listed() {
        let all = [
            ApiError::bad_request("unreadable"),
            ApiError::BadQuery(Vec::new()),
            ApiError::Unauthorized("token_missing"),
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::MethodNotAllowed(Vec::new()),
            ApiError::HeadersTooLarge,
            ApiError::conflict("duplicate"),
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
            let code = e.kind();
            let listed = PROBLEM_TYPES.iter().find(|(c, _, _)| *c == code);
            assert_eq!(listed.map(|(_, s, _)| *s), Some(e.status_code().as_u16()), "{code}");
            for lang in [Lang::ZhCn, Lang::En] {
                let p = e.problem_in(lang);
                assert_ne!(p.title, code, "{code} has no title in {lang:?}");
                if let (Some(c), Some(d)) = (&p.code, &p.detail) {
                    assert_ne!(c, d, "{code}/{c} has no words in {lang:?}");
                }
            }
        }
    }
}
