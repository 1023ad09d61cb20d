//! Body, query and path parsing with problem+json errors, and the caller's address.

use actix_web::error::{JsonPayloadError, PathError};
use actix_web::{web, HttpRequest};

use super::strict_json::{Strict, DUPLICATE};
use crate::error::{ApiError, FieldError};

pub const JSON_LIMIT: usize = 256 * 1024;

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            let message = e.to_string();
            ApiError::Validation(vec![FieldError::new(field_of(&message), shape_code(&message))])
        }
        JsonPayloadError::Deserialize(e) => {
            ApiError::bad_request("json_malformed").with("line", e.line()).with("column", e.column())
        }
        _ => ApiError::bad_request("body_unreadable"),
    };
    api.into()
}

/// The code for serde's complaint. Its words are not passed on: they are English, and an
/// "invalid value" quotes the value, which may be personal data.
fn shape_code(message: &str) -> &'static str {
    if message.starts_with(DUPLICATE) {
        "duplicate"
    } else if message.starts_with("missing field") {
        "required"
    } else if message.starts_with("unknown field") {
        "unknown_field"
    } else {
        "invalid"
    }
}

/// serde names the offending field in backticks ("unknown field `role`"); surface it.
fn field_of(message: &str) -> String {
    message.split('`').nth(1).unwrap_or("body").to_owned()
}

fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    tracing::debug!(%err, "path parameter");
    ApiError::bad_request("path_invalid").into()
}

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(JSON_LIMIT).error_handler(json_error)
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(path_error)
}

/// The client address used for throttling and audit. Forwarded headers are believed only when
/// the operator says a trusted proxy is in front (`GUANXI_TRUST_PROXY`).
pub fn client_ip(req: &HttpRequest, trust_proxy: bool) -> String {
    let info = req.connection_info();
    let addr = if trust_proxy { info.realip_remote_addr() } else { info.peer_addr() };
    addr.map(strip_port).unwrap_or("unknown").to_owned()
}

fn strip_port(addr: &str) -> &str {
    if let Some(rest) = addr.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match addr.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.parse::<u16>().is_ok() => host,
        _ => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_ports_of_v4_and_v6() {
        assert_eq!(strip_port("10.0.0.1:5555"), "10.0.0.1");
        assert_eq!(strip_port("[::1]:8080"), "::1");
        assert_eq!(strip_port("::1"), "::1");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        limit: Option<i64>,
        cursor: Option<String>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let field = |qs: &str| match parse_query::<Q>(qs) {
            Err(ApiError::BadQuery(e)) => e[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(field("limit=abc"), "limit");
        assert_eq!(field("color=red"), "color");
        assert!(parse_query::<Q>("limit=5&cursor=x").is_ok());
    }

    #[test]
    fn names_the_unknown_field() {
        assert_eq!(field_of("unknown field `role`, expected one of"), "role");
        assert_eq!(field_of("invalid type"), "body");
    }
}

/// A JSON request body that passed `validator` and holds no NUL character in any string
/// (PostgreSQL cannot store one and SQLite would; both now refuse it alike). Every write route
/// takes its body through this.
pub struct Body<T>(pub T);

fn find_nul(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(path.trim_start_matches('.').to_owned()),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| find_nul(v, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| find_nul(v, &format!("{path}.{k}"))),
        _ => None,
    }
}

impl<T> actix_web::FromRequest for Body<T>
where
    T: serde::de::DeserializeOwned + serde::Serialize + validator::Validate + 'static,
{
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let json = web::Json::<Strict>::from_request(req, payload);
        Box::pin(async move {
            let Strict(raw) = json.await?.into_inner();
            // Every body is an object: an array would otherwise fill a struct positionally.
            if !raw.is_object() {
                return Err(ApiError::field("body", "object").into());
            }
            if let Some(field) = find_nul(&raw, "") {
                return Err(ApiError::field(&field, "nul").into());
            }
            let value: T = serde_path_to_error::deserialize(raw).map_err(shape_error)?;
            value.validate().map_err(ApiError::from)?;
            Ok(Body(value))
        })
    }
}

/// A JSON body read from bytes a handler needed whole (to check a signature over them), with the
/// errors `Body` gives: 400 `json_malformed`, 422 naming the field of the wrong shape.
pub fn parse_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_data() {
            shape_error(e)
        } else {
            ApiError::bad_request("json_malformed").with("line", e.inner().line()).with("column", e.inner().column())
        }
    })
}

/// A body of the wrong shape, named by the path of the offending field (`source.channel`, or
/// `source.supplier` for an unknown one). A missing field is reported on the enclosing object, so
/// its name comes from the message.
fn shape_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let message = e.inner().to_string();
    let named = message.starts_with("missing field").then(|| message.split('`').nth(1)).flatten();
    let field = match (path.as_str(), named) {
        (".", Some(n)) => n.to_owned(),
        (p, Some(n)) => format!("{p}.{n}"),
        (".", None) => "body".to_owned(),
        (p, None) => p.to_owned(),
    };
    ApiError::Validation(vec![FieldError::new(field, shape_code(&message))])
}

/// A query string read into `T`, each failing parameter named in the 400 (`limit`, or `color` for
/// one the route does not know). Used instead of `web::Query`, whose errors name no parameter.
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub fn parse_query<T: serde::de::DeserializeOwned>(qs: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(qs.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        let field = if path == "." { field_of(&message) } else { path };
        let field = if field == "body" { "query".to_owned() } else { field };
        ApiError::BadQuery(vec![FieldError::new(field, shape_code(&message))])
    })
}

impl<T: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// `%00` anywhere in the path or query would reach the database as a NUL character.
pub fn has_encoded_nul(uri: &actix_web::http::Uri) -> bool {
    let s = uri.path_and_query().map(|p| p.as_str()).unwrap_or("");
    s.to_ascii_lowercase().contains("%00")
}

#[cfg(test)]
mod body_tests {
    use super::*;

    #[test]
    fn finds_nul_in_nested_strings() {
        let v = serde_json::json!({"name": "ok", "source": {"supplier": "a\u{0}b"}, "tags": ["x"]});
        assert_eq!(find_nul(&v, "").as_deref(), Some("source.supplier"));
        let v = serde_json::json!({"tags": ["x", "\u{0}"]});
        assert_eq!(find_nul(&v, "").as_deref(), Some("tags[1]"));
        assert_eq!(find_nul(&serde_json::json!({"a": 1}), ""), None);
        assert!(has_encoded_nul(&"/api/v1/customers?name=a%00".parse().unwrap()));
        assert!(!has_encoded_nul(&"/api/v1/customers?name=a%200".parse().unwrap()));
    }
}
