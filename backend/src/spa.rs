//! Serves the built SPA: static files, and `index.html` for client-side routes. Unknown API
//! paths stay problem+json 404s.
//!
//! A first load on a slow mobile link is what the web UI's users meet first: the build writes a
//! brotli and a gzip copy beside each asset (`frontend/scripts/compress.mjs`), sent as they are
//! to browsers that accept them; anything else is compressed on the way out. The build's hashed
//! files under `/assets/` are cached for a year (a new build names them anew), and everything
//! else — `index.html` above all, which names the current build's files — is revalidated.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::body::MessageBody;
use actix_web::dev::{fn_service, HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, CACHE_CONTROL};
use actix_web::middleware::{from_fn, Compress, Next};
use actix_web::{web, HttpResponse};

use crate::error::ApiError;

const API_PREFIXES: [&str; 5] = ["/api", "/healthz", "/readyz", "/metrics", "/.well-known"];

pub fn is_api_path(path: &str) -> bool {
    API_PREFIXES.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The SPA's files, compressed and with their cache policy.
pub fn service(dir: PathBuf) -> impl HttpServiceFactory {
    let precompressed = web::Data::new(Precompressed(dir.clone()));
    web::scope("")
        .app_data(precompressed)
        // The outermost first: every answer gets its cache policy; a precompressed copy skips
        // compressing on the way out.
        .wrap(Compress::default())
        .wrap(from_fn(send_precompressed))
        .wrap(from_fn(cache_policy))
        .service(files(dir))
}

/// The directory whose assets may have `.br` / `.gz` copies beside them.
struct Precompressed(PathBuf);

/// The copy to send for an asset: brotli if the browser takes it, else gzip; `None` for
/// anything outside `/assets/` or without a copy.
pub fn precompressed_copy(dir: &std::path::Path, path: &str, accept: &str) -> Option<(PathBuf, &'static str)> {
    let name = path.strip_prefix("/assets/")?;
    if name.is_empty() || name.contains('/') || name.contains("..") || name.contains('\\') {
        return None;
    }
    let takes = |coding: &str| accept.split(',').any(|a| a.split(';').next().is_some_and(|c| c.trim() == coding));
    [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .filter(|(coding, _)| takes(coding))
        .map(|(coding, ext)| (dir.join("assets").join(format!("{name}{ext}")), coding))
        .find(|(file, _)| file.is_file())
        .map(|(file, coding)| (file, if coding == "br" { "br" } else { "gzip" }))
}

async fn send_precompressed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, actix_web::Error> {
    use actix_web::http::header::{self, ContentEncoding};
    let copy = req.app_data::<web::Data<Precompressed>>().and_then(|d| {
        let accept = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
        precompressed_copy(&d.0, req.path(), accept)
    });
    let Some((file, coding)) = copy.filter(|_| req.method() == actix_web::http::Method::GET) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let ext = req.path().rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let mime = actix_files::file_extension_to_mime(ext);
    let named = NamedFile::open_async(&file).await?.set_content_type(mime).set_content_encoding(if coding == "br" {
        ContentEncoding::Brotli
    } else {
        ContentEncoding::Gzip
    });
    let (http, _) = req.into_parts();
    let mut res = named.into_response(&http);
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(ServiceResponse::new(http, res).map_into_right_body())
}

/// Hashed build output is immutable; anything else must be revalidated.
pub fn cache_policy_for(path: &str) -> &'static str {
    if path.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

async fn cache_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let policy = cache_policy_for(req.path());
    let mut res = next.call(req).await?;
    if res.status().is_success() || res.status() == actix_web::http::StatusCode::NOT_MODIFIED {
        res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(res)
}

fn files(dir: PathBuf) -> Files {
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

    #[test]
    fn precompressed_copies_are_chosen_by_what_the_browser_takes() {
        let dir = std::env::temp_dir().join(format!("gx-spa-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        for f in ["a.js", "a.js.br", "a.js.gz", "b.css", "b.css.gz"] {
            std::fs::write(dir.join("assets").join(f), f).unwrap();
        }
        let pick = |path: &str, accept: &str| super::precompressed_copy(&dir, path, accept).map(|(_, c)| c);
        assert_eq!(pick("/assets/a.js", "gzip, deflate, br"), Some("br"));
        assert_eq!(pick("/assets/a.js", "gzip"), Some("gzip"));
        assert_eq!(pick("/assets/a.js", "br;q=1.0, gzip;q=0.8"), Some("br"));
        assert_eq!(pick("/assets/b.css", "br, gzip"), Some("gzip"), "no brotli copy");
        assert_eq!(pick("/assets/b.css", "identity"), None);
        assert_eq!(pick("/assets/../assets/a.js", "br"), None);
        assert_eq!(pick("/index.html", "br"), None);
        assert_eq!(pick("/assets/missing.js", "br"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn hashed_assets_are_cached_and_the_page_is_revalidated() {
        assert_eq!(super::cache_policy_for("/assets/index-D3Ubfu_S.js"), "public, max-age=31536000, immutable");
        assert_eq!(super::cache_policy_for("/"), "no-cache");
        assert_eq!(super::cache_policy_for("/customers/42"), "no-cache");
        assert_eq!(super::cache_policy_for("/favicon.svg"), "no-cache");
    }
}
