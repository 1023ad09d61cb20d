//! Self-service consent links: a customer sees and changes their own consents and reads their
//! disclosure history with a signed, expiring link and nothing else; the link is no access token
//! and an access token is no link.

use serde_json::json;

use crate::both;
use crate::fixtures::{customer, notice, world};
use crate::helpers::TestApp;

async fn self_service_link(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let id = customer(&app, &w.manager, "周小七", "13811112222").await;
    let links = format!("/api/v1/customers/{id}/consent-links");
    app.post(&links, &w.auditor, json!({})).await.problem(403);
    app.post(&links, &w.other_manager, json!({})).await.problem(404);
    app.post(&links, &w.agent, json!({"valid_days": 0})).await.problem(422);
    let link = app.post(&links, &w.agent, json!({"valid_days": 3})).await.expect(201).body;
    let token = link["token"].as_str().unwrap().to_owned();
    assert!(link["url"].as_str().unwrap().ends_with(&format!("#{token}")), "the token travels in the fragment");

    // A partner the customer will decide on, with an agreement covering the unit.
    let partner = app
        .post(
            "/api/v1/partners",
            &w.compliance,
            json!({"code": "acme", "name": "Acme 保险", "nda_reference": "NDA-1", "nda_signed_on": "2026-01-05"}),
        )
        .await
        .expect(201)
        .body;
    let pid = partner["id"].as_str().unwrap();
    let agreement = json!({"fields": ["name"], "purposes": ["insurance_quote"], "unit_ids": [w.s1], "document_reference": "DSA-1", "starts_on": "2026-01-01"});
    app.post(&format!("/api/v1/partners/{pid}/agreements"), &w.compliance, agreement).await.expect(201);
    let key = app.post(&format!("/api/v1/partners/{pid}/api-keys"), &w.compliance, json!({"name": "acme"})).await;
    let key = key.expect(201).body["key"].as_str().unwrap().to_owned();
    let partner_read = format!("/api/v1/partner/customers/{id}?purpose=insurance_quote");

    // The public page's view: masked name, the notice in force, nothing decided yet.
    let view = app.get("/api/v1/self-service/consents", &token).await.expect(200).body;
    assert_eq!(view["display_name"], "周**");
    assert_eq!(view["notice"]["title"], "个人信息保护告知书");
    assert!(view["purposes"].as_array().unwrap().iter().any(|p| p == "marketing_sms"));
    assert_eq!(view["current"], json!([]));
    assert!(view.get("mobile").is_none() && !view.to_string().contains("13811112222"));

    // The customer grants: a self-service record with a signed receipt, seen by staff.
    let choice = app
        .post("/api/v1/self-service/consents", &token, json!({"purpose": "partner_sharing:acme", "granted": true}))
        .await
        .expect(201)
        .body;
    assert_eq!(choice["consent"]["self_service"], true);
    assert_eq!(choice["consent"]["channel"], "self_service");
    assert!(choice["consent"]["recorded_by"].is_null());
    let body = json!({"jws": choice["receipt"]["jws"]});
    let verified = app.send("POST", "/api/v1/consent-receipts/verify", None, Some(body), &[]).await;
    assert_eq!(verified.expect(200).body["valid"], true);
    let staff = app.get(&format!("/api/v1/customers/{id}/consents"), &w.agent).await.expect(200).body;
    assert_eq!(staff["current"][0]["purpose"], "partner_sharing:acme");
    app.post("/api/v1/self-service/consents", &token, json!({"purpose": "anything", "granted": true}))
        .await
        .problem(422);

    // The partner reads; the customer sees the disclosure, then withdraws and the partner stops.
    app.get(&partner_read, &key).await.expect(200);
    let view = app.get("/api/v1/self-service/consents", &token).await.expect(200).body;
    assert_eq!(view["disclosures"][0]["partner_name"], "Acme 保险");
    assert_eq!(view["disclosures"][0]["fields"], json!(["name"]));
    assert_eq!(view["current"][0]["granted"], true);
    app.post("/api/v1/self-service/consents", &token, json!({"purpose": "partner_sharing:acme", "granted": false}))
        .await
        .expect(201);
    app.get(&partner_read, &key).await.problem(404);
    let audit = app.get("/api/v1/audit?action=consent.withdraw", &w.compliance).await.expect(200).body;
    assert_eq!(audit["items"][0]["actor_kind"], "customer");

    // Links and access tokens do not stand in for each other; forged or expired links fail.
    app.get(&format!("/api/v1/customers/{id}"), &token).await.problem(401);
    app.get("/api/v1/self-service/consents", &w.agent).await.problem(401);
    app.send("GET", "/api/v1/self-service/consents", None, None, &[]).await.problem(401);
    // A changed character inside the signature (not the last, whose low bits are padding).
    let at = token.len() - 10;
    let swapped = if &token[at..=at] == "A" { "B" } else { "A" };
    let forged = format!("{}{swapped}{}", &token[..at], &token[at + 1..]);
    app.get("/api/v1/self-service/consents", &forged).await.problem(401);
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"iss": app.state.tokens.issuer(), "sub": id, "jti": "x", "iat": now - 7200, "exp": now - 3600});
    let expired = app.state.tokens.sign_document(guanxi::consent::link::LINK_TYP, &claims).unwrap();
    app.get("/api/v1/self-service/consents", &expired).await.problem(401);

    // A deleted customer's link leads nowhere.
    let etag = app.get(&format!("/api/v1/customers/{id}"), &w.manager).await.header("etag").unwrap();
    app.send("DELETE", &format!("/api/v1/customers/{id}"), Some(&w.manager), None, &[("If-Match", &etag)])
        .await
        .expect(204);
    app.get("/api/v1/self-service/consents", &token).await.problem(404);
}
both!(self_service_link, self_service_link);

/// Each view is an audit write: a link and an address may only make so many requests a minute.
/// Without a link, the answer is 401 whatever the body.
async fn self_service_is_throttled(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let id = customer(&app, &w.manager, "周小八", "13811113333").await;
    let links = format!("/api/v1/customers/{id}/consent-links");
    let token = app.post(&links, &w.agent, json!({})).await.expect(201).body["token"].as_str().unwrap().to_owned();
    let other = app.post(&links, &w.agent, json!({})).await.expect(201).body["token"].as_str().unwrap().to_owned();
    let mut served = 0;
    for _ in 0..15 {
        let r = app.get("/api/v1/self-service/consents", &token).await;
        if r.status == 429 {
            assert!(r.problem(429).header("retry-after").is_some());
            break;
        }
        r.expect(200);
        served += 1;
    }
    assert_eq!(served, 10, "ten requests a minute per link");
    app.get("/api/v1/self-service/consents", &other).await.expect(200);
    let audit = app.get(&format!("/api/v1/audit?resource_id={id}&action=consent.self_service_view"), &w.auditor).await;
    assert_eq!(audit.expect(200).body["items"].as_array().unwrap().len(), 11, "no write for a refused view");

    let no_link = app.send("POST", "/api/v1/self-service/consents", None, Some(json!({"purpose": 1})), &[]).await;
    no_link.problem(401);
}
both!(self_service_is_throttled, self_service_is_throttled);
