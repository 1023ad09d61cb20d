//! The incident register: recording, affected customers by list and by query (scoped to the
//! recorder's customers, never twice), actions that move the status, notifications recorded once
//! per customer, and the regulator report.

use serde_json::json;

use crate::both;
use crate::fixtures::{customer, world};
use crate::helpers::TestApp;

fn incident() -> serde_json::Value {
    json!({
        "title": "导出文件误发", "category": "leak", "severity": "high",
        "description": "A customer export was e-mailed to a wrong address.",
        "cause": "Wrong recipient picked from the address book.",
        "harm": "Names and mobiles may be used for spam or fraud.",
        "advice": "Beware of calls asking for verification codes.",
        "contact": "dpo@example.com, 400-000-0000",
        "fields": ["name", "mobile"],
        "occurred_at": "2026-11-20T09:00:00Z", "detected_at": "2026-11-21T10:00:00Z"
    })
}

async fn incident_register(app: TestApp) {
    let w = world(&app).await;
    let compliance2 = app.user(&w.admin, "compliance2", "compliance", &w.s2).await.1;
    let c1 = customer(&app, &w.manager, "甲一", "13900000001").await;
    let c2 = customer(&app, &w.manager, "乙二", "13900000002").await;
    let no_mobile = app
        .post(
            "/api/v1/customers",
            &w.manager,
            json!({"name": "丙三", "customer_type": "individual", "source": {"channel": "sales"}, "tags": ["leaked"]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let etag = app.get(&format!("/api/v1/customers/{c2}"), &w.manager).await.header("etag").unwrap();
    app.send(
        "PATCH",
        &format!("/api/v1/customers/{c2}"),
        Some(&w.manager),
        Some(json!({"tags": ["leaked"]})),
        &[("If-Match", &etag)],
    )
    .await
    .expect(200);
    let elsewhere = customer(&app, &w.other_manager, "丁四", "13900000004").await;

    app.post("/api/v1/incidents", &w.agent, incident()).await.problem(403);
    app.post("/api/v1/incidents", &w.auditor, incident()).await.problem(403);
    let mut bad = incident();
    bad["fields"] = json!(["horoscope"]);
    assert_eq!(
        app.post("/api/v1/incidents", &w.compliance, bad).await.problem(422).body["errors"][0]["field"],
        "fields"
    );
    let mut early = incident();
    early["detected_at"] = json!("2026-11-19T00:00:00Z");
    app.post("/api/v1/incidents", &w.compliance, early).await.problem(422);
    let created = app.post("/api/v1/incidents", &w.compliance, incident()).await.expect(201).body;
    assert_eq!(created["status"], "open");
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/incidents/{id}");
    app.get(&path, &compliance2).await.problem(404);
    assert_eq!(app.get("/api/v1/incidents", &compliance2).await.expect(200).body["items"], json!([]));

    // Affected customers: by list (only the recorder's), by query, never twice.
    let customers_path = format!("{path}/customers");
    let add = |body: serde_json::Value| app.post(&customers_path, &w.compliance, body);
    add(json!({"customer_ids": [c1, elsewhere]})).await.problem(422);
    add(json!({})).await.problem(422);
    let r = add(json!({"customer_ids": [c1]})).await.expect(200).body;
    assert_eq!((r["added"].as_i64(), r["affected"].as_i64()), (Some(1), Some(1)));
    let r = add(json!({"query": {"tag": "leaked"}, "customer_ids": [c1]})).await.expect(200).body;
    assert_eq!((r["added"].as_i64(), r["affected"].as_i64()), (Some(2), Some(3)));
    assert_eq!(add(json!({"query": {}})).await.expect(200).body["added"], 0, "the S2 customer stays out of scope");
    assert_eq!(
        add(json!({"customer_ids": [no_mobile]})).await.expect(200).body["added"],
        0,
        "found by the query already"
    );
    // Who was affected, masked as everywhere: names for compliance, never whole numbers; in
    // pages; nothing of another subsidiary's incident.
    let page = app.get(&format!("{customers_path}?limit=2"), &w.compliance).await.expect(200).body;
    let rest = app
        .get(&format!("{customers_path}?limit=2&cursor={}", page["next_cursor"].as_str().unwrap()), &w.compliance)
        .await
        .expect(200)
        .body;
    assert!(rest["next_cursor"].is_null());
    let listed: Vec<&serde_json::Value> =
        page["items"].as_array().unwrap().iter().chain(rest["items"].as_array().unwrap()).collect();
    let mut names: Vec<&str> = listed.iter().map(|c| c["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["丙三", "乙二", "甲一"]);
    let first = listed.iter().find(|c| c["id"] == c1.as_str()).unwrap();
    assert_eq!((first["mobile"].as_str(), first["unit_id"].as_str()), (Some("139****0001"), Some(w.s1.as_str())));
    assert!(listed.iter().any(|c| c["id"] == no_mobile.as_str() && c["mobile"].is_null()));
    app.get(&customers_path, &compliance2).await.problem(404);
    app.get(&customers_path, &w.agent).await.problem(403);

    // Notifications: recorded where there is a mobile, `no_contact` where not, once each.
    let notify =
        app.post(&format!("{path}/notifications"), &w.compliance, json!({"channel": "sms"})).await.expect(200).body;
    assert_eq!((notify["recorded"].as_i64(), notify["no_contact"].as_i64()), (Some(2), Some(1)));
    let again =
        app.post(&format!("{path}/notifications"), &w.compliance, json!({"channel": "sms"})).await.expect(200).body;
    assert_eq!((again["recorded"].as_i64(), again["no_contact"].as_i64()), (Some(0), Some(0)));

    // Actions move the status and stamp the regulator report.
    let actions_path = format!("{path}/actions");
    let act = |kind: &str| {
        app.post(&actions_path, &w.compliance, json!({"kind": kind, "description": format!("{kind} done")}))
    };
    act("containment").await.expect(201);
    assert_eq!(app.get(&path, &w.auditor).await.expect(200).body["status"], "contained");
    act("regulator_report").await.expect(201);
    let got = app.get(&path, &w.auditor).await.expect(200).body;
    assert!(got["reported_at"].is_string());
    assert_eq!((got["affected"].as_i64(), got["notified"].as_i64()), (Some(3), Some(2)));

    let report = app.get(&format!("{path}/report"), &w.auditor).await.expect(200).body;
    assert_eq!(report["controller"], "S1");
    assert_eq!(report["affected_by_unit"], json!([{"unit_id": w.s1, "unit_name": "S1", "count": 3}]));
    assert_eq!(
        report["notifications"],
        json!([{"channel": "sms", "status": "no_contact", "count": 1}, {"channel": "sms", "status": "recorded", "count": 2}])
    );
    let kinds: Vec<&str> = report["actions"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "notification").count(), 2);
    assert!(kinds.contains(&"containment") && kinds.contains(&"regulator_report"));
    assert_eq!(report["incident"]["fields"], json!(["mobile", "name"]));
    assert_eq!(report["incident"]["advice"], "Beware of calls asking for verification codes.");
    assert!(!report.to_string().contains("13900000001"), "the report names no customer");

    act("closure").await.expect(201);
    assert_eq!(app.get(&path, &w.auditor).await.expect(200).body["status"], "closed");
    act("remediation").await.problem(409);
}
both!(incident_register, incident_register);
