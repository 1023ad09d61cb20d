//! The campaign report (MKT-3) against a fixture computed by hand: who was reached and who was
//! held back as the control group, who followed the tracked link, whose purchases fell in the
//! attribution window (refunds netted, purchases before the message or after the window not), and
//! from those the participation, conversion, revenue, ROI and uplift.

use serde_json::{json, Value};

use crate::both;
use crate::campaigns::{everyone, messages, plan, tick};
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

async fn buy(app: &TestApp, token: &str, customer: &str, amount_fen: i64, at: &str, refund_of: Option<&str>) -> String {
    let mut body = json!({"product": "宽带", "amount_fen": amount_fen, "channel": "store", "purchased_at": at});
    if let Some(original) = refund_of {
        body["refund_of"] = json!(original);
    }
    let path = format!("/api/v1/customers/{customer}/purchases");
    app.post(&path, token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

async fn report_matches_a_hand_computed_fixture(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let approver = app.user(&w.admin, "manager3", "manager", &w.s1).await.1;
    let segment = everyone(&app, &w.manager).await;
    let mut body = plan(&segment, "春季回馈", "2026-03-02T00:00:00Z", "2026-03-20T00:00:00Z");
    body["body"] = json!("{{name}}您好，春季回馈详见 {{link}}");
    body["cost_per_message_fen"] = json!(250);
    body["holdout_percent"] = json!(50);
    body["attribution_days"] = json!(7);
    let mut bad = body.clone();
    bad["link_url"] = json!("javascript:alert(1)");
    let p = app.post("/api/v1/campaigns", &w.manager, bad).await.problem(422);
    assert!(p.body["errors"].as_array().unwrap().iter().any(|e| e["field"] == "link_url"));
    let mut unlinked = body.clone();
    unlinked["holdout_percent"] = json!(0);
    let p = app.post("/api/v1/campaigns", &w.manager, unlinked).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("link_url"), Some("required"))
    );
    body["link_url"] = json!("https://shop.example.cn/spring");
    let id = app.post("/api/v1/campaigns", &w.manager, body).await.expect(201).body["id"].as_str().unwrap().to_owned();

    // Four reached and three held back, known before approval from the campaign's own draw (its
    // unit test checks the draw); anyone else made on the way has no consent and is excluded.
    let (mut reached, mut control) = (Vec::new(), Vec::new());
    for i in 0.. {
        if reached.len() == 4 && control.len() == 3 {
            break;
        }
        let c = customer(&app, &w.agent, &format!("客户{i}"), &format!("139000060{i:02}")).await;
        let held = guanxi::campaigns::holdout::held_out(&id, &c, 50);
        let (side, wanted) = if held { (&mut control, 3) } else { (&mut reached, 4) };
        if side.len() < wanted {
            consent(&app, &w.agent, &c, "marketing_sms", true).await;
            side.push(c);
        }
    }
    app.post(&format!("/api/v1/campaigns/{id}/submit"), &w.manager, json!({})).await.expect(200);
    app.post(&format!("/api/v1/campaigns/{id}/approve"), &approver, json!({})).await.expect(200);
    // Win-back: R0 and C0 had turned churn-risk (a tier run's warning); the message reaching R0
    // is recorded on R0's warning, while C0, held back, has nothing to show.
    for (n, who) in [(1, &reached[0]), (2, &control[0])] {
        app.sql(&format!(
            "INSERT INTO churn_warnings (id, customer_id, run_id, measure, recent, previous, drop_percent, months, \
             status, opened_at) VALUES ('w{n}', '{who}', 'run', 'spend', 100, 1000, 90, 6, 'open', '2026-03-01 00:00:00')"
        ));
    }
    // Sent 2026-03-03 02:00 UTC: the window runs to 2026-03-10 02:00.
    let t = tick(&app, "2026-03-03 02:00");
    assert_eq!(t.sent, 4);
    let sent = messages(&app, &id);
    let mut to: Vec<&String> = sent.iter().map(|m| &m.customer_id).collect();
    to.sort_unstable();
    let mut expected: Vec<&String> = reached.iter().collect();
    expected.sort_unstable();
    assert_eq!(to, expected, "the control group receives nothing");
    let warning = app.get("/api/v1/churn-warnings/w1", &w.manager).await.expect(200).body;
    let actions = warning["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!((actions[0]["action"].as_str(), actions[0]["outcome"].as_str()), (Some("message"), Some("reached")));
    assert_eq!(actions[0]["note"], format!("campaign:{id} channel:sms"));
    assert_eq!(app.get("/api/v1/churn-warnings/w2", &w.manager).await.expect(200).body["actions"], json!([]));

    // Two of the reached follow the link (one of them twice); a forged link leads nowhere.
    for (who, times) in [(&reached[0], 2), (&reached[3], 1)] {
        let m = sent.iter().find(|m| &m.customer_id == who).unwrap();
        let link = m.body.split_whitespace().find(|w| w.contains("/api/v1/track/")).unwrap();
        let path = &link[link.find("/api/v1/track/").unwrap()..];
        for _ in 0..times {
            // As a browser meets it: the redirect itself, not where it leads.
            let r = awc::Client::builder().disable_redirects().finish().get(format!("{}{path}", app.base)).send().await;
            let r = r.unwrap();
            assert_eq!(r.status().as_u16(), 302);
            assert_eq!(r.headers().get("location").unwrap(), "https://shop.example.cn/spring");
        }
    }
    app.send("GET", "/api/v1/track/not-a-token", None, None, &[]).await.problem(404);

    // Purchases: R0 6,000 on day 2 and refunds 1,000 of it on day 5 (nets 5,000); R1 3,000 on
    // day 6 and 8,000 on day 8 (outside); R2 2,000 an hour before the message (before); R3
    // nothing. C0 4,000 on day 3; C1, C2 nothing.
    let r0 = buy(&app, &w.agent, &reached[0], 6_000, "2026-03-05T02:00:00Z", None).await;
    buy(&app, &w.agent, &reached[0], -1_000, "2026-03-08T02:00:00Z", Some(&r0)).await;
    buy(&app, &w.agent, &reached[1], 3_000, "2026-03-09T01:59:00Z", None).await;
    buy(&app, &w.agent, &reached[1], 8_000, "2026-03-11T02:00:00Z", None).await;
    buy(&app, &w.agent, &reached[2], 2_000, "2026-03-03T01:00:00Z", None).await;
    buy(&app, &w.agent, &control[0], 4_000, "2026-03-06T02:00:00Z", None).await;

    let report: Value = app.get(&format!("/api/v1/campaigns/{id}/report"), &w.manager).await.expect(200).body;
    let figures = |k: &str| report[k].clone();
    assert_eq!(
        [figures("sent"), figures("control"), figures("responded"), figures("converted"), figures("control_converted")],
        [json!(4), json!(3), json!(2), json!(2), json!(1)]
    );
    let cost = 4 * 250;
    let revenue = (6_000 - 1_000) + 3_000;
    assert_eq!((report["cost_fen"].as_i64(), report["revenue_fen"].as_i64()), (Some(cost), Some(revenue)));
    assert_eq!(report["participation_rate"].as_f64(), Some(2.0 / 4.0));
    assert_eq!(report["conversion_rate"].as_f64(), Some(2.0 / 4.0));
    assert_eq!(report["control_conversion_rate"].as_f64(), Some(1.0 / 3.0));
    assert_eq!(report["uplift"].as_f64(), Some(2.0 / 4.0 - 1.0 / 3.0));
    assert_eq!(report["roi"].as_f64(), Some((revenue - cost) as f64 / cost as f64), "(8,000 − 1,000) ÷ 1,000 = 7");
    assert_eq!(report["roi"].as_f64(), Some(7.0));
}

both!(report_matches_a_hand_computed_fixture, report_matches_a_hand_computed_fixture, &[("GUANXI_JOBS", "false")]);
