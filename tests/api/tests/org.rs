//! Units, users, concurrency and unit scoping (another subsidiary's records answer 404).

use serde_json::json;

use crate::both;
use crate::helpers::TestApp;

async fn units_and_users_are_scoped(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let d1 = app.create_unit(&admin, &s1, "department", "S1-CS").await;
    app.post("/api/v1/units", &admin, json!({"parent_id": d1, "kind": "department", "code": "BAD", "name": "x"}))
        .await
        .problem(422);
    app.post("/api/v1/units", &admin, json!({"kind": "group", "code": "G2", "name": "x"})).await.problem(409);
    app.post("/api/v1/units", &admin, json!({"parent_id": group, "kind": "subsidiary", "code": "S1", "name": "dup"}))
        .await
        .problem(409);

    let (m1_id, m1) = app.user(&admin, "m1", "manager", &d1).await;
    let (m2_id, m2) = app.user(&admin, "m2", "manager", &s2).await;
    let (_, agent) = app.user(&admin, "a1", "agent", &d1).await;

    // A manager of S1 sees S1's people and units, and nothing of S2.
    let users = app.get("/api/v1/users", &m1).await.expect(200);
    let names: Vec<&str> =
        users.body["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"m1") && names.contains(&"a1"));
    assert!(!names.contains(&"m2") && !names.contains(&"admin"), "{names:?}");
    app.get(&format!("/api/v1/users/{m2_id}"), &m1).await.problem(404);
    app.get(&format!("/api/v1/units/{s2}"), &m1).await.problem(404);
    app.get(&format!("/api/v1/units/{s1}"), &m1).await.expect(200);
    app.get(&format!("/api/v1/users/{m1_id}"), &m2).await.problem(404);
    let units = app.get("/api/v1/units", &m1).await.expect(200);
    assert_eq!(units.body["items"].as_array().unwrap().len(), 2, "S1 and its department");

    // Roles: agents may not list users; managers may not create them.
    app.get("/api/v1/users", &agent).await.problem(403);
    app.post(
        "/api/v1/users",
        &m1,
        json!({"username": "x1", "display_name": "x", "password": "long-enough-pw", "role": "agent", "unit_id": d1}),
    )
    .await
    .problem(403);
    app.post("/api/v1/users", &admin, json!({"username": "bot", "display_name": "x", "password": "long-enough-pw", "role": "integration", "unit_id": d1}))
        .await
        .problem(422);
    app.post(
        "/api/v1/users",
        &admin,
        json!({"username": "m1", "display_name": "x", "password": "long-enough-pw", "role": "agent", "unit_id": d1}),
    )
    .await
    .problem(409);
}
both!(units_and_users_are_scoped, units_and_users_are_scoped);

async fn changes_need_the_current_version(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let path = format!("/api/v1/units/{s1}");
    let etag = app.get(&path, &admin).await.expect(200).header("etag").unwrap();
    assert_eq!(etag, "\"1\"");

    app.send("PATCH", &path, Some(&admin), Some(json!({"name": "Beijing"})), &[]).await.problem(428);
    app.send("PATCH", &path, Some(&admin), Some(json!({"name": "Beijing"})), &[("If-Match", "\"7\"")])
        .await
        .problem(412);
    // Server-set fields cannot be sent at all.
    for forged in [json!({"version": 9}), json!({"id": "x"}), json!({"path": "/"}), json!({"kind": "group"})] {
        app.send("PATCH", &path, Some(&admin), Some(forged), &[("If-Match", &etag)]).await.problem(422);
    }
    let r = app
        .send("PATCH", &path, Some(&admin), Some(json!({"name": "Beijing"})), &[("If-Match", &etag)])
        .await
        .expect(200);
    assert_eq!(r.body["name"], "Beijing");
    assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
    // The first writer won; a second writer holding the old version loses.
    app.send("PATCH", &path, Some(&admin), Some(json!({"name": "Peking"})), &[("If-Match", &etag)]).await.problem(412);
    assert_eq!(app.get(&path, &admin).await.body["name"], "Beijing");

    // Users: an admin cannot lock themselves out.
    let me = app.get("/api/v1/me", &admin).await.body["id"].as_str().unwrap().to_owned();
    let etag = app.get(&format!("/api/v1/users/{me}"), &admin).await.header("etag").unwrap();
    app.send(
        "PATCH",
        &format!("/api/v1/users/{me}"),
        Some(&admin),
        Some(json!({"active": false})),
        &[("If-Match", &etag)],
    )
    .await
    .problem(409);
}
both!(changes_need_the_current_version, changes_need_the_current_version);

async fn pagination_walks_every_row_once(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    for i in 0..7 {
        app.post(
            "/api/v1/users",
            &admin,
            json!({"username": format!("u{i}"), "display_name": "x", "password": "long-enough-pw", "role": "agent", "unit_id": group}),
        )
        .await
        .expect(201);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=3&cursor={c}"),
            None => "/api/v1/users?limit=3".to_owned(),
        };
        let page = app.get(&path, &admin).await.expect(200);
        for u in page.body["items"].as_array().unwrap() {
            seen.push(u["username"].as_str().unwrap().to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8, "admin + 7: {seen:?}");
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 8);
    let agents = app.get("/api/v1/users?role=agent&limit=500", &admin).await.expect(200);
    assert_eq!(agents.body["items"].as_array().unwrap().len(), 7);
}
both!(pagination_walks_every_row_once, pagination_walks_every_row_once);

async fn only_empty_units_can_be_deleted(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let d1 = app.create_unit(&admin, &s1, "department", "D1").await;
    app.user(&admin, "someone", "agent", &d1).await;
    app.send("DELETE", &format!("/api/v1/units/{s1}"), Some(&admin), None, &[]).await.problem(428);
    let r = app
        .send("DELETE", &format!("/api/v1/units/{s1}"), Some(&admin), None, &[("If-Match", "\"1\"")])
        .await
        .problem(409);
    assert_eq!((&r.body["code"], &r.body["params"]["children"]), (&json!("unit_not_empty"), &json!(1)));
    assert!(r.body["detail"].as_str().unwrap().contains("1 个下级单元"), "{}", r.body);
    app.send("DELETE", &format!("/api/v1/units/{d1}"), Some(&admin), None, &[("If-Match", "\"1\"")]).await.problem(409);
    app.send("DELETE", &format!("/api/v1/units/{group}"), Some(&admin), None, &[("If-Match", "\"1\"")])
        .await
        .problem(409);
    let empty = app.create_unit(&admin, &group, "subsidiary", "EMPTY").await;
    app.send("DELETE", &format!("/api/v1/units/{empty}"), Some(&admin), None, &[("If-Match", "\"2\"")])
        .await
        .problem(412);
    app.send("DELETE", &format!("/api/v1/units/{empty}"), Some(&admin), None, &[("If-Match", "\"1\"")])
        .await
        .expect(204);
    app.get(&format!("/api/v1/units/{empty}"), &admin).await.problem(404);
}
both!(only_empty_units_can_be_deleted, only_empty_units_can_be_deleted);
