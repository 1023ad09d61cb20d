//! Consent: notices, append-only records, the decision function and its use for cross-unit
//! reads, signed receipts, and who may do what.

use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, customer, notice, notice_body, world};
use crate::helpers::TestApp;

async fn consent_governs_cross_unit_reads(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let id = customer(&app, &w.manager, "李四", "13912345678").await;
    let path = format!("/api/v1/customers/{id}");
    app.get(&path, &w.other_manager).await.problem(404);

    let granted = consent(&app, &w.agent, &id, "intra_group_sharing", true).await;
    let shared = app.get(&path, &w.other_manager).await.expect(200).body;
    assert_eq!(shared["mobile"], "139****5678", "shared customers stay masked");
    let check = app.get(&format!("{path}/consents/check?purpose=intra_group_sharing"), &w.other_manager).await;
    let check = check.expect(200).body;
    assert_eq!(check["allowed"], true);
    assert_eq!(check["reason"], "granted");
    assert_eq!(check["consent_id"], granted["id"]);

    // Withdrawal takes effect at once, for the very next request.
    let withdrawn = consent(&app, &w.agent, &id, "intra_group_sharing", false).await;
    app.get(&path, &w.other_manager).await.problem(404);
    app.get(&format!("{path}/consents"), &w.other_manager).await.problem(404);
    let check =
        app.get(&format!("{path}/consents/check?purpose=intra_group_sharing"), &w.manager).await.expect(200).body;
    assert_eq!(check["allowed"], false);
    assert_eq!(check["reason"], "withdrawn");
    assert_eq!(check["consent_id"], withdrawn["id"]);

    // A consent limited to S3 does not open the customer to S2.
    let body = json!({"purpose": "intra_group_sharing", "granted": true, "channel": "app", "scope": [w.s3]});
    app.post(&format!("{path}/consents"), &w.agent, body).await.expect(201);
    app.get(&path, &w.other_manager).await.problem(404);
    let check = app.get(&format!("{path}/consents/check?purpose=intra_group_sharing"), &w.other_manager).await;
    assert_eq!(check.problem(404).status, 404);
    let body = json!({"purpose": "intra_group_sharing", "granted": true, "channel": "app", "scope": [w.s2, w.s3]});
    app.post(&format!("{path}/consents"), &w.agent, body).await.expect(201);
    app.get(&path, &w.other_manager).await.expect(200);

    // History is append-only: four records, one current state.
    let overview = app.get(&format!("{path}/consents"), &w.manager).await.expect(200).body;
    assert_eq!(overview["history"].as_array().unwrap().len(), 4);
    let current = overview["current"].as_array().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["granted"], true);
    assert_eq!(current[0]["scope"], json!([w.s2, w.s3]));
    let _ = (&w.s1, &w.admin);
}
both!(consent_governs_cross_unit_reads, consent_governs_cross_unit_reads);

async fn consent_records_are_checked(app: TestApp) {
    let w = world(&app).await;
    let id = customer(&app, &w.agent, "王五", "13700001111").await;
    let path = format!("/api/v1/customers/{id}/consents");
    let grant = json!({"purpose": "marketing_sms", "granted": true, "channel": "paper"});
    let p = app.post(&path, &w.agent, grant.clone()).await.problem(422);
    assert_eq!(p.body["errors"][0]["field"], "notice_id", "no notice, no consent");
    // A withdrawal needs no notice: a customer can always say no.
    app.post(&path, &w.agent, json!({"purpose": "marketing_sms", "granted": false, "channel": "paper"}))
        .await
        .expect(201);

    let n = notice(&app, &w.compliance).await;
    assert_eq!(n["version"], 1);
    let n2 = notice(&app, &w.compliance).await;
    assert_eq!(n2["version"], 2, "a new version, the old one stays");
    let recorded = app.post(&path, &w.agent, grant).await.expect(201).body;
    assert_eq!(recorded["notice_id"], n2["id"], "the current version is what consent refers to");
    assert_eq!(recorded["self_service"], false);

    let bad = json!({"purpose": "telepathy", "granted": true, "channel": "paper"});
    assert_eq!(app.post(&path, &w.agent, bad).await.problem(422).body["errors"][0]["field"], "purpose");
    let bad = json!({"purpose": "partner_sharing:nobody", "granted": true, "channel": "paper"});
    app.post(&path, &w.agent, bad).await.problem(422);
    let bad = json!({"purpose": "marketing_sms", "granted": true, "channel": "paper", "scope": [w.s2]});
    assert_eq!(app.post(&path, &w.agent, bad).await.problem(422).body["errors"][0]["field"], "scope");
    let bad = json!({"purpose": "marketing_sms", "granted": true, "channel": "carrier_pigeon"});
    assert_eq!(app.post(&path, &w.agent, bad).await.problem(422).body["errors"][0]["field"], "channel");
    let forged =
        json!({"purpose": "marketing_sms", "granted": true, "channel": "paper", "recorded_at": "2020-01-01T00:00:00Z"});
    assert_eq!(app.post(&path, &w.agent, forged).await.problem(422).body["errors"][0]["field"], "recorded_at");

    let check = app.get(&format!("{path}/check?purpose=marketing_sms&channel=email"), &w.agent).await.expect(200).body;
    assert_eq!(check["reason"], "channel_mismatch");
    let check = app.get(&format!("{path}/check?purpose=marketing_sms&channel=sms"), &w.agent).await.expect(200).body;
    assert_eq!(check["allowed"], true);
    let check = app.get(&format!("{path}/check?purpose=profiling"), &w.agent).await.expect(200).body;
    assert_eq!((check["allowed"].clone(), check["reason"].clone()), (json!(false), json!("no_consent")));
    // A mistyped purpose or channel is refused and named, never answered "not allowed".
    for (query, field) in [("purpose=marketing_fax", "purpose"), ("purpose=marketing_sms&channel=fax", "channel")] {
        let p = app.get(&format!("{path}/check?{query}"), &w.agent).await.problem(400);
        assert_eq!(p.body["errors"][0]["field"], field, "{query}");
    }

    // Roles: IT reads no consent, auditors read but record nothing, other units see nothing.
    app.get(&path, &w.admin).await.problem(403);
    app.get(&path, &w.auditor).await.expect(200);
    let grant = json!({"purpose": "profiling", "granted": true, "channel": "paper"});
    app.post(&path, &w.auditor, grant.clone()).await.problem(403);
    app.post(&path, &w.other_manager, grant).await.problem(404);
    app.post("/api/v1/privacy-notices", &w.manager, notice_body()).await.problem(403);

    let audit = app.get(&format!("/api/v1/audit?resource_id={id}"), &w.auditor).await.expect(200).body;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"consent.grant") && actions.contains(&"consent.withdraw"), "{actions:?}");
}
both!(consent_records_are_checked, consent_records_are_checked);

/// The batch decision campaign sends and profiling use: channel purposes included, each
/// customer with its reason, as of a moment.
async fn many_customers_are_decided_at_once(app: TestApp) {
    use guanxi::consent::decide::decide_many;
    use guanxi::consent::model::DecisionReason;
    use guanxi::consent::purpose::{MarketingChannel, Purpose};
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let granted = customer(&app, &w.agent, "甲", "13911110001").await;
    let withdrawn = customer(&app, &w.agent, "乙", "13911110002").await;
    let never = customer(&app, &w.agent, "丙", "13911110003").await;
    let before = guanxi::db::now();
    consent(&app, &w.agent, &granted, "marketing_sms", true).await;
    consent(&app, &w.agent, &withdrawn, "marketing_sms", true).await;
    consent(&app, &w.agent, &withdrawn, "marketing_sms", false).await;
    consent(&app, &w.agent, &never, "marketing_email", true).await;
    let ids = vec![granted.clone(), withdrawn.clone(), never.clone()];
    let mut conn = app.state.db.get().unwrap();
    let sms = Purpose::Marketing(MarketingChannel::Sms);
    let now = decide_many(&mut conn, &ids, &sms, guanxi::db::now()).unwrap();
    let reasons: Vec<DecisionReason> = now.iter().map(|(_, r)| *r).collect();
    assert_eq!(reasons, [DecisionReason::Granted, DecisionReason::Withdrawn, DecisionReason::NoConsent]);
    assert_eq!(
        now.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let then = decide_many(&mut conn, &ids, &sms, before).unwrap();
    assert!(then.iter().all(|(_, r)| *r == DecisionReason::NoConsent), "nothing was recorded yet: {then:?}");
    assert!(decide_many(&mut conn, &ids, &Purpose::IntraGroupSharing, guanxi::db::now()).is_err());
}
both!(many_customers_are_decided_at_once, many_customers_are_decided_at_once);

async fn receipts_are_signed(app: TestApp) {
    let w = world(&app).await;
    let n = notice(&app, &w.compliance).await;
    let id = customer(&app, &w.agent, "赵六", "13600002222").await;
    let c = consent(&app, &w.agent, &id, "marketing_sms", true).await;
    let cid = c["id"].as_str().unwrap();
    let r = app.get(&format!("/api/v1/customers/{id}/consents/{cid}/receipt"), &w.agent).await.expect(200).body;
    assert_eq!(r["receipt_id"], c["id"]);
    assert_eq!(r["claims"]["piiPrincipalId"], id);
    assert_eq!(r["claims"]["services"][0]["purposes"][0]["purpose"], "marketing_sms");
    assert_eq!(r["claims"]["x-guanxi"]["noticeVersion"], n["version"]);
    assert_eq!(r["claims"]["x-guanxi"]["action"], "grant");
    let jws = r["jws"].as_str().unwrap();

    // Anyone can verify it with the published key.
    let jwks = app.send("GET", "/.well-known/jwks.json", None, None, &[]).await.expect(200).body;
    let x = jwks["keys"][0]["x"].as_str().unwrap();
    let key = jsonwebtoken::DecodingKey::from_ed_components(x).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    v.set_required_spec_claims::<&str>(&[]);
    v.validate_exp = false;
    v.validate_aud = false;
    let decoded = jsonwebtoken::decode::<Value>(jws, &key, &v).expect("signature verifies");
    assert_eq!(decoded.claims["consentReceiptID"], c["id"]);
    assert_eq!(decoded.header.typ.as_deref(), Some("consent-receipt+jwt"));

    let ok = app.send("POST", "/api/v1/consent-receipts/verify", None, Some(json!({"jws": jws})), &[]).await;
    assert_eq!(ok.expect(200).body["valid"], true);
    let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
    let forged = json!({"consentReceiptID": "x", "iss": decoded.claims["iss"]}).to_string();
    parts[1] = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, forged);
    let bad =
        app.send("POST", "/api/v1/consent-receipts/verify", None, Some(json!({"jws": parts.join(".")})), &[]).await;
    assert_eq!(bad.expect(200).body["valid"], false);
    // An access token is not a receipt, and a receipt is not an access token.
    let as_token = app.get("/api/v1/me", jws).await;
    assert_eq!(as_token.problem(401).status, 401);
    let token_as_receipt =
        app.send("POST", "/api/v1/consent-receipts/verify", None, Some(json!({"jws": w.agent})), &[]).await;
    assert_eq!(token_as_receipt.expect(200).body["valid"], false);
    app.get(&format!("/api/v1/customers/{id}/consents/nope/receipt"), &w.agent).await.problem(404);
}
both!(receipts_are_signed, receipts_are_signed);
