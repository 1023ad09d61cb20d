//! Member levels, value bands, RFM and lifecycle (SEG-2, SEG-3) on a hand-built data set whose
//! figures are worked out below; a level kept through its grace and dropped after it; churn
//! warnings (MKT-6) opened with the drop in figures, worked by the owner and closed when the
//! customer recovers; a manager's override; the service strategy of each class (SEG-6); list
//! filters and frozen segment snapshots.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

async fn buy(app: &TestApp, token: &str, id: &str, amount: i64, days_ago: i64) {
    let at = (Utc::now() - Duration::days(days_ago)).to_rfc3339();
    let body = json!({"product": "宽带", "amount_fen": amount, "channel": "store", "purchased_at": at});
    app.post(&format!("/api/v1/customers/{id}/purchases"), token, body).await.expect(201);
}

async fn run(app: &TestApp, token: &str) -> Value {
    let started = app.post("/api/v1/tiers/runs", token, json!({"dry_run": false})).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), token).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let run = job["result"]["run_id"].as_str().unwrap();
    app.get(&format!("/api/v1/tiers/runs/{run}"), token).await.expect(200).body
}

async fn value(app: &TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/customers/{id}/tier"), token).await.expect(200).body
}

fn settings(gold_fen: i64, grace_days: u32) -> Value {
    json!({"window_months": 12, "weights": {"spend": 40, "profit": 40, "frequency": 20},
           "shares": {"a": 5, "b": 15, "c": 30}, "default_margin_percent": 20,
           "levels": {"gold": {"spend_fen": gold_fen, "frequency": 3, "tenure_months": 0},
                      "silver": {"spend_fen": 10_000, "frequency": 1, "tenure_months": 0}, "grace_days": grace_days},
           "bands": {"high_fen": 50_000, "medium_fen": 10_000},
           "lifecycle": {"dormant_days": 180, "churn_months": 3, "churn_drop_percent": 50}})
}

async fn ids(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let page = app.get(&format!("/api/v1/customers?{query}"), token).await.expect(200).body;
    let mut ids: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

async fn classes_strategies_and_warnings(app: TestApp) {
    let w = world(&app).await;
    let group = app.group_id(&w.admin).await;
    let (_, head) = app.user(&w.admin, "group.manager", "manager", &group).await;
    let (owner_id, owner) = app.user(&w.admin, "owner.p1", "agent", &w.s1).await;
    let (manager_id, _) = app.user(&w.admin, "manager.p2", "manager", &w.s1).await;
    notice(&app, &w.compliance).await;
    // Windows: the last 3 months (recent), the 3 before (previous); a year for spend.
    //   act      60000 ×3 at 10/20/30 days: spend 180000, 3 purchases, nothing before → active,
    //            band high, gold
    //   risk     10000 ×3 at 120/130/140 days, 1000 at 15 days: recent 1000 vs previous 30000
    //            (−96 %) → churn risk; spend 31000, 4 purchases → medium, silver
    //   sleeper  20000 at 200 days → dormant (>180 days); medium, silver
    //   never    nothing → potential, low, bronze, no RFM
    // RFM among the three who bought in the year (quintile = 1 + (rank − 1) · 5 / 3):
    //   R (last purchase): sleeper 1, risk 2, act 4; F: sleeper 1, act 2, risk 4;
    //   M: sleeper 1, risk 2, act 4 → act 424, risk 242, sleeper 111.
    let act = customer(&app, &owner, "活跃客户", "13900003001").await;
    let risk = customer(&app, &owner, "流失风险", "13900003002").await;
    let sleeper = customer(&app, &owner, "沉睡客户", "13900003003").await;
    let never = customer(&app, &owner, "潜在客户", "13900003004").await;
    for d in [10, 20, 30] {
        buy(&app, &owner, &act, 60_000, d).await;
    }
    for d in [120, 130, 140] {
        buy(&app, &owner, &risk, 10_000, d).await;
    }
    buy(&app, &owner, &risk, 1_000, 15).await;
    buy(&app, &owner, &sleeper, 20_000, 200).await;

    // S1's sales without a margin count half their amount as profit (the default is 20 %).
    let mut first = settings(50_000, 30);
    first["unit_margins"] = json!([{"unit_id": w.s1, "percent": 50}]);
    app.send("PUT", "/api/v1/tiers/config", Some(&head), Some(first), &[("If-Match", "\"0\"")]).await.expect(200);
    let first = run(&app, &head).await;
    assert_eq!(first["summary"]["classes"]["lifecycle:churn_risk"], 1, "{first}");
    assert_eq!(first["summary"]["classes"]["level:silver"], 2);
    let expect = [
        (&act, "active", "high", "gold", Some("424")),
        (&risk, "churn_risk", "medium", "silver", Some("242")),
        (&sleeper, "dormant", "medium", "silver", Some("111")),
        (&never, "potential", "low", "bronze", None),
    ];
    for (id, lifecycle, band, level, rfm) in expect {
        let p = &value(&app, &owner, id).await["profile"];
        assert_eq!(
            (p["lifecycle"].as_str(), p["band"].as_str(), p["level"].as_str(), p["rfm"].as_str()),
            (Some(lifecycle), Some(band), Some(level), rfm),
            "{id}: {p}"
        );
    }
    let r = value(&app, &owner, &risk).await;
    assert_eq!(r["why"]["profit_fen"], 15_500, "50 % of 31000, the unit's rate: {r}");
    assert_eq!(
        (&r["profile"]["recent_spend_fen"], &r["profile"]["previous_spend_fen"], &r["profile"]["churn_months"]),
        (&json!(1_000), &json!(30_000), &json!(3))
    );

    // The list and segment rules filter by each class.
    assert_eq!(ids(&app, &owner, "lifecycle=dormant").await, vec![sleeper.clone()]);
    assert_eq!(ids(&app, &owner, "level=gold").await, vec![act.clone()]);
    assert_eq!(ids(&app, &owner, "band=low").await, vec![never.clone()]);
    app.get("/api/v1/customers?lifecycle=asleep", &owner).await.problem(400);
    let count = |rule: Value| {
        let app = &app;
        let token = w.manager.clone();
        async move {
            app.post("/api/v1/segments/preview", &token, json!({"rule": rule})).await.expect(200).body["count"].clone()
        }
    };
    assert_eq!(count(json!({"field": "rfm", "op": "in", "value": ["424", "111"]})).await, 2);
    assert_eq!(count(json!({"field": "lifecycle", "op": "eq", "value": "churn_risk"})).await, 1);
    let bad = app
        .post("/api/v1/segments/preview", &w.manager, json!({"rule": {"field": "rfm", "op": "eq", "value": "606"}}))
        .await
        .problem(422);
    assert_eq!(bad.body["errors"][0]["field"], "rule.value");

    // The churn queue: the figures, the owner's own queue, scoped like the customer.
    let queue = app.get("/api/v1/churn-warnings", &owner).await.expect(200).body;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{queue}");
    let warning = &items[0];
    assert_eq!(
        (&warning["customer"]["id"], &warning["measure"], &warning["recent"], &warning["previous"]),
        (&json!(risk), &json!("spend"), &json!(1_000), &json!(30_000))
    );
    assert_eq!(
        (&warning["drop_percent"], &warning["months"], &warning["status"]),
        (&json!(96), &json!(3), &json!("open"))
    );
    let wid = warning["id"].as_str().unwrap().to_owned();
    let mine = app.get(&format!("/api/v1/churn-warnings?owner_id={owner_id}"), &w.manager).await.expect(200).body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let theirs = app.get(&format!("/api/v1/churn-warnings?owner_id={manager_id}"), &w.manager).await.expect(200).body;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    let elsewhere = app.get("/api/v1/churn-warnings", &w.other_manager).await.expect(200).body;
    assert_eq!(elsewhere["items"].as_array().unwrap().len(), 0);
    app.get(&format!("/api/v1/churn-warnings/{wid}"), &w.other_manager).await.problem(404);
    let action = json!({"action": "call", "outcome": "reached", "note": "offered a renewal discount"});
    app.post(&format!("/api/v1/churn-warnings/{wid}/actions"), &w.other_manager, action.clone()).await.problem(404);
    app.post(&format!("/api/v1/churn-warnings/{wid}/actions"), &w.auditor, action.clone()).await.problem(403);
    app.post(&format!("/api/v1/churn-warnings/{wid}/actions"), &owner, json!({"action": "pray", "outcome": "reached"}))
        .await
        .problem(422);
    app.post(&format!("/api/v1/churn-warnings/{wid}/actions"), &owner, action).await.expect(201);
    let one = app.get(&format!("/api/v1/churn-warnings/{wid}"), &owner).await.expect(200).body;
    assert_eq!((&one["actions"][0]["action"], &one["actions"][0]["outcome"]), (&json!("call"), &json!("reached")));

    // A frozen snapshot keeps its members; the live segment follows consent at once.
    let seg = app
        .post(
            "/api/v1/segments",
            &w.manager,
            json!({"name": "高价值", "rule": {"field": "band", "op": "eq", "value": "high"}}),
        )
        .await
        .expect(201)
        .body;
    let sid = seg["id"].as_str().unwrap();
    assert_eq!(ids(&app, &owner, &format!("segment_id={sid}")).await, vec![act.clone()]);
    assert_eq!(ids(&app, &owner, "segment_id=no-such-segment").await, Vec::<String>::new());
    let snap = app.post(&format!("/api/v1/segments/{sid}/snapshots"), &w.manager, json!({})).await.expect(201).body;
    assert_eq!((snap["members"].as_i64(), snap["segment_version"].as_i64()), (Some(1), Some(1)));
    consent(&app, &owner, &act, "profiling", false).await;
    assert_eq!(count(json!({"field": "band", "op": "eq", "value": "high"})).await, 0);
    let frozen = app
        .get(&format!("/api/v1/segments/{sid}/snapshots/{}/members", snap["id"].as_str().unwrap()), &w.manager)
        .await
        .expect(200)
        .body;
    assert_eq!(frozen["items"][0]["id"], json!(act), "{frozen}");
    let snaps = app.get(&format!("/api/v1/segments/{sid}/snapshots"), &w.manager).await.expect(200).body;
    assert_eq!(snaps["items"].as_array().unwrap().len(), 1);
    app.get(&format!("/api/v1/segments/{sid}/snapshots"), &w.other_manager).await.problem(404);
    app.post(&format!("/api/v1/segments/{sid}/snapshots"), &w.other_manager, json!({})).await.problem(404);
    consent(&app, &owner, &act, "profiling", true).await;

    // Overrides: managers only, with a reason; shown as such; the list filter follows them.
    let body = json!({"tier": "A", "reason": "战略合作客户", "days": 30});
    app.send("PUT", &format!("/api/v1/customers/{never}/tier/override"), Some(&owner), Some(body.clone()), &[])
        .await
        .problem(403);
    app.send(
        "PUT",
        &format!("/api/v1/customers/{never}/tier/override"),
        Some(&w.other_manager),
        Some(body.clone()),
        &[],
    )
    .await
    .problem(404);
    let blank = json!({"tier": "A", "reason": "  ", "days": 30});
    app.send("PUT", &format!("/api/v1/customers/{never}/tier/override"), Some(&w.manager), Some(blank), &[])
        .await
        .problem(422);
    let set = app
        .send("PUT", &format!("/api/v1/customers/{never}/tier/override"), Some(&w.manager), Some(body), &[])
        .await
        .expect(200)
        .body;
    assert_eq!(
        (&set["tier"], &set["override"]["reason"], &set["computed_tier"]),
        (&json!("A"), &json!("战略合作客户"), &Value::Null)
    );
    assert!(ids(&app, &owner, "tier=A").await.contains(&never));
    assert_eq!(set["strategy"]["green_channel"], true, "tier A's default: the green channel");
    app.send("DELETE", &format!("/api/v1/customers/{never}/tier/override"), Some(&w.manager), None, &[])
        .await
        .expect(204);
    app.send("DELETE", &format!("/api/v1/customers/{never}/tier/override"), Some(&w.manager), None, &[])
        .await
        .problem(404);
    assert!(!ids(&app, &owner, "tier=A").await.contains(&never));

    // Service strategies: every class listed with the seed's default until the group changes it.
    let all = app.get("/api/v1/service-strategies", &owner).await.expect(200).body;
    assert_eq!(all.as_array().unwrap().len(), 11);
    assert_eq!(
        (&all[0]["class"], &all[0]["green_channel"], &all[0]["customised"]),
        (&json!("tier:A"), &json!(true), &json!(false))
    );
    let no_campaigns = json!({"priority": 4, "sla_class": "standard", "green_channel": false, "dedicated_manager": false, "campaign_eligible": false});
    app.send("PUT", "/api/v1/service-strategies/lifecycle:dormant", Some(&w.manager), Some(no_campaigns.clone()), &[])
        .await
        .problem(403);
    app.send("PUT", "/api/v1/service-strategies/tier:Z", Some(&head), Some(no_campaigns.clone()), &[])
        .await
        .problem(404);
    app.send("PUT", "/api/v1/service-strategies/lifecycle:dormant", Some(&head), Some(no_campaigns), &[])
        .await
        .expect(200);
    let s = value(&app, &owner, &sleeper).await["strategy"].clone();
    assert_eq!(s["campaign_eligible"], false, "{s}");
    assert!(s["classes"].as_array().unwrap().contains(&json!("lifecycle:dormant")));

    // Gold out of reach: act keeps gold through the grace; risk bought again and recovered, so
    // its warning closes. With no grace left, gold drops to what the measures reach.
    buy(&app, &owner, &risk, 40_000, 1).await;
    app.send("PUT", "/api/v1/tiers/config", Some(&head), Some(settings(10_000_000, 30)), &[("If-Match", "\"1\"")])
        .await
        .expect(200);
    run(&app, &head).await;
    let kept = value(&app, &owner, &act).await["profile"].clone();
    assert_eq!(kept["level"], "gold", "{kept}");
    let until = chrono::DateTime::parse_from_rfc3339(kept["level_kept_until"].as_str().unwrap()).unwrap();
    let days = (until.with_timezone(&Utc) - Utc::now()).num_hours();
    assert!((29 * 24..=30 * 24).contains(&days), "kept about 30 days: {days} h");
    assert_eq!(value(&app, &owner, &risk).await["profile"]["lifecycle"], "active");
    let closed = app.get(&format!("/api/v1/churn-warnings/{wid}"), &owner).await.expect(200).body;
    assert_eq!((&closed["status"], &closed["closed_reason"]), (&json!("closed"), &json!("recovered")));
    app.send("PUT", "/api/v1/tiers/config", Some(&head), Some(settings(10_000_000, 0)), &[("If-Match", "\"2\"")])
        .await
        .expect(200);
    run(&app, &head).await;
    let dropped = value(&app, &owner, &act).await["profile"].clone();
    assert_eq!((&dropped["level"], &dropped["level_kept_until"]), (&json!("silver"), &Value::Null), "{dropped}");
    // The downgrade is kept with the figures behind it; the grace run changed nothing.
    let history = dropped["level_history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{dropped}");
    assert_eq!(
        (&history[0]["from"], &history[0]["to"], &history[0]["spend_fen"], &history[0]["frequency"]),
        (&json!("gold"), &json!("silver"), &json!(180_000), &json!(3))
    );
    // Nothing changed since: a rerun rewrites no profile (each keeps the run that set it).
    let again = run(&app, &head).await;
    let touched = app
        .sql(&format!("UPDATE customer_profiles SET band = band WHERE run_id = '{}'", again["id"].as_str().unwrap()));
    assert_eq!(touched, 0, "an unchanged rerun rewrites no profile");
    assert_eq!(app.sql("UPDATE customer_profiles SET band = band"), 4, "but every profile is still there");
}
both!(classes_strategies_and_warnings, classes_strategies_and_warnings);
