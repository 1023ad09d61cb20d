//! Backups (PRV-6). SQLite: `VACUUM INTO` writes a consistent copy while the server keeps
//! serving (one read transaction); `verify` opens a copy read-only and checks the file's
//! integrity and the audit chain; `restore` verifies, then puts the copy in place of a database
//! that does not exist yet (a fresh data dir). PostgreSQL is backed up with `pg_dump` (see
//! docs/OPERATIONS.md). Keys are not in the database: back up the keys directory separately.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::{parse_url, Backend, DbConnection};

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

fn sqlite_path(database_url: &str) -> Result<String, String> {
    match parse_url(database_url) {
        (Backend::Sqlite, path) => Ok(path),
        (Backend::Postgres, _) => {
            Err("PostgreSQL: use `pg_dump --format=custom` and `pg_restore` (docs/OPERATIONS.md, Backups)".into())
        }
    }
}

/// Writes a consistent copy of the live SQLite database to `target` (which must not exist).
pub fn backup(database_url: &str, target: &Path) -> Result<(), String> {
    let source = sqlite_path(database_url)?;
    if target.exists() {
        return Err(format!("{} exists; choose a new file", target.display()));
    }
    let mut conn = SqliteConnection::establish(&source).map_err(|e| format!("cannot open {source}: {e}"))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;").map_err(|e| e.to_string())?;
    let quoted = target.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{quoted}'"))
        .execute(&mut conn)
        .map_err(|e| format!("backup failed: {e}"))?;
    Ok(())
}

/// What a verified backup holds.
#[derive(Debug)]
pub struct Report {
    pub audit_entries: i64,
    pub customers: i64,
}

/// Opens a backup read-only: SQLite's integrity check, then the audit hash chain end to end, held
/// against a signed checkpoint (its seq and hash) when one is given.
pub fn verify(file: &Path, checkpoint: Option<(i64, String)>) -> Result<Report, String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let uri = format!("file:{}?mode=ro", file.to_string_lossy());
    let raw = SqliteConnection::establish(&uri).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let mut conn = DbConnection::Sqlite(raw);
    let checks: Vec<Check> = match &mut conn {
        DbConnection::Sqlite(c) => diesel::sql_query("PRAGMA integrity_check").load(c),
        DbConnection::Postgres(_) => unreachable!("opened as SQLite"),
    }
    .map_err(|e| format!("not a Guanxi SQLite database: {e}"))?;
    if checks.iter().any(|c| c.integrity_check != "ok") {
        let first = checks.first().map(|c| c.integrity_check.clone()).unwrap_or_default();
        return Err(format!("integrity check failed: {first}"));
    }
    let chain =
        crate::audit::service::verify(&mut conn, checkpoint, |_, _| Ok(())).map_err(|e| format!("audit log: {e}"))?;
    if !chain.ok {
        return Err(format!(
            "audit chain broken at entry {}: {}",
            chain.first_broken_seq.unwrap_or_default(),
            chain.reason.unwrap_or_default()
        ));
    }
    let customers = crate::db::schema::customers::table
        .filter(crate::db::schema::customers::deleted_at.is_null())
        .count()
        .get_result(&mut conn)
        .map_err(|e| format!("not a Guanxi database: {e}"))?;
    Ok(Report { audit_entries: chain.checked, customers })
}

/// Verifies `file`, then copies it to the configured database path, which must not exist yet.
pub fn restore(database_url: &str, file: &Path) -> Result<Report, String> {
    let target = sqlite_path(database_url)?;
    let report = verify(file, None)?;
    let target = Path::new(&target);
    if target.exists() {
        return Err(format!("{} exists; restore into a fresh data directory", target.display()));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::copy(file, target).map_err(|e| format!("cannot copy to {}: {e}", target.display()))?;
    Ok(report)
}
