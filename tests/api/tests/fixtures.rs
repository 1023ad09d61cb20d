//! The world most scenarios start from — a group with three subsidiaries and S1's staff in every
//! role, and S2's manager — and the few calls nearly every domain's scenario makes (a privacy
//! notice, a customer, a consent). New domains add their fixtures here.

use serde_json::{json, Value};

use crate::helpers::TestApp;

pub struct World {
    pub admin: String,
    pub s1: String,
    pub s2: String,
    pub s3: String,
    pub agent: String,
    pub manager: String,
    pub compliance: String,
    pub auditor: String,
    pub other_manager: String,
}

pub async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let s3 = app.create_unit(&admin, &group, "subsidiary", "S3").await;
    let agent = app.user(&admin, "agent1", "agent", &s1).await.1;
    let manager = app.user(&admin, "manager1", "manager", &s1).await.1;
    let compliance = app.user(&admin, "compliance1", "compliance", &s1).await.1;
    let auditor = app.user(&admin, "auditor1", "auditor", &s1).await.1;
    let other_manager = app.user(&admin, "manager2", "manager", &s2).await.1;
    World { admin, s1, s2, s3, agent, manager, compliance, auditor, other_manager }
}

pub fn notice_body() -> Value {
    json!({
        "language": "zh-CN", "title": "个人信息保护告知书",
        "purposes": ["marketing_sms", "intra_group_sharing", "profiling"],
        "method": "电子化存储，加密处理", "scope": "姓名、手机号；集团内共享", "retention": "3 年",
        "body": "我们依据《个人信息保护法》处理您的个人信息……"
    })
}

pub async fn notice(app: &TestApp, compliance: &str) -> Value {
    app.post("/api/v1/privacy-notices", compliance, notice_body()).await.expect(201).body
}

pub async fn customer(app: &TestApp, token: &str, name: &str, mobile: &str) -> String {
    let body = json!({"name": name, "mobile": mobile, "customer_type": "individual", "source": {"channel": "service"}});
    app.post("/api/v1/customers", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

pub async fn consent(app: &TestApp, token: &str, customer: &str, purpose: &str, granted: bool) -> Value {
    let body = json!({"purpose": purpose, "granted": granted, "channel": "paper", "evidence": "form 2026-118"});
    app.post(&format!("/api/v1/customers/{customer}/consents"), token, body).await.expect(201).body
}
