//! Bad input of every kind answers with a problem document, never a 500.

use serde_json::{json, Value};

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
    assert_eq!(
        (&missing.body["errors"][0]["field"], &missing.body["errors"][0]["code"]),
        (&json!("password"), &json!("required"))
    );
    assert_eq!(missing.body["errors"][0]["message"], "请填写密码");

    let huge = format!(r#"{{"username":"a","password":"{}"}}"#, "x".repeat(300 * 1024));
    let huge: &'static str = Box::leak(huge.into_boxed_str());
    app.raw("POST", "/api/v1/auth/login", "application/json", huge).await.problem(413);

    app.send("GET", "/api/v1/me", None, None, &[]).await.problem(401);
    app.send("GET", "/api/v1/me", None, None, &[("Authorization", "Basic YWRtaW46YWRtaW4=")]).await.problem(401);
    app.get("/api/v1/no-such-thing", &admin).await.problem(404);
    app.get("/api/v2/units", &admin).await.problem(404);
    app.get("/api/v1/units?limit=0", &admin).await.problem(422);
    let bad = app.get("/api/v1/units?limit=abc", &admin).await.problem(400);
    assert_eq!(bad.body["errors"][0]["field"], "limit", "the parameter is named: {}", bad.body);
    app.get("/api/v1/units?cursor=%%%", &admin).await;
    let unknown = app.get("/api/v1/units?color=red", &admin).await.problem(400);
    assert_eq!(unknown.body["errors"][0]["field"], "color");
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
    // Metrics are for the scraper holding the operator's token only.
    app.send("GET", "/metrics", None, None, &[]).await.problem(401);
    app.send("GET", "/metrics", None, None, &[("Authorization", "Bearer wrong")]).await.problem(401);
    let m = app.send("GET", "/metrics", None, None, &[("Authorization", "Bearer scrape-me")]).await.expect(200);
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
both!(operations_endpoints, operations_endpoints, &[("GUANXI_METRICS_TOKEN", "scrape-me")]);

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
    let mut pragma = |sql: &str| diesel::sql_query(sql).load::<Pragma>(&mut **conn).unwrap().remove(0).v;
    assert_eq!(pragma("SELECT journal_mode AS v FROM pragma_journal_mode"), "wal");
    assert_eq!(pragma("SELECT CAST(synchronous AS TEXT) AS v FROM pragma_synchronous"), "2", "FULL");
    assert_eq!(pragma("SELECT CAST(foreign_keys AS TEXT) AS v FROM pragma_foreign_keys"), "1");
}

/// A body is one JSON object, each key once: an array would fill a struct positionally (`[]`
/// queued a real, non-dry retention run), and a repeated key could mean two things to two parsers.
async fn bodies_are_objects_without_duplicate_keys(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let compliance = app.user(&admin, "compliance0", "compliance", &group).await.1;
    for body in [json!([]), json!([true]), json!("x"), json!(1), json!(null)] {
        let p = app.post("/api/v1/retention-runs", &compliance, body.clone()).await.problem(422);
        assert_eq!(
            (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
            (Some("body"), Some("object")),
            "{body}"
        );
    }
    let positional = json!(["张三", null, null, "13812345678", null, null, "individual", {"channel": "service"}]);
    app.post("/api/v1/customers", &compliance, positional).await.problem(422);
    let jobs = app.get("/api/v1/jobs", &compliance).await.expect(200).body;
    assert_eq!(jobs["items"], json!([]), "nothing was queued");

    let twice = r#"{"username":"admin","password":"wrong","password":"admin-test-password"}"#;
    let p = app.raw("POST", "/api/v1/auth/login", "application/json", twice).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("password"), Some("duplicate"))
    );
    let nested = r#"{"dry_run":true,"x":{"a":1,"a":2}}"#;
    app.raw("POST", "/api/v1/auth/login", "application/json", nested).await.problem(422);
}
both!(bodies_are_objects_without_duplicate_keys, bodies_are_objects_without_duplicate_keys);

/// The HTTP edges: a known path with another method is 405 with `Allow`; methods the server never
/// answers and oversized headers are refused; every refusal is a problem with the security headers.
async fn http_edges_are_problems_with_headers(app: TestApp) {
    let admin = app.admin().await;
    let r = app.send("PUT", "/api/v1/units", Some(&admin), Some(json!({})), &[]).await.problem(405);
    let allow = r.header("allow").unwrap_or_default();
    assert!(allow.contains("GET") && allow.contains("POST") && !allow.contains("PUT"), "{allow}");
    let r = app.send("POST", "/api/v1/customers/some-id", Some(&admin), Some(json!({})), &[]).await.problem(405);
    assert_eq!(r.header("allow").as_deref(), Some("GET, PATCH, DELETE"));
    // A literal path is its own resource, not an id of the templated one beside it.
    let r = app.send("GET", "/api/v1/customers/exports", Some(&admin), None, &[]).await.problem(405);
    assert_eq!(r.header("allow").as_deref(), Some("POST"));
    app.send("DELETE", "/api/v1/no-such-thing", Some(&admin), None, &[]).await.problem(404);
    let trace = app.send("TRACE", "/api/v1/units", Some(&admin), None, &[]).await.problem(405);
    assert_eq!(trace.header("x-content-type-options").as_deref(), Some("nosniff"));
    app.send("TRACE", "/", None, None, &[]).await.problem(405);
    app.send("GET", "/metrics", None, None, &[]).await.problem(404);

    let big = "x".repeat(100 * 1024);
    let r = app.send("GET", "/api/v1/me", Some(&admin), None, &[("X-Padding", &big)]).await.problem(431);
    assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"));
    let nul = app.send("GET", "/api/v1/units?x=%00", Some(&admin), None, &[]).await.problem(400);
    for h in ["x-content-type-options", "x-frame-options", "referrer-policy", "x-request-id"] {
        assert!(nul.header(h).is_some(), "{h} on the %00 refusal");
    }
    // An upload over the limit is a problem document too, not the framework's plain text.
    let group = app.group_id(&admin).await;
    let manager = app.user(&admin, "manager0", "manager", &group).await.1;
    let huge = vec![b'a'; guanxi::customers::bulk::routes::MAX_UPLOAD + 1];
    app.upload("/api/v1/customers/imports", &manager, "text/csv", huge).await.problem(413);
    let missing = app.send("GET", "/no-such-page", None, None, &[]).await;
    assert_eq!(missing.header("x-content-type-options").as_deref(), Some("nosniff"));
}
both!(http_edges_are_problems_with_headers, http_edges_are_problems_with_headers);

/// A 422 lists every field error at once, nested ones by their path.
async fn every_field_error_at_once(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let agent = app.user(&admin, "agent0", "agent", &group).await.1;
    let body = json!({"name": "", "mobile": "1", "email": "bad", "national_id": "110105199001011233",
        "customer_type": "individual", "source": {"channel": "service", "supplier": ""}});
    let p = app.post("/api/v1/customers", &agent, body).await.problem(422);
    let mut fields: Vec<&str> =
        p.body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["email", "mobile", "name", "national_id", "source.supplier"], "{}", p.body);
    let checksum = p.body["errors"].as_array().unwrap().iter().find(|e| e["field"] == "national_id").unwrap();
    assert_eq!(checksum["code"], "checksum");
}
both!(every_field_error_at_once, every_field_error_at_once);

/// An empty or made-up cursor is refused on every list, never read as an empty page.
async fn cursors_are_checked_on_every_list(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let manager = app.user(&admin, "manager0", "manager", &group).await.1;
    for (path, token) in [
        ("/api/v1/customers", &manager),
        ("/api/v1/customers?sort=name", &manager),
        ("/api/v1/units", &admin),
        ("/api/v1/users", &admin),
        ("/api/v1/jobs", &manager),
        ("/api/v1/webhooks", &admin),
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        for cursor in ["", "%20", "bm9wZQ", "***"] {
            let p = app.get(&format!("{path}{sep}cursor={cursor}"), token).await.problem(422);
            assert_eq!(p.body["errors"][0]["field"], "cursor", "{path} {cursor}");
        }
    }
}
both!(cursors_are_checked_on_every_list, cursors_are_checked_on_every_list);

/// A cursor is good for the list and the filters it came from (the page size may change),
/// nowhere else.
async fn cursors_are_bound_to_their_list(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    for name in ["agent1", "agent2", "agent3"] {
        app.user(&admin, name, "agent", &group).await;
    }
    let page = app.get("/api/v1/users?limit=1&role=agent", &admin).await.expect(200).body;
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = app.get(&format!("/api/v1/users?role=agent&limit=5&cursor={cursor}"), &admin).await.expect(200);
    assert_eq!(next.body["items"].as_array().unwrap().len(), 2, "same list, larger page");
    for other in [
        format!("/api/v1/users?cursor={cursor}"),
        format!("/api/v1/users?role=manager&cursor={cursor}"),
        format!("/api/v1/units?cursor={cursor}"),
        format!("/api/v1/webhooks?cursor={cursor}"),
    ] {
        let p = app.get(&other, &admin).await.problem(422);
        assert_eq!(p.body["errors"][0]["field"], "cursor", "{other}");
    }
}
both!(cursors_are_bound_to_their_list, cursors_are_bound_to_their_list);

/// What JSON Schema calls an integer is one here too: `30.0` is 30, `30.5` is not.
async fn whole_numbers_with_a_fraction_are_integers(app: TestApp) {
    let compliance = app.approver().await;
    let put = |purpose: &'static str, days: Value| {
        let (app, token) = (&app, compliance.clone());
        async move {
            let path = format!("/api/v1/retention-policies/{purpose}");
            app.send("PUT", &path, Some(&token), Some(json!({ "days": days })), &[]).await
        }
    };
    assert_eq!(put("marketing_sms", json!(30.0)).await.expect(200).body["days"], 30);
    let p = put("relationship", json!(30.5)).await.problem(422);
    assert_eq!(p.body["errors"][0]["field"], "days");
}
both!(whole_numbers_with_a_fraction_are_integers, whole_numbers_with_a_fraction_are_integers);

/// A 201 names what it created, and the name can be read back.
async fn created_resources_have_a_location(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let unit = json!({"parent_id": group, "kind": "subsidiary", "code": "L1", "name": "L1"});
    let r = app.post("/api/v1/units", &admin, unit).await.expect(201);
    let at = r.header("location").unwrap();
    assert_eq!(app.get(&at, &admin).await.expect(200).body["id"], r.body["id"]);
    let agent = app.user(&admin, "agent0", "agent", &group).await.1;
    let body = json!({"name": "周一", "customer_type": "individual", "source": {"channel": "service"}});
    let r = app.post("/api/v1/customers", &agent, body).await.expect(201);
    let at = r.header("location").unwrap();
    assert_eq!(app.get(&at, &agent).await.expect(200).body["id"], r.body["id"]);
}
both!(created_resources_have_a_location, created_resources_have_a_location);
