//! Bad input of every kind answers with a problem document, never a 500.

use serde_json::json;

use crate::both;
use crate::helpers::TestApp;

async fn bad_requests_are_problems(app: TestApp) {
    let admin = app.admin().await;
    app.raw("POST", "/api/v1/auth/login", "application/json", "{not json").await.problem(400);
    app.raw("POST", "/api/v1/auth/login", "text/plain", "{}").await.problem(415);
    let unknown = app
        .raw("POST", "/api/v1/auth/login", "application/json", r#"{"username":"a","password":"b","role":"admin"}"#)
        .await
        .problem(422);
    assert_eq!(unknown.body["errors"][0]["field"], "role");
    let missing = app.raw("POST", "/api/v1/auth/login", "application/json", r#"{"username":"a"}"#).await.problem(422);
    assert!(missing.body["errors"][0]["message"].as_str().unwrap().contains("password"));

    let huge = format!(r#"{{"username":"a","password":"{}"}}"#, "x".repeat(300 * 1024));
    let huge: &'static str = Box::leak(huge.into_boxed_str());
    app.raw("POST", "/api/v1/auth/login", "application/json", huge).await.problem(413);

    app.send("GET", "/api/v1/me", None, None, &[]).await.problem(401);
    app.send("GET", "/api/v1/me", None, None, &[("Authorization", "Basic YWRtaW46YWRtaW4=")]).await.problem(401);
    app.get("/api/v1/no-such-thing", &admin).await.problem(404);
    app.get("/api/v2/units", &admin).await.problem(404);
    app.get("/api/v1/units?limit=0", &admin).await.problem(422);
    app.get("/api/v1/units?limit=abc", &admin).await.problem(400);
    app.get("/api/v1/units?cursor=%%%", &admin).await;
    app.get("/api/v1/units?color=red", &admin).await.problem(400);
    app.get("/api/v1/units?cursor=***", &admin).await.problem(422);

    let r = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "Bad Name!", "display_name": "", "password": "short", "role": "admin", "unit_id": "x"}),
        )
        .await
        .problem(422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(
        fields.contains(&"username") && fields.contains(&"display_name") && fields.contains(&"password"),
        "{fields:?}"
    );

    // The request id is echoed and quoted in the problem.
    let r = app.send("GET", "/api/v1/me", None, None, &[("X-Request-Id", "trace-me-123")]).await.problem(401);
    assert_eq!(r.body["instance"], "trace-me-123");
    assert_eq!(r.header("x-request-id").as_deref(), Some("trace-me-123"));
}
both!(bad_requests_are_problems, bad_requests_are_problems);

async fn operations_endpoints(app: TestApp) {
    let r = app.send("GET", "/healthz", None, None, &[]).await.expect(200);
    assert_eq!(r.body["status"], "ok");
    let r = app.send("GET", "/readyz", None, None, &[]).await.expect(200);
    assert_eq!(r.body["status"], "ready");
    app.send("GET", "/api/v1/me", None, None, &[]).await;
    let m = app.send("GET", "/metrics", None, None, &[]).await.expect(200);
    let text = m.body.as_str().unwrap();
    assert!(text.contains(r#"guanxi_http_requests_total{method="GET",route="/readyz",status="200"} 1"#), "{text}");
    assert!(text.contains("guanxi_http_request_duration_ms_bucket"));
    let jwks = app.send("GET", "/.well-known/jwks.json", None, None, &[]).await.expect(200);
    assert_eq!(jwks.body["keys"][0]["crv"], "Ed25519");
    let docs = app.send("GET", "/api/docs/", None, None, &[]).await.expect(200);
    assert!(docs.body.as_str().unwrap().contains("swagger"), "docs are served from the binary");
    let spec = app.send("GET", "/api/openapi.json", None, None, &[]).await.expect(200);
    assert!(spec.body["paths"]["/api/v1/auth/login"].is_object());
}
both!(operations_endpoints, operations_endpoints);

#[actix_web::test]
async fn sqlite_runs_durable_wal_with_foreign_keys() {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Pragma {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let app = TestApp::start(crate::helpers::Db::Sqlite, &[]).await;
    let mut conn = app.state.db.get().unwrap();
    let mut pragma = |sql: &str| diesel::sql_query(sql).load::<Pragma>(&mut *conn).unwrap().remove(0).v;
    assert_eq!(pragma("SELECT journal_mode AS v FROM pragma_journal_mode"), "wal");
    assert_eq!(pragma("SELECT CAST(synchronous AS TEXT) AS v FROM pragma_synchronous"), "2", "FULL");
    assert_eq!(pragma("SELECT CAST(foreign_keys AS TEXT) AS v FROM pragma_foreign_keys"), "1");
}
