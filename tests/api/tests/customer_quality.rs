//! Data quality: verified fields (dropped when the value changes), the quality job marking
//! channel-less customers unreachable and long-inactive ones `inactive`, per-unit accuracy, and the
//! quarterly schedule starting exactly one run however many servers look.

use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

async fn make(app: &TestApp, token: &str, body: Value) -> String {
    app.post("/api/v1/customers", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

async fn verification_and_quality_run(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &s1).await;
    let (_, agent) = app.user(&admin, "agent1", "agent", &s1).await;
    let (_, other) = app.user(&admin, "manager2", "manager", &s2).await;
    let src = json!({"channel": "sales"});
    let c1 = make(
        &app,
        &agent,
        json!({"name": "甲", "mobile": "13960000001", "customer_type": "individual", "source": src}),
    )
    .await;
    let c2 = make(&app, &agent, json!({"name": "乙", "customer_type": "individual", "source": src})).await;
    let c3 = make(
        &app,
        &agent,
        json!({"name": "丙", "mobile": "13960000003", "customer_type": "individual", "source": src}),
    )
    .await;
    make(&app, &other, json!({"name": "丁", "customer_type": "individual", "source": src})).await;
    app.sql(&format!("UPDATE customers SET created_at = '2020-01-01 00:00:00' WHERE id = '{c3}'"));

    let url = format!("/api/v1/customers/{c1}/verifications");
    let list = app.post(&url, &agent, json!({"fields": ["mobile", "name"]})).await.expect(200).body;
    assert_eq!(list.as_array().unwrap().len(), 2);
    app.post(&url, &agent, json!({"fields": ["email"]})).await.problem(422);
    app.post(&url, &agent, json!({"fields": ["version"]})).await.problem(422);
    app.post(&url, &other, json!({"fields": ["name"]})).await.problem(404);
    // A new mobile is not the verified one any more.
    app.send(
        "PATCH",
        &format!("/api/v1/customers/{c1}"),
        Some(&agent),
        Some(json!({"mobile": "13960000011"})),
        &[("If-Match", "\"1\"")],
    )
    .await
    .expect(200);
    let list = app.get(&url, &agent).await.expect(200).body;
    assert_eq!(list.as_array().unwrap().iter().map(|v| v["field"].as_str().unwrap()).collect::<Vec<_>>(), ["name"]);

    app.send("POST", "/api/v1/customers/quality-runs", Some(&agent), None, &[]).await.problem(403);
    let started = app.send("POST", "/api/v1/customers/quality-runs", Some(&manager), None, &[]).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"]["marked_unreachable"], 1, "{job}");
    assert_eq!(job["result"]["inactive"], 1, "{job}");

    let c2v = app.get(&format!("/api/v1/customers/{c2}"), &agent).await.expect(200).body;
    assert_eq!(c2v["reachable"], false, "no mobile, email or address");
    let c3v = app.get(&format!("/api/v1/customers/{c3}"), &agent).await.expect(200).body;
    assert_eq!(c3v["tags"], json!(["inactive"]));
    let c1v = app.get(&format!("/api/v1/customers/{c1}"), &agent).await.expect(200).body;
    assert_eq!((c1v["reachable"].clone(), c1v["tags"].clone()), (json!(true), json!([])));

    let q = app.get("/api/v1/customers/quality", &manager).await.expect(200).body;
    let units = q.as_array().unwrap();
    assert_eq!(units.len(), 1, "only this scope: {q}");
    let u = &units[0];
    assert_eq!(u["unit_id"], s1.as_str());
    // Filled: 甲 name+mobile, 乙 name, 丙 name+mobile = 5; verified: 甲's name.
    assert_eq!(
        (u["customers"].as_i64(), u["filled"].as_i64(), u["verified"].as_i64()),
        (Some(3), Some(5), Some(1)),
        "{u}"
    );
    assert!((u["accuracy"].as_f64().unwrap() - 0.2).abs() < 1e-9);
    assert_eq!((u["unreachable"].as_i64(), u["inactive"].as_i64()), (Some(1), Some(1)));
    let theirs = app.get("/api/v1/customers/quality", &other).await.expect(200).body;
    assert_eq!(theirs, json!([]), "S2 never ran it; S1's figures are not theirs");

    // Running again changes nothing more and keeps the tag where it belongs.
    let again = app.send("POST", "/api/v1/customers/quality-runs", Some(&manager), None, &[]).await.expect(202);
    let job = app.wait_job(again.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!((job["result"]["marked_unreachable"].as_i64(), job["result"]["inactive"].as_i64()), (Some(0), Some(1)));
}
both!(verification_and_quality_run, verification_and_quality_run);

async fn the_quarterly_schedule_starts_one_run(app: TestApp) {
    use guanxi::jobs::schedule::enqueue_due;
    let mut conn = app.state.db.get().unwrap();
    assert_eq!(
        enqueue_due(&mut conn, guanxi::job_kinds::ALL).unwrap(),
        0,
        "the first look only sets the next due times"
    );
    assert_eq!(app.sql("UPDATE schedules SET next_run_at = '2020-01-01 00:00:00' WHERE name = 'quarterly-quality'"), 1);
    let mut other = app.state.db.get().unwrap();
    let started = enqueue_due(&mut conn, guanxi::job_kinds::ALL).unwrap()
        + enqueue_due(&mut other, guanxi::job_kinds::ALL).unwrap();
    assert_eq!(started, 1, "two servers looking start one run");
    assert_eq!(enqueue_due(&mut conn, guanxi::job_kinds::ALL).unwrap(), 0);
    drop((conn, other));
}
both!(the_quarterly_schedule_starts_one_run, the_quarterly_schedule_starts_one_run, &[("GUANXI_JOBS", "false")]);
