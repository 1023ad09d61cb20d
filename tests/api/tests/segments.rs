//! Rule segments: a rule tree counted live and listed as members — scoped and masked like the
//! customer list, without those who withdrew profiling (at once), refusing bad nodes by path, and
//! treating SQL in values as values.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, notice, world};
use crate::helpers::TestApp;

async fn person(app: &TestApp, token: &str, name: &str, mobile: &str, gender: Option<&str>, tags: &[&str]) -> String {
    let mut body = json!({"name": name, "mobile": mobile, "customer_type": "individual",
                          "source": {"channel": "sales"}, "tags": tags});
    if let Some(g) = gender {
        body["gender"] = json!(g);
    }
    app.post("/api/v1/customers", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

async fn count(app: &TestApp, token: &str, rule: Value) -> i64 {
    let r = app.post("/api/v1/segments/preview", token, json!({ "rule": rule })).await.expect(200);
    assert_eq!(r.body["exact"], true);
    r.body["count"].as_i64().unwrap()
}

async fn segments_count_list_and_refuse(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let a = person(&app, &w.agent, "王芳", "13900003001", Some("female"), &["vip"]).await;
    let b = person(&app, &w.agent, "李娜", "13900003002", Some("female"), &[]).await;
    let c = person(&app, &w.agent, "张伟", "13900003003", Some("male"), &["vip"]).await;
    let d = person(&app, &w.agent, "无名", "13900003004", None, &[]).await;
    person(&app, &w.other_manager, "别家", "13900003005", Some("female"), &["vip"]).await;
    let buy = |id: String, fen: i64, days: i64| {
        let at = (Utc::now() - Duration::days(days)).to_rfc3339();
        let body = json!({"product": "宽带", "amount_fen": fen, "channel": "store", "purchased_at": at});
        let (app, agent) = (&app, w.agent.clone());
        async move { app.post(&format!("/api/v1/customers/{id}/purchases"), &agent, body).await.expect(201) }
    };
    buy(a.clone(), 600_000, 10).await;
    buy(b.clone(), 600_000, 200).await;
    buy(c.clone(), 100_000, 5).await;

    // Women who spent more than 5000 yuan in the last 90 days: 王芳 only (李娜's is older).
    let big_spenders = json!({"all": [
        {"field": "gender", "op": "eq", "value": "female"},
        {"field": "spent_fen", "op": "gt", "value": 500_000, "days": 90}
    ]});
    assert_eq!(count(&app, &w.agent, big_spenders.clone()).await, 1);
    assert_eq!(
        count(&app, &w.agent, json!({"field": "tag", "op": "eq", "value": "vip"})).await,
        2,
        "S1's two, not S2's"
    );
    // `not` includes those with no gender at all.
    assert_eq!(count(&app, &w.agent, json!({"not": {"field": "gender", "op": "eq", "value": "female"}})).await, 2);
    let either = json!({"any": [{"field": "tag", "op": "eq", "value": "vip"}, {"field": "purchase_count", "op": "gte", "value": 1}]});
    assert_eq!(count(&app, &w.agent, either).await, 3);
    assert_eq!(count(&app, &w.agent, json!({"field": "consent", "op": "marketing_sms", "value": "never"})).await, 4);
    // SQL in a value is a value.
    assert_eq!(count(&app, &w.agent, json!({"field": "tag", "op": "eq", "value": "x' OR '1'='1"})).await, 0);
    // Every kind of comparison runs (each one's SQL, on this database), with what it should find.
    let group_unit = app.group_id(&w.admin).await;
    let kinds = [
        (json!({"field": "consent", "op": "marketing_sms", "value": "granted"}), 0),
        (json!({"not": {"field": "consent", "op": "marketing_sms", "value": "withdrawn"}}), 4),
        (json!({"field": "unit", "op": "eq", "value": group_unit}), 4),
        (json!({"field": "unit", "op": "eq", "value": w.s2}), 0),
        (json!({"field": "tier", "op": "in", "value": ["A", "B"]}), 0),
        (json!({"field": "household", "op": "eq", "value": "H-9"}), 0),
        (json!({"field": "created_at", "op": "after", "value": "2020-01-01"}), 4),
        (json!({"field": "created_at", "op": "before", "value": "2020-01-01"}), 0),
        (json!({"field": "reachable", "op": "eq", "value": true}), 4),
        (json!({"field": "customer_type", "op": "in", "value": ["individual"]}), 4),
        (json!({"field": "source_channel", "op": "eq", "value": "sales"}), 4),
        (json!({"field": "income_band", "op": "eq", "value": "high"}), 0),
        (json!({"field": "preferred_channel", "op": "in", "value": ["sms"]}), 0),
        (json!({"field": "purchase_count", "op": "lte", "value": 0}), 1),
        (json!({"field": "spent_fen", "op": "gte", "value": 600_000, "days": 365}), 2),
    ];
    for (rule, n) in kinds {
        assert_eq!(count(&app, &w.agent, rule.clone()).await, n, "{rule}");
    }
    let _ = d;

    // A profiling withdrawal takes the customer out at once.
    consent(&app, &w.agent, &a, "profiling", false).await;
    assert_eq!(count(&app, &w.agent, big_spenders.clone()).await, 0);
    consent(&app, &w.agent, &a, "profiling", true).await;
    assert_eq!(count(&app, &w.agent, big_spenders.clone()).await, 1);

    // A bad node is refused with its path.
    let bad = json!({"all": [{"field": "gender", "op": "eq", "value": "female"}, {"field": "tier", "op": "like", "value": "A"}]});
    let p = app.post("/api/v1/segments/preview", &w.agent, json!({"rule": bad})).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("rule.all[1].op"), Some("operator"))
    );
    let p = app
        .post("/api/v1/segments/preview", &w.agent, json!({"rule": {"field": "shoe_size", "op": "eq", "value": 1}}))
        .await
        .problem(422);
    assert_eq!(p.body["errors"][0]["field"], "rule.field");

    // Saved by a manager, read by the unit, not by another subsidiary.
    let input = json!({"name": "高消费女性客户", "rule": big_spenders});
    app.post("/api/v1/segments", &w.agent, input.clone()).await.problem(403);
    let saved = app.post("/api/v1/segments", &w.manager, input).await.expect(201);
    let id = saved.body["id"].as_str().unwrap().to_owned();
    assert_eq!(saved.header("etag").as_deref(), Some("\"1\""));
    let listed = app.get("/api/v1/segments", &w.agent).await.expect(200).body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    app.get(&format!("/api/v1/segments/{id}"), &w.other_manager).await.problem(404);
    app.get(&format!("/api/v1/segments/{id}/members"), &w.other_manager).await.problem(404);
    assert!(app.get("/api/v1/segments", &w.other_manager).await.expect(200).body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let members = app.get(&format!("/api/v1/segments/{id}/members"), &w.agent).await.expect(200).body;
    let items = members["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], json!(a));
    assert_eq!(items[0]["mobile"], "139****3001", "masked as the list masks it for an agent");

    // Changed with If-Match; deleted.
    let wider = json!({"name": "女性客户", "rule": {"field": "gender", "op": "in", "value": ["female"]}});
    let path = format!("/api/v1/segments/{id}");
    let if_match = [("If-Match", "\"1\"")];
    app.send("PUT", &path, Some(&w.manager), Some(wider.clone()), &if_match).await.expect(200);
    app.send("PUT", &path, Some(&w.manager), Some(wider.clone()), &if_match).await.problem(412);
    let members = app.get(&format!("/api/v1/segments/{id}/members"), &w.agent).await.expect(200).body;
    assert_eq!(members["items"].as_array().unwrap().len(), 2, "王芳 and 李娜");
    // Exported as the members are listed: a customer export job with the rule as its filter.
    app.post(&format!("/api/v1/segments/{id}/exports"), &w.agent, json!({"format": "csv"})).await.problem(403);
    let started =
        app.post(&format!("/api/v1/segments/{id}/exports"), &w.manager, json!({"format": "csv"})).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &w.manager).await;
    assert_eq!((job["status"].as_str(), job["result"]["rows"].as_i64()), (Some("succeeded"), Some(2)), "{job}");
    app.post(&format!("/api/v1/segments/{id}/exports"), &w.other_manager, json!({"format": "csv"})).await.problem(404);
    app.send("DELETE", &format!("/api/v1/segments/{id}"), Some(&w.manager), None, &[]).await.expect(204);
    app.get(&format!("/api/v1/segments/{id}"), &w.agent).await.problem(404);
}
both!(segments_count_list_and_refuse, segments_count_list_and_refuse);
