use serde_json::json;

use crate::both;
use crate::helpers::{Db, TestApp, ADMIN_PASSWORD};

async fn login_refresh_logout(app: TestApp) {
    let (access, refresh) = app.login("admin", ADMIN_PASSWORD).await;
    let me = app.get("/api/v1/me", &access).await.expect(200);
    assert_eq!(me.body["name"], "admin");
    assert_eq!(me.body["role"], "admin");
    assert!(me.body["permissions"].as_array().unwrap().contains(&json!("users:write")));
    assert!(!me.body["permissions"].as_array().unwrap().contains(&json!("audit:read")), "IT does not read audit");
    assert_eq!(me.header("cache-control").as_deref(), Some("no-store"));

    let r =
        app.send("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh})), &[]).await.expect(200);
    let (access2, refresh2) =
        (r.body["access_token"].as_str().unwrap().to_owned(), r.body["refresh_token"].as_str().unwrap().to_owned());
    assert_ne!(refresh2, refresh, "refresh tokens rotate");
    app.get("/api/v1/me", &access2).await.expect(200);

    app.send("POST", "/api/v1/auth/logout", Some(&access2), None, &[]).await.expect(204);
    app.get("/api/v1/me", &access2).await.problem(401);
    app.get("/api/v1/me", &access).await.problem(401);
    app.send("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": refresh2})), &[]).await.problem(401);
}
both!(login_refresh_logout_works, login_refresh_logout);

async fn reused_refresh_token_revokes_the_family(app: TestApp) {
    let (access, first) = app.login("admin", ADMIN_PASSWORD).await;
    let r =
        app.send("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": first})), &[]).await.expect(200);
    let second = r.body["refresh_token"].as_str().unwrap().to_owned();
    let newest_access = r.body["access_token"].as_str().unwrap().to_owned();

    // The thief replays the spent token: refused, and the whole session ends.
    let reuse =
        app.send("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": first})), &[]).await.problem(401);
    assert_eq!(reuse.body["code"], "refresh_reused");
    assert!(
        reuse.body["detail"].as_str().unwrap().contains("刷新令牌被重复使用"),
        "Chinese unless asked: {}",
        reuse.body
    );
    app.send("POST", "/api/v1/auth/refresh", None, Some(json!({"refresh_token": second})), &[]).await.problem(401);
    app.get("/api/v1/me", &newest_access).await.problem(401);
    app.get("/api/v1/me", &access).await.problem(401);

    // Other sessions of the same user are untouched, and the event is audited.
    let (other, _) = app.login("admin", ADMIN_PASSWORD).await;
    app.get("/api/v1/me", &other).await.expect(200);
    let auditor = {
        let admin = app.admin().await;
        let group = app.group_id(&admin).await;
        app.user(&admin, "auditor1", "auditor", &group).await.1
    };
    let log = app.get("/api/v1/audit?action=auth.refresh_reuse", &auditor).await.expect(200);
    assert_eq!(log.body["items"].as_array().unwrap().len(), 1);
}
both!(reused_refresh_token_revokes_the_family, reused_refresh_token_revokes_the_family);

async fn account_lockout(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    app.user(&admin, "victim", "agent", &group).await;
    for _ in 0..5 {
        app.login_reply("victim", "wrong-password-123").await.problem(401);
    }
    // Locked: even the right password is refused, with Retry-After.
    let r = app.login_reply("victim", "user-test-password").await.problem(429);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= 15 * 60);
    // Unknown users get the same answer as wrong passwords.
    let unknown = app.login_reply("nobody", "wrong-password-123").await.problem(401);
    let wrong = app.login_reply("admin", "wrong-password-123").await.problem(401);
    assert_eq!(unknown.body["detail"], wrong.body["detail"]);

    let auditor = app.user(&admin, "auditor2", "auditor", &group).await.1;
    let lockouts = app.get("/api/v1/audit?action=auth.lockout", &auditor).await.expect(200);
    assert_eq!(lockouts.body["items"].as_array().unwrap().len(), 1);
    let failures = app.get("/api/v1/audit?action=auth.login", &auditor).await.expect(200);
    let outcomes: Vec<&str> =
        failures.body["items"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert!(outcomes.iter().filter(|o| **o == "failure").count() >= 7, "{outcomes:?}");
    assert!(outcomes.contains(&"locked"));
}
both!(account_lockout, account_lockout);

/// Locks hold per (name, address): unknown names lock exactly like real ones (no existence
/// oracle), an attacker's address cannot lock the owner out, and a served lock does not re-lock
/// on the next single failure.
async fn lockout_is_per_name_and_address(app: TestApp) {
    let from = |ip: &'static str| [("X-Forwarded-For", ip)];
    let login = |user: &'static str, pw: &'static str, ip: &'static str| {
        let body = json!({"username": user, "password": pw});
        let app = &app;
        async move { app.send("POST", "/api/v1/auth/login", None, Some(body), &from(ip)).await }
    };
    for _ in 0..5 {
        login("admin", "wrong-password-123", "203.0.113.7").await.problem(401);
        login("nobody", "wrong-password-123", "203.0.113.7").await.problem(401);
    }
    let real = login("admin", "wrong-password-123", "203.0.113.7").await.problem(429);
    let unknown = login("nobody", "wrong-password-123", "203.0.113.7").await.problem(429);
    // Indistinguishable: the same words; the seconds to wait may differ by the one second that
    // can tick between the two requests.
    let words =
        |r: &crate::helpers::Reply| r.body["detail"].as_str().unwrap().replace(|c: char| c.is_ascii_digit(), "");
    let seconds = |r: &crate::helpers::Reply| -> i64 {
        r.body["detail"].as_str().unwrap().chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap()
    };
    assert_eq!((&real.body["title"], words(&real)), (&unknown.body["title"], words(&unknown)));
    assert!((seconds(&real) - seconds(&unknown)).abs() <= 1, "{} vs {}", real.body, unknown.body);
    assert_eq!(real.header("retry-after").is_some(), unknown.header("retry-after").is_some());

    // The owner, elsewhere, still signs in.
    login("admin", ADMIN_PASSWORD, "198.51.100.20").await.expect(200);

    // The lock ends: one more failure does not lock again; five do, for twice as long.
    app.sql("UPDATE login_locks SET locked_until = last_failure_at WHERE address = '203.0.113.7'");
    login("admin", "wrong-password-123", "203.0.113.7").await.problem(401);
    login("admin", ADMIN_PASSWORD, "203.0.113.7").await.expect(200);
    for _ in 0..5 {
        login("nobody", "wrong-password-123", "203.0.113.7").await.problem(401);
    }
    let again = login("nobody", "wrong-password-123", "203.0.113.7").await.problem(429);
    let wait: u64 = again.header("retry-after").unwrap().parse().unwrap();
    assert!(wait > 15 * 60 && wait <= 30 * 60, "the second lock backs off: {wait}");
}
both!(lockout_is_per_name_and_address, lockout_is_per_name_and_address, &[("GUANXI_TRUST_PROXY", "true")]);

#[actix_web::test]
async fn login_is_throttled_per_address() {
    let app = TestApp::start(Db::Sqlite, &[("GUANXI_LOGIN_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        app.login_reply("nobody", "wrong-password-123").await.problem(401);
    }
    let r = app.login_reply("admin", ADMIN_PASSWORD).await.problem(429);
    assert!(r.header("retry-after").is_some());
}

async fn api_keys(app: TestApp) {
    let admin = app.admin().await;
    let created =
        app.post("/api/v1/api-keys", &admin, json!({"name": "crm-sync", "scopes": ["org:read"]})).await.expect(201);
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("gx_"));
    let id = created.body["id"].as_str().unwrap().to_owned();

    app.get("/api/v1/units", &key).await.expect(200);
    app.get("/api/v1/users", &key).await.problem(403);
    let me = app.get("/api/v1/me", &key).await.expect(200);
    assert_eq!(me.body["kind"], "integration");

    let list = app.get("/api/v1/api-keys", &admin).await.expect(200);
    let text = list.body.to_string();
    assert!(!text.contains(&key), "a key is shown only once");
    assert!(text.contains("crm-sync"));

    app.post("/api/v1/api-keys", &admin, json!({"name": "x", "scopes": ["users:write"]})).await.problem(422);
    let revoke = |tag: Option<&'static str>| {
        let (app, admin, path) = (&app, admin.clone(), format!("/api/v1/api-keys/{id}"));
        async move {
            app.send("DELETE", &path, Some(&admin), None, &tag.map(|t| ("If-Match", t)).into_iter().collect::<Vec<_>>())
                .await
        }
    };
    revoke(None).await.problem(428);
    revoke(Some("\"2\"")).await.problem(412);
    revoke(Some("\"1\"")).await.expect(204);
    revoke(Some("\"1\"")).await.problem(412);
    let listed = app.get("/api/v1/api-keys", &admin).await.expect(200).body;
    assert_eq!(listed["items"].as_array().unwrap().iter().find(|k| k["id"] == id.as_str()).unwrap()["version"], 2);
    app.get("/api/v1/units", &key).await.problem(401);
    app.get("/api/v1/units", "gx_not-a-key").await.problem(401);
}
both!(api_keys_are_scoped_and_revocable, api_keys);

async fn disabling_a_user_ends_their_access(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (id, token) = app.user(&admin, "leaver", "manager", &group).await;
    app.get("/api/v1/me", &token).await.expect(200);
    let user = app.get(&format!("/api/v1/users/{id}"), &admin).await.expect(200);
    let etag = user.header("etag").unwrap();
    app.send(
        "PATCH",
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        Some(json!({"active": false})),
        &[("If-Match", &etag)],
    )
    .await
    .expect(200);
    app.get("/api/v1/me", &token).await.problem(401);
    app.login_reply("leaver", "user-test-password").await.problem(401);
}
both!(disabling_a_user_ends_their_access, disabling_a_user_ends_their_access);

/// The live-session check cannot be skipped: after logout every authenticated operation refuses
/// the token, whether it reads, writes, or would fail early on permissions or validation.
async fn a_revoked_session_is_refused_everywhere(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (_, manager) = app.user(&admin, "mgr", "manager", &group).await;
    let customer = app
        .post(
            "/api/v1/customers",
            &manager,
            json!({"name": "王五", "customer_type": "individual", "source": {"channel": "sales"}}),
        )
        .await
        .expect(201);
    let cid = customer.body["id"].as_str().unwrap().to_owned();
    app.send("POST", "/api/v1/auth/logout", Some(&manager), None, &[]).await.expect(204);
    let calls: Vec<(&str, String, Option<serde_json::Value>)> = vec![
        ("GET", "/api/v1/me".into(), None),
        ("GET", "/api/v1/units".into(), None),
        ("GET", "/api/v1/users".into(), None),
        ("GET", "/api/v1/audit".into(), None),
        ("GET", "/api/v1/api-keys".into(), None),
        ("GET", "/api/v1/jobs/whatever".into(), None),
        ("GET", "/api/v1/customers".into(), None),
        ("GET", format!("/api/v1/customers/{cid}"), None),
        ("GET", format!("/api/v1/customers/{cid}/purchases"), None),
        ("GET", format!("/api/v1/customers/{cid}/duplicates"), None),
        (
            "POST",
            format!("/api/v1/customers/{cid}/reveal"),
            Some(json!({"fields": ["mobile"], "purpose": "service_request"})),
        ),
        (
            "POST",
            "/api/v1/customers".into(),
            Some(json!({"name": "x", "customer_type": "individual", "source": {"channel": "sales"}})),
        ),
        ("POST", "/api/v1/units".into(), Some(json!({"kind": "group", "code": "X", "name": "x"}))),
        ("POST", "/api/v1/audit/verifications".into(), None),
    ];
    for (method, path, body) in calls {
        let r = app.send(method, &path, Some(&manager), body, &[]).await;
        assert_eq!(r.status.as_u16(), 401, "{method} {path} must refuse a revoked session: {}", r.body);
    }
    let count = app.get("/api/v1/customers?limit=500", &app.login("mgr", "user-test-password").await.0).await.body
        ["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(count, 1, "nothing was written with the revoked token");
}
both!(a_revoked_session_is_refused_everywhere, a_revoked_session_is_refused_everywhere);

/// Role and unit travel in the token; a change in the database retires tokens issued before it.
async fn a_role_change_retires_old_tokens(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (id, manager) = app.user(&admin, "promoted", "manager", &group).await;
    app.get("/api/v1/users", &manager).await.expect(200);
    let etag = app.get(&format!("/api/v1/users/{id}"), &admin).await.header("etag").unwrap();
    app.send(
        "PATCH",
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        Some(json!({"role": "agent"})),
        &[("If-Match", &etag)],
    )
    .await
    .expect(200);
    // The old token said "manager": refused, even where an agent would be allowed.
    app.get("/api/v1/customers", &manager).await.problem(401);
    app.get("/api/v1/users", &manager).await.problem(401);
    let (agent, _) = app.login("promoted", "user-test-password").await;
    assert_eq!(app.get("/api/v1/me", &agent).await.body["role"], "agent");
    app.get("/api/v1/users", &agent).await.problem(403);
}
both!(a_role_change_retires_old_tokens, a_role_change_retires_old_tokens);

/// Servers remember a passed session check for `GUANXI_SESSION_CHECK_SECS` (1 s): a logout on one
/// server stops the token on another within that time, and at once where the interval is 0.
async fn a_logout_reaches_other_servers_within_the_check_interval(a: TestApp) {
    let b = a.twin(&[]).await;
    let strict = a.twin(&[("GUANXI_SESSION_CHECK_SECS", "0")]).await;
    let admin = a.admin().await;
    let group = a.group_id(&admin).await;
    let (_, token) = a.user(&admin, "roaming", "manager", &group).await;
    b.get("/api/v1/me", &token).await.expect(200);
    strict.get("/api/v1/me", &token).await.expect(200);
    a.send("POST", "/api/v1/auth/logout", Some(&token), None, &[]).await.expect(204);
    a.get("/api/v1/me", &token).await.problem(401);
    strict.get("/api/v1/me", &token).await.problem(401);
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    b.get("/api/v1/me", &token).await.problem(401);
}
both!(
    a_logout_reaches_other_servers_within_the_check_interval,
    a_logout_reaches_other_servers_within_the_check_interval
);

/// Each principal has a per-minute allowance, told in `RateLimit-*` headers; past it, 429 with
/// `Retry-After`, for that principal only.
async fn principals_are_rate_limited(app: TestApp) {
    let admin = app.admin().await;
    let key = app.post("/api/v1/api-keys", &admin, json!({"name": "sync", "scopes": ["org:read"]})).await.expect(201);
    let key = key.body["key"].as_str().unwrap().to_owned();
    let first = app.get("/api/v1/units", &key).await.expect(200);
    assert_eq!(first.header("ratelimit-limit").as_deref(), Some("5"));
    let left: u32 = first.header("ratelimit-remaining").unwrap().parse().unwrap();
    assert!(left < 5, "{left}");
    assert!(first.header("ratelimit-reset").is_some());
    for _ in 0..left {
        app.get("/api/v1/units", &key).await.expect(200);
    }
    let refused = app.get("/api/v1/units", &key).await.problem(429);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(refused.header("ratelimit-remaining").as_deref(), Some("0"));
    // Others are not held back by it.
    let fresh = app.post("/api/v1/api-keys", &admin, json!({"name": "b", "scopes": ["org:read"]})).await;
    let fresh = fresh.expect(201).body["key"].as_str().unwrap().to_owned();
    app.get("/api/v1/units", &fresh).await.expect(200);
}
both!(principals_are_rate_limited, principals_are_rate_limited, &[("GUANXI_RATE_PER_MINUTE", "5")]);
