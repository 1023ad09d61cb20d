//! Campaigns: planned by sales, approved by a second manager (which freezes the audience), and
//! sent by the send job on a controlled clock — every member decided at the moment of sending
//! against live consent, profiling, the frequency cap across campaigns and quiet hours, and the
//! report counting each reason. The messages are read back from the development file adapter.

use chrono::NaiveDateTime;
use guanxi::campaigns::file_adapter::FileAdapter;
use guanxi::crypto::field::FieldCipher;
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

pub(crate) fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The send job's run at `at` (UTC), as the scheduler would start it.
pub(crate) fn tick(app: &TestApp, at: &str) -> guanxi::campaigns::send::Tally {
    app.state.clock.set(utc(at));
    let mut conn = app.state.db.get().unwrap();
    guanxi::campaigns::send::tick(&mut conn, &app.state, utc(at)).unwrap()
}

pub(crate) fn messages(app: &TestApp, campaign: &str) -> Vec<guanxi::campaigns::adapter::Message> {
    FileAdapter::new(app.data_dir.join("messages"), FieldCipher::new(&app.state.keys)).read(campaign).unwrap()
}

pub(crate) async fn everyone(app: &TestApp, token: &str) -> String {
    let rule = json!({"field": "customer_type", "op": "in", "value": ["individual"]});
    let body = json!({"name": "全部个人客户", "rule": rule});
    app.post("/api/v1/segments", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

pub(crate) fn plan(segment: &str, name: &str, starts: &str, ends: &str) -> Value {
    json!({
        "name": name, "goal": "到店转化", "channel": "sms", "segment_ids": [segment],
        "body": "{{name}}您好，{{campaign}}：到店享 8 折",
        "starts_at": starts, "ends_at": ends, "cost_per_message_fen": 5
    })
}

async fn launch(app: &TestApp, author: &str, approver: &str, body: Value) -> Value {
    let id = app.post("/api/v1/campaigns", author, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/campaigns/{id}/submit"), author, json!({})).await.expect(200);
    app.post(&format!("/api/v1/campaigns/{id}/approve"), approver, json!({})).await.expect(200).body
}

pub(crate) fn reasons(report: &Value) -> Vec<(String, i64)> {
    report["excluded_by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["count"].as_i64() != Some(0))
        .map(|r| (r["reason"].as_str().unwrap().to_owned(), r["count"].as_i64().unwrap()))
        .collect()
}

async fn consent_checked_at_send_time(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let sales = app.user(&w.admin, "sales1", "sales", &w.s1).await.1;
    let approver = app.user(&w.admin, "manager3", "manager", &w.s1).await.1;
    let mut ids = Vec::new();
    for (name, mobile) in
        [("王芳", "13900004001"), ("李娜", "13900004002"), ("张伟", "13900004003"), ("赵敏", "13900004004")]
    {
        ids.push(customer(&app, &w.agent, name, mobile).await);
    }
    let never_asked = customer(&app, &w.agent, "钱多", "13900004005").await;
    for id in &ids {
        consent(&app, &w.agent, id, "marketing_sms", true).await;
    }
    let segment = everyone(&app, &w.manager).await;

    // Bad plans are refused field by field.
    let mut bad = plan(&segment, "春季回馈", "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z");
    bad["body"] = json!("{{nickname}}您好");
    bad["subject"] = json!("春季");
    bad["ends_at"] = json!("2026-03-01T00:00:00Z");
    bad["segment_ids"] = json!([segment, "no-such-segment"]);
    let p = app.post("/api/v1/campaigns", &sales, bad).await.problem(422);
    let errors: Vec<(&str, &str)> = p.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("ends_at", "after_start"),
            ("subject", "email_only"),
            ("body", "unknown_variable"),
            ("segment_ids[1]", "not_found")
        ]
    );
    assert_eq!(app.count("campaigns"), 0, "nothing half-written");

    // Four eyes: sales plans and submits; sales cannot approve; the author cannot either.
    let body = plan(&segment, "春季回馈", "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z");
    let c = app.post("/api/v1/campaigns", &sales, body.clone()).await.expect(201).body;
    let id = c["id"].as_str().unwrap().to_owned();
    assert_eq!((c["state"].as_str(), c["segment_ids"].clone()), (Some("draft"), json!([segment])));
    let path = format!("/api/v1/campaigns/{id}");
    app.post(&format!("{path}/approve"), &w.manager, json!({})).await.problem(409);
    app.post(&format!("{path}/submit"), &sales, json!({})).await.expect(200);
    app.post(&format!("{path}/approve"), &sales, json!({})).await.problem(403);
    let mine = app.post("/api/v1/campaigns", &w.manager, body.clone()).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(&format!("/api/v1/campaigns/{mine}/submit"), &w.manager, json!({})).await.expect(200);
    let p = app.post(&format!("/api/v1/campaigns/{mine}/approve"), &w.manager, json!({})).await.problem(409);
    assert_eq!(p.body["code"], "campaign_second_person");
    app.post(&format!("/api/v1/campaigns/{mine}/cancel"), &w.manager, json!({})).await.expect(200);
    // Rejected with a reason, changed, submitted again, approved: the audience is frozen now.
    app.post(&format!("{path}/reject"), &w.manager, json!({})).await.problem(422);
    let back =
        app.post(&format!("{path}/reject"), &w.manager, json!({"note": "请写明优惠期限"})).await.expect(200).body;
    assert_eq!((back["state"].as_str(), back["review_note"].as_str()), (Some("draft"), Some("请写明优惠期限")));
    let mut changed = body.clone();
    changed["body"] = json!("{{name}}您好，{{campaign}}：3 月 9 日前到店享 8 折");
    app.send("PUT", &path, Some(&sales), Some(changed.clone()), &[]).await.problem(428);
    app.send("PUT", &path, Some(&sales), Some(changed.clone()), &[("If-Match", "\"1\"")]).await.problem(412);
    let version = format!("\"{}\"", back["version"]);
    app.send("PUT", &path, Some(&sales), Some(changed), &[("If-Match", version.as_str())]).await.expect(200);
    app.post(&format!("{path}/submit"), &sales, json!({})).await.expect(200);
    let launched = app.post(&format!("{path}/approve"), &approver, json!({})).await.expect(200).body;
    assert_eq!((launched["state"].as_str(), launched["audience"].as_i64()), (Some("scheduled"), Some(5)));
    app.send("PUT", &path, Some(&sales), Some(body), &[("If-Match", "*")]).await.problem(409);
    app.get(&path, &w.other_manager).await.problem(404);
    app.get(&format!("{path}/report"), &w.other_manager).await.problem(404);

    // After the snapshot: 李娜 withdraws the SMS consent, 张伟 profiling; a new customer with
    // consent is not in the frozen audience.
    consent(&app, &w.agent, &ids[1], "marketing_sms", false).await;
    consent(&app, &w.agent, &ids[2], "profiling", false).await;
    let late = customer(&app, &w.agent, "孙丽", "13900004006").await;
    consent(&app, &w.agent, &late, "marketing_sms", true).await;

    // 21:30 in Beijing: quiet hours hold it back.
    let t = tick(&app, "2026-03-02 13:30");
    assert_eq!((t.held, t.decided, t.sent), (1, 0, 0));
    assert!(messages(&app, &id).is_empty());
    // 10:00 the next morning: decided and sent.
    let t = tick(&app, "2026-03-03 02:00");
    assert_eq!((t.decided, t.sent, t.failed, t.completed), (5, 2, 0, 1));
    let sent = messages(&app, &id);
    let mut to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["+8613900004001", "+8613900004004"], "only the two with a live consent and profiling");
    let first = sent.iter().find(|m| m.customer_id == ids[0]).unwrap();
    assert_eq!(first.body, "王*您好，春季回馈：3 月 9 日前到店享 8 折 回T退订", "masked name, opt-out line");

    let report = app.get(&format!("{path}/report"), &w.manager).await.expect(200).body;
    assert_eq!(
        (report["state"].as_str(), report["audience"].as_i64(), report["sent"].as_i64(), report["cost_fen"].as_i64()),
        (Some("completed"), Some(5), Some(2), Some(10))
    );
    assert_eq!(
        reasons(&report),
        [("no_consent".to_owned(), 1), ("withdrawn".to_owned(), 1), ("not_profiled".to_owned(), 1)]
    );
    assert_eq!(
        app.count(&format!("campaign_deliveries WHERE customer_id = '{never_asked}' AND reason = 'no_consent'")),
        1
    );
    assert_eq!(app.count(&format!("campaign_deliveries WHERE customer_id = '{late}'")), 0);
    assert_eq!(app.count(&format!("outbox WHERE topic = 'campaign.completed' AND aggregate_id = '{id}'")), 1);
    // A later run sends nothing again.
    let t = tick(&app, "2026-03-03 03:00");
    assert_eq!((t.campaigns, t.sent), (0, 0));
    assert_eq!(messages(&app, &id).len(), 2);
    let listed = app.get("/api/v1/campaigns?state=completed", &w.compliance).await.expect(200).body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    app.get("/api/v1/campaigns", &w.agent).await.problem(403);
}

both!(consent_checked_at_send_time, consent_checked_at_send_time, &[("GUANXI_JOBS", "false")]);

async fn caps_and_quiet_hours_across_campaigns(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let group = app.group_id(&w.admin).await;
    let chief = app.user(&w.admin, "chief", "manager", &group).await.1;
    let mut ids = Vec::new();
    for (i, name) in ["甲", "乙", "丙"].iter().enumerate() {
        let id = customer(&app, &w.agent, &format!("客户{name}"), &format!("1390000500{i}")).await;
        consent(&app, &w.agent, &id, "marketing_sms", true).await;
        ids.push(id);
    }
    // One marketing message per customer per 30 days.
    let rules = app.get("/api/v1/marketing/rules", &chief).await.expect(200);
    let etag = rules.header("etag").unwrap();
    assert_eq!((rules.body["cap_messages"].as_i64(), rules.body["quiet_start_minute"].as_i64()), (Some(4), Some(1260)));
    let mut one = rules.body.clone();
    one["cap_messages"] = json!(1);
    app.send("PUT", "/api/v1/marketing/rules", Some(&w.manager), Some(one.clone()), &[("If-Match", etag.as_str())])
        .await
        .problem(403);
    app.send("PUT", "/api/v1/marketing/rules", Some(&chief), Some(one), &[("If-Match", etag.as_str())])
        .await
        .expect(200);

    let segment = everyone(&app, &w.manager).await;
    let approver = app.user(&w.admin, "manager3", "manager", &w.s1).await.1;
    let first =
        launch(&app, &w.manager, &approver, plan(&segment, "甲活动", "2026-03-02T00:00:00Z", "2026-03-20T00:00:00Z"))
            .await;
    let second =
        launch(&app, &w.manager, &approver, plan(&segment, "乙活动", "2026-03-02T01:00:00Z", "2026-03-20T00:00:00Z"))
            .await;
    // A campaign whose whole window lies in quiet hours (21:30–22:00 Beijing).
    let night =
        launch(&app, &w.manager, &approver, plan(&segment, "夜间活动", "2026-03-02T13:30:00Z", "2026-03-02T14:00:00Z"))
            .await;

    let t = tick(&app, "2026-03-02 13:45");
    assert_eq!((t.campaigns, t.held, t.sent), (3, 3, 0), "all three held at 21:45");
    let t = tick(&app, "2026-03-02 14:30");
    assert_eq!((t.held, t.sent, t.completed), (2, 0, 1), "the night campaign's window closed in quiet hours");
    let t = tick(&app, "2026-03-03 02:00");
    assert_eq!((t.sent, t.completed), (3, 2), "the first campaign reaches each once; the second is capped");

    let report = |c: &Value| {
        let path = format!("/api/v1/campaigns/{}/report", c["id"].as_str().unwrap());
        let (app, token) = (&app, w.manager.clone());
        async move { app.get(&path, &token).await.expect(200).body }
    };
    let r1 = report(&first).await;
    assert_eq!((r1["sent"].as_i64(), reasons(&r1)), (Some(3), vec![]));
    let r2 = report(&second).await;
    assert_eq!((r2["sent"].as_i64(), reasons(&r2)), (Some(0), vec![("capped".to_owned(), 3)]));
    let r3 = report(&night).await;
    assert_eq!((r3["sent"].as_i64(), reasons(&r3)), (Some(0), vec![("quiet_hours".to_owned(), 3)]));
    // Thirty days on, the cap has passed: a new campaign reaches them again.
    let later =
        launch(&app, &w.manager, &approver, plan(&segment, "丙活动", "2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z"))
            .await;
    let t = tick(&app, "2026-04-03 02:00");
    assert_eq!(t.sent, 3);
    assert_eq!(messages(&app, later["id"].as_str().unwrap()).len(), 3);
}

both!(caps_and_quiet_hours_across_campaigns, caps_and_quiet_hours_across_campaigns, &[("GUANXI_JOBS", "false")]);

/// An SMTP server on loopback (aiosmtpd, from the test tools of `scripts/python-env`) that
/// stores what it receives in a maildir; stopped when dropped.
struct SmtpSink {
    child: std::process::Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let python = std::env::var("GUANXI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let maildir = std::env::temp_dir().join(format!("guanxi-mail-{}", uuid::Uuid::now_v7()));
        let child = std::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .spawn()
            .unwrap_or_else(|e| panic!("{python} -m aiosmtpd: {e} (run the suite with scripts/test)"));
        let sink = SmtpSink { child, port, maildir };
        // Ready when it accepts a connection (polled, like `wait_job`: a process starting up).
        let ready = (0..200).any(|_| {
            let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            if !up {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            up
        });
        assert!(ready, "aiosmtpd did not start (is it installed? run scripts/python-env)");
        sink
    }

    /// Every message received so far, raw.
    fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        entries.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// A header's value with folded lines joined.
fn header(raw: &str, name: &str) -> Option<String> {
    let unfolded = raw.replace("\r\n ", " ").replace("\r\n\t", " ").replace("\n ", " ");
    unfolded.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned))
}

async fn email_arrives_and_its_link_unsubscribes(app: TestApp, sink: SmtpSink) {
    let w = world(&app).await;
    let mut notice = crate::fixtures::notice_body();
    notice["purposes"] = json!(["marketing_email", "profiling"]);
    app.post("/api/v1/privacy-notices", &w.compliance, notice).await.expect(201);
    let approver = app.user(&w.admin, "manager3", "manager", &w.s1).await.1;
    let mut ids = Vec::new();
    for (name, email) in [("王芳", "wang.fang@example.com"), ("李娜", "li.na@example.com")] {
        let body =
            json!({"name": name, "email": email, "customer_type": "individual", "source": {"channel": "service"}});
        let id =
            app.post("/api/v1/customers", &w.agent, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
        consent(&app, &w.agent, &id, "marketing_email", true).await;
        ids.push(id);
    }
    let segment = everyone(&app, &w.manager).await;
    let email_plan = |name: &str, starts: &str| {
        let mut body = plan(&segment, name, starts, "2026-03-20T00:00:00Z");
        body["channel"] = json!("email");
        body["subject"] = json!("{{campaign}}");
        body
    };
    let first = launch(&app, &w.manager, &approver, email_plan("Spring offer", "2026-03-02T00:00:00Z")).await;
    let t = tick(&app, "2026-03-03 02:00");
    assert_eq!((t.sent, t.failed), (2, 0));

    let mail = sink.received();
    assert_eq!(mail.len(), 2, "both emails reached the SMTP server");
    let to_wang = mail.iter().find(|m| header(m, "To").is_some_and(|t| t.contains("wang.fang@example.com"))).unwrap();
    assert_eq!(header(to_wang, "Subject").as_deref(), Some("Spring offer"));
    assert!(header(to_wang, "From").unwrap().contains("no-reply@localhost"));
    let list = header(to_wang, "List-Unsubscribe").expect("a List-Unsubscribe header");
    let link = list.trim_start_matches('<').trim_end_matches('>').replace(' ', "");
    let prefix = "https://crm.example.com/self-service/unsubscribe/email#";
    assert!(link.starts_with(prefix), "{link}");
    let token = &link[prefix.len()..];

    // Following the link: the page posts it; a link for email does not withdraw SMS consent.
    let bearer = [("Authorization", format!("Bearer {token}"))];
    let headers: Vec<(&str, &str)> = bearer.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.send("POST", "/api/v1/self-service/unsubscribe/sms", None, None, &headers).await.problem(401);
    let done = app.send("POST", "/api/v1/self-service/unsubscribe/email", None, None, &headers).await.expect(201);
    assert_eq!(
        (done.body["consent"]["purpose"].as_str(), done.body["consent"]["granted"].as_bool()),
        (Some("marketing_email"), Some(false))
    );
    assert_eq!(done.body["consent"]["self_service"], true);
    assert_eq!(
        app.count(&format!("consents WHERE customer_id = '{}' AND granted = FALSE AND self_service = TRUE", ids[0])),
        1
    );

    // The next campaign skips her.
    let second = launch(&app, &w.manager, &approver, email_plan("Summer offer", "2026-03-04T00:00:00Z")).await;
    let t = tick(&app, "2026-03-04 02:00");
    assert_eq!(t.sent, 1);
    assert_eq!(sink.received().len(), 3);
    let report = app
        .get(&format!("/api/v1/campaigns/{}/report", second["id"].as_str().unwrap()), &w.manager)
        .await
        .expect(200)
        .body;
    assert_eq!(reasons(&report), [("withdrawn".to_owned(), 1)]);
    assert!(first["id"].is_string());
}

mod email_arrives_and_its_link_unsubscribes {
    use super::*;

    async fn run(db: crate::helpers::Db) {
        let sink = SmtpSink::start();
        let url = format!("smtp://127.0.0.1:{}", sink.port);
        let env = [
            ("GUANXI_JOBS", "false"),
            ("GUANXI_SMTP_URL", url.as_str()),
            ("GUANXI_PUBLIC_URL", "https://crm.example.com/"),
        ];
        super::email_arrives_and_its_link_unsubscribes(TestApp::start(db, &env).await, sink).await;
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
