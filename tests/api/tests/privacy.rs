//! Data-subject requests: due dates and the overdue list, a full copy, withdrawal of every
//! consent, and deletion that leaves no clear personal value anywhere in the database (raw file
//! on SQLite, every table on PostgreSQL) while the statistics stay — unless a legal hold blocks it.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{consent, notice, world};
use crate::helpers::TestApp;

const NAME: &str = "欧阳锋";
const MOBILE: &str = "13987654321";
const NATIONAL_ID: &str = "110105199001011232";
const EMAIL: &str = "ouyang.feng@example.com";
const ADDRESS: &str = "白驼山庄西域路77号";

#[derive(QueryableByName)]
struct Dump {
    #[diesel(sql_type = diesel::sql_types::Text)]
    dump: String,
}

/// Every byte the database keeps: the SQLite file and its WAL, or every PostgreSQL table as text.
pub fn everything(app: &TestApp) -> Vec<u8> {
    let url = app.state.settings.database_url.clone();
    if url.starts_with("postgres") {
        let mut pg = diesel::PgConnection::establish(&url).unwrap();
        #[derive(QueryableByName)]
        struct Table {
            #[diesel(sql_type = diesel::sql_types::Text)]
            table_name: String,
        }
        let tables: Vec<Table> = diesel::sql_query(
            "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .load(&mut pg)
        .unwrap();
        assert!(tables.len() > 20, "every table is dumped");
        let mut all = Vec::new();
        for t in tables {
            let sql = format!("SELECT coalesce(string_agg(t::text, E'\\n'), '') AS dump FROM \"{}\" t", t.table_name);
            let d: Dump = diesel::sql_query(sql).get_result(&mut pg).unwrap();
            all.extend_from_slice(d.dump.as_bytes());
        }
        all
    } else {
        let (_, path) = guanxi::db::parse_url(&url);
        let mut all = std::fs::read(&path).unwrap();
        if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
            all.extend(wal);
        }
        all
    }
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn kpis(app: &TestApp) -> (usize, usize) {
    let purchases = app.sql("UPDATE purchases SET amount_fen = amount_fen WHERE amount_fen > 0");
    let customers = app.sql("UPDATE customers SET version = version WHERE 1 = 1");
    (purchases, customers)
}

async fn someone(app: &TestApp, token: &str) -> String {
    let body = json!({
        "name": NAME, "national_id": NATIONAL_ID, "mobile": MOBILE, "email": EMAIL, "address": ADDRESS,
        "customer_type": "individual", "source": {"channel": "sales"}, "tags": ["vip"]
    });
    let id = app.post("/api/v1/customers", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/customers/{id}");
    let purchase =
        json!({"product": "年卡", "amount_fen": 128800, "channel": "store", "purchased_at": "2026-03-01T10:00:00Z"});
    app.post(&format!("{base}/purchases"), token, purchase).await.expect(201);
    app.post(&format!("{base}/preferences"), token, json!({"category": "interest", "value": "西域旅行"}))
        .await
        .expect(201);
    let fb = json!({"kind": "opinion", "content": format!("{NAME}说服务很好"), "channel": "call"});
    app.post(&format!("{base}/feedback"), token, fb).await.expect(201);
    let contact = json!({"kind": "call", "direction": "outbound", "reached": true, "summary": format!("约{NAME}到店"), "occurred_at": "2026-03-02T10:00:00Z"});
    app.post(&format!("{base}/contacts"), token, contact).await.expect(201);
    id
}

async fn request(app: &TestApp, token: &str, customer: &str, kind: &str) -> Value {
    let body = json!({"customer_id": customer, "kind": kind, "details": "来电申请"});
    app.post("/api/v1/privacy-requests", token, body).await.expect(201).body
}

async fn complete(app: &TestApp, token: &str, id: &Value) -> Value {
    let path = format!("/api/v1/privacy-requests/{}/complete", id["id"].as_str().unwrap());
    app.post(&path, token, json!({})).await.expect(200).body
}

async fn deletion_leaves_no_personal_value(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let id = someone(&app, &w.manager).await;
    let bystander = someone(&app, &w.manager).await;
    consent(&app, &w.agent, &id, "marketing_sms", true).await;
    // A complaint in the customer's own words, with a comment on its timeline.
    let body = json!({"customer_id": id, "kind": "complaint", "channel": "hotline", "subject": format!("{NAME}投诉"), "description": ADDRESS});
    let ticket =
        app.post("/api/v1/tickets", &w.manager, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/tickets/{ticket}/comments"), &w.manager, json!({"body": format!("致电{MOBILE}")}))
        .await
        .expect(201);
    let before = kpis(&app);
    assert!(contains(&everything(&app), NAME), "the probe finds the name while it is stored");

    let req = request(&app, &w.agent, &id, "deletion").await;
    assert_eq!(req["status"], "open");
    assert_eq!(req["overdue"], false);
    // A legal hold blocks erasure, with its reason.
    let holds = format!("/api/v1/customers/{id}/legal-holds");
    let hold = app.post(&holds, &w.compliance, json!({"reason": "诉讼 (2026)京01民初123号"})).await.expect(201).body;
    app.post(&format!("/api/v1/privacy-requests/{}/complete", req["id"].as_str().unwrap()), &w.agent, json!({}))
        .await
        .problem(403);
    let refused = complete(&app, &w.compliance, &req).await;
    assert_eq!(refused["status"], "rejected");
    assert!(refused["outcome"].as_str().unwrap().contains("(2026)京01民初123号"));
    app.get(&format!("/api/v1/customers/{id}"), &w.manager).await.expect(200);
    let released = format!("/api/v1/customers/{id}/legal-holds/{}", hold["id"].as_str().unwrap());
    app.send("DELETE", &released, Some(&w.compliance), None, &[]).await.problem(428);
    assert_eq!(app.send("DELETE", &released, Some(&w.compliance), None, &[("If-Match", "\"1\"")]).await.status, 204);
    app.send("DELETE", &released, Some(&w.compliance), None, &[("If-Match", "\"1\"")]).await.problem(412);

    // Released: the erasure goes through.
    let req = request(&app, &w.agent, &id, "deletion").await;
    let done = complete(&app, &w.compliance, &req).await;
    assert_eq!(done["status"], "completed");
    app.get(&format!("/api/v1/customers/{id}"), &w.manager).await.problem(404);
    let found = app.get(&format!("/api/v1/customers?mobile={MOBILE}"), &w.manager).await.expect(200).body;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "only the bystander, who shares the mobile, remains");
    assert_eq!(found["items"][0]["id"], bystander.as_str());
    // The ticket stays for the statistics, without its words.
    let t = app.get(&format!("/api/v1/tickets/{ticket}"), &w.manager).await.expect(200).body;
    assert_eq!(
        (t["subject"].as_str(), t["description"].as_str(), t["kind"].as_str()),
        (Some(""), None, Some("complaint"))
    );
    assert!(t["timeline"].as_array().unwrap().iter().all(|e| e["body"].is_null()), "{t}");

    // Erase the bystander too, then nothing of either is left anywhere.
    let req = request(&app, &w.agent, &bystander, "deletion").await;
    complete(&app, &w.compliance, &req).await;
    let raw = everything(&app);
    for value in [NAME, MOBILE, NATIONAL_ID, EMAIL, ADDRESS, "西域旅行"] {
        assert!(!contains(&raw, value), "{value} is still stored");
    }
    assert_eq!(kpis(&app), before, "purchases and customer counts are unchanged");
    let sum = app.sql("UPDATE purchases SET amount_fen = amount_fen WHERE amount_fen = 128800");
    assert_eq!(sum, 2, "amounts kept");
    // Consent history stays as evidence; the decision now denies (the customer is gone: 404).
    app.get(&format!("/api/v1/customers/{id}/consents/check?purpose=marketing_sms"), &w.manager).await.problem(404);
}
both!(deletion_leaves_no_personal_value, deletion_leaves_no_personal_value);

async fn access_and_withdrawal_requests(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let id = someone(&app, &w.manager).await;
    consent(&app, &w.agent, &id, "marketing_sms", true).await;
    consent(&app, &w.agent, &id, "profiling", true).await;
    let body = json!({"customer_id": id, "kind": "complaint", "channel": "email", "subject": "账单有误", "description": "三月多扣了 20 元"});
    let ticket =
        app.post("/api/v1/tickets", &w.manager, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/tickets/{ticket}/comments"), &w.manager, json!({"body": "已核实"})).await.expect(201);

    let access = request(&app, &w.agent, &id, "access").await;
    let due = chrono::DateTime::parse_from_rfc3339(access["due_at"].as_str().unwrap()).unwrap();
    let days = (due.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((15 * 24 - 1..=15 * 24).contains(&days), "due in 15 days, got {days} h");
    let aid = access["id"].as_str().unwrap();
    let copy = app.get(&format!("/api/v1/privacy-requests/{aid}/copy"), &w.compliance).await.expect(200).body;
    assert_eq!(copy["customer"]["fields"]["mobile"], "+8613987654321");
    assert_eq!(copy["customer"]["fields"]["national_id"], NATIONAL_ID);
    assert_eq!(copy["consents"].as_array().unwrap().len(), 2);
    assert_eq!(copy["purchases"][0]["amount_fen"], 128800);
    assert_eq!(copy["preferences"].as_array().unwrap().len(), 1);
    assert_eq!(copy["contacts"].as_array().unwrap().len(), 1);
    assert!(copy["shares"].as_array().unwrap().is_empty());
    // The customer's complaints, in their words and with what was noted on them.
    assert_eq!(copy["tickets"][0]["id"], ticket.as_str());
    assert_eq!(
        (copy["tickets"][0]["subject"].as_str(), copy["tickets"][0]["description"].as_str()),
        (Some("账单有误"), Some("三月多扣了 20 元"))
    );
    assert!(copy["tickets"][0]["timeline"].as_array().unwrap().iter().any(|e| e["body"] == "已核实"));
    app.get(&format!("/api/v1/privacy-requests/{aid}/copy"), &w.agent).await.problem(403);
    assert_eq!(complete(&app, &w.compliance, &access).await["status"], "completed");
    let again = format!("/api/v1/privacy-requests/{aid}/complete");
    app.post(&again, &w.compliance, json!({})).await.problem(409);

    let withdrawal = request(&app, &w.agent, &id, "withdrawal").await;
    let done = complete(&app, &w.compliance, &withdrawal).await;
    assert_eq!(done["outcome"], "已撤回 2 项同意");
    for purpose in ["marketing_sms", "profiling"] {
        let check = app.get(&format!("/api/v1/customers/{id}/consents/check?purpose={purpose}"), &w.agent).await;
        assert_eq!(check.expect(200).body["reason"], "withdrawn");
    }

    // Overdue requests are listed; other units see none of them.
    let late = request(&app, &w.agent, &id, "correction").await;
    let lid = late["id"].as_str().unwrap();
    app.sql(&format!("UPDATE privacy_requests SET due_at = created_at - INTERVAL '1 day' WHERE id = '{lid}'").replace(
        "created_at - INTERVAL '1 day'",
        if app.state.settings.database_url.starts_with("postgres") {
            "created_at - INTERVAL '1 day'"
        } else {
            "datetime(created_at, '-1 day')"
        },
    ));
    let overdue = app.get("/api/v1/privacy-requests?overdue=true", &w.compliance).await.expect(200).body;
    let items = overdue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], lid);
    assert_eq!(items[0]["overdue"], true);
    let all = app.get("/api/v1/privacy-requests", &w.agent).await.expect(200).body;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    let theirs = app.get("/api/v1/privacy-requests", &w.other_manager).await.expect(200).body;
    assert!(theirs["items"].as_array().unwrap().is_empty());
    // The queue names each customer as the caller may see them (masked), not by a bare id.
    let masked = |r: &Value| r["customer"]["name"].as_str().is_some_and(|n| n.starts_with('欧') && n != NAME);
    assert!(all["items"].as_array().unwrap().iter().all(masked), "{all}");
    assert_eq!(all["items"][0]["customer"]["id"], id.as_str());

    // A correction closes with what was corrected; an access request with how the copy went out.
    let url = format!("/api/v1/privacy-requests/{lid}/complete");
    let p = app.post(&url, &w.compliance, json!({})).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("note"), Some("correction_required"))
    );
    let done = app.post(&url, &w.compliance, json!({"note": "住址已更正"})).await.expect(200).body;
    assert_eq!(done["outcome"], "已更正；备注：住址已更正");
    let access = request(&app, &w.agent, &id, "access").await;
    let url = format!("/api/v1/privacy-requests/{}/complete", access["id"].as_str().unwrap());
    let en = [("Accept-Language", "en")];
    let done =
        app.send("POST", &url, Some(&w.compliance), Some(json!({"delivery": "post"})), &en).await.expect(200).body;
    assert_eq!(done["outcome"], "copy provided by post");
    app.get(&format!("/api/v1/privacy-requests/{lid}"), &w.other_manager).await.problem(404);
    let bad = json!({"customer_id": "nobody", "kind": "deletion"});
    assert_eq!(
        app.post("/api/v1/privacy-requests", &w.agent, bad).await.problem(422).body["errors"][0]["field"],
        "customer_id"
    );
}
both!(access_and_withdrawal_requests, access_and_withdrawal_requests);

/// Uploads, exports, partner exports and privacy copies leave no clear personal value in the
/// database or its WAL (job files are sealed with the field keys), and the SQLite files are the
/// owner's alone.
async fn job_files_hold_nothing_in_clear(app: TestApp) {
    const MOBILE2: &str = "13712345098";
    const EMAIL2: &str = "lin.daiyu@example.com";
    const ADDRESS2: &str = "北京市海淀区潇湘馆路9号";
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let csv = format!("name,mobile,email,address,source_channel\n林黛玉,{MOBILE2},{EMAIL2},{ADDRESS2},sales\n");
    let started = app.upload("/api/v1/customers/imports", &w.manager, "text/csv", csv.into_bytes()).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &w.manager).await;
    assert_eq!(job["result"]["created"], 1, "{job}");
    let export = app.post("/api/v1/customers/exports", &w.manager, json!({"format": "json"})).await.expect(202);
    let export = app.wait_job(export.body["id"].as_str().unwrap(), &w.manager).await;
    assert_eq!(export["status"], "succeeded");
    let file =
        format!("/api/v1/jobs/{}/files/{}", export["id"].as_str().unwrap(), export["result"]["file"].as_str().unwrap());
    let body = app.send("GET", &file, Some(&w.manager), None, &[]).await.expect(200).body.to_string();
    assert!(body.contains(EMAIL2) && body.contains(ADDRESS2), "the download opens the sealed file: {body}");

    let partner = json!({"code": "acme", "name": "Acme", "nda_reference": "NDA-1", "nda_signed_on": "2026-01-05"});
    let pid =
        app.post("/api/v1/partners", &w.compliance, partner).await.expect(201).body["id"].as_str().unwrap().to_owned();
    let agreement = json!({"fields": ["mobile", "email", "address"], "purposes": ["quote"], "unit_ids": [w.s1], "document_reference": "DSA-1", "starts_on": "2026-01-01"});
    let aid = app.post(&format!("/api/v1/partners/{pid}/agreements"), &w.compliance, agreement).await.expect(201).body
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = app.get("/api/v1/customers?limit=5", &w.manager).await.expect(200).body;
    let customer = list["items"][0]["id"].as_str().unwrap().to_owned();
    consent(&app, &w.agent, &customer, "partner_sharing:acme", true).await;
    let pe = json!({"agreement_id": aid, "purpose": "quote", "format": "csv"});
    let pe = app.post(&format!("/api/v1/partners/{pid}/exports"), &w.compliance, pe).await.expect(202).body;
    let pe = app.wait_job(pe["id"].as_str().unwrap(), &w.compliance).await;
    assert_eq!(pe["result"]["customers"], 1, "{pe}");
    let req = request(&app, &w.compliance, &customer, "access").await;
    complete(&app, &w.compliance, &req).await;
    let copy = app.get(&format!("/api/v1/privacy-requests/{}/copy", req["id"].as_str().unwrap()), &w.compliance).await;
    assert_eq!(copy.expect(200).body["customer"]["fields"]["email"], EMAIL2);

    let stored = everything(&app);
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    for clear in [MOBILE2, EMAIL2, "潇湘馆路"] {
        assert!(!contains(&stored, clear) && !contains(&stored, &hex(clear)), "{clear} is stored in clear");
    }
    if !app.state.settings.database_url.starts_with("postgres") {
        use std::os::unix::fs::PermissionsExt;
        let (_, path) = guanxi::db::parse_url(&app.state.settings.database_url);
        for f in [path.clone(), format!("{path}-wal")] {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{f}");
        }
    }
}
both!(job_files_hold_nothing_in_clear, job_files_hold_nothing_in_clear);
