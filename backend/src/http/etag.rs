//! Optimistic concurrency: `version` → `ETag`, and the `If-Match` a change must send.

use actix_web::HttpRequest;

use crate::error::ApiError;

pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version of a resource whose one change is its end — a key revoked, a hold released, an
/// agreement ended, a subscription disabled: 1 while it lasts, 2 once ended. Its `If-Match`
/// then says "end what I saw live" (412 if it had already ended).
pub fn ended_version(ended: bool) -> i64 {
    if ended {
        2
    } else {
        1
    }
}

/// What a change's `If-Match` names (RFC 9110 §13.1.1): any current version (`*`) or a list of
/// entity tags, of which ours are the quoted versions (`"3"`, weak `W/"3"` compares the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Versions(Vec<i64>),
}

impl IfMatch {
    /// The version to change from when `current` is the stored one, or 412. `*` takes the
    /// current version, so the write is still guarded against a concurrent change.
    pub fn check(&self, current: i64) -> Result<i64, ApiError> {
        match self {
            IfMatch::Any => Ok(current),
            IfMatch::Versions(listed) if listed.contains(&current) => Ok(current),
            IfMatch::Versions(_) => Err(ApiError::PreconditionFailed),
        }
    }

    fn parse(raw: &str) -> IfMatch {
        if raw.trim() == "*" {
            return IfMatch::Any;
        }
        // An entity tag that is not one of ours matches nothing (412, not 400): RFC 9110 lets a
        // client send any tag it holds.
        let versions = raw
            .split(',')
            .filter_map(|tag| tag.trim().trim_start_matches("W/").strip_prefix('"')?.strip_suffix('"')?.parse().ok())
            .collect();
        IfMatch::Versions(versions)
    }
}

/// The `If-Match` of a change: 428 without the header.
pub fn if_match(req: &HttpRequest) -> Result<IfMatch, ApiError> {
    let raw = req.headers().get(actix_web::http::header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    Ok(raw.to_str().map(IfMatch::parse).unwrap_or(IfMatch::Versions(Vec::new())))
}

#[cfg(test)]
mod tests {
    use super::IfMatch;

    #[test]
    fn reads_star_lists_and_weak_tags() {
        assert_eq!(IfMatch::parse(" * "), IfMatch::Any);
        assert_eq!(IfMatch::parse("\"3\""), IfMatch::Versions(vec![3]));
        assert_eq!(IfMatch::parse("W/\"3\", \"7\""), IfMatch::Versions(vec![3, 7]));
        assert_eq!(IfMatch::parse("3"), IfMatch::Versions(vec![]), "an unquoted tag is no entity tag");
        assert_eq!(IfMatch::parse("\"x\""), IfMatch::Versions(vec![]));
        assert_eq!(IfMatch::parse(""), IfMatch::Versions(vec![]));
    }

    #[test]
    fn star_takes_the_current_version_and_a_list_must_name_it() {
        assert_eq!(IfMatch::Any.check(5).ok(), Some(5));
        assert_eq!(IfMatch::Versions(vec![4, 5]).check(5).ok(), Some(5));
        assert!(IfMatch::Versions(vec![4]).check(5).is_err());
        assert!(IfMatch::Versions(vec![]).check(5).is_err());
    }
}
