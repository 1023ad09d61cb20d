//! One language at a time: problems, field errors and what records say are chosen from
//! `Accept-Language` (zh-CN unless the caller prefers English), and records keep codes.

use serde_json::json;

use crate::both;
use crate::fixtures::{consent, customer, notice, world};
use crate::helpers::TestApp;

const EN: &[(&str, &str)] = &[("Accept-Language", "en-US,en;q=0.9")];
const ZH: &[(&str, &str)] = &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")];

both!(problems_speak_the_callers_language, problems_in_both_languages);
both!(records_keep_codes_not_sentences, records_keep_codes);

async fn problems_in_both_languages(app: TestApp) {
    let w = world(&app).await;
    // No header: Chinese. The same refusal in English when asked; the codes never change.
    let plain = app.send("GET", "/api/v1/customers", None, None, &[]).await.problem(401);
    let en = app.send("GET", "/api/v1/customers", None, None, EN).await.problem(401);
    assert_eq!((plain.body["code"].as_str(), en.body["code"].as_str()), (Some("token_missing"), Some("token_missing")));
    assert_eq!(
        (plain.body["title"].as_str(), en.body["title"].as_str()),
        (Some("需要登录"), Some("Authentication required"))
    );

    let missing = format!("/api/v1/customers/{}", "0193a000-0000-7000-8000-000000000000");
    let zh = app.send("GET", &missing, Some(&w.agent), None, ZH).await.problem(404);
    let en = app.send("GET", &missing, Some(&w.agent), None, EN).await.problem(404);
    assert_eq!((zh.body["title"].as_str(), en.body["title"].as_str()), (Some("未找到"), Some("Not found")));

    // A field error: the code and the field are stable, the message follows the language.
    let bad_id = json!({"name": "张三", "national_id": "11010519491231002X".replace('X', "1"),
        "customer_type": "individual", "source": {"channel": "service"}});
    let zh = app.send("POST", "/api/v1/customers", Some(&w.manager), Some(bad_id.clone()), ZH).await.problem(422);
    let en = app.send("POST", "/api/v1/customers", Some(&w.manager), Some(bad_id), EN).await.problem(422);
    for p in [&zh, &en] {
        assert_eq!(
            (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
            (Some("national_id"), Some("checksum"))
        );
    }
    assert_eq!(zh.body["title"], "填写的内容有误");
    assert_eq!(zh.body["errors"][0]["message"], "身份证号校验码不正确（GB 11643）");
    assert_eq!(en.body["errors"][0]["message"], "the check character does not match (GB 11643)");

    // A length rule names the field's label and its bound, never the value sent.
    let long = json!({"name": "名".repeat(51), "customer_type": "individual", "source": {"channel": "service"}});
    let zh = app.send("POST", "/api/v1/customers", Some(&w.manager), Some(long), ZH).await.problem(422);
    assert_eq!(zh.body["errors"][0]["params"]["max"], 50, "{}", zh.body);
    assert!(zh.body["errors"][0]["params"].get("value").is_none());
    assert_eq!(zh.body["errors"][0]["message"], "姓名应为 1–50 个字符");

    // A conflict carries its code and parameters beside the words.
    let s1_code =
        json!({"kind": "subsidiary", "parent_id": app.group_id(&w.admin).await, "code": "S1", "name": "重复"});
    let zh = app.send("POST", "/api/v1/units", Some(&w.admin), Some(s1_code.clone()), ZH).await.problem(409);
    let en = app.send("POST", "/api/v1/units", Some(&w.admin), Some(s1_code), EN).await.problem(409);
    assert_eq!((zh.body["code"].as_str(), en.body["code"].as_str()), (Some("duplicate"), Some("duplicate")));
    assert_eq!(zh.body["detail"], "已存在相同唯一值的记录");
    assert_eq!(en.body["detail"], "a record with the same unique value exists");
    assert_eq!(en.header("content-type").as_deref(), Some("application/problem+json"));
}

async fn records_keep_codes(app: TestApp) {
    let w = world(&app).await;
    notice(&app, &w.compliance).await;
    let id = customer(&app, &w.manager, "李四", "13912345678").await;
    consent(&app, &w.agent, &id, "marketing_sms", true).await;
    let body = json!({"customer_id": id, "kind": "withdrawal", "details": "来电申请"});
    let req = app.post("/api/v1/privacy-requests", &w.agent, body).await.expect(201).body;
    let rid = req["id"].as_str().unwrap();
    let done = app
        .send(
            "POST",
            &format!("/api/v1/privacy-requests/{rid}/complete"),
            Some(&w.compliance),
            Some(json!({"note": "已电话确认"})),
            ZH,
        )
        .await
        .expect(200)
        .body;
    assert_eq!(done["outcome"], "已撤回 1 项同意；备注：已电话确认");
    let en = app
        .send("GET", &format!("/api/v1/privacy-requests/{rid}"), Some(&w.compliance), None, EN)
        .await
        .expect(200)
        .body;
    assert_eq!(en["outcome"], "1 consents withdrawn; note: 已电话确认");
    // What is stored is the code, its count and the person's note — no sentence in either language.
    let coded = format!(
        "UPDATE privacy_requests SET outcome = outcome WHERE id = '{rid}' AND outcome LIKE '%\"code\":\"consents_withdrawn\"%' AND outcome NOT LIKE '%withdrawn;%' AND outcome NOT LIKE '%已撤回%'"
    );
    assert_eq!(app.sql(&coded), 1);
}
