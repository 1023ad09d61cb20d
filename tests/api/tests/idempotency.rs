//! `Idempotency-Key`: a retried creating POST gets the first response again, not a second
//! record; the same key with another body is 422; keys belong to their caller.

use serde_json::json;

use crate::both;
use crate::helpers::TestApp;

async fn retries_replay_the_first_response(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let agent = app.user(&admin, "agent1", "agent", &group).await.1;
    let other = app.user(&admin, "agent2", "agent", &group).await.1;
    let body = json!({"name": "周一", "mobile": "13811110001", "customer_type": "individual", "source": {"channel": "service"}});
    let key = [("Idempotency-Key", "create-zhou-1")];
    let first = app.send("POST", "/api/v1/customers", Some(&agent), Some(body.clone()), &key).await.expect(201);
    let again = app.send("POST", "/api/v1/customers", Some(&agent), Some(body.clone()), &key).await.expect(201);
    assert_eq!(again.body["id"], first.body["id"], "the same customer, not a second one");
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(again.header("etag"), first.header("etag"));
    assert!(first.header("idempotency-replayed").is_none());
    let list = app.get("/api/v1/customers?mobile=13811110001", &agent).await.expect(200).body;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    // Another body under the same key is refused; another caller's key is their own.
    let mut changed = body.clone();
    changed["name"] = json!("周二");
    let p = app.send("POST", "/api/v1/customers", Some(&agent), Some(changed), &key).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("Idempotency-Key"), Some("reused"))
    );
    let mut theirs = body.clone();
    theirs["mobile"] = json!("13811110002");
    let own = app.send("POST", "/api/v1/customers", Some(&other), Some(theirs), &key).await.expect(201);
    assert_ne!(own.body["id"], first.body["id"]);

    // A failure is not kept: the corrected request with the same key goes through.
    let bad = json!({"name": "", "customer_type": "individual", "source": {"channel": "service"}});
    let key2 = [("Idempotency-Key", "create-3")];
    app.send("POST", "/api/v1/customers", Some(&agent), Some(bad), &key2).await.problem(422);
    let mut fixed = body.clone();
    fixed["mobile"] = json!("13811110003");
    app.send("POST", "/api/v1/customers", Some(&agent), Some(fixed), &key2).await.expect(201);
    app.send(
        "POST",
        "/api/v1/customers",
        Some(&agent),
        Some(body.clone()),
        &[("Idempotency-Key", "bad key with spaces")],
    )
    .await
    .problem(422);

    // A kept response may hold personal data (a manager sees the full email): it is sealed at
    // rest like every copy. A reveal is never replayed: each one runs, counts and is audited.
    let manager = app.user(&admin, "manager1", "manager", &group).await.1;
    let mut full = body.clone();
    full["mobile"] = json!("13811110004");
    full["email"] = json!("zhou.yi.kept@example.com");
    let key4 = [("Idempotency-Key", "manager-create")];
    let made = app.send("POST", "/api/v1/customers", Some(&manager), Some(full.clone()), &key4).await.expect(201);
    assert_eq!(made.body["email"], "zhou.yi.kept@example.com");
    let again = app.send("POST", "/api/v1/customers", Some(&manager), Some(full), &key4).await.expect(201);
    assert_eq!(again.body, made.body);
    let stored = crate::privacy::everything(&app);
    assert!(!crate::privacy::contains(&stored, "zhou.yi.kept"), "a kept response is stored in clear");
    let reveal = format!("/api/v1/customers/{}/reveal", made.body["id"].as_str().unwrap());
    let ask = json!({"fields": ["mobile"], "purpose": "service_request"});
    let key3 = [("Idempotency-Key", "reveal-1")];
    for _ in 0..2 {
        let shown = app.send("POST", &reveal, Some(&manager), Some(ask.clone()), &key3).await.expect(200);
        assert!(shown.header("idempotency-replayed").is_none());
    }
    let auditor = app.user(&admin, "auditor1", "auditor", &group).await.1;
    let log = app.get("/api/v1/audit?action=customer.reveal", &auditor).await.expect(200).body;
    assert_eq!(log["items"].as_array().unwrap().len(), 2, "each reveal audited");
}
both!(retries_replay_the_first_response, retries_replay_the_first_response);
