//! Value tiers on a hand-built data set whose every figure is worked out below: measures,
//! percentile ranks (ties sharing the lowest rank), weighted scores, cut-offs, tiers (ties in one
//! tier), a dry run that changes nothing, history only for customers whose tier changed, and the
//! customers left out (no purchase in the window; withdrawn from profiling).

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

async fn buy(app: &TestApp, token: &str, id: &str, amount: i64, margin: Option<i64>, days_ago: i64) {
    let at = (Utc::now() - Duration::days(days_ago)).to_rfc3339();
    let mut body = json!({"product": "宽带", "amount_fen": amount, "channel": "store", "purchased_at": at});
    if let Some(m) = margin {
        body["margin_fen"] = json!(m);
    }
    app.post(&format!("/api/v1/customers/{id}/purchases"), token, body).await.expect(201);
}

async fn run(app: &TestApp, token: &str, dry_run: bool) -> Value {
    let started = app.post("/api/v1/tiers/runs", token, json!({"dry_run": dry_run})).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), token).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let run = job["result"]["run_id"].as_str().unwrap();
    app.get(&format!("/api/v1/tiers/runs/{run}"), token).await.expect(200).body
}

async fn put(app: &TestApp, token: &str, body: Value, version: &str) -> crate::helpers::Reply {
    app.send("PUT", "/api/v1/tiers/config", Some(token), Some(body), &[("If-Match", version)]).await
}

async fn tier(app: &TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/customers/{id}/tier"), token).await.expect(200).body
}

async fn tiers_are_computed_exactly_and_explained(app: TestApp) {
    let w = world(&app).await;
    let group = app.group_id(&w.admin).await;
    let (_, head) = app.user(&w.admin, "group.manager", "manager", &group).await;
    notice(&app, &w.compliance).await;
    // spend, profit (margin or 20 % of the amount), frequency:
    //   c1 20000, 10000, 2   c2 30000, 6000 (default), 1   c3 3000, 300, 3
    //   c4 and c5 3000, 300, 1 (identical)   old: a purchase 400 days ago   quiet: withdrew profiling
    let mut c: Vec<String> = Vec::new();
    for i in 1..=5 {
        c.push(customer(&app, &w.agent, &format!("客户{i}"), &format!("1390000200{i}")).await);
    }
    let old = customer(&app, &w.agent, "老客户", "13900002006").await;
    let quiet = customer(&app, &w.agent, "不画像", "13900002007").await;
    buy(&app, &w.agent, &c[0], 10_000, Some(5_000), 10).await;
    buy(&app, &w.agent, &c[0], 10_000, Some(5_000), 20).await;
    buy(&app, &w.agent, &c[1], 30_000, None, 30).await;
    for d in [5, 6, 7] {
        buy(&app, &w.agent, &c[2], 1_000, Some(100), d).await;
    }
    buy(&app, &w.agent, &c[3], 3_000, Some(300), 40).await;
    buy(&app, &w.agent, &c[4], 3_000, Some(300), 50).await;
    buy(&app, &w.agent, &old, 99_000, None, 400).await;
    buy(&app, &w.agent, &quiet, 99_000, None, 3).await;
    consent(&app, &w.agent, &quiet, "profiling", false).await;

    // Settings: only a manager of the whole group, with If-Match, weights adding up to 100.
    let config = app.get("/api/v1/tiers/config", &w.agent).await.expect(200);
    assert_eq!((config.body["version"].as_i64(), config.header("etag").as_deref()), (Some(0), Some("\"0\"")));
    assert_eq!(config.body["settings"]["weights"], json!({"spend": 40, "profit": 40, "frequency": 20}));
    let settings = |c: u32| {
        json!({"window_months": 12, "weights": {"spend": 40, "profit": 40, "frequency": 20},
               "shares": {"a": 20, "b": 20, "c": c}, "default_margin_percent": 20})
    };
    put(&app, &w.manager, settings(20), "\"0\"").await.problem(403);
    app.send("PUT", "/api/v1/tiers/config", Some(&head), Some(settings(20)), &[]).await.problem(428);
    let mut bad = settings(20);
    bad["weights"]["spend"] = json!(50);
    let p = put(&app, &head, bad, "\"0\"").await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("weights"), Some("sum"))
    );
    let saved = put(&app, &head, settings(20), "\"0\"").await.expect(200);
    assert_eq!(saved.body["version"], 1);
    put(&app, &head, settings(20), "\"0\"").await.problem(412);
    app.post("/api/v1/tiers/runs", &w.manager, json!({})).await.problem(403);

    // A dry run shows what would happen and changes nothing. Five scored (n - 1 = 4):
    //   spend ranks c3=c4=c5 1, c1 4, c2 5 → 0, 0, 0, 7500, 10000
    //   profit ranks c3=c4=c5 1, c2 4, c1 5 → 0, 0, 0, 7500, 10000
    //   frequency ranks c2=c4=c5 1, c1 4, c3 5 → 0, 0, 0, 7500, 10000
    //   scores: c1 40·7500 + 40·10000 + 20·7500 = 850000; c2 40·10000 + 40·7500 = 700000;
    //   c3 20·10000 = 200000; c4 = c5 = 0.
    //   Shares 20/20/20 of 5: A when fewer than 1 scores higher (c1), B fewer than 2 (c2),
    //   C fewer than 3 (c3), D the tied c4 and c5 (3 score higher than each).
    let dry = run(&app, &head, true).await;
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["scored"].as_i64(), dry["changed"].as_i64()),
        (Some(true), Some(5), Some(5))
    );
    assert_eq!(dry["summary"]["distribution"], json!({"A": 1, "B": 1, "C": 1, "D": 2}));
    assert_eq!(
        dry["summary"]["cutoffs"],
        json!({"A": {"min": 850000, "max": 850000}, "B": {"min": 700000, "max": 700000},
               "C": {"min": 200000, "max": 200000}, "D": {"min": 0, "max": 0}})
    );
    assert_eq!(dry["summary"]["movement"][0], json!({"from": "none", "to": "A", "count": 1}));
    assert_eq!(tier(&app, &w.agent, &c[0]).await["tier"], Value::Null, "a dry run applies nothing");

    let applied = run(&app, &head, false).await;
    assert_eq!((applied["scored"].as_i64(), applied["changed"].as_i64()), (Some(5), Some(5)));
    let expected = ["A", "B", "C", "D", "D"];
    for (id, t) in c.iter().zip(expected) {
        assert_eq!(tier(&app, &w.agent, id).await["tier"], t, "{id}");
    }
    // The list filters by tier (the tied pair both D).
    let d = app.get("/api/v1/customers?tier=D", &w.agent).await.expect(200).body;
    let mut ids: Vec<&str> = d["items"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut tied = vec![c[3].as_str(), c[4].as_str()];
    tied.sort_unstable();
    assert_eq!(ids, tied);
    app.get("/api/v1/customers?tier=E", &w.agent).await.problem(400);
    let why = tier(&app, &w.agent, &c[0]).await;
    assert_eq!(
        (&why["why"]["spend_fen"], &why["why"]["profit_fen"], &why["why"]["frequency"]),
        (&json!(20_000), &json!(10_000), &json!(2))
    );
    assert_eq!(
        (&why["why"]["pct_spend"], &why["why"]["pct_profit"], &why["why"]["pct_frequency"]),
        (&json!(7500), &json!(10000), &json!(7500))
    );
    assert_eq!((why["why"]["score"].as_i64(), why["why"]["config_version"].as_i64()), (Some(850_000), Some(1)));
    assert_eq!(tier(&app, &w.agent, &c[1]).await["why"]["profit_fen"], 6_000, "20 % of 30000 without a margin");
    assert_eq!(why["history"].as_array().unwrap().len(), 1);
    assert_eq!((why["history"][0]["from"].as_str(), why["history"][0]["to"].as_str()), (None, Some("A")));
    let (o, q) = (tier(&app, &w.agent, &old).await, tier(&app, &w.agent, &quiet).await);
    assert_eq!((o["tier"].as_str(), o["reason"].as_str()), (None, Some("potential")));
    assert_eq!((q["tier"].as_str(), q["reason"].as_str()), (None, Some("not_profiled")));

    // C widened to 40 %: the tied c4 and c5 move together (3 score higher, 3 < 80 % of 5), and
    // only they get a history row.
    put(&app, &head, settings(40), "\"1\"").await.expect(200);
    let again = run(&app, &head, false).await;
    assert_eq!((again["changed"].as_i64(), again["config_version"].as_i64()), (Some(2), Some(2)));
    assert_eq!(again["summary"]["distribution"], json!({"A": 1, "B": 1, "C": 3}));
    for (id, changes) in c.iter().zip([1, 1, 1, 2, 2]) {
        let t = tier(&app, &w.agent, id).await;
        assert_eq!(t["history"].as_array().unwrap().len(), changes, "{id}: {t}");
    }
    let c4 = tier(&app, &w.agent, &c[3]).await;
    assert_eq!((c4["tier"].as_str(), c4["history"][0]["from"].as_str()), (Some("C"), Some("D")));

    // A run that died after scoring (its server killed before the apply transaction) leaves the
    // tiers as they were; the next run completes and sweeps its staging rows.
    {
        let mut conn = app.state.db.get().unwrap();
        let settings = guanxi::tiers::config::TierSettings {
            shares: guanxi::tiers::config::Shares { a: 100, b: 0, c: 0 },
            ..Default::default()
        };
        let staged = guanxi::tiers::run::score(&mut conn, "dead-run", 2, &settings, guanxi::db::now()).unwrap();
        assert_eq!(staged, 5, "everyone staged as A by the dead run");
    }
    assert_eq!(tier(&app, &w.agent, &c[4]).await["tier"], "C", "the previous tier stands");
    let after = run(&app, &head, false).await;
    assert_eq!(after["changed"], 0, "same settings, same tiers");
    let left = app.sql("UPDATE tier_scores SET tier = tier WHERE run_id = 'dead-run'");
    assert_eq!(left, 0, "the dead run's staging is gone");

    // Scoped like the customer: another subsidiary's manager cannot read it.
    app.get(&format!("/api/v1/customers/{}/tier", c[0]), &w.other_manager).await.problem(404);
    let runs = app.get("/api/v1/tiers/runs", &w.manager).await.expect(200).body;
    assert_eq!(runs["items"].as_array().unwrap().len(), 4);
    assert_eq!(runs["items"][0]["id"], after["id"], "newest first");
}
both!(tiers_are_computed_exactly_and_explained, tiers_are_computed_exactly_and_explained);
