//! Intra-group sharing grants reads only: staff of another unit may read a shared customer, but
//! every write, reveal and privacy action answers exactly as for a customer that does not exist.

use serde_json::json;

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

async fn sharing_is_read_only(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let s2_compliance = app.user(&w.admin, "compliance2", "compliance", &w.s2).await.1;
    let s2_agent = app.user(&w.admin, "agent2", "agent", &w.s2).await.1;
    let id = customer(&app, &w.manager, "周八", "13812340000").await;
    let other = customer(&app, &w.manager, "周九", "13812340001").await;
    consent(&app, &w.agent, &id, "intra_group_sharing", true).await;
    let base = format!("/api/v1/customers/{id}");

    // Reads go through for the other unit.
    app.get(&base, &w.other_manager).await.expect(200);
    app.get(&base, &s2_agent).await.expect(200);
    app.get(&format!("{base}/consents"), &w.other_manager).await.expect(200);
    app.get(&format!("{base}/purchases"), &s2_agent).await.expect(200);
    app.get(&format!("{base}/history"), &w.other_manager).await.expect(200);

    // Every write, reveal and privacy action is refused as if the customer did not exist.
    let if_match = [("If-Match", "\"1\"")];
    let patch = app.send("PATCH", &base, Some(&w.other_manager), Some(json!({"occupation": "x"})), &if_match).await;
    patch.problem(404);
    app.send("DELETE", &base, Some(&w.other_manager), None, &if_match).await.problem(404);
    let purchase = json!({"product": "x", "amount_fen": 1, "channel": "store", "purchased_at": "2026-01-01T00:00:00Z"});
    app.post(&format!("{base}/purchases"), &s2_agent, purchase).await.problem(404);
    let feedback = json!({"kind": "complaint", "content": "x", "channel": "call"});
    app.post(&format!("{base}/feedback"), &s2_agent, feedback).await.problem(404);
    let pref = json!({"category": "brand", "value": "x"});
    app.post(&format!("{base}/preferences"), &s2_agent, pref).await.problem(404);
    let grant = json!({"purpose": "profiling", "granted": false, "channel": "paper"});
    app.post(&format!("{base}/consents"), &s2_agent, grant).await.problem(404);
    app.post(&format!("{base}/consent-links"), &s2_agent, json!({})).await.problem(404);
    app.post(&format!("{base}/verifications"), &s2_agent, json!({"fields": ["mobile"]})).await.problem(404);
    let reveal = json!({"fields": ["mobile"], "purpose": "service_request"});
    app.post(&format!("{base}/reveal"), &s2_compliance, reveal.clone()).await.problem(404);
    app.post(&format!("{base}/legal-holds"), &s2_compliance, json!({"reason": "x"})).await.problem(404);
    app.get(&format!("{base}/legal-holds"), &s2_compliance).await.problem(404);
    let merge = json!({"source_id": other, "target_version": 1, "source_version": 1, "dry_run": true});
    app.post(&format!("{base}/merge"), &w.other_manager, merge).await.problem(404);
    let request = json!({"customer_id": id, "kind": "deletion"});
    let refused = app.post("/api/v1/privacy-requests", &s2_compliance, request.clone()).await.problem(422);
    let unknown = json!({"customer_id": "nobody", "kind": "deletion"});
    let nobody = app.post("/api/v1/privacy-requests", &s2_compliance, unknown).await.problem(422);
    assert_eq!(refused.body["errors"], nobody.body["errors"], "no hint that the customer exists");

    // Nothing changed, and the home unit still may do all of it.
    let now = app.get(&base, &w.manager).await.expect(200).body;
    assert_eq!(now["version"], 1);
    assert!(now["occupation"].is_null());
    app.send("PATCH", &base, Some(&w.manager), Some(json!({"occupation": "教师"})), &if_match).await.expect(200);
    app.post(&format!("{base}/reveal"), &w.compliance, reveal).await.expect(200);
    app.post("/api/v1/privacy-requests", &w.compliance, request).await.expect(201);
}
both!(sharing_is_read_only, sharing_is_read_only);
