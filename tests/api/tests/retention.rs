//! Retention: per-purpose periods, and the job that anonymises customers whose relationship and
//! every consent purpose have lapsed, sparing legal holds, purposes without a period and active
//! customers. Time passes by moving timestamps back in the database.

use serde_json::json;

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

const LONG_AGO: &str = "2020-01-01 00:00:00";

fn age(app: &TestApp, id: &str) {
    app.sql(&format!(
        "UPDATE customers SET updated_at = '{LONG_AGO}', last_contact_at = NULL, last_purchase_at = NULL WHERE id = '{id}'"
    ));
}

async fn run(app: &TestApp, token: &str, dry_run: bool) -> serde_json::Value {
    let job = app.post("/api/v1/retention-runs", token, json!({"dry_run": dry_run})).await.expect(202).body;
    let done = app.wait_job(job["id"].as_str().unwrap(), token).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    done["result"].clone()
}

async fn retention_anonymises_what_has_lapsed(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let mut ids = Vec::new();
    for (i, name) in ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"].iter().enumerate() {
        ids.push(customer(&app, &w.manager, name, &format!("1390000000{i}")).await);
    }
    let [plain, old_consent, no_period, held, active, fresh_consent] = ids.as_slice() else { unreachable!() };
    consent(&app, &w.agent, old_consent, "marketing_sms", true).await;
    consent(&app, &w.agent, no_period, "profiling", true).await;
    consent(&app, &w.agent, fresh_consent, "marketing_sms", true).await;
    app.sql(&format!(
        "UPDATE consents SET recorded_at = '{LONG_AGO}' WHERE customer_id IN ('{old_consent}', '{no_period}')"
    ));
    for id in [plain, old_consent, no_period, held, fresh_consent] {
        age(&app, id);
    }
    app.post(&format!("/api/v1/customers/{held}/legal-holds"), &w.compliance, json!({"reason": "litigation 2026-17"}))
        .await
        .expect(201);

    // Without a relationship period nobody lapses.
    assert_eq!(run(&app, &w.compliance, false).await["anonymised"], 0);
    app.get(&format!("/api/v1/customers/{plain}"), &w.manager).await.expect(200);

    let policy = |p: &str| format!("/api/v1/retention-policies/{p}");
    app.send("PUT", &policy("relationship"), Some(&w.agent), Some(json!({"days": 730})), &[]).await.problem(403);
    app.send("PUT", &policy("relationship"), Some(&w.compliance), Some(json!({"days": 0})), &[]).await.problem(422);
    app.send("PUT", &policy("astrology"), Some(&w.compliance), Some(json!({"days": 30})), &[]).await.problem(422);
    // Creating names no version; changing names the one read.
    let new = app.send("PUT", &policy("relationship"), Some(&w.compliance), Some(json!({"days": 365})), &[]).await;
    assert_eq!(new.expect(200).header("etag").as_deref(), Some("\"1\""));
    let again = |tag: &'static str| {
        let (app, token, path) = (&app, w.compliance.clone(), policy("relationship"));
        let headers: Vec<(&str, &str)> = if tag.is_empty() { vec![] } else { vec![("If-Match", tag)] };
        async move { app.send("PUT", &path, Some(&token), Some(json!({"days": 730})), &headers).await }
    };
    again("").await.problem(428);
    again("\"7\"").await.problem(412);
    let set = again("\"1\"").await.expect(200);
    assert_eq!((set.body["days"].as_i64(), set.body["version"].as_i64()), (Some(730), Some(2)), "a second PUT updates");
    app.send("PUT", &policy("marketing_email"), Some(&w.compliance), Some(json!({"days": 9})), &[("If-Match", "*")])
        .await
        .problem(412);
    app.send("PUT", &policy("marketing_sms"), Some(&w.compliance), Some(json!({"days": 365})), &[]).await.expect(200);
    let list = app.get("/api/v1/retention-policies", &w.auditor).await.expect(200).body;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // A dry run counts and changes nothing.
    let dry = run(&app, &w.compliance, true).await;
    assert_eq!(
        (dry["expired"].as_i64(), dry["anonymised"].as_i64(), dry["held"].as_i64()),
        (Some(2), Some(0), Some(1))
    );
    app.get(&format!("/api/v1/customers/{plain}"), &w.manager).await.expect(200);

    let done = run(&app, &w.compliance, false).await;
    assert_eq!(done["anonymised"], 2, "{done}");
    for gone in [plain, old_consent] {
        app.get(&format!("/api/v1/customers/{gone}"), &w.manager).await.problem(404);
    }
    for kept in [no_period, held, active, fresh_consent] {
        app.get(&format!("/api/v1/customers/{kept}"), &w.manager).await.expect(200);
    }
    let audit = app.get("/api/v1/audit?action=customer.anonymise", &w.compliance).await.expect(200).body;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|e| e["purpose"] == "retention"));
    // Nothing more to do on a second run.
    assert_eq!(run(&app, &w.compliance, false).await["anonymised"], 0);

    app.send("DELETE", &policy("marketing_sms"), Some(&w.compliance), None, &[]).await.problem(428);
    app.send("DELETE", &policy("marketing_sms"), Some(&w.compliance), None, &[("If-Match", "\"1\"")]).await.expect(204);
    app.send("DELETE", &policy("marketing_sms"), Some(&w.compliance), None, &[("If-Match", "*")]).await.problem(404);
}
both!(retention_anonymises_what_has_lapsed, retention_anonymises_what_has_lapsed);
