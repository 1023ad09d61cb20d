//! Customers: masking by role, unit scoping (404), reveal with purpose, validation, blind-index
//! search, concurrency, and no clear sensitive value at rest.

use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

/// A valid resident id: 110105 19900101 123 + check digit (male, born 1990-01-01).
const NATIONAL_ID: &str = "110105199001011232";

struct World {
    admin: String,
    s1: String,
    agent: String,
    manager: String,
    auditor: String,
    compliance: String,
    other_manager: String,
    other_manager_id: String,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let agent = app.user(&admin, "agent1", "agent", &s1).await.1;
    let manager = app.user(&admin, "manager1", "manager", &s1).await.1;
    let auditor = app.user(&admin, "auditor1", "auditor", &s1).await.1;
    let compliance = app.user(&admin, "compliance1", "compliance", &s1).await.1;
    let (other_manager_id, other_manager) = app.user(&admin, "manager2", "manager", &s2).await;
    World { admin, s1, agent, manager, auditor, compliance, other_manager, other_manager_id }
}

fn zhang() -> Value {
    json!({
        "name": "张三丰",
        "national_id": NATIONAL_ID,
        "mobile": "138-1234-1234",
        "email": "Zhang.San@Example.com",
        "address": "北京市朝阳区建国路88号",
        "customer_type": "individual",
        "source": {"channel": "service"},
        "tags": ["vip", "beijing"]
    })
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    app.post("/api/v1/customers", token, body).await.expect(201).body
}

/// Customers with these names, without a resident id; the i-th has mobile 1391234000i, email
/// user{i}@example.com and the tag `even` or `odd`. Returns their ids.
async fn numbered(app: &TestApp, token: &str, names: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let mut body = zhang();
        body["name"] = json!(name);
        body.as_object_mut().unwrap().remove("national_id");
        body["mobile"] = json!(format!("1391234000{i}"));
        body["email"] = json!(format!("user{i}@example.com"));
        body["tags"] = json!(if i % 2 == 0 { vec!["even"] } else { vec!["odd"] });
        ids.push(create(app, token, body).await["id"].as_str().unwrap().to_owned());
    }
    ids
}

async fn masking_by_role(app: TestApp) {
    let w = world(&app).await;
    let created = create(&app, &w.agent, zhang()).await;
    let id = created["id"].as_str().unwrap();
    // Birth date and gender come from the id number.
    assert_eq!(created["gender"], "male");
    let path = format!("/api/v1/customers/{id}");

    let frontline = app.get(&path, &w.agent).await.expect(200).body;
    assert_eq!(frontline["national_id"], "110***********1232");
    assert_eq!(frontline["mobile"], "138****1234");
    assert_eq!(frontline["email"], "z***@example.com");
    assert_eq!(frontline["name"], "张**");
    assert_eq!(frontline["address"], "北京市朝阳区");
    assert_eq!(frontline["birth_date"], "1990-**-**");

    let manager = app.get(&path, &w.manager).await.expect(200).body;
    assert_eq!(manager["national_id"], "110105********1232");
    assert_eq!(manager["mobile"], "138****1234");
    assert_eq!(manager["email"], "zhang.san@example.com");
    assert_eq!(manager["name"], "张三丰");
    assert_eq!(manager["address"], "北京市朝阳区建国路88号");
    assert_eq!(manager["birth_date"], "1990-01-01");

    let auditor = app.get(&path, &w.auditor).await.expect(200).body;
    assert_eq!(auditor["national_id"], "110***********1232");
    assert_eq!(auditor["name"], "张**");

    // IT administrators do not read personal data at all.
    app.get(&path, &w.admin).await.problem(403);

    // No full id number or mobile anywhere in a frontline list either.
    let list = app.get("/api/v1/customers", &w.agent).await.expect(200).body.to_string();
    assert!(!list.contains(NATIONAL_ID) && !list.contains("13812341234") && !list.contains("张三丰"), "{list}");

    // An address that does not open with its divisions shows none of what follows.
    let mut body = zhang();
    body.as_object_mut().unwrap().remove("national_id");
    body["mobile"] = json!("13912345670");
    body["address"] = json!("建国路88号院3号楼(朝阳区)");
    let odd = create(&app, &w.agent, body).await;
    assert_eq!(odd["address"], "***");
    let odd_path = format!("/api/v1/customers/{}", odd["id"].as_str().unwrap());
    assert_eq!(app.get(&odd_path, &w.agent).await.expect(200).body["address"], "***");
    assert_eq!(app.get(&odd_path, &w.manager).await.expect(200).body["address"], "建国路88号院3号楼(朝阳区)");
    let list = app.get("/api/v1/customers", &w.agent).await.expect(200).body.to_string();
    assert!(!list.contains("建国路"), "{list}");
}
both!(masking_by_role, masking_by_role);

async fn another_units_customer_does_not_exist(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/customers/{id}");
    app.get(&path, &w.other_manager).await.problem(404);
    app.send("PATCH", &path, Some(&w.other_manager), Some(json!({"occupation": "x"})), &[("If-Match", "\"1\"")])
        .await
        .problem(404);
    app.post(&format!("{path}/reveal"), &w.other_manager, json!({"fields": ["mobile"], "purpose": "service_request"}))
        .await
        .problem(404);
    let list = app.get("/api/v1/customers", &w.other_manager).await.expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
    let by_mobile = app.get("/api/v1/customers?mobile=13812341234", &w.other_manager).await.expect(200);
    assert_eq!(by_mobile.body["items"].as_array().unwrap().len(), 0, "no existence oracle through search");

    // Assigned as an owner, the other subsidiary's manager sees it (the fixed sharing rule).
    let etag = app.get(&path, &w.manager).await.header("etag").unwrap();
    // Owners must be colleagues the caller can see: S2's manager is not one for S1 staff.
    app.send(
        "PATCH",
        &path,
        Some(&w.manager),
        Some(json!({"owner_ids": [w.other_manager_id]})),
        &[("If-Match", &etag)],
    )
    .await
    .problem(422);
    app.sql(&format!("INSERT INTO customer_owners (customer_id, user_id) VALUES ('{id}', '{}')", w.other_manager_id));
    app.get(&path, &w.other_manager).await.expect(200);
    assert_eq!(app.get("/api/v1/customers", &w.other_manager).await.body["items"].as_array().unwrap().len(), 1);
}
both!(another_units_customer_does_not_exist, another_units_customer_does_not_exist);

async fn reveal_needs_a_purpose_and_is_audited(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/customers/{id}/reveal");
    app.post(&path, &w.agent, json!({"fields": ["mobile"], "purpose": "service_request"})).await.problem(403);
    app.post(&path, &w.manager, json!({"fields": ["mobile"]})).await.problem(422);
    app.post(&path, &w.manager, json!({"fields": ["password_hash"], "purpose": "service_request"})).await.problem(422);
    let r = app
        .post(&path, &w.manager, json!({"fields": ["mobile", "national_id"], "purpose": "identity_verification"}))
        .await
        .expect(200);
    assert_eq!(r.body["values"]["mobile"], "+8613812341234");
    assert_eq!(r.body["values"]["national_id"], NATIONAL_ID);

    let log = app.get("/api/v1/audit?action=customer.reveal", &w.compliance).await.expect(200);
    let entry = &log.body["items"][0];
    assert_eq!(entry["purpose"], "identity_verification");
    assert_eq!(entry["fields"], json!(["mobile", "national_id"]));
    assert!(!log.body.to_string().contains("13812341234"), "the audit log names fields, never values");
    // "Who revealed whose ID number, and why": the person by name, the customer masked for the
    // reader, found by customer and by day.
    assert_eq!(entry["actor_name"], "manager1");
    let as_compliance_sees = app.get(&format!("/api/v1/customers/{id}"), &w.compliance).await.expect(200).body;
    assert_eq!((&entry["customer"]["id"], &entry["customer"]["name"]), (&json!(id), &as_compliance_sees["name"]));
    let about =
        app.get(&format!("/api/v1/audit?resource_type=customer&resource_id={id}"), &w.auditor).await.expect(200).body;
    let actions: Vec<&str> = about["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["customer.reveal", "customer.create"], "{about}");
    // The auditor reads the customer masked, exactly as its own list masks them.
    let as_auditor_sees = app.get(&format!("/api/v1/customers/{id}"), &w.auditor).await.expect(200).body;
    assert_eq!(about["items"][0]["customer"]["name"], as_auditor_sees["name"]);
    assert_ne!(as_auditor_sees["name"], "张三丰");
    let today = chrono::Utc::now().date_naive();
    let day = |d: chrono::NaiveDate| format!("{d}T00:00:00Z");
    let tomorrow = today.succ_opt().unwrap();
    let since_tomorrow =
        app.get(&format!("/api/v1/audit?action=customer.reveal&from={}", day(tomorrow)), &w.compliance).await;
    assert_eq!(since_tomorrow.expect(200).body["items"], json!([]));
    let until_tomorrow = app
        .get(&format!("/api/v1/audit?action=customer.reveal&from={}&to={}", day(today), day(tomorrow)), &w.compliance)
        .await;
    assert_eq!(until_tomorrow.expect(200).body["items"].as_array().unwrap().len(), 1);

    // Rate limit: 20 reveals per user per hour.
    for _ in 1..20 {
        app.post(&path, &w.compliance, json!({"fields": ["email"], "purpose": "legal_request"})).await.expect(200);
    }
    app.post(&path, &w.compliance, json!({"fields": ["email"], "purpose": "legal_request"})).await.expect(200);
    let limited =
        app.post(&path, &w.compliance, json!({"fields": ["email"], "purpose": "legal_request"})).await.problem(429);
    assert!(limited.header("retry-after").is_some());
}
both!(reveal_needs_a_purpose_and_is_audited, reveal_needs_a_purpose_and_is_audited);

async fn validation_names_each_field(app: TestApp) {
    let w = world(&app).await;
    let r = app
        .post(
            "/api/v1/customers",
            &w.agent,
            json!({
                "name": "李四", "national_id": "110105199001011234", "mobile": "12345", "email": "nope",
                "birth_date": "2999-01-01", "customer_type": "individual",
                "source": {"channel": "third_party"}
            }),
        )
        .await
        .problem(422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    for f in ["national_id", "mobile", "email", "birth_date", "source"] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    // The id number says 1990-01-01 and male: a record that says otherwise is refused.
    let mut body = zhang();
    body["birth_date"] = json!("1991-02-03");
    body["gender"] = json!("female");
    let r = app.post("/api/v1/customers", &w.agent, body).await.problem(422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["birth_date", "gender"]);
    // Server-set fields cannot be sent.
    for forged in ["id", "unit_id", "version", "created_by", "deleted_at"] {
        let mut body = zhang();
        body[forged] = json!("x");
        app.post("/api/v1/customers", &w.agent, body).await.problem(422);
    }
    let mut body = zhang();
    body["owner_ids"] = json!(["not-a-user"]);
    app.post("/api/v1/customers", &w.agent, body).await.problem(422);
    assert_eq!(
        app.get("/api/v1/customers", &w.agent).await.body["items"].as_array().unwrap().len(),
        0,
        "nothing half-written"
    );
}
both!(validation_names_each_field, validation_names_each_field);

async fn search_and_pages(app: TestApp) {
    let w = world(&app).await;
    numbered(&app, &w.agent, &["王小明", "王大力", "李雷", "韩梅梅", "王五"]).await;
    let names = |v: &Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
    };
    let r = app.get("/api/v1/customers?name=%E7%8E%8B&sort=name", &w.manager).await.expect(200);
    assert_eq!(names(&r.body), vec!["王五", "王大力", "王小明"]);
    let r = app.get("/api/v1/customers?mobile=+86%20139-1234-0003", &w.manager).await.expect(200);
    assert_eq!(names(&r.body), vec!["韩梅梅"]);
    let r = app.get("/api/v1/customers?email=USER1@example.com", &w.manager).await.expect(200);
    assert_eq!(names(&r.body), vec!["王大力"]);
    let r = app.get("/api/v1/customers?tag=even", &w.manager).await.expect(200);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);
    app.get("/api/v1/customers?mobile=123", &w.manager).await.problem(422);
    // An order the list does not have is a bad query, like any value outside a parameter's enum.
    let p = app.get("/api/v1/customers?sort=mobile", &w.manager).await.problem(400);
    assert_eq!(p.body["errors"][0]["field"], "sort");

    // Keyset pages, both orders, each row once.
    for sort in ["-created", "name"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/customers?limit=2&sort={sort}&cursor={c}"),
                None => format!("/api/v1/customers?limit=2&sort={sort}"),
            };
            let page = app.get(&path, &w.manager).await.expect(200).body;
            seen.extend(names(&page));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 5, "{sort}: {seen:?}");
        if sort == "name" {
            let mut sorted = seen.clone();
            sorted.sort();
            assert_eq!(seen, sorted);
        }
    }
}
both!(search_and_pages, search_and_pages);

async fn changes_versions_events_and_deletes(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/customers/{id}");
    app.send("PATCH", &path, Some(&w.agent), Some(json!({"occupation": "teacher"})), &[]).await.problem(428);
    app.send("PATCH", &path, Some(&w.agent), Some(json!({"occupation": "teacher"})), &[("If-Match", "\"9\"")])
        .await
        .problem(412);
    let r = app
        .send(
            "PATCH",
            &path,
            Some(&w.agent),
            Some(json!({"occupation": "teacher", "mobile": "13900001111", "tags": ["gold"]})),
            &[("If-Match", "\"1\"")],
        )
        .await
        .expect(200);
    assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(r.body["occupation"], "teacher");
    assert_eq!(r.body["mobile"], "139****1111");
    assert_eq!(r.body["tags"], json!(["gold"]));
    assert_eq!(
        app.get("/api/v1/customers?mobile=13812341234", &w.manager).await.body["items"].as_array().unwrap().len(),
        0
    );
    assert_eq!(
        app.get("/api/v1/customers?mobile=13900001111", &w.manager).await.body["items"].as_array().unwrap().len(),
        1
    );

    // Auditors read but never write.
    app.send("PATCH", &path, Some(&w.auditor), Some(json!({"occupation": "x"})), &[("If-Match", "\"2\"")])
        .await
        .problem(403);

    app.send("DELETE", &path, Some(&w.manager), None, &[("If-Match", "\"2\"")]).await.expect(204);
    app.get(&path, &w.manager).await.problem(404);
    assert_eq!(app.get("/api/v1/customers", &w.manager).await.body["items"].as_array().unwrap().len(), 0);

    // Every change left an event in the outbox, naming fields but carrying no personal values.
    let mut conn = app.state.db.get().unwrap();
    use diesel::prelude::*;
    use guanxi::db::schema::outbox;
    let events: Vec<(String, String)> = outbox::table
        .filter(outbox::aggregate_id.eq(&id))
        .order(outbox::id)
        .select((outbox::topic, outbox::payload))
        .load(&mut **conn)
        .unwrap();
    let topics: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(topics, vec!["customer.created", "customer.updated", "customer.deleted"]);
    assert!(events[1].1.contains("mobile") && !events[1].1.contains("13900001111"));
    let log = app.get(&format!("/api/v1/audit?resource_id={id}"), &w.compliance).await.expect(200);
    let actions: Vec<&str> =
        log.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["customer.delete", "customer.update", "customer.create"]);
    let _ = w.s1;
}
both!(changes_versions_events_and_deletes, changes_versions_events_and_deletes);

/// PATCH is a JSON merge patch: absent keeps, `null` clears an optional field (and what is
/// derived from it), a field that cannot be empty refuses `null`; `If-Match: *` takes whatever
/// version is current.
async fn a_patch_clears_with_null(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/customers/{id}");
    let change = |body: Value, tag: &'static str| {
        let (app, path, agent) = (&app, path.clone(), w.agent.clone());
        async move { app.send("PATCH", &path, Some(&agent), Some(body), &[("If-Match", tag)]).await }
    };
    for field in ["name", "customer_type", "source", "tags", "owner_ids", "reachable"] {
        let p = change(json!({ field: null }), "*").await.problem(422);
        assert_eq!(p.body["errors"][0]["field"], field, "{field} cannot be cleared");
    }
    let r = change(json!({"mobile": null, "address": null, "occupation": "teacher"}), "*").await.expect(200);
    assert_eq!(r.header("etag").as_deref(), Some("\"2\""), "`*` changed the current version");
    assert_eq!(r.body["mobile"], Value::Null);
    assert_eq!(r.body["address"], Value::Null);
    assert_eq!(r.body["occupation"], "teacher");
    assert_eq!(r.body["email"], "z***@example.com", "absent members stay");
    assert_eq!(r.body["name"], "张**");
    // The blind index went with the value: the old number finds no one.
    let found = app.get("/api/v1/customers?mobile=13812341234", &w.manager).await.expect(200);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 0);
    let row: (Option<String>, Option<String>, Option<String>) = {
        use diesel::prelude::*;
        use guanxi::db::schema::customers::dsl as c;
        let mut conn = app.state.db.get().unwrap();
        c::customers.find(&id).select((c::mobile, c::mobile_bidx, c::address_region)).first(&mut **conn).unwrap()
    };
    assert_eq!(row, (None, None, None), "nothing of the cleared values is left");
    let r = change(json!({"occupation": null}), "W/\"1\", \"2\"").await.expect(200);
    assert_eq!(r.body["occupation"], Value::Null);
    change(json!({"occupation": "x"}), "\"2\"").await.problem(412);
    let history = app.get(&format!("/api/v1/audit?resource_id={id}"), &w.compliance).await.expect(200);
    let fields = &history.body["items"][1]["fields"];
    assert!(fields.as_array().unwrap().contains(&json!("mobile")), "the clearing is audited: {fields}");
}
both!(a_patch_clears_with_null, a_patch_clears_with_null);

async fn no_clear_sensitive_value_at_rest(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let mut conn = app.state.db.get().unwrap();
    use diesel::prelude::*;
    use guanxi::db::schema::customers;
    type Sealed = Option<String>;
    let row: (Sealed, Sealed, Sealed, Sealed, Sealed) = customers::table
        .find(&id)
        .select((
            customers::national_id,
            customers::mobile,
            customers::email,
            customers::address,
            customers::birth_date,
        ))
        .first(&mut **conn)
        .unwrap();
    let stored = format!("{row:?}");
    for clear in [NATIONAL_ID, "13812341234", "zhang.san@example.com", "建国路", "1990-01-01"] {
        assert!(!stored.contains(clear), "{clear} stored in clear: {stored}");
    }
    // Ciphertexts are bound to their row: moving one to another customer makes it unreadable.
    let other =
        create(&app, &w.agent, json!({"name": "李四", "customer_type": "individual", "source": {"channel": "sales"}}))
            .await;
    let other_id = other["id"].as_str().unwrap();
    app.sql(&format!(
        "UPDATE customers SET mobile = (SELECT mobile FROM customers WHERE id = '{id}') WHERE id = '{other_id}'"
    ));
    let r = app.get(&format!("/api/v1/customers/{other_id}"), &w.manager).await;
    assert_eq!(r.status.as_u16(), 500, "a swapped ciphertext must not decrypt");
    assert!(!r.body.to_string().contains("1381234"), "and nothing leaks in the error");
}
both!(no_clear_sensitive_value_at_rest, no_clear_sensitive_value_at_rest);

/// PostgreSQL cannot store NUL in text and SQLite can: both refuse it the same way, up front.
async fn nul_characters_are_refused(app: TestApp) {
    let w = world(&app).await;
    let mut body = zhang();
    body["source"]["supplier"] = json!("a\u{0}b");
    let r = app.post("/api/v1/customers", &w.agent, body).await.problem(422);
    assert_eq!(r.body["errors"][0]["field"], "source.supplier");
    // A wrong shape names the field by its path, not by the offending value.
    let mut body = zhang();
    body["source"]["channel"] = json!("carrier_pigeon");
    let r = app.post("/api/v1/customers", &w.agent, body).await.problem(422);
    assert_eq!(r.body["errors"][0]["field"], "source.channel");
    let mut body = zhang();
    body["tags"] = json!([1]);
    assert_eq!(app.post("/api/v1/customers", &w.agent, body).await.problem(422).body["errors"][0]["field"], "tags[0]");
    let mut body = zhang();
    body["tags"] = json!(["ok", "\u{0}"]);
    app.post("/api/v1/customers", &w.agent, body).await.problem(422);
    app.get("/api/v1/customers?name=%00", &w.agent).await.problem(400);
    app.get("/api/v1/customers/%00", &w.agent).await.problem(400);
    app.send("POST", "/api/v1/auth/login", None, Some(json!({"username": "ad\u{0}min", "password": "x"})), &[])
        .await
        .problem(422);
    assert_eq!(app.get("/api/v1/customers", &w.agent).await.body["items"].as_array().unwrap().len(), 0);
}
both!(nul_characters_are_refused, nul_characters_are_refused);

async fn related_records(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/customers/{id}");
    for (i, day) in ["2026-03-01", "2026-05-01", "2026-04-01"].iter().enumerate() {
        let r = app
            .post(&format!("{base}/purchases"), &w.agent, json!({"product": format!("P{i}"), "amount_fen": 12_345, "channel": "store", "purchased_at": format!("{day}T10:00:00Z")}))
            .await
            .expect(201);
        assert_eq!(r.body["currency"], "CNY");
    }
    // Last purchase moves forward only, whatever order records arrive in.
    let c = app.get(&base, &w.manager).await.expect(200).body;
    assert_eq!(c["last_purchase_at"], "2026-05-01T10:00:00Z");
    let page1 = app.get(&format!("{base}/purchases?limit=2"), &w.auditor).await.expect(200).body;
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 = app.get(&format!("{base}/purchases?limit=2&cursor={cursor}"), &w.auditor).await.expect(200).body;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert!(page2["next_cursor"].is_null());

    app.post(
        &format!("{base}/purchases"),
        &w.agent,
        json!({"product": "x", "amount_fen": 1, "channel": "teleport", "purchased_at": "2026-01-01T00:00:00Z"}),
    )
    .await
    .problem(422);
    app.post(
        &format!("{base}/purchases"),
        &w.auditor,
        json!({"product": "x", "amount_fen": 1, "channel": "store", "purchased_at": "2026-01-01T00:00:00Z"}),
    )
    .await
    .problem(403);
    app.post(&format!("{base}/preferences"), &w.agent, json!({"category": "brand", "value": "华为"})).await.expect(201);
    app.post(
        &format!("{base}/feedback"),
        &w.agent,
        json!({"kind": "complaint", "content": "送货太慢", "channel": "call"}),
    )
    .await
    .expect(201);
    assert_eq!(app.get(&format!("{base}/preferences"), &w.agent).await.body["items"][0]["value"], "华为");
    assert_eq!(app.get(&format!("{base}/feedback"), &w.agent).await.body["items"][0]["kind"], "complaint");

    // A failed outbound call marks the customer unreachable; reaching them restores it.
    app.post(&format!("{base}/contacts"), &w.agent, json!({"kind": "call", "direction": "outbound", "reached": false, "summary": "no answer", "occurred_at": "2026-06-01T09:00:00Z"})).await.expect(201);
    assert_eq!(app.get(&base, &w.agent).await.body["reachable"], false);
    assert_eq!(app.get("/api/v1/customers?reachable=false", &w.agent).await.body["items"].as_array().unwrap().len(), 1);
    app.post(&format!("{base}/contacts"), &w.agent, json!({"kind": "visit", "direction": "outbound", "reached": true, "summary": "met at store", "occurred_at": "2026-06-02T09:00:00Z"})).await.expect(201);
    let c = app.get(&base, &w.agent).await.body;
    assert_eq!(c["reachable"], true);
    assert_eq!(c["last_contact_at"], "2026-06-02T09:00:00Z");

    // Another subsidiary sees none of it.
    for kind in ["purchases", "preferences", "feedback", "contacts"] {
        app.get(&format!("{base}/{kind}"), &w.other_manager).await.problem(404);
    }
    app.post(&format!("{base}/preferences"), &w.other_manager, json!({"category": "brand", "value": "x"}))
        .await
        .problem(404);
    let log = app.get("/api/v1/audit?action=customer.purchase.create", &w.compliance).await.expect(200);
    assert_eq!(log.body["items"].as_array().unwrap().len(), 3);
}
both!(related_records, related_records);

async fn offboarding_hands_customers_on(app: TestApp) {
    let w = world(&app).await;
    let leaver_id = app.get("/api/v1/me", &w.agent).await.body["id"].as_str().unwrap().to_owned();
    let manager_id = app.get("/api/v1/me", &w.manager).await.body["id"].as_str().unwrap().to_owned();
    let (sales_id, _) = app.user(&w.admin, "sales1", "sales", &w.s1).await;
    let mut ids = Vec::new();
    for name in ["甲", "乙", "丙"] {
        let body = json!({"name": name, "customer_type": "individual", "source": {"channel": "sales"}});
        ids.push(create(&app, &w.agent, body).await["id"].as_str().unwrap().to_owned());
    }
    // A key customer with two managers: the one who stays keeps it.
    let shared = create(&app, &w.agent, json!({"name": "丁", "customer_type": "individual", "source": {"channel": "sales"}, "owner_ids": [leaver_id, manager_id]})).await;
    let path = format!("/api/v1/users/{leaver_id}/offboard");
    // The leaver's tickets: two open ones follow (the customer's new owner; the shared customer's
    // goes to a successor), a closed one stays as it was.
    let mut tickets = Vec::new();
    for customer in [ids[0].as_str(), shared["id"].as_str().unwrap(), ids[1].as_str()] {
        let body = json!({"customer_id": customer, "kind": "inquiry", "channel": "hotline", "subject": "咨询",
                          "assignee_id": leaver_id});
        tickets.push(
            app.post("/api/v1/tickets", &w.agent, body).await.expect(201).body["id"].as_str().unwrap().to_owned(),
        );
    }
    let closing = json!({"to": "closed", "solution": "已答复"});
    app.post(&format!("/api/v1/tickets/{}/transitions", tickets[2]), &w.agent, closing).await.expect(200);

    app.post(&path, &w.manager, json!({"successor_ids": [manager_id]})).await.problem(403);
    app.post(&path, &w.admin, json!({"successor_ids": [w.other_manager_id]})).await.problem(422);
    app.post(&path, &w.admin, json!({"successor_ids": [leaver_id]})).await.problem(422);
    let r = app.post(&path, &w.admin, json!({"successor_ids": [manager_id, sales_id]})).await.expect(200).body;
    assert_eq!(r["reassigned"], 3);
    assert_eq!(r["kept_by_co_owner"], 1);
    assert_eq!(r["notifications"], 3);
    assert_eq!(r["tickets"], 2, "the open tickets moved in the same transaction");
    let assignee = |t: &Value| t["assignee_id"].as_str().map(str::to_owned);
    let first = app.get(&format!("/api/v1/tickets/{}", tickets[0]), &w.manager).await.expect(200).body;
    let owner = app.get(&format!("/api/v1/customers/{}", ids[0]), &w.manager).await.expect(200).body["owner_ids"][0]
        .as_str()
        .map(str::to_owned);
    assert_eq!(assignee(&first), owner, "the ticket follows its customer");
    assert!(first["timeline"].as_array().unwrap().iter().any(|e| e["data"]["reason"] == "offboarded"));
    let second = app.get(&format!("/api/v1/tickets/{}", tickets[1]), &w.manager).await.expect(200).body;
    assert!([Some(manager_id.clone()), Some(sales_id.clone())].contains(&assignee(&second)));
    let closed = app.get(&format!("/api/v1/tickets/{}", tickets[2]), &w.manager).await.expect(200).body;
    assert_eq!(assignee(&closed), Some(leaver_id.clone()), "a closed ticket keeps its history");

    // Shared out in turn; nobody is left with the leaver.
    let mut by_manager = 0;
    for id in &ids {
        let owners =
            app.get(&format!("/api/v1/customers/{id}"), &w.manager).await.expect(200).body["owner_ids"].clone();
        assert_eq!(owners.as_array().unwrap().len(), 1);
        assert_ne!(owners[0], json!(leaver_id));
        by_manager += usize::from(owners[0] == json!(manager_id));
    }
    assert!((1..=2).contains(&by_manager), "both successors took some");
    let owners = app.get(&format!("/api/v1/customers/{}", shared["id"].as_str().unwrap()), &w.manager).await.body
        ["owner_ids"]
        .clone();
    assert_eq!(owners, json!([manager_id]));
    // The leaver can no longer sign in or use a token.
    app.get("/api/v1/me", &w.agent).await.problem(401);
    app.login_reply("agent1", "user-test-password").await.problem(401);
    let notes = app.sql("UPDATE customer_notifications SET kind = kind WHERE kind = 'owner_changed'");
    assert_eq!(notes, 3);
}
both!(offboarding_hands_customers_on, offboarding_hands_customers_on);

/// Demo customers are real records: homed per subsidiary, masked, valid ids findable by blind index.
async fn demo_customers_follow_the_rules(app: TestApp) {
    guanxi::demo::seed(&app.state, 40).unwrap();
    guanxi::demo::seed(&app.state, 40).unwrap();
    let (bj, _) = app.login("bj.manager", guanxi::demo::DEMO_PASSWORD).await;
    let (sh_agent, _) = app.login("sh.agent", guanxi::demo::DEMO_PASSWORD).await;
    // Engagement, once: consents, a catalogue, points from the purchases, and two campaigns —
    // the finished one decided against the consents and reported through the API.
    assert_eq!((app.count("rewards"), app.count("campaigns"), app.count("care_rules WHERE active = true")), (5, 2, 2));
    assert_eq!(app.count("consents WHERE purpose = 'profiling' AND granted = true"), 40);
    assert_eq!(app.count("points_accounts"), app.count("(SELECT DISTINCT customer_id FROM purchases) p"));
    let (chief, _) = app.login("group.manager", guanxi::demo::DEMO_PASSWORD).await;
    let listed = app.get("/api/v1/campaigns?state=completed", &chief).await.expect(200).body;
    let finished = listed["items"][0]["id"].as_str().unwrap().to_owned();
    let report = app.get(&format!("/api/v1/campaigns/{finished}/report"), &chief).await.expect(200).body;
    let sent = report["sent"].as_i64().unwrap();
    assert!(sent > 0 && report["excluded"].as_i64() > Some(0), "{report}");
    let unconsented = "campaign_deliveries d WHERE d.status = 'sent' AND NOT EXISTS (SELECT 1 FROM consents k \
                       WHERE k.customer_id = d.customer_id AND k.purpose = 'marketing_sms' AND k.granted = true)";
    assert_eq!(app.count(unconsented), 0, "only those with SMS consent were sent anything");
    let mine = app.get("/api/v1/customers?limit=500", &bj).await.expect(200).body;
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 20, "half of the 40 (top-up is idempotent) are homed in Beijing");
    let id = items[0]["id"].as_str().unwrap();
    let revealed = app
        .post(
            &format!("/api/v1/customers/{id}/reveal"),
            &bj,
            json!({"fields": ["national_id", "mobile"], "purpose": "service_request"}),
        )
        .await
        .expect(200)
        .body;
    let national_id = revealed["values"]["national_id"].as_str().unwrap().to_owned();
    let found = app.get(&format!("/api/v1/customers?national_id={national_id}"), &bj).await.expect(200).body;
    assert_eq!(found["items"][0]["id"], json!(id));
    let purchases = app.get(&format!("/api/v1/customers/{id}/purchases"), &bj).await.expect(200).body;
    assert!(purchases["items"].as_array().unwrap().len() >= 3);
    // Some demo sales record their margin, the rest leave it to the default rate.
    assert!(app.sql("UPDATE purchases SET margin_fen = margin_fen WHERE margin_fen IS NOT NULL") > 0);
    assert!(app.sql("UPDATE purchases SET margin_fen = margin_fen WHERE margin_fen IS NULL") > 0);
    // The seed that added customers ends with a tiering run applied with the default settings;
    // the second, which added none, runs no other.
    let runs = app.get("/api/v1/tiers/runs", &bj).await.expect(200).body;
    let runs = runs["items"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert!(runs.iter().all(|r| r["dry_run"] == false && r["config_version"] == 0 && r["scored"].as_i64() > Some(20)));
    app.get(&format!("/api/v1/customers/{id}"), &sh_agent).await.problem(404);
    assert_eq!(app.get("/api/v1/customers?limit=500", &sh_agent).await.body["items"].as_array().unwrap().len(), 20);
    // The demo publishes the group's notices (once, in both languages), so the first consent a
    // manager records succeeds instead of asking for a notice only compliance can publish.
    let notices = app.get("/api/v1/privacy-notices", &bj).await.expect(200).body;
    let languages: Vec<&str> =
        notices["items"].as_array().unwrap().iter().map(|n| n["language"].as_str().unwrap()).collect();
    assert_eq!(languages.len(), 2, "{notices}");
    assert!(languages.contains(&"zh-CN") && languages.contains(&"en"));
    let consent = json!({"purpose": "marketing_sms", "granted": true, "channel": "paper", "evidence": "demo form"});
    app.post(&format!("/api/v1/customers/{id}/consents"), &bj, consent).await.expect(201);
    // Service tickets for about a fifth of the customers (once: the second seed added none),
    // each subsidiary's worked by its own agents, closed ones rated.
    let tickets = app.count("tickets");
    assert!((1..40).contains(&tickets), "{tickets}");
    assert_eq!(app.count("tickets WHERE status = 'closed' AND satisfaction IS NULL"), 0);
    assert_eq!(app.count("tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id)"), 0);
    let (bj_agent, _) = app.login("bj.agent", guanxi::demo::DEMO_PASSWORD).await;
    let (bj_list, sh_list) = (
        app.get("/api/v1/tickets?limit=500", &bj_agent).await.expect(200).body,
        app.get("/api/v1/tickets?limit=500", &sh_agent).await.expect(200).body,
    );
    let (bj_n, sh_n) = (bj_list["items"].as_array().unwrap().len(), sh_list["items"].as_array().unwrap().len());
    assert_eq!((bj_n + sh_n) as i64, tickets, "every ticket is one subsidiary's");
    if let Some(t) = bj_list["items"].as_array().unwrap().first() {
        app.get(&format!("/api/v1/tickets/{}", t["id"].as_str().unwrap()), &sh_agent).await.problem(404);
    }
}
both!(demo_customers_follow_the_rules, demo_customers_follow_the_rules);

async fn duplicate_candidates_are_found_not_merged(app: TestApp) {
    let w = world(&app).await;
    let a = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let same_mobile = create(
        &app,
        &w.agent,
        json!({"name": "张三", "mobile": "13812341234", "customer_type": "individual", "source": {"channel": "sales"}}),
    )
    .await;
    let same_person = create(&app, &w.agent, json!({"name": "张三丰", "birth_date": "1990-01-01", "customer_type": "individual", "source": {"channel": "survey"}})).await;
    create(
        &app,
        &w.agent,
        json!({"name": "李四", "mobile": "13900000000", "customer_type": "individual", "source": {"channel": "sales"}}),
    )
    .await;
    // Another subsidiary's record with the same mobile is none of this manager's business.
    create(
        &app,
        &w.other_manager,
        json!({"name": "张三", "mobile": "13812341234", "customer_type": "individual", "source": {"channel": "sales"}}),
    )
    .await;

    let found = app.get(&format!("/api/v1/customers/{a}/duplicates"), &w.manager).await.expect(200).body;
    let mut pairs: Vec<(String, Value)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["customer"]["id"].as_str().unwrap().to_owned(), c["reasons"].clone()))
        .collect();
    pairs.sort_by(|x, y| x.0.cmp(&y.0));
    let mut expected = vec![
        (same_mobile["id"].as_str().unwrap().to_owned(), json!(["mobile"])),
        (same_person["id"].as_str().unwrap().to_owned(), json!(["name_birth_date"])),
    ];
    expected.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(pairs, expected);
    // Candidates come masked like any other customer view.
    assert!(!found.to_string().contains("13812341234"));

    // Correcting the record removes the candidate; nothing was merged along the way.
    let path = format!("/api/v1/customers/{}", same_mobile["id"].as_str().unwrap());
    app.send("PATCH", &path, Some(&w.agent), Some(json!({"mobile": "13700000000"})), &[("If-Match", "\"1\"")])
        .await
        .expect(200);
    let found = app.get(&format!("/api/v1/customers/{a}/duplicates"), &w.manager).await.expect(200).body;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(app.get("/api/v1/customers?limit=500", &w.manager).await.body["items"].as_array().unwrap().len(), 4);
    app.get(&format!("/api/v1/customers/{a}/duplicates"), &w.other_manager).await.problem(404);
}
both!(duplicate_candidates_are_found_not_merged, duplicate_candidates_are_found_not_merged);

async fn household_and_history(app: TestApp) {
    let w = world(&app).await;
    let mut one = zhang();
    one["household_id"] = json!("H-1");
    let a = create(&app, &w.agent, one).await;
    let b = create(&app, &w.agent, json!({"name": "李四", "household_id": "H-1", "customer_type": "household_member", "source": {"channel": "sales"}})).await;
    create(
        &app,
        &w.agent,
        json!({"name": "王五", "household_id": "H-2", "customer_type": "individual", "source": {"channel": "sales"}}),
    )
    .await;
    create(
        &app,
        &w.other_manager,
        json!({"name": "别家", "household_id": "H-1", "customer_type": "individual", "source": {"channel": "sales"}}),
    )
    .await;
    let members = app.get("/api/v1/customers?household_id=H-1", &w.agent).await.expect(200).body;
    let mut ids: Vec<&str> = members["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = vec![a["id"].as_str().unwrap(), b["id"].as_str().unwrap()];
    expected.sort_unstable();
    assert_eq!(ids, expected, "only this scope's members of the household");

    let id = a["id"].as_str().unwrap();
    app.send(
        "PATCH",
        &format!("/api/v1/customers/{id}"),
        Some(&w.agent),
        Some(json!({"occupation": "律师"})),
        &[("If-Match", "\"1\"")],
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/customers/{id}/reveal"),
        &w.manager,
        json!({"fields": ["mobile"], "purpose": "service_request"}),
    )
    .await
    .expect(200);
    let history = app.get(&format!("/api/v1/customers/{id}/history?limit=2"), &w.agent).await.expect(200).body;
    let actions: Vec<&str> =
        history["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["customer.reveal", "customer.update"]);
    assert_eq!(history["items"][0]["purpose"], "service_request");
    assert_eq!(history["items"][0]["actor_name"], "manager1", "who did it, by name");
    assert_eq!(history["items"][1]["fields"], json!(["occupation"]));
    let cursor = history["next_cursor"].as_str().unwrap();
    let rest = app.get(&format!("/api/v1/customers/{id}/history?cursor={cursor}"), &w.agent).await.expect(200).body;
    assert_eq!(rest["items"][0]["action"], "customer.create");
    app.get(&format!("/api/v1/customers/{id}/history"), &w.other_manager).await.problem(404);

    // One timeline: what was recorded about the customer is on it too, with who did it.
    crate::fixtures::notice(&app, &w.compliance).await;
    crate::fixtures::consent(&app, &w.agent, id, "marketing_sms", true).await;
    let purchase =
        json!({"product": "宽带", "amount_fen": 9_900, "channel": "store", "purchased_at": "2026-06-01T10:00:00Z"});
    app.post(&format!("/api/v1/customers/{id}/purchases"), &w.agent, purchase).await.expect(201);
    let contact = json!({"kind": "call", "direction": "inbound", "reached": true, "summary": "问套餐", "occurred_at": "2026-06-02T09:00:00Z"});
    app.post(&format!("/api/v1/customers/{id}/contacts"), &w.manager, contact).await.expect(201);
    let history = app.get(&format!("/api/v1/customers/{id}/history?limit=3"), &w.agent).await.expect(200).body;
    let entries: Vec<(&str, &str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor_name"].as_str().unwrap(), e["actor_kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            ("customer.contact.create", "manager1", "staff"),
            ("customer.purchase.create", "agent1", "staff"),
            ("consent.grant", "agent1", "staff")
        ]
    );
    assert_eq!(history["items"][2]["fields"], json!(["marketing_sms"]), "the purpose consented to");
    // The audit log names the customer for these entries as for every other.
    let log = app.get(&format!("/api/v1/audit?action=customer.purchase.create&resource_id={id}"), &w.compliance).await;
    assert_eq!(log.expect(200).body["items"][0]["resource_type"], "customer");
}
both!(household_and_history, household_and_history);

/// `q`: a whole identifier through its blind index, otherwise a name substring (trigram index),
/// or for one or two characters the start of the name; scoped, live customers only, kept in step
/// with renames.
async fn free_text_search(app: TestApp) {
    let w = world(&app).await;
    let ids = numbered(&app, &w.agent, &["王小明", "欧阳小明", "Li Xiaoming", "小明王", "王小明伟", "100%_纯"]).await;
    let mut elsewhere = zhang();
    elsewhere["name"] = json!("王小明");
    create(&app, &w.other_manager, elsewhere).await;
    let mut with_id = zhang();
    with_id["name"] = json!("赵六");
    with_id["mobile"] = json!("13700000000");
    with_id["email"] = json!("zhao@example.com");
    create(&app, &w.agent, with_id).await;
    // The last one is gone (soft delete): never found.
    app.send("DELETE", &format!("/api/v1/customers/{}", ids[4]), Some(&w.manager), None, &[("If-Match", "\"1\"")])
        .await
        .expect(204);

    let search = |q: &str, extra: &str| {
        let path = format!("/api/v1/customers?sort=name{extra}&q={}", urlencoding(q));
        let token = w.manager.clone();
        let app = &app;
        async move {
            let r = app.get(&path, &token).await.expect(200);
            let mut names: Vec<String> =
                r.body["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect();
            names.sort();
            names
        }
    };
    assert_eq!(search("王小明", "").await, vec!["王小明"]);
    assert_eq!(search("阳小明", "").await, vec!["欧阳小明"]);
    assert_eq!(search("xiaoMING", "").await, vec!["Li Xiaoming"]);
    assert_eq!(search("  小明王 ", "").await, vec!["小明王"]);
    // Short terms match the start of the name only.
    assert_eq!(search("小明", "").await, vec!["小明王"]);
    assert_eq!(search("王", "").await, vec!["王小明"]);
    // LIKE and FTS syntax in a term is matched literally.
    assert_eq!(search("0%_", "").await, vec!["100%_纯"]);
    assert!(search("王%明", "").await.is_empty());
    assert!(search("\"小明\" OR 李", "").await.is_empty());
    // Whole identifiers, any common format, through blind indexes.
    assert_eq!(search("+86 139-1234-0001", "").await, vec!["欧阳小明"]);
    assert_eq!(search("USER2@example.com", "").await, vec!["Li Xiaoming"]);
    assert_eq!(search(NATIONAL_ID, "").await, vec!["赵六"]);
    // Parts of encrypted values are not searchable.
    assert!(search("1391234", "").await.is_empty());
    // Combined with the other filters.
    assert_eq!(search("小明", "&tag=odd").await, vec!["小明王"]);
    assert!(search("小明", "&tag=even").await.is_empty());
    assert_eq!(search("阳小明", "&tag=odd").await, vec!["欧阳小明"]);
    assert!(search("阳小明", "&tag=even").await.is_empty());

    // A rename is found under the new name at once, and no longer under the old one.
    app.send(
        "PATCH",
        &format!("/api/v1/customers/{}", ids[0]),
        Some(&w.agent),
        Some(json!({"name": "王大明"})),
        &[("If-Match", "\"1\"")],
    )
    .await
    .expect(200);
    assert!(search("王小明", "").await.is_empty());
    assert_eq!(search("王大明", "").await, vec!["王大明"]);

    // Frontline staff search the same way and see masked names.
    let r = app.get(&format!("/api/v1/customers?q={}", urlencoding("阳小明")), &w.agent).await.expect(200);
    assert_eq!(r.body["items"][0]["name"], "欧***");
    app.get(&format!("/api/v1/customers?q={}", "x".repeat(101)), &w.manager).await.problem(422);
}
both!(free_text_search, free_text_search);

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A tag filter pages alike whether the tag is read from its index (a rare tag, or a large page)
/// or probed row by row along the sort order (a common tag and a small page, on SQLite).
async fn tag_lists_either_way(app: TestApp) {
    let w = world(&app).await;
    let names = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬"];
    numbered(&app, &w.agent, &names).await;
    let mut theirs = zhang();
    theirs.as_object_mut().unwrap().remove("national_id");
    theirs["name"] = json!("癸");
    theirs["tags"] = json!(["even"]);
    create(&app, &w.other_manager, theirs).await;
    let walk = |sort: &'static str, limit: usize| {
        let (app, token) = (&app, &w.manager);
        async move {
            let (mut seen, mut cursor) = (Vec::<String>::new(), String::new());
            loop {
                let path = format!("/api/v1/customers?tag=even&sort={sort}&limit={limit}{cursor}");
                let page = app.get(&path, token).await.expect(200).body;
                seen.extend(page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()));
                match page["next_cursor"].as_str() {
                    Some(c) => cursor = format!("&cursor={c}"),
                    None => return seen,
                }
            }
        }
    };
    let newest_first: Vec<String> = ["壬", "庚", "戊", "丙", "甲"].map(String::from).to_vec();
    assert_eq!(walk("-created", 1).await, newest_first);
    assert_eq!(walk("-created", 50).await, newest_first);
    let mut by_name = newest_first.clone();
    by_name.sort();
    assert_eq!(walk("name", 1).await, by_name);
    assert_eq!(walk("name", 50).await, by_name);
}
both!(tag_lists_either_way, tag_lists_either_way);

/// A client holding the current version gets 304 without the record; after a change, the record.
async fn unchanged_records_answer_304(app: TestApp) {
    let w = world(&app).await;
    let id = create(&app, &w.agent, zhang()).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/customers/{id}");
    let first = app.get(&path, &w.agent).await.expect(200);
    let etag = first.header("etag").unwrap();
    let same = app.send("GET", &path, Some(&w.agent), None, &[("If-None-Match", &etag)]).await.expect(304);
    assert!(same.body.is_null(), "no body: {}", same.body);
    assert_eq!(same.header("etag"), Some(etag.clone()));
    app.send("GET", &path, Some(&w.agent), None, &[("If-None-Match", "\"999\", W/\"998\"")]).await.expect(200);
    app.send("PATCH", &path, Some(&w.agent), Some(json!({"occupation": "教师"})), &[("If-Match", &etag)])
        .await
        .expect(200);
    let changed = app.send("GET", &path, Some(&w.agent), None, &[("If-None-Match", &etag)]).await.expect(200);
    assert_eq!(changed.body["occupation"], "教师");
}
both!(unchanged_records_answer_304, unchanged_records_answer_304);

/// A read by id costs one statement (customer, unit, owners and tags together), two when the
/// session check is due; a connection back from the pool a moment ago is not tested with a
/// query of its own. Counted by the server itself (`/metrics`), on both databases.
async fn a_read_is_at_most_two_statements(app: TestApp) {
    let w = crate::fixtures::world(&app).await;
    let id = crate::fixtures::customer(&app, &w.manager, "王五", "13800000001").await;
    let path = format!("/api/v1/customers/{id}");
    let tags = json!({"tags": ["vip", "家电"]});
    app.send("PATCH", &path, Some(&w.manager), Some(tags), &[("If-Match", "*")]).await.expect(200);
    const READS: u64 = 20;
    for _ in 0..READS {
        let c = app.get(&path, &w.manager).await.expect(200).body;
        assert_eq!(c["tags"], json!(["vip", "家电"]));
    }
    let m = app.send("GET", "/metrics", None, None, &[("Authorization", "Bearer scrape-me")]).await.expect(200);
    let text = m.body.as_str().unwrap().to_owned();
    let series = |name: &str| -> u64 {
        let key = format!(r#"{name}{{method="GET",route="/api/v1/customers/{{id}}",status="200"}} "#);
        let line = text.lines().find_map(|l| l.strip_prefix(&key)).unwrap_or_else(|| panic!("{key} in {text}"));
        line.trim().parse().unwrap()
    };
    let (reads, statements) = (series("guanxi_http_requests_total"), series("guanxi_http_request_db_statements_total"));
    assert_eq!(reads, READS);
    assert!((READS..=2 * READS).contains(&statements), "{statements} statements for {READS} reads");
}
both!(a_read_is_at_most_two_statements, a_read_is_at_most_two_statements, &[("GUANXI_METRICS_TOKEN", "scrape-me")]);

/// A common name term is found by walking the list's order (its matches outnumber what a page
/// needs), a rare one through the trigram index: the pages are the same either way, in order,
/// scoped, and a cursor walks through all of them.
async fn a_common_name_term_pages_like_a_rare_one(app: TestApp) {
    let w = crate::fixtures::world(&app).await;
    let mut expected = Vec::new();
    for i in 0..30 {
        let name = format!("客户小明{i:02}");
        crate::fixtures::customer(&app, &w.manager, &name, &format!("139000000{i:02}")).await;
        expected.push(name);
    }
    crate::fixtures::customer(&app, &w.manager, "王五", "13800000077").await;
    crate::fixtures::customer(&app, &w.other_manager, "客户小明99", "13800000099").await;
    let pages = |q: &'static str, sort: &'static str| {
        let (app, token) = (&app, w.manager.clone());
        async move {
            let (mut names, mut cursor) = (Vec::new(), None::<String>);
            loop {
                let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
                let path = format!("/api/v1/customers?limit=4&sort={sort}&q={}{after}", urlencoding(q));
                let page = app.get(&path, &token).await.expect(200).body;
                names.extend(page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()));
                match page["next_cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_owned()),
                    None => break names,
                }
            }
        }
    };
    // Common: all 30 in name order, four at a time; the other subsidiary's namesake never.
    assert_eq!(pages("户小明", "name").await, expected);
    let mut newest = pages("户小明", "-created").await;
    assert_eq!(newest.len(), 30);
    newest.sort();
    assert_eq!(newest, expected);
    // Rare: one match.
    assert_eq!(pages("明07", "name").await, vec!["客户小明07"]);
    assert!(pages("明99", "name").await.is_empty());
}
both!(a_common_name_term_pages_like_a_rare_one, a_common_name_term_pages_like_a_rare_one);

/// A tag is one tag however its Latin letters are cased: stored folded, found in any case.
async fn tags_ignore_the_case_of_latin_letters(app: TestApp) {
    let w = crate::fixtures::world(&app).await;
    let id = crate::fixtures::customer(&app, &w.manager, "周八", "13800000088").await;
    let path = format!("/api/v1/customers/{id}");
    let body = json!({"tags": ["VIP", "Vip", " vip ", "家电", "WeChat会员"]});
    let c = app.send("PATCH", &path, Some(&w.manager), Some(body), &[("If-Match", "*")]).await.expect(200).body;
    assert_eq!(c["tags"], json!(["vip", "wechat会员", "家电"]));
    for tag in ["VIP", "vip", "vIp"] {
        let found = app.get(&format!("/api/v1/customers?tag={tag}"), &w.manager).await.expect(200).body;
        let ids: Vec<&str> = found["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec![id.as_str()], "tag={tag}");
    }
    let found = app.get(&format!("/api/v1/customers?tag={}", urlencoding("WECHAT会员")), &w.manager).await.expect(200);
    assert_eq!(found.body["items"].as_array().map(Vec::len), Some(1));
    // Other scripts are kept as given.
    let none = app.get(&format!("/api/v1/customers?tag={}", urlencoding("家")), &w.manager).await.expect(200);
    assert_eq!(none.body["items"].as_array().map(Vec::len), Some(0));
}
both!(tags_ignore_the_case_of_latin_letters, tags_ignore_the_case_of_latin_letters);

/// Selected rows changed at once: tags added and managers given to each, all or nothing, each
/// customer audited as a single change is.
async fn bulk_changes_are_all_or_nothing(app: TestApp) {
    let w = world(&app).await;
    let body = |name: &str, mobile: &str| json!({"name": name, "mobile": mobile, "customer_type": "individual", "source": {"channel": "sales"}, "tags": ["old"]});
    let a = create(&app, &w.agent, body("甲一", "13911110001")).await["id"].as_str().unwrap().to_owned();
    let b = create(&app, &w.agent, body("乙二", "13911110002")).await["id"].as_str().unwrap().to_owned();
    let theirs = create(&app, &w.other_manager, body("丙三", "13911110003")).await["id"].as_str().unwrap().to_owned();
    let url = "/api/v1/customers/bulk-updates";
    app.post(url, &w.auditor, json!({"ids": [a], "add_tags": ["VIP"]})).await.problem(403);
    assert_eq!(
        app.post(url, &w.manager, json!({"ids": [a]})).await.expect(200).body["updated"],
        0,
        "nothing to change"
    );
    app.post(url, &w.manager, json!({"ids": [theirs]})).await.problem(404);

    // Another subsidiary's customer among them: 404 as for that customer alone, and nothing changes.
    app.post(url, &w.manager, json!({"ids": [a, theirs], "add_tags": ["VIP"]})).await.problem(404);
    assert_eq!(app.get(&format!("/api/v1/customers/{a}"), &w.manager).await.expect(200).body["tags"], json!(["old"]));

    let manager_id = app.get("/api/v1/me", &w.manager).await.expect(200).body["id"].as_str().unwrap().to_owned();
    let done =
        app.post(url, &w.manager, json!({"ids": [a, b, a], "add_tags": ["VIP"], "owner_ids": [manager_id]})).await;
    assert_eq!(done.expect(200).body["updated"], 2);
    for id in [&a, &b] {
        let c = app.get(&format!("/api/v1/customers/{id}"), &w.manager).await.expect(200).body;
        assert_eq!(c["tags"], json!(["old", "vip"]), "added (folded), the old one kept");
        assert_eq!(c["owner_ids"], json!([manager_id]));
    }
    let log = app.get("/api/v1/audit?action=customer.update", &w.compliance).await.expect(200).body;
    assert_eq!(log["items"].as_array().unwrap().len(), 2, "one entry per customer: {log}");
}
both!(bulk_changes_are_all_or_nothing, bulk_changes_are_all_or_nothing);
