//! Key rotation (PRV-4): after `rotate-keys`, restarted servers write with the new keys and read
//! the old; the re-encryption job moves every ciphertext and blind index (customers, webhook
//! secrets, merge snapshots); the old keys can be retired only then, and a server holding the
//! new keys alone still reads and finds everything.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::both;
use crate::helpers::TestApp;
use guanxi::db::schema::{customer_merges, customers, webhooks};

async fn create(app: &TestApp, token: &str, body: Value) -> String {
    app.post("/api/v1/customers", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

/// Every stored ciphertext, read straight from the database.
fn ciphertexts(app: &TestApp) -> Vec<String> {
    let mut conn = app.state.db.get().unwrap();
    type Sealed = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Sealed> = customers::table
        .select((
            customers::national_id,
            customers::mobile,
            customers::email,
            customers::address,
            customers::birth_date,
        ))
        .load(&mut **conn)
        .unwrap();
    let mut all: Vec<String> = rows.into_iter().flat_map(|(a, b, c, d, e)| [a, b, c, d, e]).flatten().collect();
    all.extend(webhooks::table.select(webhooks::secret).load::<String>(&mut **conn).unwrap());
    for snapshot in customer_merges::table.select(customer_merges::target_before).load::<String>(&mut **conn).unwrap() {
        let row: Value = serde_json::from_str(&snapshot).unwrap();
        for col in ["national_id", "mobile", "email", "address", "birth_date"] {
            if let Some(v) = row[col].as_str() {
                all.push(v.to_owned());
            }
        }
    }
    all
}

async fn find_by_mobile(app: &TestApp, token: &str, mobile: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/customers?mobile={mobile}"), token).await.expect(200).body;
    r["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

async fn reveal_mobile(app: &TestApp, token: &str, id: &str) -> Value {
    let body = json!({"fields": ["mobile", "national_id"], "purpose": "identity_verification"});
    app.post(&format!("/api/v1/customers/{id}/reveal"), token, body).await.expect(200).body["values"].clone()
}

async fn rotate_reencrypt_retire(old: TestApp) {
    let w = crate::fixtures::world(&old).await;
    let a = create(&old, &w.agent, json!({"name": "王小明", "mobile": "13911112222", "national_id": "11010519491231002X", "email": "wxm@example.com", "address": "北京市朝阳区建国路1号", "customer_type": "individual", "source": {"channel": "sales"}})).await;
    let b = create(&old, &w.agent, json!({"name": "王晓明", "mobile": "13911113333", "email": "wxm@example.com", "customer_type": "individual", "source": {"channel": "service"}})).await;
    let ca = old.get(&format!("/api/v1/customers/{a}"), &w.manager).await.expect(200).body;
    let cb = old.get(&format!("/api/v1/customers/{b}"), &w.manager).await.expect(200).body;
    let merge = old
        .post(
            &format!("/api/v1/customers/{a}/merge"),
            &w.manager,
            json!({"source_id": b, "target_version": ca["version"], "source_version": cb["version"], "dry_run": false}),
        )
        .await
        .expect(200)
        .body;
    let merge_id = merge["merge"]["id"].as_str().unwrap().to_owned();
    old.post(
        "/api/v1/webhooks",
        &w.admin,
        json!({"url": "https://hooks.example.com/guanxi", "topics": ["customer.*"]}),
    )
    .await
    .expect(201);
    assert!(ciphertexts(&old).iter().all(|c| c.starts_with("k1:")));
    // A complaint's words, sealed like every personal value: subject and description in the row,
    // a comment on the timeline.
    let body = json!({"customer_id": a, "kind": "complaint", "channel": "hotline", "subject": "投诉安装延误", "description": "等了三天"});
    let ticket = old.post("/api/v1/tickets", &w.agent, body).await.expect(201).body["id"].as_str().unwrap().to_owned();
    old.post(&format!("/api/v1/tickets/{ticket}/comments"), &w.agent, json!({"body": "已联系"})).await.expect(201);
    // And a photo, a sealed file under the data directory.
    let photo = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], "安装现场".as_bytes()].concat();
    let t = old.upload(&format!("/api/v1/tickets/{ticket}/attachments"), &w.agent, "image/jpeg", photo.clone()).await;
    let photo_id =
        t.expect(201).body["timeline"].as_array().unwrap().last().unwrap()["id"].as_str().unwrap().to_owned();

    // Rotate both keys; a restarted server holds both generations.
    assert_eq!(guanxi::keys::command::add(&old.state.settings, false).unwrap(), "k2");
    assert_eq!(guanxi::keys::command::add(&old.state.settings, true).unwrap(), "b2");
    let new = old.twin(&[]).await;
    let admin = new.admin().await;
    let status = new.get("/api/v1/keys", &admin).await.expect(200).body;
    assert_eq!(status["field_keys"], json!(["k1", "k2"]));
    assert_eq!((status["encrypting_with"].as_str(), status["indexing_with"].as_str()), (Some("k2"), Some("b2")));
    assert!(status["stale"]["customers"].as_i64().unwrap() >= 2);
    assert_eq!(status["stale"]["webhooks"], 1);
    assert_eq!(status["stale"]["merge_snapshots"], 1);
    assert_eq!(status["stale"]["tickets"], 3, "the ticket row, its comment and the photo's name");
    assert_eq!(status["stale"]["attachments"], 1);
    assert_eq!(status["retirable"], false);
    new.get("/api/v1/keys", &w.manager).await.problem(403);
    let err = guanxi::keys::command::retire(&new.state.settings, &new.state.db).unwrap_err();
    assert!(err.contains("older field key"), "{err}");

    // Before the job: old values still open and are still found under the old blind index;
    // new values use the new key.
    assert_eq!(reveal_mobile(&new, &w.manager, &a).await["mobile"], "+8613911112222");
    assert_eq!(find_by_mobile(&new, &w.manager, "13911112222").await, std::slice::from_ref(&a));
    let c = create(
        &new,
        &w.agent,
        json!({"name": "李新", "mobile": "13722223333", "customer_type": "individual", "source": {"channel": "sales"}}),
    )
    .await;
    let mut conn = new.state.db.get().unwrap();
    let stored: Option<String> = customers::table.find(&c).select(customers::mobile).first(&mut **conn).unwrap();
    drop(conn);
    assert!(stored.unwrap().starts_with("k2:"));

    // A run started on a server still on the old keys is refused by one holding the new ones.
    let stale_job = old.post("/api/v1/key-rotations", &w.admin, json!({})).await.expect(202).body;
    // A job's file sealed with the old key (an export or upload kept for days).
    let stale_id = stale_job["id"].as_str().unwrap().to_owned();
    let mut conn = old.state.db.get().unwrap();
    guanxi::jobs::files::put(
        &mut conn,
        &old.state.cipher,
        &stale_id,
        "kept.csv",
        "text/csv",
        "王小明,+8613911112222".as_bytes(),
    )
    .unwrap();
    drop(conn);
    assert_eq!(new.get("/api/v1/keys", &admin).await.expect(200).body["stale"]["job_files"], 1);
    let refused = new.wait_job(stale_job["id"].as_str().unwrap(), &admin).await;
    assert_eq!(refused["status"], "failed");
    assert_eq!(refused["error_code"], "keys_not_loaded", "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("请用新密钥文件重启所有服务器"), "{refused}");

    // The run on the new keys moves everything.
    new.post("/api/v1/key-rotations", &w.manager, json!({})).await.problem(403);
    let job = new.post("/api/v1/key-rotations", &admin, json!({})).await.expect(202).body;
    let done = new.wait_job(job["id"].as_str().unwrap(), &admin).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["done"], done["total"]);
    assert_eq!(done["result"]["webhooks_updated"], 1);
    assert_eq!(done["result"]["merge_snapshots_updated"], 1);
    assert_eq!(done["result"]["tickets_updated"], 3);
    assert_eq!(done["result"]["attachments_updated"], 1);
    assert!(done["result"]["customers_updated"].as_u64().unwrap() >= 2);
    let all = ciphertexts(&new);
    assert!(all.len() >= 8);
    assert!(all.iter().all(|c| c.starts_with("k2:")), "every ciphertext names the new key: {all:?}");
    let status = new.get("/api/v1/keys", &admin).await.expect(200).body;
    assert_eq!(done["result"]["job_files_updated"], 1);
    assert_eq!(
        status["stale"],
        json!({"customers": 0, "webhooks": 0, "merge_snapshots": 0, "job_files": 0, "tickets": 0, "attachments": 0})
    );
    assert_eq!((status["blind_index_current"].as_bool(), status["retirable"].as_bool()), (Some(true), Some(true)));

    // Retire the old keys; a server with only the new ones reads, finds and unmerges everything.
    let mut retired = guanxi::keys::command::retire(&new.state.settings, &new.state.db).unwrap();
    retired.sort();
    assert_eq!(retired, ["b1", "k1"]);
    let only_new = new.twin(&[]).await;
    let (manager, _) = only_new.login("manager1", "user-test-password").await;
    let values = reveal_mobile(&only_new, &manager, &a).await;
    assert_eq!(
        (values["mobile"].as_str(), values["national_id"].as_str()),
        (Some("+8613911112222"), Some("11010519491231002X"))
    );
    assert_eq!(find_by_mobile(&only_new, &manager, "13911112222").await, std::slice::from_ref(&a));
    assert_eq!(find_by_mobile(&only_new, &manager, "13722223333").await, [c]);
    let dups = only_new.get("/api/v1/customers?national_id=11010519491231002X", &manager).await.expect(200);
    assert_eq!(dups.body["items"][0]["id"], a.as_str());
    only_new.post(&format!("/api/v1/customer-merges/{merge_id}/undo"), &manager, json!({})).await.expect(200);
    assert_eq!(reveal_mobile(&only_new, &manager, &a).await["mobile"], "+8613911112222", "the snapshot opened with k2");
    let mut conn = only_new.state.db.get().unwrap();
    let kept = guanxi::jobs::files::get(&mut conn, &only_new.state.cipher, &stale_id, "kept.csv").unwrap().unwrap();
    drop(conn);
    assert_eq!(kept.content, "王小明,+8613911112222".as_bytes(), "the file was resealed with k2");
    let t = only_new.get(&format!("/api/v1/tickets/{ticket}"), &manager).await.expect(200).body;
    assert_eq!((t["subject"].as_str(), t["description"].as_str()), (Some("投诉安装延误"), Some("等了三天")));
    assert!(t["timeline"].as_array().unwrap().iter().any(|e| e["body"] == "已联系"), "the comment opened with k2");
    let (_, bytes) = only_new.file(&format!("/api/v1/tickets/{ticket}/attachments/{photo_id}"), &manager).await;
    assert_eq!(bytes, photo, "the photo's file was resealed with k2");
    let auditor = only_new.login("auditor1", "user-test-password").await.0;
    assert_eq!(only_new.get("/api/v1/audit/verify", &auditor).await.expect(200).body["ok"], true);
}
both!(rotate_reencrypt_retire, rotate_reencrypt_retire, &[("GUANXI_JOBS", "false")]);
