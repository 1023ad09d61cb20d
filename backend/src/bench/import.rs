//! B5: a CSV import through the API and the job (parse, validate, dedupe, encrypt, insert, audit,
//! events) vs the database's own bulk loader writing the same rows into the same tables, with the
//! same indexes, in the same state: `psql \copy`, or on SQLite one set-based INSERT per file
//! (see `reload` for why not `sqlite3 .import`).
//!
//! Each pair imports new people through the API, exports the rows that import wrote (customers,
//! owners, tags, change events; SQLite's search index follows by trigger), deletes them, and times
//! the database loading that export back. The reference therefore does everything except
//! what the product adds (reading the upload, validation, encryption, blind indexes, duplicate
//! checks, progress, audit), and ends in the state the import ended in; both load into tables that
//! already hold the seeded customers. The reload is checked to give back exactly the exported rows.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{load, Figure};
use crate::db::{DbConnection, DbPool};
use crate::demo_customers::csv_file;
use crate::state::AppState;

/// The tables an import writes, each with the column that ties its rows to the new customers
/// (UUIDv7 ids, so "created after the mark" is `> mark`).
const TABLES: [(&str, &str); 4] = [
    ("customers", "id"),
    ("customer_owners", "customer_id"),
    ("customer_tags", "customer_id"),
    ("outbox", "aggregate_id"),
];

struct Loader {
    url: String,
    pg: bool,
    scratch: PathBuf,
}

impl Loader {
    /// Runs a script in `sqlite3` or `psql`, stopping at the first error.
    fn cli(&self, script: &str) -> Result<(), String> {
        let mut cmd = if self.pg {
            let mut c = Command::new("psql");
            c.args([self.url.as_str(), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-f", "-"]);
            c
        } else {
            let mut c = Command::new("sqlite3");
            c.args(["-bail", "-batch", crate::db::parse_url(&self.url).1.as_str()]);
            c
        };
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("reference loader not found ({e}); install sqlite3 / psql"))?;
        child.stdin.take().ok_or("no stdin")?.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
        let status = child.wait().map_err(|e| e.to_string())?;
        status.success().then_some(()).ok_or_else(|| format!("reference loader failed: {status}"))
    }

    fn file(&self, table: &str, pair: usize, round: &str) -> PathBuf {
        self.scratch.join(format!("b5-{pair}-{table}-{round}.csv"))
    }

    /// Writes the rows of each table created after `mark` to CSV files, in a stable order.
    fn export(&self, mark: &str, pair: usize, round: &str) -> Result<Vec<PathBuf>, String> {
        let mut script = String::from(if self.pg { "" } else { ".mode csv\n.headers off\n" });
        let mut files = vec![];
        for (table, key) in TABLES {
            let file = self.file(table, pair, round);
            let select = format!("SELECT * FROM {table} WHERE {key} > '{mark}' ORDER BY 1, 2");
            script += &if self.pg {
                format!("\\copy ({select}) TO '{}' CSV\n", file.display())
            } else {
                format!(".output {}\n{select};\n", file.display())
            };
            files.push(file);
        }
        self.cli(&script)?;
        Ok(files)
    }

    /// The reference, one transaction. PostgreSQL: `psql \copy` of each file. SQLite: Debian's
    /// sqlite3 3.40 cannot write the FTS5 name index of the SQLite 3.5x the server is built with
    /// (secure-delete format), so the tool itself cannot load these tables; instead, on a
    /// connection of its own and with that library, each file goes in as one set-based statement,
    /// `INSERT … SELECT value->>0, … FROM json_each(?)` over the file's rows (faster than the
    /// row-by-row loop of `.import`, so the stricter reference).
    fn reload(&self, files: &[PathBuf]) -> Result<f64, String> {
        let t = Instant::now();
        if self.pg {
            let mut script = String::from("BEGIN;\n");
            for ((table, _), file) in TABLES.iter().zip(files) {
                script += &format!("\\copy {table} FROM '{}' CSV\n", file.display());
            }
            self.cli(&(script + "COMMIT;\n"))?;
        } else {
            sqlite_import(&crate::db::parse_url(&self.url).1, files).map_err(|e| e.to_string())?;
        }
        Ok(t.elapsed().as_secs_f64())
    }
}

fn sqlite_import(path: &str, files: &[PathBuf]) -> Result<(), Box<dyn std::error::Error>> {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, RunQueryDsl};
    let mut conn = diesel::SqliteConnection::establish(path)?;
    conn.batch_execute(
        "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -131072;",
    )?;
    conn.transaction(|c| {
        for ((table, _), file) in TABLES.iter().zip(files) {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(file)?;
            let mut rows: Vec<Vec<Option<String>>> = vec![];
            for record in reader.records() {
                rows.push(record?.iter().map(|f| (!f.is_empty()).then(|| f.to_owned())).collect());
            }
            let Some(width) = rows.first().map(Vec::len) else { continue };
            let values: Vec<String> = (0..width).map(|i| format!("value->>{i}")).collect();
            diesel::sql_query(format!("INSERT INTO {table} SELECT {} FROM json_each(?)", values.join(", ")))
                .bind::<diesel::sql_types::Text, _>(serde_json::to_string(&rows)?)
                .execute(c)?;
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}

/// Deletes what the import wrote after `mark` (children first; SQLite's search rows go by trigger).
fn delete_after(db: &DbPool, pg: bool, mark: &str) -> Result<(), String> {
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let script: String = TABLES.iter().rev().map(|(t, k)| format!("DELETE FROM {t} WHERE {k} > '{mark}';")).collect();
    let run = |conn: &mut DbConnection, sql: &str| {
        diesel::connection::SimpleConnection::batch_execute(conn, sql).map_err(|e| e.to_string())
    };
    run(&mut conn, &format!("BEGIN; {script} COMMIT;"))?;
    if pg {
        // Dead rows would otherwise stay in the tables and indexes the reference loads into.
        run(&mut conn, "VACUUM (ANALYZE) customers, customer_owners, customer_tags, outbox")?;
    }
    Ok(())
}

/// Uploads `csv` as the manager and runs the job in this process; seconds until it finished.
async fn candidate(
    state: &actix_web::web::Data<AppState>,
    client: &awc::Client,
    base: &str,
    token: &str,
    csv: String,
) -> Result<f64, String> {
    let t = Instant::now();
    let mut res = client
        .post(format!("{base}/api/v1/customers/imports?source_channel=sales"))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .insert_header(("Content-Type", "text/csv"))
        .send_body(csv)
        .await
        .map_err(|e| e.to_string())?;
    if res.status().as_u16() != 202 {
        return Err(format!("import refused: {} {:?}", res.status(), res.body().await));
    }
    while crate::jobs::runner::run_one(state.clone(), crate::job_kinds::ALL, "bench".into())
        .await
        .map_err(|e| e.to_string())?
    {}
    Ok(t.elapsed().as_secs_f64())
}

fn same_files(a: &Path, b: &Path) -> Result<bool, String> {
    Ok(std::fs::read(a).map_err(|e| e.to_string())? == std::fs::read(b).map_err(|e| e.to_string())?)
}

pub async fn figure(
    state: &actix_web::web::Data<AppState>,
    client: &awc::Client,
    base: &str,
    token: &str,
    rows: u64,
    pairs: usize,
    scratch: &Path,
) -> Result<Figure, String> {
    let url = state.settings.database_url.clone();
    let pg = url.starts_with("postgres");
    let loader = Loader { url, pg, scratch: scratch.to_path_buf() };
    let (mut ratios, mut cand, mut refs) = (vec![], vec![], vec![]);
    for pair in 0..pairs {
        // New people each time: a file already imported would be skipped as existing, cheaply.
        let csv = csv_file(rows, 50_000_000 + pair as u64 * rows);
        let mark = crate::db::new_id();
        let a = candidate(state, client, base, token, csv).await?;
        let written = loader.export(&mark, pair, "import")?;
        let db = state.db.clone();
        let m = mark.clone();
        actix_web::web::block(move || delete_after(&db, pg, &m)).await.map_err(|e| e.to_string())??;
        let b = loader.reload(&written)?;
        for (file, again) in written.iter().zip(loader.export(&mark, pair, "reload")?) {
            if !same_files(file, &again)? {
                return Err(format!("the reference did not reload the same rows into {}", file.display()));
            }
        }
        cand.push(a);
        refs.push(b);
        ratios.push(a / b);
    }
    Ok(Figure {
        id: "B5",
        what: if pg {
            "CSV import via API + job vs psql \\copy of the same rows into the same tables (time)"
        } else {
            "CSV import via API + job vs one INSERT … json_each per file of the same rows into the same tables (time)"
        },
        ratios,
        floor: (if pg { 2.5 } else { 1.5 }, false),
        detail: format!(
            "{rows} rows: {:.2} s ({:.0} rows/s) vs {:.2} s",
            load::median(&cand),
            rows as f64 / load::median(&cand),
            load::median(&refs)
        ),
    })
}
