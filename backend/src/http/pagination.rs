//! Keyset pagination: `?limit=&cursor=` in, `{items, next_cursor}` out. The cursor is the last
//! key of the page, opaque to clients (base64url of the key), signed together with the list it
//! came from — its path and filters — so it cannot be replayed on another list or filter.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::field("limit", "range")),
        }
    }

    pub fn cursor(&self) -> Result<Option<String>, ApiError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }

    /// The cursor of a list keyed by a sequence number (the audit log, a customer's history).
    pub fn seq_cursor(&self) -> Result<Option<i64>, ApiError> {
        self.cursor()?.map(|c| c.parse::<i64>().map_err(|_| invalid_cursor())).transpose()
    }
}

/// The key cursors are signed with, so a cursor this server did not issue is refused rather than
/// read as a position. Derived from the service's signing key, so every server of a deployment
/// accepts the others' cursors; a random one until `init_cursor_key` (unit tests, tools).
static CURSOR_KEY: std::sync::OnceLock<ring::hmac::Key> = std::sync::OnceLock::new();

pub fn init_cursor_key(secret: &[u8]) {
    let _ =
        CURSOR_KEY.set(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &crate::crypto::sha256_hex(secret).into_bytes()));
}

fn cursor_key() -> &'static ring::hmac::Key {
    CURSOR_KEY.get_or_init(|| ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &crate::crypto::random_bytes::<32>()))
}

/// Which list a request reads: its path and its query without `cursor` and `limit`, in a
/// fixed order (a page size may change between pages; a filter may not).
pub fn list_of(path: &str, query: &str) -> String {
    let mut filters: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !matches!(p.split('=').next(), Some("cursor" | "limit")))
        .collect();
    filters.sort_unstable();
    format!("{path}?{}", filters.join("&"))
}

fn tag(list: &str, key: &str) -> String {
    let signed = ring::hmac::sign(cursor_key(), format!("{list}\u{0}{key}").as_bytes());
    URL_SAFE_NO_PAD.encode(&signed.as_ref()[..9])
}

/// The one answer to a cursor this server did not issue for this list (422, naming `cursor`).
pub fn invalid_cursor() -> ApiError {
    ApiError::field("cursor", "invalid")
}

/// `base64url(key).tag`: opaque to clients, and checked when it comes back on the same list.
pub fn encode_cursor(key: &str) -> String {
    encode_cursor_for(&crate::request::list().unwrap_or_default(), key)
}

/// A cursor for a named list (`list_of`), for tools that build URLs outside a request.
pub fn encode_cursor_for(list: &str, key: &str) -> String {
    format!("{}.{}", URL_SAFE_NO_PAD.encode(key), tag(list, key))
}

/// The key a cursor carries; an empty, undecodable or other list's one is refused (422), never
/// read as "from the start" or as an empty page.
pub fn decode_cursor(raw: &str) -> Result<String, ApiError> {
    let list = crate::request::list().unwrap_or_default();
    raw.split_once('.')
        .and_then(|(body, mac)| {
            let key = String::from_utf8(URL_SAFE_NO_PAD.decode(body).ok()?).ok()?;
            (!key.is_empty() && tag(&list, &key) == mac).then_some(key)
        })
        .ok_or_else(invalid_cursor)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page (always present).
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says that more exist.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(|r| encode_cursor(&key(r))) } else { None };
        Page { items: rows, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let p = PageParams { limit: None, cursor: Some(encode_cursor("0193-abc")) };
        assert_eq!(p.cursor().unwrap().as_deref(), Some("0193-abc"));
        for raw in ["***", "", "bm9wZQ", "bm9wZQ.AAAAAAAAAAAA"] {
            let bad = PageParams { limit: None, cursor: Some(raw.into()) };
            assert!(bad.cursor().is_err(), "{raw}");
        }
        // The key is there to read, but a changed one does not carry the tag.
        let issued = encode_cursor("0193-abc");
        let (_, mac) = issued.split_once('.').unwrap();
        let forged = format!("{}.{mac}", URL_SAFE_NO_PAD.encode("0193-abd"));
        assert!(PageParams { limit: None, cursor: Some(forged) }.cursor().is_err());
    }

    #[test]
    fn a_cursor_belongs_to_its_list_and_filters() {
        let list = list_of("/api/v1/customers", "tag=vip&limit=20&cursor=abc&q=li");
        assert_eq!(list, "/api/v1/customers?q=li&tag=vip");
        assert_eq!(list, list_of("/api/v1/customers", "q=li&tag=vip&limit=50"), "page size and order may change");
        let issued = crate::request::on_thread(Some(list.clone()), || encode_cursor("0193-abc"));
        assert_eq!(issued, encode_cursor_for(&list, "0193-abc"));
        assert!(crate::request::on_thread(Some(list), || decode_cursor(&issued)).is_ok());
        for other in [list_of("/api/v1/customers", "q=li"), list_of("/api/v1/users", "q=li&tag=vip")] {
            assert!(crate::request::on_thread(Some(other.clone()), || decode_cursor(&issued)).is_err(), "{other}");
        }
    }

    #[test]
    fn limit_is_bounded() {
        assert_eq!(PageParams { limit: None, cursor: None }.limit().unwrap(), 50);
        assert!(PageParams { limit: Some(0), cursor: None }.limit().is_err());
        assert!(PageParams { limit: Some(501), cursor: None }.limit().is_err());
    }

    #[test]
    fn page_knows_when_more_rows_exist() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor, Some(encode_cursor("2")));
        let last = Page::from_rows(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(last.next_cursor, None);
    }
}
