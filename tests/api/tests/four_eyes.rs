//! Four eyes on clear personal data: an administrator may not read personal data, so nothing an
//! administrator does alone makes an account that can — a compliance or manager role, enabling
//! such an account, a new password for one all wait for a second person of such a role.

use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

const PW: &str = "user-test-password";
const NEW_PW: &str = "admin-chosen-password";

async fn create(app: &TestApp, admin: &str, username: &str, role: &str, unit: &str) -> Value {
    let body = json!({"username": username, "display_name": username, "password": PW, "role": role, "unit_id": unit});
    app.post("/api/v1/users", admin, body).await.expect(201).body
}

async fn patch(app: &TestApp, admin: &str, user: &Value, body: Value) -> Value {
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let current = app.get(&path, admin).await.expect(200);
    let etag = current.header("etag").unwrap();
    app.send("PATCH", &path, Some(admin), Some(body), &[("If-Match", &etag)]).await.expect(200).body
}

async fn no_admin_alone_reaches_clear_data(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, agent) = app.user(&admin, "agent1", "agent", &s1).await;
    let customer = json!({"name": "张三丰", "mobile": "13812341234", "email": "zsf@example.com", "customer_type": "individual", "source": {"channel": "service"}});
    let cid = app.post("/api/v1/customers", &agent, customer).await.expect(201).body["id"].as_str().unwrap().to_owned();
    let reveal = json!({"fields": ["mobile"], "purpose": "service_request"});
    let reveal_path = format!("/api/v1/customers/{cid}/reveal");

    // 1. A new compliance officer is created disabled, waiting for approval.
    let c1 = create(&app, &admin, "c1", "compliance", &s1).await;
    assert_eq!(c1["active"], false);
    let grant = c1["pending_grant"].as_str().expect("a pending grant").to_owned();
    app.login_reply("c1", PW).await.problem(401);

    // 2. Promoting an account the admin controls waits too; it keeps its role meanwhile.
    let a2 = create(&app, &admin, "a2", "agent", &s1).await;
    assert!(a2["pending_grant"].is_null());
    let a2 = patch(&app, &admin, &a2, json!({"role": "manager", "display_name": "A2"})).await;
    assert_eq!((a2["role"].as_str(), a2["display_name"].as_str()), (Some("agent"), Some("A2")));
    assert!(a2["pending_grant"].is_string());
    let (a2_token, _) = app.login("a2", PW).await;
    app.post(&reveal_path, &a2_token, reveal.clone()).await.problem(403);
    let seen = app.get(&format!("/api/v1/customers/{cid}"), &a2_token).await.expect(200).body;
    assert_eq!(seen["email"], "z***@example.com", "still the masked view");

    // 3. The admin cannot approve, nor can anyone outside the scope.
    app.post(&format!("/api/v1/user-grants/{grant}/approve"), &admin, json!({})).await.problem(403);
    let (_, s2_manager) = app.user(&admin, "m2", "manager", &s2).await;
    app.post(&format!("/api/v1/user-grants/{grant}/approve"), &s2_manager, json!({})).await.problem(404);
    let pending = app.get("/api/v1/user-grants", &admin).await.expect(200).body;
    let ids: Vec<&str> = pending["items"].as_array().unwrap().iter().filter_map(|g| g["id"].as_str()).collect();
    assert!(ids.contains(&grant.as_str()));
    assert!(!pending.to_string().contains("pbkdf2") && !pending.to_string().contains(PW), "no password in sight");

    // 4. A manager approved by a second person works; a new password for them waits.
    let (m1_id, m1) = app.user(&admin, "m1", "manager", &s1).await;
    app.post(&reveal_path, &m1, reveal.clone()).await.expect(200);
    let m1_user = json!({"id": m1_id});
    let changed = patch(&app, &admin, &m1_user, json!({"password": NEW_PW})).await;
    let reset = changed["pending_grant"].as_str().unwrap().to_owned();
    app.login_reply("m1", NEW_PW).await.problem(401);
    app.login_reply("m1", PW).await.expect(200);
    // Disabled and enabled again by the admin: stays disabled until approved.
    let off = patch(&app, &admin, &m1_user, json!({"active": false})).await;
    assert_eq!(off["active"], false);
    let on = patch(&app, &admin, &m1_user, json!({"active": true})).await;
    assert_eq!(on["active"], false);
    app.login_reply("m1", PW).await.problem(401);
    assert_ne!(on["pending_grant"].as_str(), Some(reset.as_str()), "a newer request supersedes the older");

    // 5. The second person approves one and rejects another; the user cannot approve their own.
    let approver = app.approver().await;
    let own = app
        .post(&format!("/api/v1/user-grants/{}/approve", on["pending_grant"].as_str().unwrap()), &m1, json!({}))
        .await;
    own.problem(401); // m1 is disabled: its session ended
    let approved =
        app.post(&format!("/api/v1/user-grants/{grant}/approve"), &approver, json!({})).await.expect(200).body;
    assert_eq!((approved["active"].as_bool(), approved["pending_grant"].is_null()), (Some(true), true));
    let (c1_token, _) = app.login("c1", PW).await;
    app.post(&reveal_path, &c1_token, reveal.clone()).await.expect(200);
    let a2_grant = a2["pending_grant"].as_str().unwrap();
    app.send("POST", &format!("/api/v1/user-grants/{a2_grant}/reject"), Some(&c1_token), Some(json!({})), &[])
        .await
        .expect(204);
    app.post(&format!("/api/v1/user-grants/{a2_grant}/approve"), &approver, json!({})).await.problem(404);
    let (a2_token, _) = app.login("a2", PW).await;
    app.post(&reveal_path, &a2_token, reveal).await.problem(403);

    let log = app.get("/api/v1/audit?resource_type=user&limit=200", &approver).await.expect(200).body;
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["user.grant_request", "user.grant_approve", "user.grant_reject"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}
both!(no_admin_alone_reaches_clear_data, no_admin_alone_reaches_clear_data);
