//! The web UI's files as a phone on a slow link meets them: compressed when the browser accepts
//! it, the build's hashed assets cached for a year, the page itself revalidated every time, and
//! client-side routes answered with the page while unknown API paths stay 404 problems.

use crate::helpers::{Db, TestApp};

const DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/web-ui-fixture");
const PAGE: &str =
    "<!doctype html><html lang=\"zh-CN\"><title>关系</title><script src=\"/assets/app-4f2a.js\"></script></html>";

const BROTLI_COPY: &[u8] = b"precompressed at build time";

fn script() -> String {
    (0..2000).map(|i| format!("export const label{i} = '客户 {i}';\n")).collect()
}

/// The built files, written whole before a server looks for them (both databases' runs share
/// them, so each file is replaced atomically).
fn build_output() {
    let assets = std::path::Path::new(DIR).join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    let files = [
        ("index.html", PAGE.as_bytes().to_vec()),
        ("assets/app-4f2a.js", script().into_bytes()),
        // What the build's compress step writes beside an asset (any bytes do for the test).
        ("assets/app-4f2a.js.br", BROTLI_COPY.to_vec()),
    ];
    for (name, body) in files {
        let target = std::path::Path::new(DIR).join(name);
        let temp = target.with_extension(format!("tmp-{:?}", std::thread::current().id()).replace(['(', ')'], ""));
        std::fs::write(&temp, body).unwrap();
        std::fs::rename(&temp, &target).unwrap();
    }
}

async fn fetch(app: &TestApp, path: &str, encodings: Option<&str>) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    let mut req = awc::Client::default().get(format!("{}{path}", app.base)).no_decompress();
    if let Some(e) = encodings {
        req = req.insert_header(("Accept-Encoding", e));
    }
    let mut res = req.send().await.expect("request sent");
    let body = res.body().limit(10 * 1024 * 1024).await.expect("body").to_vec();
    (res.status().as_u16(), res.headers().clone(), body)
}

fn header<'a>(h: &'a awc::http::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

async fn web_ui(db: Db) {
    build_output();
    let app = TestApp::start(db, &[("GUANXI_STATIC_DIR", DIR)]).await;
    let full = script().len();

    // The build's brotli copy, sent as it is, typed as the script it stands for.
    let (status, h, body) = fetch(&app, "/assets/app-4f2a.js", Some("gzip, deflate, br")).await;
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-encoding"), "br");
    assert_eq!(body, BROTLI_COPY);
    assert!(
        header(&h, "content-type").starts_with("text/javascript")
            || header(&h, "content-type").starts_with("application/javascript"),
        "{h:?}"
    );
    assert_eq!(header(&h, "vary"), "accept-encoding");
    assert_eq!(header(&h, "cache-control"), "public, max-age=31536000, immutable");
    // No gzip copy: compressed on the way out.

    let (_, h, body) = fetch(&app, "/assets/app-4f2a.js", Some("gzip")).await;
    assert_eq!(header(&h, "content-encoding"), "gzip");
    assert_eq!(header(&h, "cache-control"), "public, max-age=31536000, immutable");
    assert!(body.len() * 4 < full, "{} gzip bytes of {full}", body.len());
    let (_, h, body) = fetch(&app, "/assets/app-4f2a.js", None).await;
    assert_eq!(header(&h, "content-encoding"), "");
    assert_eq!(body.len(), full, "a client that asks for nothing gets the file as it is");

    for route in ["/", "/customers/42", "/incidents/7/report"] {
        let (status, h, body) = fetch(&app, route, Some("gzip")).await;
        assert_eq!(status, 200, "{route}");
        assert_eq!(header(&h, "cache-control"), "no-cache", "{route}: the page names the current build");
        assert_eq!(header(&h, "content-encoding"), "gzip", "{route}");
        assert!(!body.is_empty());
    }
    let (_, _, page) = fetch(&app, "/customers/42", None).await;
    assert_eq!(String::from_utf8(page).unwrap(), PAGE);

    let (status, h, body) = fetch(&app, "/api/v1/nope", None).await;
    assert_eq!(status, 404);
    assert_eq!(header(&h, "content-type"), "application/problem+json");
    assert_eq!(header(&h, "cache-control"), "no-store");
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["status"], 404);
}

#[actix_web::test]
async fn sqlite() {
    web_ui(Db::Sqlite).await
}

#[actix_web::test]
async fn postgres() {
    web_ui(Db::Postgres).await
}
