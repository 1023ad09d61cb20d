//! Which methods each path answers, read once from the OpenAPI document the routes generate: a
//! request for a known path with another method is 405 with `Allow`, not 404.

use std::sync::OnceLock;

struct Route {
    segments: Vec<Option<String>>, // None: a `{parameter}`
    methods: Vec<&'static str>,
}

fn table() -> &'static [Route] {
    static TABLE: OnceLock<Vec<Route>> = OnceLock::new();
    TABLE.get_or_init(|| {
        use utoipa::openapi::path::HttpMethod;
        let spec = crate::openapi::spec();
        spec.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let has = |m: HttpMethod| match m {
                    HttpMethod::Get => item.get.is_some(),
                    HttpMethod::Post => item.post.is_some(),
                    HttpMethod::Put => item.put.is_some(),
                    HttpMethod::Patch => item.patch.is_some(),
                    HttpMethod::Delete => item.delete.is_some(),
                    _ => false,
                };
                let mut methods = Vec::new();
                for (m, name) in [
                    (HttpMethod::Get, "GET"),
                    (HttpMethod::Post, "POST"),
                    (HttpMethod::Put, "PUT"),
                    (HttpMethod::Patch, "PATCH"),
                    (HttpMethod::Delete, "DELETE"),
                ] {
                    if has(m) {
                        methods.push(name);
                    }
                }
                let segments = path
                    .split('/')
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                    .collect();
                Route { segments, methods }
            })
            .collect()
    })
}

/// The methods a path answers, or None for a path no route has. A literal segment beats a
/// `{parameter}` (`/customers/exports` is its own path, not a customer id), as in the router.
pub fn allowed(path: &str) -> Option<Vec<&'static str>> {
    let parts: Vec<&str> = path.split('/').collect();
    let fits = |r: &&Route| {
        r.segments.len() == parts.len()
            && r.segments.iter().zip(&parts).all(|(s, p)| s.as_deref().map_or(!p.is_empty(), |lit| lit == *p))
    };
    let literals = |r: &Route| r.segments.iter().filter(|s| s.is_some()).count();
    let best = table().iter().filter(fits).max_by_key(|r| literals(r))?;
    let mut out: Vec<&'static str> = Vec::new();
    for r in table().iter().filter(fits).filter(|r| literals(r) == literals(best)) {
        for m in &r.methods {
            if !out.contains(m) {
                out.push(m);
            }
        }
    }
    Some(out)
}

/// Methods this server never answers, on any path.
pub fn is_refused(method: &actix_web::http::Method) -> bool {
    !matches!(method.as_str(), "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_list_their_methods() {
        assert_eq!(allowed("/api/v1/customers/abc").unwrap(), ["GET", "PATCH", "DELETE"]);
        assert!(allowed("/api/v1/customers").unwrap().contains(&"POST"));
        assert_eq!(allowed("/api/v1/customers/exports").unwrap(), ["POST"], "a literal path is not an id");
        assert_eq!(allowed("/api/v1/no-such-thing"), None);
        assert_eq!(allowed("/api/v1/customers//consents"), None);
        assert!(is_refused(&actix_web::http::Method::TRACE));
        assert!(!is_refused(&actix_web::http::Method::PATCH));
    }
}
