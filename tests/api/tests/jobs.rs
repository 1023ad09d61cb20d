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
