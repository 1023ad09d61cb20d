//! Serves the built SPA: static files, and `index.html` for client-side routes. Unknown API
//! paths stay problem+json 404s.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::HttpResponse;

use crate::error::ApiError;

const API_PREFIXES: [&str; 5] = ["/api", "/healthz", "/readyz", "/metrics", "/.well-known"];

pub fn is_api_path(path: &str) -> bool {
    API_PREFIXES.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

pub fn files(dir: PathBuf) -> Files {
    let index = dir.join("index.html");
    Files::new("/", dir).index_file("index.html").default_handler(fn_service(move |req: ServiceRequest| {
        let index = index.clone();
        async move {
            let (req, _) = req.into_parts();
            if is_api_path(req.path()) || req.method() != actix_web::http::Method::GET {
                let res = actix_web::ResponseError::error_response(&ApiError::NotFound);
                return Ok(ServiceResponse::new(req, res));
            }
            let file = NamedFile::open_async(&index).await?;
            let res = file.into_response(&req);
            Ok(ServiceResponse::new(req, res))
        }
    }))
}

/// Without a built SPA, `/` says how to build it; every other unknown path is a 404 problem.
pub async fn not_built(req: actix_web::HttpRequest) -> Result<HttpResponse, ApiError> {
    if req.path() == "/" {
        return Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("Guanxi API is running. The web UI is not built: run `npm ci && npm run build` in frontend/.\nAPI docs: /api/docs/\n"));
    }
    Err(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    #[test]
    fn api_paths_are_not_spa_routes() {
        assert!(super::is_api_path("/api/v1/nope"));
        assert!(super::is_api_path("/metrics"));
        assert!(!super::is_api_path("/customers/123"));
        assert!(!super::is_api_path("/apis-overview"));
    }
}
