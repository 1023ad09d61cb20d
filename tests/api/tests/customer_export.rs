//! Export as a job: only customers the caller may see, masked exactly as the list shows them to
//! that role, audited, and downloadable by the caller alone.

use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;

fn customer(name: &str, mobile: &str, occupation: &str) -> Value {
    json!({
        "name": name, "mobile": mobile, "email": format!("{}@example.com", name.len()),
        "occupation": occupation, "customer_type": "individual", "source": {"channel": "sales"},
        "tags": ["export"]
    })
}

async fn download(app: &TestApp, token: &str, job: &Value) -> String {
    let file = job["result"]["file"].as_str().expect("file name");
    let path = format!("/api/v1/jobs/{}/files/{file}", job["id"].as_str().unwrap());
    let r = app.send("GET", &path, Some(token), None, &[]).await.expect(200);
    match r.body {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

async fn export_is_scoped_masked_and_audited(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &s1).await;
    let (_, agent) = app.user(&admin, "agent1", "agent", &s1).await;
    let (_, compliance) = app.user(&admin, "compliance1", "compliance", &s1).await;
    let (_, other) = app.user(&admin, "manager2", "manager", &s2).await;
    for i in 0..5 {
        app.post("/api/v1/customers", &agent, customer(&format!("客户{i}"), &format!("1390000100{i}"), "教师"))
            .await
            .expect(201);
    }
    app.post("/api/v1/customers", &agent, customer("公式", "13900001009", "=HYPERLINK(\"x\")")).await.expect(201);
    app.post("/api/v1/customers", &other, customer("别家", "13900002000", "工程师")).await.expect(201);
    // The count the export dialog states before anything leaves: what the export will hold.
    let count = app.get("/api/v1/customers/count", &manager).await.expect(200).body;
    assert_eq!(count, json!({"count": 6, "exact": true}), "S1's six, not S2's");
    let narrowed = app.get("/api/v1/customers/count?tag=export&q=13900001003", &manager).await.expect(200).body;
    assert_eq!(narrowed["count"], 1);

    app.post("/api/v1/customers/exports", &agent, json!({"format": "csv"})).await.problem(403);
    let started = app.post("/api/v1/customers/exports", &manager, json!({"format": "csv"})).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!((job["result"]["rows"].as_i64(), job["total"].as_i64()), (Some(6), Some(6)));
    let csv = download(&app, &manager, &job).await;
    assert_eq!(csv.lines().count(), 7, "header + six of S1's customers:\n{csv}");
    // As a spreadsheet opens it: UTF-8 announced by a BOM, headers and coded values in the
    // language of the request (Chinese unless asked otherwise).
    assert!(csv.starts_with('\u{feff}'), "a BOM so that Excel and WPS read UTF-8");
    let header: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().next().unwrap().split(',').collect();
    assert_eq!(&header[..2], ["客户编号", "组织单元"], "{header:?}");
    assert!(header.contains(&"手机号") && header.contains(&"来源渠道"), "{header:?}");
    assert!(csv.contains(",销售,"), "the source channel in words:\n{csv}");
    assert!(!csv.contains("别家"), "another subsidiary's customer is not exported");
    assert!(!csv.contains("13900001001"), "no clear mobile in a masked export");
    assert!(csv.contains("'=HYPERLINK"), "formula cells are neutralised:\n{csv}");
    // The same masking as the list shows the manager.
    let list = app.get("/api/v1/customers?limit=100", &manager).await.expect(200).body;
    for c in list["items"].as_array().unwrap() {
        let masked_mobile = c["mobile"].as_str().unwrap();
        assert!(csv.contains(masked_mobile), "{masked_mobile} as in the list");
    }
    // Only the exporter can fetch it.
    let file = format!("/api/v1/jobs/{}/files/customers.csv", job["id"].as_str().unwrap());
    app.get(&file, &compliance).await.problem(404);
    app.get(&file, &other).await.problem(404);

    // JSON with a filter, as compliance (its own masking).
    let started = app
        .post(
            "/api/v1/customers/exports",
            &compliance,
            json!({"format": "json", "name": "客户", "mobile": "13900001003"}),
        )
        .await
        .expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &compliance).await;
    let rows: Value = serde_json::from_str(&download(&app, &compliance, &job).await).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let shown = app.get("/api/v1/customers?mobile=13900001003", &compliance).await.expect(200).body;
    assert_eq!(rows[0], shown["items"][0], "the export holds exactly what the list shows");

    // Both exports are in the audit log.
    let audit = app.get("/api/v1/audit?action=customer.export", &compliance).await.expect(200).body;
    let n = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "customer.export").count();
    assert_eq!(n, 2, "{audit}");

    // The rows chosen in the list, as a spreadsheet: only those within reach (S2's is not), every
    // cell text as the list masks it (a formula stays text: no apostrophe needed).
    let s1_ids: Vec<String> =
        list["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    let s2_id =
        app.get("/api/v1/customers", &other).await.expect(200).body["items"][0]["id"].as_str().unwrap().to_owned();
    let chosen = json!({"format": "xlsx", "ids": [s1_ids[0], s1_ids[1], s2_id]});
    let started = app.post("/api/v1/customers/exports", &manager, chosen).await.expect(202);
    let sheet_job = app.wait_job(started.body["id"].as_str().unwrap(), &manager).await;
    let result = &sheet_job["result"];
    assert_eq!((result["rows"].as_i64(), result["file"].as_str()), (Some(2), Some("customers.xlsx")), "{sheet_job}");
    let path = format!("/api/v1/jobs/{}/files/customers.xlsx", sheet_job["id"].as_str().unwrap());
    let (content_type, workbook) = app.bytes(&path, &manager).await;
    assert_eq!(content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(workbook)).expect("an XLSX is a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    assert_eq!(sheet.matches("<row>").count(), 3, "a header and the two chosen:\n{sheet}");
    assert!(sheet.contains(">客户编号</t>") && sheet.contains(">手机号</t>"), "Chinese headers");
    for c in &list["items"].as_array().unwrap()[..2] {
        assert!(sheet.contains(&format!(">{}</t>", c["id"].as_str().unwrap())));
        assert!(sheet.contains(c["mobile"].as_str().unwrap()), "masked as listed");
    }
    assert!(!sheet.contains(&s2_id) && !sheet.contains("别家"), "out of reach, not exported");
    let selection_of = |n: usize| json!({"format": "csv", "ids": vec!["x"; n]});
    app.post("/api/v1/customers/exports", &manager, selection_of(0)).await.problem(422);
    app.post("/api/v1/customers/exports", &manager, selection_of(201)).await.problem(422);

    // Bad filters are refused up front.
    app.post("/api/v1/customers/exports", &manager, json!({"format": "xml"})).await.problem(422);
    app.post("/api/v1/customers/exports", &manager, json!({"format": "csv", "mobile": "12"})).await.problem(422);

    // Files of jobs finished long ago expire (the nightly job); recent ones stay.
    let old_job = file.split('/').nth(4).unwrap().to_owned();
    app.sql(&format!("UPDATE jobs SET finished_at = '2020-01-01 00:00:00' WHERE id = '{old_job}'"));
    let mut conn = app.state.db.get().unwrap();
    let week_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(7);
    let (files, parts) = guanxi::jobs::files::expire(&mut conn, week_ago).unwrap();
    drop(conn);
    assert_eq!(files, 1, "the old export's file");
    assert!(parts >= 1, "and its parts");
    app.get(&file, &manager).await.problem(404);
    // Scheduled runs (nobody started them) go after the same time; people's jobs stay.
    for (id, finished) in [("sched-old", "2020-01-01 00:00:00"), ("sched-new", "2999-01-01 00:00:00")] {
        app.sql(&format!(
            "INSERT INTO jobs (id, kind, status, payload, done, errors, attempts, run_after, created_at, updated_at, finished_at) \
             VALUES ('{id}', 'tickets.sla', 'succeeded', '{{}}', 0, 0, 1, '{finished}', '{finished}', '{finished}', '{finished}')"
        ));
    }
    let mut conn = app.state.db.get().unwrap();
    assert_eq!(guanxi::jobs::store::prune_scheduled_runs(&mut conn, week_ago).unwrap(), 1);
    drop(conn);
    assert_eq!(app.count("jobs WHERE id IN ('sched-old', 'sched-new')"), 1);
    assert_eq!(app.count(&format!("jobs WHERE id = '{old_job}'")), 1, "the manager's old export job stays");
    let recent = download(&app, &compliance, &job).await;
    assert!(recent.starts_with('['), "the recent export is still there");
}
both!(export_is_scoped_masked_and_audited, export_is_scoped_masked_and_audited);

/// One account cannot fill the job queue with exports: two at once, then 429 until one finishes.
async fn exports_at_once_are_limited(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &group).await;
    let (_, other) = app.user(&admin, "manager2", "manager", &group).await;
    for _ in 0..2 {
        app.post("/api/v1/customers/exports", &manager, json!({"format": "csv"})).await.expect(202);
    }
    let r = app.post("/api/v1/customers/exports", &manager, json!({"format": "csv"})).await.problem(429);
    assert!(r.header("retry-after").is_some());
    app.post("/api/v1/customers/exports", &other, json!({"format": "csv"})).await.expect(202);
}
both!(exports_at_once_are_limited, exports_at_once_are_limited, &[("GUANXI_JOBS", "false")]);
