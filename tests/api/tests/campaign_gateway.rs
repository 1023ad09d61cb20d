//! Text messages through the HTTP gateway: a loopback gateway that is down for the first request
//! (the adapter retries), checks nothing itself but records what arrives, and refuses one number.
//! Then the gateway forwards a "TD" reply, signed, which withdraws that customer's SMS marketing
//! consent at once; unsigned callbacks are refused.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

use crate::campaigns::{everyone, plan, tick};
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

const SECRET: &str = "a-gateway-secret-for-tests";

type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// The loopback gateway: its port and every request as (signature header, body).
struct Gateway {
    port: u16,
    seen: Seen,
    server: actix_web::dev::ServerHandle,
}

impl Gateway {
    fn start() -> Gateway {
        let seen: Seen = Arc::default();
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = seen.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let data = web::Data::new(shared);
                let server =
                    HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(answer)))
                        .workers(1)
                        .bind(("127.0.0.1", 0))
                        .unwrap();
                let port = server.addrs()[0].port();
                let running = server.run();
                tx.send((port, running.handle())).unwrap();
                running.await
            })
        });
        let (port, server) = rx.recv().unwrap();
        Gateway { port, seen, server }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        drop(self.server.stop(false));
    }
}

/// Down (503) for the first request; then accepts every message but the number ending 03.
async fn answer(seen: web::Data<Seen>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let signature = req.headers().get("X-Guanxi-Signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = String::from_utf8_lossy(&body).into_owned();
    let n = {
        let mut seen = seen.lock().unwrap();
        seen.push((signature, text.clone()));
        seen.len()
    };
    if n == 1 {
        return HttpResponse::ServiceUnavailable().finish();
    }
    let batch: Value = serde_json::from_str(&text).unwrap();
    let results: Vec<Value> = batch["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| match m["to"].as_str().unwrap().ends_with("03") {
            true => json!({"id": m["id"], "accepted": false, "code": "number_blocked"}),
            false => json!({"id": m["id"], "accepted": true}),
        })
        .collect();
    HttpResponse::Ok().json(json!({ "results": results }))
}

async fn sms_through_the_gateway_and_a_reply_opts_out(app: TestApp, gateway: Gateway) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let approver = app.user(&w.admin, "manager3", "manager", &w.s1).await.1;
    let mut ids = Vec::new();
    for (i, name) in ["王芳", "李娜", "张伟"].iter().enumerate() {
        let id = customer(&app, &w.agent, name, &format!("1390000700{}", i + 1)).await;
        consent(&app, &w.agent, &id, "marketing_sms", true).await;
        ids.push(id);
    }
    let segment = everyone(&app, &w.manager).await;
    let body = plan(&segment, "春季回馈", "2026-03-02T00:00:00Z", "2026-03-20T00:00:00Z");
    let id = app.post("/api/v1/campaigns", &w.manager, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/campaigns/{id}/submit"), &w.manager, json!({})).await.expect(200);
    app.post(&format!("/api/v1/campaigns/{id}/approve"), &approver, json!({})).await.expect(200);

    let t = tick(&app, "2026-03-03 02:00");
    assert_eq!((t.sent, t.failed), (2, 1));
    let seen = gateway.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "down once, retried once");
    assert_eq!(seen[0].1, seen[1].1, "the retry carries the same batch");
    for (header, body) in &seen {
        let t: i64 = header.strip_prefix("t=").and_then(|h| h.split(',').next()).unwrap().parse().unwrap();
        assert_eq!(header, &guanxi::crypto::signature::sign(SECRET, t, body), "signed with the secret");
    }
    let batch: Value = serde_json::from_str(&seen[1].1).unwrap();
    let messages = batch["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|m| m["channel"] == "sms" && m["body"].as_str().unwrap().ends_with("回T退订")));
    assert!(messages.iter().any(|m| m["to"] == "+8613900007001" && m["id"] == format!("{id}:{}", ids[0])));
    let blocked = format!("campaign_deliveries WHERE customer_id = '{}' AND reason = 'gateway_number_blocked'", ids[2]);
    assert_eq!(app.count(&blocked), 1);

    // The reply "td" from 王芳's number, as the gateway forwards it.
    let reply = json!({"from": "13900007001", "text": " td ", "received_at": "2026-03-03T02:05:00Z"});
    let signed = guanxi::crypto::signature::sign(SECRET, chrono::Utc::now().timestamp(), &reply.to_string());
    let p = app.send("POST", "/api/v1/gateway/inbound", None, Some(reply.clone()), &[]).await.problem(401);
    assert_eq!(p.body["code"], "signature_missing");
    let forged =
        guanxi::crypto::signature::sign("not-the-secret-at-all", chrono::Utc::now().timestamp(), &reply.to_string());
    app.send("POST", "/api/v1/gateway/inbound", None, Some(reply.clone()), &[("X-Guanxi-Signature", forged.as_str())])
        .await
        .problem(401);
    assert_eq!(app.count("consents WHERE granted = false"), 0, "nothing recorded for refused callbacks");
    let r = app
        .send("POST", "/api/v1/gateway/inbound", None, Some(reply), &[("X-Guanxi-Signature", signed.as_str())])
        .await
        .expect(200);
    assert_eq!((r.body["opt_out"].as_bool(), r.body["withdrawn"].as_i64()), (Some(true), Some(1)));
    let withdrawn = format!(
        "consents WHERE customer_id = '{}' AND purpose = 'marketing_sms' AND granted = false AND channel = 'self_service'",
        ids[0]
    );
    assert_eq!(app.count(&withdrawn), 1);
    // Any other reply is acknowledged and changes nothing.
    let thanks = json!({"from": "13900007002", "text": "谢谢"});
    let signed = guanxi::crypto::signature::sign(SECRET, chrono::Utc::now().timestamp(), &thanks.to_string());
    let r = app
        .send("POST", "/api/v1/gateway/inbound", None, Some(thanks), &[("X-Guanxi-Signature", signed.as_str())])
        .await
        .expect(200);
    assert_eq!((r.body["opt_out"].as_bool(), r.body["withdrawn"].as_i64()), (Some(false), Some(0)));
    assert_eq!(app.count("consents WHERE granted = false"), 1);
}

mod sms_through_the_gateway_and_a_reply_opts_out {
    use super::*;

    async fn run(db: crate::helpers::Db) {
        let gateway = Gateway::start();
        let url = format!("http://127.0.0.1:{}/sms", gateway.port);
        let env =
            [("GUANXI_JOBS", "false"), ("GUANXI_SMS_GATEWAY_URL", url.as_str()), ("GUANXI_GATEWAY_SECRET", SECRET)];
        super::sms_through_the_gateway_and_a_reply_opts_out(TestApp::start(db, &env).await, gateway).await;
    }

    #[actix_web::test]
    async fn sqlite() {
        run(crate::helpers::Db::Sqlite).await;
    }

    #[actix_web::test]
    async fn postgres() {
        run(crate::helpers::Db::Postgres).await;
    }
}
