//! Merging duplicates: a dry run that changes nothing, a merge that moves everything in one
//! transaction (and leaves both customers exactly as they were when it fails), and undo.

use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

struct World {
    manager: String,
    agent: String,
    other: String,
    a: String,
    b: String,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &s1).await;
    let (_, agent) = app.user(&admin, "agent1", "agent", &s1).await;
    let (_, other) = app.user(&admin, "manager2", "manager", &s2).await;
    let a = app
        .post("/api/v1/customers", &agent, json!({"name": "王小明", "mobile": "13911112222", "customer_type": "individual", "source": {"channel": "sales"}, "tags": ["a"]}))
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = app
        .post("/api/v1/customers", &agent, json!({"name": "王晓明", "mobile": "139 1111 2222", "email": "wxm@example.com", "address": "上海市浦东新区世纪大道1号", "customer_type": "individual", "source": {"channel": "service"}, "tags": ["b"]}))
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (id, n) in [(&a, 2), (&b, 1)] {
        for i in 0..n {
            app.post(&format!("/api/v1/customers/{id}/purchases"), &agent, json!({"product": format!("P{i}"), "amount_fen": 100, "channel": "store", "purchased_at": "2026-01-02T10:00:00Z"}))
                .await
                .expect(201);
        }
    }
    app.post(&format!("/api/v1/customers/{b}/contacts"), &agent, json!({"kind": "call", "direction": "inbound", "reached": true, "summary": "asked", "occurred_at": "2026-02-01T10:00:00Z"}))
        .await
        .expect(201);
    World { manager, agent, other, a, b }
}

async fn state(app: &TestApp, token: &str, id: &str) -> (Value, usize, usize) {
    let c = app.get(&format!("/api/v1/customers/{id}"), token).await;
    let purchases = app.get(&format!("/api/v1/customers/{id}/purchases"), token).await;
    let contacts = app.get(&format!("/api/v1/customers/{id}/contacts"), token).await;
    let count = |r: crate::helpers::Reply| r.body["items"].as_array().map_or(0, Vec::len);
    (c.body, count(purchases), count(contacts))
}

fn request(w: &World, a: &Value, b: &Value, dry_run: bool) -> Value {
    json!({"source_id": w.b, "target_version": a["version"], "source_version": b["version"], "dry_run": dry_run})
}

async fn merge_dry_run_merge_and_undo(app: TestApp) {
    let w = world(&app).await;
    let (a0, ap0, _) = state(&app, &w.manager, &w.a).await;
    let (b0, bp0, bc0) = state(&app, &w.manager, &w.b).await;
    assert_eq!((ap0, bp0, bc0), (2, 1, 1));
    let url = format!("/api/v1/customers/{}/merge", w.a);

    // The candidates were found by the shared mobile.
    let dups = app.get(&format!("/api/v1/customers/{}/duplicates", w.a), &w.manager).await.expect(200).body;
    assert_eq!(dups[0]["customer"]["id"], w.b.as_str());

    // Dry run: field by field, and nothing changes.
    let dry = app.post(&url, &w.manager, request(&w, &a0, &b0, true)).await.expect(200).body;
    let field =
        |name: &str| dry["preview"]["fields"].as_array().unwrap().iter().find(|f| f["field"] == name).unwrap().clone();
    assert_eq!(field("name")["from"], "target");
    assert_eq!(field("name")["merged"], "王小明");
    assert_eq!(field("mobile")["from"], "same");
    assert_eq!(field("email")["from"], "source");
    assert_eq!(field("email")["merged"], field("email")["source"]);
    assert_eq!(dry["preview"]["moves"]["purchases"], 1);
    assert_eq!(dry["preview"]["moves"]["contacts"], 1);
    assert_eq!(dry["preview"]["tags"], json!(["a", "b"]));
    assert!(dry["merge"].is_null());
    assert_eq!(state(&app, &w.manager, &w.a).await.0, a0, "a dry run changes nothing");
    assert_eq!(state(&app, &w.manager, &w.b).await.0, b0);

    // Who may: managers of the scope only; versions must be current.
    app.post(&url, &w.agent, request(&w, &a0, &b0, false)).await.problem(403);
    app.post(&url, &w.other, request(&w, &a0, &b0, false)).await.problem(404);
    let mut stale = request(&w, &a0, &b0, false);
    stale["source_version"] = json!(99);
    app.post(&url, &w.manager, stale).await.problem(412);
    let mut wrong = request(&w, &a0, &b0, false);
    wrong["take_from_source"] = json!(["version"]);
    app.post(&url, &w.manager, wrong).await.problem(422);

    // A self-service link the customer received for the record about to be merged away.
    let link =
        app.post(&format!("/api/v1/customers/{}/consent-links", w.b), &w.agent, json!({})).await.expect(201).body;
    let link = link["token"].as_str().unwrap().to_owned();

    // The merge, taking the source's name as well.
    let mut req = request(&w, &a0, &b0, false);
    req["take_from_source"] = json!(["name"]);
    let done = app.post(&url, &w.manager, req).await.expect(200).body;
    assert_eq!(done["customer"]["name"], "王晓明");
    let merge_id = done["merge"]["id"].as_str().unwrap().to_owned();
    // The merged id leads to the survivor (a bookmark, a privacy request, an old link), for those
    // who may read it; for anyone else it stays "not found".
    // (307 with `Location`; this client follows it, as browsers and most clients do.)
    let old = app.get(&format!("/api/v1/customers/{}", w.b), &w.manager).await.expect(200).body;
    assert_eq!((old["id"].as_str(), old["name"].as_str()), (Some(w.a.as_str()), Some("王晓明")));
    app.get(&format!("/api/v1/customers/{}", w.b), &w.other).await.problem(404);
    // The link already sent opens the surviving record: the same person.
    let view = app.get("/api/v1/self-service/consents", &link).await.expect(200).body;
    assert_eq!(view["display_name"], "王**");
    let (a1, ap1, ac1) = state(&app, &w.manager, &w.a).await;
    assert_eq!((ap1, ac1), (3, 1), "records moved to the survivor");
    assert_eq!(a1["tags"], json!(["a", "b"]));
    // The taken email was sealed again for the survivor's row: it decrypts there.
    let revealed = app
        .post(
            &format!("/api/v1/customers/{}/reveal", w.a),
            &w.manager,
            json!({"fields": ["email", "address"], "purpose": "service_request"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(revealed["values"]["email"], "wxm@example.com");
    assert_eq!(revealed["values"]["address"], "上海市浦东新区世纪大道1号");
    let merges = app.get(&format!("/api/v1/customers/{}/merges", w.a), &w.agent).await.expect(200).body;
    assert_eq!(merges[0]["id"], merge_id.as_str());

    // Undo: both as they were.
    app.post(&format!("/api/v1/customer-merges/{merge_id}/undo"), &w.agent, json!({})).await.problem(403);
    app.send("POST", &format!("/api/v1/customer-merges/{merge_id}/undo"), Some(&w.other), None, &[]).await.problem(404);
    let undone = app
        .send("POST", &format!("/api/v1/customer-merges/{merge_id}/undo"), Some(&w.manager), None, &[])
        .await
        .expect(200)
        .body;
    assert!(undone["undone_at"].is_string());
    let (a2, ap2, ac2) = state(&app, &w.manager, &w.a).await;
    let (b2, bp2, bc2) = state(&app, &w.manager, &w.b).await;
    assert_eq!((ap2, ac2, bp2, bc2), (2, 0, 1, 1));
    for f in ["name", "mobile", "email", "address", "tags", "owner_ids"] {
        assert_eq!(a2[f], a0[f], "survivor's {f} restored");
        assert_eq!(b2[f], b0[f], "source's {f} restored");
    }
    app.send("POST", &format!("/api/v1/customer-merges/{merge_id}/undo"), Some(&w.manager), None, &[])
        .await
        .problem(409);

    // A survivor edited after the merge cannot be unmerged without losing the edit: 409.
    let done = app.post(&url, &w.manager, request(&w, &a2, &b2, false)).await.expect(200).body;
    let merged = &done["customer"];
    app.send(
        "PATCH",
        &format!("/api/v1/customers/{}", w.a),
        Some(&w.manager),
        Some(json!({"occupation": "教师"})),
        &[("If-Match", &format!("\"{}\"", merged["version"]))],
    )
    .await
    .expect(200);
    let id = done["merge"]["id"].as_str().unwrap();
    app.send("POST", &format!("/api/v1/customer-merges/{id}/undo"), Some(&w.manager), None, &[]).await.problem(409);
}
both!(merge_dry_run_merge_and_undo, merge_dry_run_merge_and_undo);

/// A failure in the middle of a merge (here: the merge record cannot be written, after the
/// records have been moved) leaves both customers exactly as before.
async fn interrupted_merge_changes_nothing(app: TestApp) {
    let w = world(&app).await;
    let postgres = app.state.settings.database_url.starts_with("postgres");
    if postgres {
        app.sql("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql");
        app.sql("CREATE TRIGGER refuse_merge BEFORE INSERT ON customer_merges FOR EACH ROW EXECUTE FUNCTION refuse()");
    } else {
        app.sql("CREATE TRIGGER refuse_merge BEFORE INSERT ON customer_merges BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    }
    let before_a = state(&app, &w.manager, &w.a).await;
    let before_b = state(&app, &w.manager, &w.b).await;
    let url = format!("/api/v1/customers/{}/merge", w.a);
    let r = app.post(&url, &w.manager, request(&w, &before_a.0, &before_b.0, false)).await;
    assert_eq!(r.status.as_u16(), 500, "{:?}", r.body);
    assert_eq!(state(&app, &w.manager, &w.a).await, before_a);
    assert_eq!(state(&app, &w.manager, &w.b).await, before_b);
    let tagged = app.get("/api/v1/customers?tag=b", &w.manager).await.expect(200).body;
    assert_eq!(tagged["items"].as_array().unwrap().len(), 1, "tags untouched");
    app.sql(if postgres { "DROP TRIGGER refuse_merge ON customer_merges" } else { "DROP TRIGGER refuse_merge" });
    app.post(&url, &w.manager, request(&w, &before_a.0, &before_b.0, false)).await.expect(200);
}
both!(interrupted_merge_changes_nothing, interrupted_merge_changes_nothing);

/// Consents through a merge: the source's records move over, a withdrawal on either side wins
/// (even over a newer grant on the other), and undo gives each customer its own state back.
async fn merge_keeps_the_more_restrictive_consent(app: TestApp) {
    use crate::fixtures::{consent, customer, notice};
    let w = crate::fixtures::world(&app).await;
    notice(&app, &w.compliance).await;
    let target = customer(&app, &w.manager, "王小明", "13911112222").await;
    let source = customer(&app, &w.manager, "王晓明", "13911112222").await;
    consent(&app, &w.agent, &source, "marketing_sms", true).await;
    consent(&app, &w.agent, &source, "marketing_sms", false).await;
    consent(&app, &w.agent, &target, "marketing_sms", true).await; // newer than the withdrawal
    consent(&app, &w.agent, &target, "profiling", false).await;
    consent(&app, &w.agent, &source, "profiling", true).await; // newer than the withdrawal
    consent(&app, &w.agent, &source, "marketing_email", true).await;
    let states = |id: String| {
        let app = &app;
        let token = w.agent.clone();
        async move {
            let o = app.get(&format!("/api/v1/customers/{id}/consents"), &token).await.expect(200).body;
            let mut s: Vec<(String, bool)> = o["current"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["purpose"].as_str().unwrap().to_owned(), c["granted"].as_bool().unwrap()))
                .collect();
            s.sort();
            s
        }
    };
    let (t0, s0) = (states(target.clone()).await, states(source.clone()).await);
    let version = |id: &str| {
        let id = id.to_owned();
        let app = &app;
        let token = w.manager.clone();
        async move { app.get(&format!("/api/v1/customers/{id}"), &token).await.expect(200).body["version"].clone() }
    };
    let body = |dry_run: bool, tv: Value, sv: Value| json!({"source_id": source, "target_version": tv, "source_version": sv, "dry_run": dry_run});
    let url = format!("/api/v1/customers/{target}/merge");
    let dry = app.post(&url, &w.manager, body(true, version(&target).await, version(&source).await)).await;
    let outcomes = dry.expect(200).body["preview"]["consents"].clone();
    assert_eq!(
        outcomes,
        json!([
            {"purpose": "marketing_email", "target": null, "source": true, "merged": true},
            {"purpose": "marketing_sms", "target": true, "source": false, "merged": false},
            {"purpose": "profiling", "target": false, "source": true, "merged": false},
        ])
    );

    let done = app.post(&url, &w.manager, body(false, version(&target).await, version(&source).await)).await;
    let merge_id = done.expect(200).body["merge"]["id"].as_str().unwrap().to_owned();
    let merged = states(target.clone()).await;
    let expected = [("marketing_email", true), ("marketing_sms", false), ("profiling", false)];
    assert_eq!(merged, expected.map(|(p, g)| (p.to_owned(), g)));
    let check = app.get(&format!("/api/v1/customers/{target}/consents/check?purpose=marketing_sms"), &w.agent).await;
    assert_eq!(check.expect(200).body["allowed"], false);
    let history = app.get(&format!("/api/v1/customers/{target}/consents"), &w.agent).await.expect(200).body;
    let by_merge = history["history"].as_array().unwrap().iter().filter(|c| c["channel"] == "merge").count();
    assert_eq!(by_merge, 2, "one withdrawal per purpose the merge restricted");

    app.post(&format!("/api/v1/customer-merges/{merge_id}/undo"), &w.manager, json!({})).await.expect(200);
    assert_eq!(states(source.clone()).await, s0, "the source's own states are back");
    assert_eq!(states(target.clone()).await, t0, "the survivor's own states are back");
}
both!(merge_keeps_the_more_restrictive_consent, merge_keeps_the_more_restrictive_consent);
