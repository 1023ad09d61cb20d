//! Care automations on a controlled clock: four rules (birthday, renewal, usage tip, a holiday),
//! switched on by a second manager; the calendar of the coming week; the morning job turning each
//! rule's day into a campaign of exactly the customers it concerns (birthdays found by the
//! month-day index, one written before the index existed indexed on the way), once a day; and
//! the send job delivering them under the consent rules.

use chrono::NaiveDateTime;
use serde_json::{json, Value};

use crate::both;
use crate::campaigns::{messages, tick, utc};
use crate::fixtures::{consent, notice, world};
use crate::helpers::TestApp;

async fn person(app: &TestApp, token: &str, name: &str, mobile: &str, birth: Option<&str>) -> String {
    let mut body =
        json!({"name": name, "mobile": mobile, "customer_type": "individual", "source": {"channel": "service"}});
    if let Some(b) = birth {
        body["birth_date"] = json!(b);
    }
    app.post("/api/v1/customers", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

fn daily(app: &TestApp, at: &str) -> guanxi::care::service::Daily {
    let at: NaiveDateTime = utc(at);
    app.state.clock.set(at);
    let mut conn = app.state.db.get().unwrap();
    guanxi::care::service::daily(&mut conn, &app.state.cipher, at).unwrap()
}

async fn care_rules_become_the_days_campaigns(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let approver = app.user(&w.admin, "manager3", "manager", &w.s1).await.1;
    let wang = person(&app, &w.agent, "王芳", "13900008001", Some("1990-03-02")).await;
    let li = person(&app, &w.agent, "李娜", "13900008002", Some("1985-03-03")).await;
    let zhang = person(&app, &w.agent, "张伟", "13900008003", None).await;
    let zhao = person(&app, &w.agent, "赵敏", "13900008004", None).await;
    for id in [&wang, &zhang, &zhao] {
        consent(&app, &w.agent, id, "marketing_sms", true).await;
    }
    let buy = |customer: &str, at: &str, ends: Option<&str>| {
        let mut body =
            json!({"product": "宽带 500M 年费", "amount_fen": 118_800, "channel": "store", "purchased_at": at});
        if let Some(e) = ends {
            body["ends_at"] = json!(e);
        }
        (format!("/api/v1/customers/{customer}/purchases"), body)
    };
    let (path, mut bad) = buy(&zhang, "2025-03-09T00:00:00Z", Some("2025-03-01T00:00:00Z"));
    let p = app.post(&path, &w.agent, bad.clone()).await.problem(422);
    assert_eq!(p.body["errors"][0]["field"], "ends_at");
    bad["ends_at"] = json!("2026-03-09T03:00:00Z");
    app.post(&path, &w.agent, bad).await.expect(201);
    let (path, body) = buy(&zhao, "2026-02-23T05:00:00Z", None);
    app.post(&path, &w.agent, body).await.expect(201);
    // Birth dates stay encrypted; the index is not the month-day in clear.
    assert_eq!(
        app.count("customers WHERE birthday_bidx = '03-02' OR birthday_bidx IS NULL AND birth_date IS NOT NULL"),
        0
    );

    // Bad rules are refused field by field; good ones start switched off.
    let rule = |name: &str, kind: &str| json!({"name": name, "kind": kind, "channel": "sms", "body": "{{name}}您好"});
    let p = app.post("/api/v1/care-rules", &w.manager, rule("节日问候", "holiday")).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("month_day"), Some("required"))
    );
    let mut bad = rule("续费提醒", "renewal");
    bad["days"] = json!(400);
    assert_eq!(app.post("/api/v1/care-rules", &w.manager, bad).await.problem(422).body["errors"][0]["field"], "days");
    let mut bad = rule("节日问候", "holiday");
    bad["month_day"] = json!("02-30");
    assert_eq!(app.post("/api/v1/care-rules", &w.manager, bad).await.problem(422).body["errors"][0]["code"], "format");
    let p = app.post("/api/v1/care-rules", &w.manager, rule("使用提示", "tip")).await.problem(422);
    assert_eq!(p.body["errors"][0]["field"], "days");
    assert_eq!(app.count("care_rules"), 0);

    let mut birthday = rule("生日祝福", "birthday");
    birthday["body"] = json!("{{name}}生日快乐");
    let mut renewal = rule("续费提醒", "renewal");
    renewal["days"] = json!(7);
    let mut tip = rule("使用提示", "tip");
    tip["days"] = json!(7);
    let mut holiday = rule("三八节问候", "holiday");
    holiday["month_day"] = json!("03-08");
    let mut ids = Vec::new();
    for body in [birthday, renewal, tip, holiday] {
        let made = app.post("/api/v1/care-rules", &w.manager, body).await.expect(201).body;
        assert_eq!(made["active"], false);
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    let p = app.post(&format!("/api/v1/care-rules/{}/activate", ids[0]), &w.manager, json!({})).await.problem(409);
    assert_eq!(p.body["code"], "care_rule_second_person");
    for id in &ids {
        let on = app.post(&format!("/api/v1/care-rules/{id}/activate"), &approver, json!({})).await.expect(200).body;
        assert_eq!(on["active"], true);
    }
    assert_eq!(app.get("/api/v1/care-rules", &w.other_manager).await.expect(200).body, json!([]));

    // The coming week from 2 March: both birthdays, the renewal and the tip today, 8 March for all.
    app.state.clock.set(utc("2026-03-02 00:30"));
    let calendar = app.get("/api/v1/care/calendar?days=7", &w.manager).await.expect(200).body;
    let days: Vec<(String, String, i64)> = calendar
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_owned(),
                d["kind"].as_str().unwrap().to_owned(),
                d["customers"].as_i64().unwrap(),
            )
        })
        .collect();
    let day = |d: &str, k: &str, n: i64| (d.to_owned(), k.to_owned(), n);
    assert_eq!(
        days,
        [
            day("2026-03-02", "birthday", 1),
            day("2026-03-02", "renewal", 1),
            day("2026-03-02", "tip", 1),
            day("2026-03-03", "birthday", 1),
            day("2026-03-08", "holiday", 4)
        ]
    );
    app.get("/api/v1/care/calendar?days=40", &w.manager).await.problem(400);
    assert_eq!(app.get("/api/v1/care/calendar", &w.other_manager).await.expect(200).body, json!([]));

    // A birth date written before the index existed is indexed by the morning run.
    app.sql(&format!("UPDATE customers SET birthday_bidx = NULL WHERE id = '{wang}'"));
    let d = daily(&app, "2026-03-02 00:30");
    assert_eq!((d.rules, d.campaigns, d.customers, d.indexed), (4, 3, 3, 1));
    assert_eq!(daily(&app, "2026-03-02 00:45").campaigns, 0, "once a day");
    let campaigns = app.get("/api/v1/campaigns?state=scheduled", &w.manager).await.expect(200).body;
    let by_rule = |rule: &str| -> Value {
        campaigns["items"].as_array().unwrap().iter().find(|c| c["care_rule_id"] == rule).cloned().unwrap()
    };
    let greeting = by_rule(&ids[0]);
    assert_eq!((greeting["audience"].as_i64(), greeting["reviewed_by"].is_string()), (Some(1), true));

    // 10:00 in Beijing: sent under the consent rules, each to the one it concerns.
    let t = tick(&app, "2026-03-02 02:00");
    assert_eq!((t.campaigns, t.sent), (3, 3));
    let sent = messages(&app, greeting["id"].as_str().unwrap());
    assert_eq!(
        (sent.len(), sent[0].customer_id.as_str(), sent[0].body.as_str()),
        (1, wang.as_str(), "王*生日快乐 回T退订")
    );
    for (rule, who) in [(&ids[1], &zhang), (&ids[2], &zhao)] {
        let sent = messages(&app, by_rule(rule)["id"].as_str().unwrap());
        assert_eq!(sent.iter().map(|m| &m.customer_id).collect::<Vec<_>>(), [who]);
    }

    // Switched off, the birthday rule makes nothing the next day (李娜's birthday).
    app.post(&format!("/api/v1/care-rules/{}/deactivate", ids[0]), &approver, json!({})).await.expect(200);
    let d = daily(&app, "2026-03-03 00:30");
    assert_eq!((d.rules, d.campaigns), (3, 0));
    assert_eq!(app.count(&format!("campaign_audience WHERE customer_id = '{li}'")), 0);
}

both!(care_rules_become_the_days_campaigns, care_rules_become_the_days_campaigns, &[("GUANXI_JOBS", "false")]);
