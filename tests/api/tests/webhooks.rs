//! Webhooks: signed deliveries of a scope's change events only, retried after a failure,
//! without personal values; subscriptions are per scope (404 elsewhere) and can be stopped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

/// (signature header, event header, body) of each accepted request.
type Got = Arc<Mutex<Vec<(String, String, String)>>>;

struct Receiver {
    url: String,
    got: Got,
    refused: Arc<AtomicUsize>,
}

/// A local endpoint that answers 500 to its first `fail_first` requests, then records and 200s.
fn receiver(fail_first: usize) -> Receiver {
    let got: Got = Arc::default();
    let failures = Arc::new(AtomicUsize::new(fail_first));
    let refused = Arc::new(AtomicUsize::new(0));
    let (g, f, r) = (got.clone(), failures.clone(), refused.clone());
    let server = HttpServer::new(move || {
        let (g, f, r) = (g.clone(), f.clone(), r.clone());
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let (g, f, r) = (g.clone(), f.clone(), r.clone());
            async move {
                if f.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                    r.fetch_add(1, Ordering::SeqCst);
                    return HttpResponse::InternalServerError().finish();
                }
                let h = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                g.lock().unwrap().push((
                    h("x-guanxi-signature"),
                    h("x-guanxi-event"),
                    String::from_utf8_lossy(&body).into_owned(),
                ));
                HttpResponse::NoContent().finish()
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("receiver binds");
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    Receiver { url: format!("http://127.0.0.1:{port}/hook"), got, refused }
}

async fn wait_for(got: &Got, n: usize) {
    for _ in 0..200 {
        if got.lock().unwrap().len() >= n {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {n} deliveries, got {}", got.lock().unwrap().len());
}

fn customer(name: &str, mobile: &str) -> Value {
    json!({"name": name, "mobile": mobile, "customer_type": "individual", "source": {"channel": "sales"}})
}

async fn deliveries_are_signed_scoped_and_retried(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, admin1) = app.user(&admin, "admin1", "admin", &s1).await;
    let (_, admin2) = app.user(&admin, "admin2", "admin", &s2).await;
    let (_, agent1) = app.user(&admin, "agent1", "agent", &s1).await;
    let (_, agent2) = app.user(&admin, "agent2", "agent", &s2).await;
    let (r1, r2) = (receiver(1), receiver(0));

    let bad = app
        .post("/api/v1/webhooks", &admin1, json!({"url": "ftp://example.com/x", "topics": ["*"]}))
        .await
        .problem(422);
    assert_eq!(bad.body["errors"][0]["field"], "url");
    // Subscriptions name topics something emits: offboarding emits `user.offboarded`.
    for unknown in ["customer.exploded", "customer.offboarded"] {
        let p = app.post("/api/v1/webhooks", &admin1, json!({"url": r1.url, "topics": [unknown]})).await.problem(422);
        assert_eq!(p.body["errors"][0]["field"].as_str().map(|f| f.starts_with("topics")), Some(true), "{unknown}");
    }
    app.post("/api/v1/webhooks", &agent1, json!({"url": r1.url, "topics": ["*"]})).await.problem(403);
    let h1 =
        app.post("/api/v1/webhooks", &admin1, json!({"url": r1.url, "topics": ["customer.*"]})).await.expect(201).body;
    app.post("/api/v1/webhooks", &admin2, json!({"url": r2.url, "topics": ["customer.created"]})).await.expect(201);
    let secret1 = h1["secret"].as_str().unwrap().to_owned();
    let h1_id = h1["webhook"]["id"].as_str().unwrap().to_owned();

    let c1 = app.post("/api/v1/customers", &agent1, customer("林一", "13955550001")).await.expect(201).body;
    let id1 = c1["id"].as_str().unwrap();
    app.send(
        "PATCH",
        &format!("/api/v1/customers/{id1}"),
        Some(&agent1),
        Some(json!({"occupation": "医生"})),
        &[("If-Match", "\"1\"")],
    )
    .await
    .expect(200);
    let c2 = app.post("/api/v1/customers", &agent2, customer("林二", "13955550002")).await.expect(201).body;
    wait_for(&r1.got, 2).await;
    wait_for(&r2.got, 1).await;
    // Every event is fanned out: S1's subscription holds exactly the two it received.
    drained(&app).await;
    assert_eq!(deliveries_for(&app, &h1_id), 2);

    let got1 = r1.got.lock().unwrap().clone();
    assert_eq!(got1.len(), 2, "S1 gets its two events and nothing of S2");
    // A retried delivery may arrive after a later one: receivers order by the version in `data`.
    let mut topics: Vec<&str> = got1.iter().map(|(_, e, _)| e.as_str()).collect();
    topics.sort_unstable();
    assert_eq!(topics, ["customer.created", "customer.updated"]);
    for (sig, _, body) in &got1 {
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["data"]["customer_id"], id1);
        assert!(
            !body.contains("林一") && !body.contains("13955550001") && !body.contains("5550001"),
            "no personal values: {body}"
        );
        let t: i64 = sig.strip_prefix("t=").and_then(|s| s.split(',').next()).unwrap().parse().unwrap();
        assert_eq!(sig, &guanxi::crypto::signature::sign(&secret1, t, body), "signature verifies with the secret");
    }
    let got2 = r2.got.lock().unwrap().clone();
    assert_eq!(got2.len(), 1);
    assert!(got2[0].2.contains(c2["id"].as_str().unwrap()));
    assert_eq!(r1.refused.load(Ordering::SeqCst), 1, "the first attempt was refused and retried");

    let deliveries = app.get(&format!("/api/v1/webhooks/{h1_id}/deliveries"), &admin1).await.expect(200).body;
    let items = deliveries["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|d| d["status"] == "delivered"));
    assert_eq!(items.iter().map(|d| d["attempts"].as_i64().unwrap()).sum::<i64>(), 3, "one retry: {deliveries}");
    assert!(items.iter().any(|d| d["last_status"] == 204));

    // Another subsidiary cannot see or stop it; the group admin can.
    app.get(&format!("/api/v1/webhooks/{h1_id}/deliveries"), &admin2).await.problem(404);
    app.send("DELETE", &format!("/api/v1/webhooks/{h1_id}"), Some(&admin2), None, &[("If-Match", "*")])
        .await
        .problem(404);
    let mine = app.get("/api/v1/webhooks", &admin2).await.expect(200).body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let all = app.get("/api/v1/webhooks", &admin).await.expect(200).body;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(all["items"][0].get("secret").is_none(), "the secret is never listed");

    // Stopped: no more deliveries.
    app.send("DELETE", &format!("/api/v1/webhooks/{h1_id}"), Some(&admin1), None, &[]).await.problem(428);
    app.send("DELETE", &format!("/api/v1/webhooks/{h1_id}"), Some(&admin1), None, &[("If-Match", "\"1\"")])
        .await
        .expect(204);
    app.post("/api/v1/customers", &agent1, customer("林三", "13955550003")).await.expect(201);
    // Once the fan-out has handled the new event, the disabled subscription holds no delivery
    // of it (so its receiver can get none) — a condition, not a guess at how long to wait.
    drained(&app).await;
    assert_eq!(deliveries_for(&app, &h1_id), 2, "a disabled subscription gets nothing new");
    assert_eq!(r1.got.lock().unwrap().len(), 2);
}
both!(
    deliveries_are_signed_scoped_and_retried,
    deliveries_are_signed_scoped_and_retried,
    &[("GUANXI_WEBHOOK_ALLOW_PRIVATE", "true"), ("GUANXI_WEBHOOK_RETRY_SECS", "0")]
);

async fn internal_addresses_are_refused_by_default(app: TestApp) {
    let admin = app.admin().await;
    let r = receiver(0);
    let port = r.url.rsplit_once(':').unwrap().1.trim_end_matches("/hook").to_owned();
    // Every spelling of an inside address, as the resolver would read it.
    for host in [
        "127.0.0.1",
        "localhost",
        "10.1.2.3",
        "[::1]",
        "169.254.169.254",
        "2130706433",
        "0x7f000001",
        "127.1",
        "0177.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::ffff:169.254.169.254]",
        "100.64.0.1",
        "0.1.2.3",
        "224.0.0.1",
        "localhost.",
        "[fd00::1]",
        "198.51.100.7",
    ] {
        let url = format!("http://{host}:{port}/hook");
        let p = app.post("/api/v1/webhooks", &admin, json!({"url": url, "topics": ["*"]})).await.problem(422);
        assert_eq!(p.body["errors"][0]["field"], "url", "{url}");
    }
    let hook = app
        .post("/api/v1/webhooks", &admin, json!({"url": "https://hooks.example.com/guanxi", "topics": ["*"]}))
        .await
        .expect(201)
        .body;
    let id = hook["webhook"]["id"].as_str().unwrap();

    // A hook whose address turns internal after it was accepted (a stored URL, a DNS answer that
    // changed) is refused at delivery: nothing reaches the address, and the log says only "refused".
    app.sql(&format!("UPDATE webhooks SET url = 'http://2130706433:{port}/hook' WHERE id = '{id}'"));
    let group = app.group_id(&admin).await;
    let (_, agent) = app.user(&admin, "agent0", "agent", &group).await;
    app.post("/api/v1/customers", &agent, customer("林三", "13955550003")).await.expect(201);
    let mut last = Value::Null;
    for _ in 0..200 {
        let d = app.get(&format!("/api/v1/webhooks/{id}/deliveries"), &admin).await.expect(200).body;
        last = d["items"][0].clone();
        if last["attempts"].as_i64().unwrap_or(0) >= 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(last["last_error"], "refused", "{last}");
    assert!(last["last_status"].is_null());
    assert!(r.got.lock().unwrap().is_empty(), "nothing was delivered inside");
}
both!(internal_addresses_are_refused_by_default, internal_addresses_are_refused_by_default);

/// Waits until every outbox event has been fanned out.
/// How many deliveries the fan-out made for a subscription (each one its receiver gets).
fn deliveries_for(app: &TestApp, hook: &str) -> i64 {
    use diesel::prelude::*;
    use guanxi::db::schema::webhook_deliveries as d;
    let mut conn = app.state.db.get().unwrap();
    d::table.filter(d::webhook_id.eq(hook)).count().get_result(&mut **conn).unwrap()
}

/// Waits until `n` deliveries of the hook are recorded as delivered: the receiver has the
/// request a moment before the worker records the attempt (and the share it stands for).
async fn recorded(app: &TestApp, hook: &str, n: i64) {
    use diesel::prelude::*;
    use guanxi::db::schema::webhook_deliveries as d;
    for _ in 0..200 {
        let mut conn = app.state.db.get().unwrap();
        let done: i64 = d::table
            .filter(d::webhook_id.eq(hook))
            .filter(d::status.eq("delivered"))
            .count()
            .get_result(&mut **conn)
            .unwrap();
        if done >= n {
            return;
        }
        drop(conn);
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{n} deliveries were not recorded");
}

async fn drained(app: &TestApp) {
    use diesel::prelude::*;
    use guanxi::db::schema::outbox;
    for _ in 0..200 {
        let mut conn = app.state.db.get().unwrap();
        let left: i64 = outbox::table.filter(outbox::delivered_at.is_null()).count().get_result(&mut **conn).unwrap();
        if left == 0 {
            return;
        }
        drop(conn);
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the outbox was not drained");
}

/// A partner's webhook carries only events of covered customers who consent to the partner
/// (ids and field names, no values), tells the partner of a withdrawal, then goes quiet; each
/// delivery is a share in the customer's disclosure history.
async fn partner_webhook_follows_consent(app: TestApp) {
    use crate::fixtures::{consent, customer, notice, world};
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let partner = json!({"code": "acme", "name": "Acme", "nda_reference": "NDA-1", "nda_signed_on": "2026-01-05"});
    let pid =
        app.post("/api/v1/partners", &w.compliance, partner).await.expect(201).body["id"].as_str().unwrap().to_owned();
    let agreement = json!({"fields": ["name"], "purposes": ["insurance_quote"], "unit_ids": [w.s1], "document_reference": "DSA-1", "starts_on": "2026-01-01"});
    let aid = app.post(&format!("/api/v1/partners/{pid}/agreements"), &w.compliance, agreement).await.expect(201).body
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = receiver(0);
    let hooks = format!("/api/v1/partners/{pid}/webhooks");
    let body = |purpose: &str| json!({"agreement_id": aid, "purpose": purpose, "url": r.url, "topics": ["*"]});
    app.post(&hooks, &w.agent, body("insurance_quote")).await.problem(403);
    app.post(&hooks, &w.compliance, body("marketing")).await.problem(422);
    let created = app.post(&hooks, &w.compliance, body("insurance_quote")).await.expect(201).body;
    assert_eq!(created["webhook"]["agreement_id"], aid.as_str());

    let consented = customer(&app, &w.manager, "周七", "13811112222").await;
    let silent = customer(&app, &w.manager, "吴八", "13811113333").await;
    let compliance2 = app.user(&w.admin, "compliance2", "compliance", &w.s2).await.1;
    notice(&app, &compliance2).await;
    let elsewhere = customer(&app, &w.other_manager, "郑九", "13811114444").await;
    consent(&app, &w.other_manager, &elsewhere, "partner_sharing:acme", true).await;
    consent(&app, &w.agent, &consented, "partner_sharing:acme", true).await;
    drained(&app).await;
    let patch = |id: String, occupation: &'static str| {
        let (app, token) = (&app, w.manager.clone());
        async move {
            let path = format!("/api/v1/customers/{id}");
            let etag = app.get(&path, &token).await.header("etag").unwrap();
            app.send("PATCH", &path, Some(&token), Some(json!({"occupation": occupation})), &[("If-Match", &etag)])
                .await
                .expect(200);
        }
    };
    patch(consented.clone(), "teacher").await;
    patch(silent.clone(), "teacher").await;
    drained(&app).await;
    consent(&app, &w.agent, &consented, "partner_sharing:acme", false).await;
    patch(consented.clone(), "engineer").await;
    drained(&app).await;
    wait_for(&r.got, 3).await;
    drained(&app).await;
    let hook = created["webhook"]["id"].as_str().unwrap();
    assert_eq!(deliveries_for(&app, hook), 3, "nothing more is on its way");
    recorded(&app, hook, 3).await;

    let got = r.got.lock().unwrap().clone();
    let mut seen: Vec<(String, Value)> = got
        .iter()
        .map(|(_, topic, body)| {
            let v: Value = serde_json::from_str(body).unwrap();
            assert_eq!(v["data"]["customer_id"], consented.as_str(), "only the consented, covered customer");
            assert!(!body.contains("13811112222") && !body.contains("周七"), "ids and field names only");
            (topic.clone(), v["data"]["granted"].clone())
        })
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.to_string().cmp(&b.1.to_string())));
    assert_eq!(
        seen,
        [
            ("consent.changed".to_owned(), json!(false)),
            ("consent.changed".to_owned(), json!(true)),
            ("customer.updated".to_owned(), Value::Null),
        ],
        "the grant, the update while consented, the withdrawal; nothing after it"
    );
    let shares = app.get(&format!("/api/v1/customers/{consented}/shares"), &w.agent).await.expect(200).body;
    let items = shares["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|s| s["channel"] == "webhook" && s["fields"] == json!(["id"])));
    let none = app.get(&format!("/api/v1/customers/{silent}/shares"), &w.agent).await.expect(200).body;
    assert_eq!(none["items"], json!([]));
}
both!(partner_webhook_follows_consent, partner_webhook_follows_consent, &[("GUANXI_WEBHOOK_ALLOW_PRIVATE", "true")]);
