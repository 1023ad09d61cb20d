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

/// The methods a path answers, or None for a path no route has.
pub fn allowed(path: &str) -> Option<Vec<&'static str>> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut out: Vec<&'static str> = Vec::new();
    for r in table() {
        let fits = r.segments.len() == parts.len()
            && r.segments.iter().zip(&parts).all(|(s, p)| s.as_deref().map_or(!p.is_empty(), |lit| lit == *p));
        if fits {
            for m in &r.methods {
                if !out.contains(m) {
                    out.push(m);
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
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
        assert_eq!(allowed("/api/v1/no-such-thing"), None);
        assert_eq!(allowed("/api/v1/customers//consents"), None);
        assert!(is_refused(&actix_web::http::Method::TRACE));
        assert!(!is_refused(&actix_web::http::Method::PATCH));
    }
}
