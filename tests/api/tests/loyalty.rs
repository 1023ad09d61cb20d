//! Loyalty points: earned by spend (whole yuan), spent on rewards with stock, taken back in
//! proportion by a refund, expired first in first out — the ledger summing to the balance, which
//! never goes below zero, even under redemptions arriving at once.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{customer, world};
use crate::helpers::TestApp;

async fn buy(app: &TestApp, token: &str, customer: &str, fen: i64, refund_of: Option<&str>) -> crate::helpers::Reply {
    let mut body =
        json!({"product": "宽带", "amount_fen": fen, "channel": "store", "purchased_at": Utc::now().to_rfc3339()});
    if let Some(of) = refund_of {
        body["refund_of"] = json!(of);
    }
    app.post(&format!("/api/v1/customers/{customer}/purchases"), token, body).await
}

async fn balance(app: &TestApp, token: &str, customer: &str) -> i64 {
    app.get(&format!("/api/v1/customers/{customer}/points"), token).await.expect(200).body["balance"].as_i64().unwrap()
}

async fn reward(app: &TestApp, token: &str, points: i64, stock: Option<i64>) -> String {
    let body = json!({"name": "保温杯", "kind": "gift", "points": points, "stock": stock, "active": true});
    app.post("/api/v1/rewards", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

fn ledger_sums_to_balance(app: &TestApp, customer: &str) {
    assert_eq!(
        app.count(&format!(
            "points_accounts a WHERE a.customer_id = '{customer}' AND a.balance = \
             (SELECT SUM(points) FROM points_ledger l WHERE l.customer_id = a.customer_id)"
        )),
        1,
        "the account's balance is the ledger's sum"
    );
}

async fn earn_redeem_refund_expire(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.agent, "王芳", "13900006001").await;
    let other = customer(&app, &w.agent, "李娜", "13900006002").await;
    let first = buy(&app, &w.agent, &c, 12_345, None).await.expect(201).body;
    assert_eq!(balance(&app, &w.agent, &c).await, 123, "123.45 yuan at one point a yuan");
    let points = app.get(&format!("/api/v1/customers/{c}/points"), &w.agent).await.expect(200).body;
    let earned = &points["entries"]["items"][0];
    assert_eq!((earned["kind"].as_str(), earned["points"].as_i64()), (Some("earn"), Some(123)));
    assert_eq!(earned["purchase_id"], first["id"]);
    assert!(earned["expires_at"].as_str().unwrap() > (Utc::now() + Duration::days(729)).to_rfc3339().as_str());

    // A reward of S1's catalogue, two in stock.
    let cup = reward(&app, &w.manager, 100, Some(2)).await;
    let redeem = |qty: i64| {
        let (app, agent, c, cup) = (&app, w.agent.clone(), c.clone(), cup.clone());
        async move {
            app.post(
                &format!("/api/v1/customers/{c}/points/redemptions"),
                &agent,
                json!({"reward_id": cup, "quantity": qty}),
            )
            .await
        }
    };
    let spent = redeem(1).await.expect(201).body;
    assert_eq!(
        (spent["kind"].as_str(), spent["points"].as_i64(), spent["balance_after"].as_i64()),
        (Some("redeem"), Some(-100), Some(23))
    );
    let p = redeem(1).await.problem(409);
    assert_eq!(
        (p.body["code"].as_str(), p.body["params"]["needed"].as_i64()),
        (Some("points_insufficient"), Some(100))
    );
    assert_eq!(
        app.count(&format!("rewards WHERE id = '{cup}' AND stock = 1")),
        1,
        "the refused redemption took no stock"
    );
    let big = buy(&app, &w.agent, &c, 50_000, None).await.expect(201).body;
    assert_eq!(balance(&app, &w.agent, &c).await, 523);
    assert_eq!(redeem(2).await.problem(409).body["code"], "reward_out_of_stock");

    // Refunds: half of the 500-yuan purchase takes back half its points.
    let big_id = big["id"].as_str().unwrap();
    let refund = buy(&app, &w.agent, &c, -25_000, Some(big_id)).await.expect(201).body;
    assert_eq!(refund["refund_of"], big["id"]);
    assert_eq!(balance(&app, &w.agent, &c).await, 273);
    let p = buy(&app, &w.agent, &c, 25_000, Some(big_id)).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("amount_fen"), Some("refund_range"))
    );
    let p = buy(&app, &w.agent, &other, -100, Some(big_id)).await.problem(422);
    assert_eq!(p.body["errors"][0]["field"], "refund_of", "another customer's purchase");
    assert_eq!(app.count(&format!("purchases WHERE customer_id = '{other}'")), 0, "nothing half-written");
    ledger_sums_to_balance(&app, &c);

    // Two years on: what was earned (623) less what was spent or taken back (350) expires.
    let mut conn = app.state.db.get().unwrap();
    let later = (Utc::now() + Duration::days(731)).naive_utc();
    assert_eq!(guanxi::loyalty::service::expire(&mut conn, later).unwrap(), 1);
    assert_eq!(guanxi::loyalty::service::expire(&mut conn, later).unwrap(), 0, "expired once");
    drop(conn);
    let points = app.get(&format!("/api/v1/customers/{c}/points"), &w.agent).await.expect(200).body;
    let expired = &points["entries"]["items"][0];
    assert_eq!(
        (expired["kind"].as_str(), expired["points"].as_i64(), points["balance"].as_i64()),
        (Some("expire"), Some(-273), Some(0))
    );
    ledger_sums_to_balance(&app, &c);

    app.get(&format!("/api/v1/customers/{c}/points"), &w.other_manager).await.problem(404);
    let other_cup = reward(&app, &w.other_manager, 1, None).await;
    let body = json!({"reward_id": other_cup});
    let p = app.post(&format!("/api/v1/customers/{c}/points/redemptions"), &w.agent, body).await.problem(409);
    assert_eq!(p.body["code"], "reward_unavailable", "S2's catalogue is not S1's customers'");
    let listed = app.get("/api/v1/rewards", &w.agent).await.expect(200).body;
    assert_eq!(listed.as_array().unwrap().len(), 1, "S1's catalogue only");
}

both!(earn_redeem_refund_expire, earn_redeem_refund_expire);

async fn concurrent_redemptions_never_overdraw(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.agent, "赵敏", "13900006003").await;
    buy(&app, &w.agent, &c, 50_000, None).await.expect(201);
    let cup = reward(&app, &w.manager, 100, None).await;
    let path = format!("/api/v1/customers/{c}/points/redemptions");
    let body = json!({"reward_id": cup});
    let replies: Vec<Value> = futures_util::future::join_all((0..10).map(|_| app.post(&path, &w.agent, body.clone())))
        .await
        .into_iter()
        .map(|r| json!(r.status.as_u16()))
        .collect();
    let (ok, refused) = (replies.iter().filter(|s| **s == 201).count(), replies.iter().filter(|s| **s == 409).count());
    assert_eq!((ok, refused), (5, 5), "{replies:?}");
    assert_eq!(balance(&app, &w.agent, &c).await, 0);
    ledger_sums_to_balance(&app, &c);
}

both!(concurrent_redemptions_never_overdraw, concurrent_redemptions_never_overdraw);
