//! The audit chain records every write and login, and detects tampering.

use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

async fn setup(app: &TestApp) -> String {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    app.create_unit(&admin, &group, "subsidiary", "S1").await;
    app.user(&admin, "compliance1", "compliance", &group).await.1
}

async fn writes_and_logins_are_audited(app: TestApp) {
    let compliance = setup(&app).await;
    let admin = app.admin().await;
    app.get("/api/v1/audit", &admin).await.problem(403);
    let log = app.get("/api/v1/audit?limit=500", &compliance).await.expect(200);
    let actions: Vec<&str> =
        log.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for expected in ["unit.create", "user.create", "auth.login", "user.grant_request", "user.grant_approve"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    // The compliance officer the admin created (the approver was made by the operator's CLI).
    let create = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.create" && e["actor_kind"] == "staff")
        .unwrap();
    assert_eq!(create["actor_role"], "admin");
    assert!(create["fields"].as_array().unwrap().contains(&json!("username")));
    assert!(!log.body.to_string().contains("user-test-password"), "no secrets in the log");
    let seqs: Vec<i64> = log.body["items"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");

    let verify = app.get("/api/v1/audit/verify", &compliance).await.expect(200);
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    assert_eq!(verify.body["checked"], verify.body["head_seq"]);
}
both!(writes_and_logins_are_audited, writes_and_logins_are_audited);

async fn a_tampered_row_is_reported(app: TestApp) {
    let compliance = setup(&app).await;
    assert_eq!(app.get("/api/v1/audit/verify", &compliance).await.body["ok"], true);
    // Someone with database access rewrites history.
    assert_eq!(app.sql("UPDATE audit_log SET action = 'unit.rename' WHERE seq = 2"), 1);
    let r = app.get("/api/v1/audit/verify", &compliance).await.expect(200);
    assert_eq!(r.body["ok"], false);
    assert_eq!(r.body["first_broken_seq"], 2);
    assert_eq!(r.body["checked"], 1);
}
both!(a_tampered_row_is_reported, a_tampered_row_is_reported);

async fn a_deleted_row_is_reported(app: TestApp) {
    let compliance = setup(&app).await;
    assert_eq!(app.sql("DELETE FROM audit_log WHERE seq = 3"), 1);
    let r = app.get("/api/v1/audit/verify", &compliance).await.expect(200);
    assert_eq!(r.body["ok"], false);
    assert_eq!(r.body["first_broken_seq"], 3);
    assert_eq!(r.body["reason"], "entry missing");
}
both!(a_deleted_row_is_reported, a_deleted_row_is_reported);

async fn a_truncated_tail_is_reported(app: TestApp) {
    let compliance = setup(&app).await;
    let head = app.get("/api/v1/audit/verify", &compliance).await.body["head_seq"].as_i64().unwrap();
    app.sql(&format!("DELETE FROM audit_log WHERE seq = {head}"));
    let r = app.get("/api/v1/audit/verify", &compliance).await.expect(200);
    assert_eq!(r.body["ok"], false);
    assert_eq!(r.body["first_broken_seq"], head);
}
both!(a_truncated_tail_is_reported, a_truncated_tail_is_reported);

/// Deleting the newest entries and rewriting the head leaves an intact chain; a signed checkpoint
/// kept outside the database still tells.
async fn a_rewritten_head_contradicts_a_signed_checkpoint(app: TestApp) {
    let compliance = setup(&app).await;
    let cp = app.post("/api/v1/audit/checkpoints", &compliance, json!({})).await.expect(201).body;
    let (seq, jws) = (cp["seq"].as_i64().unwrap(), cp["jws"].as_str().unwrap().to_owned());
    assert!(seq >= 3);
    let listed = app.get("/api/v1/audit/checkpoints", &compliance).await.expect(200).body;
    assert_eq!(listed["items"][0]["jws"], jws.as_str());
    let with = |jws: &str| format!("/api/v1/audit/verify?checkpoint={jws}");
    assert_eq!(app.get(&with(&jws), &compliance).await.expect(200).body["ok"], true);

    // The attacker removes the last two entries, points the head at the new last one and
    // deletes the stored checkpoints: the chain itself is consistent again.
    app.sql(&format!("DELETE FROM audit_log WHERE seq > {}", seq - 2));
    app.sql(&format!(
        "UPDATE audit_head SET seq = {0}, hash = (SELECT hash FROM audit_log WHERE seq = {0}) WHERE id = 1",
        seq - 2
    ));
    app.sql("DELETE FROM audit_checkpoints");
    let plain = app.get("/api/v1/audit/verify", &compliance).await.expect(200).body;
    assert_eq!(plain["ok"], true, "the chain alone cannot tell: {plain}");
    let r = app.get(&with(&jws), &compliance).await.expect(200).body;
    assert_eq!(r["ok"], false, "{r}");
    assert_eq!(r["first_broken_seq"], seq);
    assert_eq!(r["reason"], "the chain is shorter than a signed checkpoint");

    // A checkpoint not signed by this service proves nothing.
    let mut forged: Vec<String> = jws.split('.').map(str::to_owned).collect();
    forged[2] = forged[2].chars().rev().collect();
    app.get(&with(&forged.join(".")), &compliance).await.problem(422);
}
both!(a_rewritten_head_contradicts_a_signed_checkpoint, a_rewritten_head_contradicts_a_signed_checkpoint);

/// Many writers at once still produce one unbroken chain with no gaps.
async fn concurrent_writes_keep_the_chain(app: TestApp) {
    let compliance = setup(&app).await;
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let creates = (0..12).map(|i| {
        app.post(
            "/api/v1/units",
            &admin,
            json!({"parent_id": group, "kind": "subsidiary", "code": format!("C{i}"), "name": format!("C{i}")}),
        )
    });
    // All requests are in flight at once, so the appends contend on the server.
    for r in futures_util::future::join_all(creates).await {
        r.expect(201);
    }
    let verify = app.get("/api/v1/audit/verify", &compliance).await.expect(200);
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    let log = app.get("/api/v1/audit?action=unit.create&limit=500", &compliance).await.expect(200);
    assert_eq!(log.body["items"].as_array().unwrap().len(), 14, "group, S1 and 12 concurrent units");
}
both!(concurrent_writes_keep_the_chain, concurrent_writes_keep_the_chain);

/// The audit log is scoped like everything else: a subsidiary's auditor reads entries of its own
/// staff and about its own customers; the group reads all.
async fn audit_is_scoped_by_unit(app: TestApp) {
    let w = crate::fixtures::world(&app).await;
    let group = app.group_id(&w.admin).await;
    let group_auditor = app.user(&w.admin, "auditor0", "auditor", &group).await.1;
    let s2_auditor = app.user(&w.admin, "auditor2", "auditor", &w.s2).await.1;
    let mine = crate::fixtures::customer(&app, &w.manager, "周七", "13811112222").await;
    let theirs = crate::fixtures::customer(&app, &w.other_manager, "郑九", "13811114444").await;
    let ids = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().filter_map(|e| e["resource_id"].as_str().map(str::to_owned)).collect()
    };
    let s1 = app.get("/api/v1/audit?resource_type=customer&limit=100", &w.auditor).await.expect(200).body;
    assert!(ids(&s1).contains(&mine) && !ids(&s1).contains(&theirs), "{s1}");
    let s2 = app.get("/api/v1/audit?resource_type=customer&limit=100", &s2_auditor).await.expect(200).body;
    assert!(ids(&s2).contains(&theirs) && !ids(&s2).contains(&mine), "{s2}");
    let direct = app.get(&format!("/api/v1/audit?resource_id={theirs}"), &w.auditor).await.expect(200).body;
    assert_eq!(direct["items"], json!([]), "asking by id reveals nothing either");
    let all = app.get("/api/v1/audit?resource_type=customer&limit=100", &group_auditor).await.expect(200).body;
    assert!(ids(&all).contains(&theirs) && ids(&all).contains(&mine));
}
both!(audit_is_scoped_by_unit, audit_is_scoped_by_unit);
