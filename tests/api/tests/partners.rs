//! Partners: a key sees only agreed fields of consented customers in agreed units (others 404),
//! withdrawal stops it at once, and every read is in the share log.

use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

async fn partner_reads_only_what_was_agreed(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let partner = app
        .post(
            "/api/v1/partners",
            &w.compliance,
            json!({"code": "acme-insure", "name": "Acme 保险", "nda_reference": "NDA-2026-07", "nda_signed_on": "2026-01-05"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(partner["purpose"], "partner_sharing:acme-insure");
    let pid = partner["id"].as_str().unwrap();
    let agreement = json!({
        "fields": ["name", "mobile"], "purposes": ["insurance_quote"], "unit_ids": [w.s1],
        "document_reference": "DSA-2026-07", "starts_on": "2026-01-01"
    });
    let agreement =
        app.post(&format!("/api/v1/partners/{pid}/agreements"), &w.compliance, agreement).await.expect(201).body;
    let key = app.post(&format!("/api/v1/partners/{pid}/api-keys"), &w.compliance, json!({"name": "acme prod"})).await;
    let key = key.expect(201).body["key"].as_str().unwrap().to_owned();

    let consented = customer(&app, &w.manager, "周七", "13811112222").await;
    let silent = customer(&app, &w.manager, "吴八", "13811113333").await;
    let elsewhere = customer(&app, &w.other_manager, "郑九", "13811114444").await;
    consent(&app, &w.agent, &consented, "partner_sharing:acme-insure", true).await;
    // The other unit's customer consents too, but no agreement covers that unit.
    let compliance2 = app.user(&w.admin, "compliance2", "compliance", &w.s2).await.1;
    notice(&app, &compliance2).await;
    consent(&app, &w.other_manager, &elsewhere, "partner_sharing:acme-insure", true).await;

    let read = |id: &str| format!("/api/v1/partner/customers/{id}?purpose=insurance_quote");
    let got = app.get(&read(&consented), &key).await.expect(200).body;
    assert_eq!(got["fields"], json!({"name": "周七", "mobile": "+8613811112222"}), "agreed fields only, in clear");
    app.get(&read(&silent), &key).await.problem(404);
    app.get(&read(&elsewhere), &key).await.problem(404);
    app.get(&read("no-such-customer"), &key).await.problem(404);
    app.get(&format!("/api/v1/partner/customers/{consented}?purpose=marketing"), &key).await.problem(422);
    // The key reaches nothing else, and staff cannot use the partner API.
    app.get(&format!("/api/v1/customers/{consented}"), &key).await.problem(403);
    app.get(&read(&consented), &w.manager).await.problem(403);

    // Every disclosure is logged, and readable per customer.
    let shares = app.get("/api/v1/shares", &w.compliance).await.expect(200).body;
    let items = shares["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["customer_id"], consented.as_str());
    assert_eq!(items[0]["fields"], json!(["name", "mobile"]));
    assert_eq!(items[0]["purpose"], "insurance_quote");
    assert_eq!(items[0]["partner_name"], "Acme 保险");
    // The log names the customer as the reader may see them, not by a bare id.
    let as_compliance_sees = app.get(&format!("/api/v1/customers/{consented}"), &w.compliance).await.expect(200).body;
    assert_eq!(
        (&items[0]["customer"]["id"], &items[0]["customer"]["name"]),
        (&json!(consented), &as_compliance_sees["name"])
    );
    let mine = app.get(&format!("/api/v1/customers/{consented}/shares"), &w.agent).await.expect(200).body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    app.get("/api/v1/shares", &w.agent).await.problem(403);

    // Withdrawal stops the partner with the next request.
    consent(&app, &w.agent, &consented, "partner_sharing:acme-insure", false).await;
    app.get(&read(&consented), &key).await.problem(404);
    consent(&app, &w.agent, &consented, "partner_sharing:acme-insure", true).await;
    app.get(&read(&consented), &key).await.expect(200);
    // So does ending the agreement.
    let aid = agreement["id"].as_str().unwrap();
    let ended = app
        .send(
            "DELETE",
            &format!("/api/v1/partners/{pid}/agreements/{aid}"),
            Some(&w.compliance),
            None,
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(ended.status, 204);
    app.get(&read(&consented), &key).await.problem(422);
    let shares = app.get(&format!("/api/v1/shares?partner_id={pid}"), &w.auditor).await.expect(200).body;
    assert_eq!(shares["items"].as_array().unwrap().len(), 2, "exactly the two successful reads");

    // Bad agreements are refused field by field.
    let bad = json!({"fields": ["password"], "purposes": [""], "unit_ids": ["nope"], "document_reference": "x", "starts_on": "someday"});
    let p = app.post(&format!("/api/v1/partners/{pid}/agreements"), &w.compliance, bad).await.problem(422);
    let fields: Vec<&str> = p.body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["fields", "purposes", "unit_ids", "starts_on"]);
    let dup = json!({"code": "acme-insure", "name": "x", "nda_reference": "y", "nda_signed_on": "2026-01-05"});
    app.post("/api/v1/partners", &w.compliance, dup).await.problem(409);
}
both!(partner_reads_only_what_was_agreed, partner_reads_only_what_was_agreed);

/// Sharing by file: only consented customers of the agreed units, only the agreed fields, each
/// one in the share log (channel `export`) and so in their disclosure history.
async fn partner_export_shares_what_was_agreed(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let partner = json!({"code": "acme", "name": "Acme 保险", "nda_reference": "NDA-1", "nda_signed_on": "2026-01-05"});
    let pid =
        app.post("/api/v1/partners", &w.compliance, partner).await.expect(201).body["id"].as_str().unwrap().to_owned();
    let agreement = json!({"fields": ["name", "mobile"], "purposes": ["insurance_quote"], "unit_ids": [w.s1], "document_reference": "DSA-1", "starts_on": "2026-01-01"});
    let aid = app.post(&format!("/api/v1/partners/{pid}/agreements"), &w.compliance, agreement).await.expect(201).body
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let consented = customer(&app, &w.manager, "周七", "13811112222").await;
    let silent = customer(&app, &w.manager, "吴八", "13811113333").await;
    let compliance2 = app.user(&w.admin, "compliance2", "compliance", &w.s2).await.1;
    notice(&app, &compliance2).await;
    let elsewhere = customer(&app, &w.other_manager, "郑九", "13811114444").await;
    consent(&app, &w.agent, &consented, "partner_sharing:acme", true).await;
    consent(&app, &w.other_manager, &elsewhere, "partner_sharing:acme", true).await;

    let url = format!("/api/v1/partners/{pid}/exports");
    let body = |purpose: &str, format: &str| json!({"agreement_id": aid, "purpose": purpose, "format": format});
    app.post(&url, &w.agent, body("insurance_quote", "csv")).await.problem(403);
    app.post(&url, &w.compliance, body("marketing", "csv")).await.problem(422);
    let mut unknown = body("insurance_quote", "csv");
    unknown["agreement_id"] = json!("nope");
    app.post(&url, &w.compliance, unknown).await.problem(422);

    let job = app.post(&url, &w.compliance, body("insurance_quote", "csv")).await.expect(202).body;
    let job_id = job["id"].as_str().unwrap();
    let done = app.wait_job(job_id, &w.compliance).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!((done["result"]["customers"].as_i64(), done["result"]["without_consent"].as_i64()), (Some(1), Some(1)));
    let path = format!("/api/v1/jobs/{job_id}/files/partner-acme.csv");
    let csv = app.send("GET", &path, Some(&w.compliance), None, &[]).await.expect(200).body;
    let csv = csv.as_str().unwrap_or_default().to_owned();
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        ["id,name,mobile".to_owned(), format!("{consented},周七,+8613811112222")]
    );

    let json_job = app.post(&url, &w.compliance, body("insurance_quote", "json")).await.expect(202).body;
    let json_id = json_job["id"].as_str().unwrap();
    app.wait_job(json_id, &w.compliance).await;
    let path = format!("/api/v1/jobs/{json_id}/files/partner-acme.json");
    let rows = app.send("GET", &path, Some(&w.compliance), None, &[]).await.expect(200).body;
    assert_eq!(rows, json!([{"id": consented, "name": "周七", "mobile": "+8613811112222"}]));

    let mine = app.get(&format!("/api/v1/customers/{consented}/shares"), &w.agent).await.expect(200).body;
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|s| s["channel"] == "export" && s["purpose"] == "insurance_quote"));
    let theirs = app.get(&format!("/api/v1/customers/{silent}/shares"), &w.agent).await.expect(200).body;
    assert_eq!(theirs["items"], json!([]));
}
both!(partner_export_shares_what_was_agreed, partner_export_shares_what_was_agreed);

/// An agreement reaches no further than the caller's units: a subsidiary's compliance officer
/// cannot use an agreement of another subsidiary, and a group-wide agreement exports only their
/// own subsidiary's customers.
async fn partner_use_stays_in_the_callers_units(app: TestApp) {
    let w = world(&app).await;
    let group = app.group_id(&w.admin).await;
    let group_compliance = app.user(&w.admin, "compliance0", "compliance", &group).await.1;
    notice(&app, &group_compliance).await;
    let partner = json!({"code": "acme", "name": "Acme", "nda_reference": "NDA-1", "nda_signed_on": "2026-01-05"});
    let pid = app.post("/api/v1/partners", &group_compliance, partner).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agreement = |units: Value| json!({"fields": ["name", "mobile"], "purposes": ["insurance_quote"], "unit_ids": units, "document_reference": "DSA-1", "starts_on": "2026-01-01"});
    let agreements = format!("/api/v1/partners/{pid}/agreements");
    let s2_only = app.post(&agreements, &group_compliance, agreement(json!([w.s2]))).await.expect(201).body;
    let group_wide = app.post(&agreements, &group_compliance, agreement(json!([group]))).await.expect(201).body;
    let mine = customer(&app, &w.manager, "周七", "13811112222").await;
    let theirs = customer(&app, &w.other_manager, "郑九", "13811114444").await;
    consent(&app, &w.agent, &mine, "partner_sharing:acme", true).await;
    consent(&app, &w.other_manager, &theirs, "partner_sharing:acme", true).await;

    let url = format!("/api/v1/partners/{pid}/exports");
    let body = |a: &Value| json!({"agreement_id": a["id"], "purpose": "insurance_quote", "format": "json"});
    let refused = app.post(&url, &w.compliance, body(&s2_only)).await.problem(422);
    assert_eq!(refused.body["errors"][0]["field"], "agreement_id");
    let hook = json!({"url": "https://hooks.example.com/x", "topics": ["*"], "agreement_id": s2_only["id"], "purpose": "insurance_quote"});
    app.post(&format!("/api/v1/partners/{pid}/webhooks"), &w.compliance, hook).await.problem(422);

    let job = app.post(&url, &w.compliance, body(&group_wide)).await.expect(202).body;
    let done = app.wait_job(job["id"].as_str().unwrap(), &w.compliance).await;
    assert_eq!(done["result"]["customers"], 1, "{done}");
    let path = format!("/api/v1/jobs/{}/files/partner-acme.json", job["id"].as_str().unwrap());
    let rows = app.send("GET", &path, Some(&w.compliance), None, &[]).await.expect(200).body;
    assert_eq!(rows, json!([{"id": mine, "name": "周七", "mobile": "+8613811112222"}]), "S1's customer only");

    // The group uses the same agreement for everyone it covers.
    let job = app.post(&url, &group_compliance, body(&group_wide)).await.expect(202).body;
    let done = app.wait_job(job["id"].as_str().unwrap(), &group_compliance).await;
    assert_eq!(done["result"]["customers"], 2, "{done}");

    // The share log is scoped like everything else: S1 sees its own disclosures only.
    let s1_shares = app.get("/api/v1/shares", &w.compliance).await.expect(200).body;
    let s1_ids: Vec<&str> =
        s1_shares["items"].as_array().unwrap().iter().filter_map(|s| s["customer_id"].as_str()).collect();
    assert!(s1_ids.iter().all(|c| *c == mine), "{s1_shares}");
    let s2_compliance = app.user(&w.admin, "compliance2", "compliance", &w.s2).await.1;
    let s2_shares = app.get("/api/v1/shares", &s2_compliance).await.expect(200).body;
    let s2_ids: Vec<&str> =
        s2_shares["items"].as_array().unwrap().iter().filter_map(|s| s["customer_id"].as_str()).collect();
    assert_eq!(s2_ids, [theirs.as_str()], "{s2_shares}");
    let all = app.get("/api/v1/shares", &group_compliance).await.expect(200).body;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
}
both!(partner_use_stays_in_the_callers_units, partner_use_stays_in_the_callers_units);
