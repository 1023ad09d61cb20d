//! Backups (SQLite; PostgreSQL uses pg_dump): a copy taken while serving verifies, a tampered
//! copy does not, and a restore into a fresh data dir serves the same customers with an intact
//! audit chain.

use diesel::prelude::*;

use crate::fixtures::{customer, world};
use crate::helpers::{Db, TestApp};

#[actix_web::test]
async fn backup_verify_and_restore() {
    let app = TestApp::start(Db::Sqlite, &[]).await;
    let w = world(&app).await;
    let id = customer(&app, &w.manager, "孙十", "13500005555").await;
    let dir = std::env::temp_dir().join(format!("guanxi-backup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("copy.db");
    let url = app.state.settings.database_url.clone();

    guanxi::backup::backup(&url, &file).expect("backup while serving");
    assert!(guanxi::backup::backup(&url, &file).unwrap_err().contains("exists"), "never overwrites");
    let report = guanxi::backup::verify(&file, None).expect("the copy verifies");
    assert_eq!(report.customers, 1);
    assert!(report.audit_entries > 5);

    // A copy whose audit log was edited is refused.
    let tampered = dir.join("tampered.db");
    std::fs::copy(&file, &tampered).unwrap();
    let mut raw = diesel::SqliteConnection::establish(&tampered.to_string_lossy()).unwrap();
    diesel::sql_query("UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 3").execute(&mut raw).unwrap();
    drop(raw);
    let err = guanxi::backup::verify(&tampered, None).unwrap_err();
    assert!(err.contains("audit chain broken at entry 3"), "{err}");
    let garbage = dir.join("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just bytes").unwrap();
    assert!(guanxi::backup::verify(&garbage, None).is_err());

    // Restore into a fresh data dir with the original keys: the same customer, readable.
    let fresh = dir.join("restored");
    std::fs::create_dir_all(fresh.join("keys")).unwrap();
    for k in ["signing.key", "field.key", "blind-index.key"] {
        std::fs::copy(app.data_dir.join("keys").join(k), fresh.join("keys").join(k)).unwrap();
    }
    let target = fresh.join("guanxi.db").to_string_lossy().into_owned();
    guanxi::backup::restore(&target, &file).expect("restore");
    assert!(guanxi::backup::restore(&target, &file).unwrap_err().contains("exists"), "never over a live database");
    let restored = TestApp::start_in(fresh, Db::Sqlite, &[]).await;
    let (manager, _) = restored.login("manager1", "user-test-password").await;
    let got = restored.get(&format!("/api/v1/customers/{id}"), &manager).await.expect(200).body;
    assert_eq!(got["name"], "孙十");
    assert_eq!(got["mobile"], "135****5555", "decrypts with the backed-up keys");
    let auditor = restored.login("auditor1", "user-test-password").await.0;
    assert_eq!(restored.get("/api/v1/audit/verify", &auditor).await.expect(200).body["ok"], true);
    let _ = std::fs::remove_dir_all(&dir);
}
