use std::time::Duration;

use crate::both;
use crate::helpers::TestApp;

async fn verification_job_reports_progress(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, auditor) = app.user(&admin, "aud1", "auditor", &s1).await;
    let (_, other) = app.user(&admin, "aud2", "auditor", &s2).await;

    let started = app.send("POST", "/api/v1/audit/verifications", Some(&auditor), None, &[]).await.expect(202);
    let location = started.header("location").unwrap();
    assert!(location.starts_with("/api/v1/jobs/"));
    let mut job = started.body;
    for _ in 0..100 {
        if job["status"] == "succeeded" || job["status"] == "failed" {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        job = app.get(&location, &auditor).await.expect(200).body;
    }
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"]["ok"], true);
    assert_eq!(job["done"], job["total"]);
    assert!(job["done"].as_i64().unwrap() >= 5);

    // Another subsidiary's auditor cannot see it; nor can a missing id be told apart.
    app.get(&location, &other).await.problem(404);
    app.get("/api/v1/jobs/no-such-job", &auditor).await.problem(404);
}
both!(verification_job_reports_progress, verification_job_reports_progress);

/// Several runners claiming at once (as several servers would) never take the same job.
async fn concurrent_claims_never_share_a_job(app: TestApp) {
    use guanxi::jobs::store;
    let db = app.state.db.clone();
    let mut conn = db.get().unwrap();
    let mut queued = Vec::new();
    for _ in 0..40 {
        queued.push(store::enqueue(&mut conn, "test.noop", &serde_json::json!({}), None, None).unwrap().id);
    }
    drop(conn);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut conn = db.get().unwrap();
                let mut mine = Vec::new();
                loop {
                    let claimed = guanxi::db::transaction(&mut conn, |c| {
                        store::claim(c, &format!("w{w}"), chrono::TimeDelta::seconds(60))
                    })
                    .unwrap();
                    match claimed {
                        Some(job) => mine.push(job.id),
                        None => break mine,
                    }
                }
            })
        })
        .collect();
    let mut all: Vec<String> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    all.sort();
    let claimed = all.len();
    all.dedup();
    assert_eq!(all.len(), claimed, "a job was claimed twice");
    queued.sort();
    assert_eq!(all, queued, "every job was claimed");
}

#[actix_web::test]
async fn concurrent_claims_never_share_a_job_sqlite() {
    concurrent_claims_never_share_a_job(TestApp::start(crate::helpers::Db::Sqlite, &[("GUANXI_JOBS", "false")]).await)
        .await
}

#[actix_web::test]
async fn concurrent_claims_never_share_a_job_postgres() {
    concurrent_claims_never_share_a_job(TestApp::start(crate::helpers::Db::Postgres, &[("GUANXI_JOBS", "false")]).await)
        .await
}

/// PostgreSQL's statement timeout on this connection (None on SQLite, which has none).
fn statement_timeout(conn: &mut guanxi::db::DbConnection) -> Option<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement_timeout: String,
    }
    match conn {
        guanxi::db::DbConnection::Postgres(c) => {
            Some(diesel::sql_query("SHOW statement_timeout").get_result::<Setting>(c).unwrap().statement_timeout)
        }
        guanxi::db::DbConnection::Sqlite(_) => None,
    }
}

static TIMEOUT_KINDS: [guanxi::jobs::JobKind; 1] = [guanxi::jobs::JobKind {
    name: "test.timeout",
    run: |conn, _, _, _| Ok(serde_json::json!({ "timeout": statement_timeout(conn) })),
    schedule: None,
}];

/// A job runs without the requests' 30 s statement timeout (a tiering run takes minutes at a
/// million customers on PostgreSQL); its connection has the timeout back afterwards.
async fn jobs_run_without_the_statement_timeout(app: TestApp) {
    use guanxi::jobs::store;
    let mut conn = app.state.db.get().unwrap();
    let postgres = matches!(&mut **conn, guanxi::db::DbConnection::Postgres(_));
    let id = store::enqueue(&mut conn, "test.timeout", &serde_json::json!({}), None, None).unwrap().id;
    drop(conn);
    let ran = guanxi::jobs::runner::run_one(app.state.clone(), &TIMEOUT_KINDS, "w1".into()).await.unwrap();
    assert!(ran);
    let mut conn = app.state.db.get().unwrap();
    let job = store::get(&mut conn, &id).unwrap().unwrap();
    let result: serde_json::Value = serde_json::from_str(job.result.as_deref().unwrap()).unwrap();
    let expected = if postgres { serde_json::json!("0") } else { serde_json::Value::Null };
    assert_eq!(result["timeout"], expected, "{result}");
    // Every connection the pool hands out afterwards has the timeout again.
    for _ in 0..3 {
        let mut c = app.state.db.get().unwrap();
        assert_eq!(statement_timeout(&mut c), postgres.then(|| "30s".to_owned()));
    }
}

#[actix_web::test]
async fn jobs_run_without_the_statement_timeout_sqlite() {
    jobs_run_without_the_statement_timeout(
        TestApp::start(crate::helpers::Db::Sqlite, &[("GUANXI_JOBS", "false")]).await,
    )
    .await
}

#[actix_web::test]
async fn jobs_run_without_the_statement_timeout_postgres() {
    jobs_run_without_the_statement_timeout(
        TestApp::start(crate::helpers::Db::Postgres, &[("GUANXI_JOBS", "false")]).await,
    )
    .await
}
