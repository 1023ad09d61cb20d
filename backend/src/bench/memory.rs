//! B6: memory. A second server process of this binary on the same database and keys (servers are
//! stateless, so the bench's token works there): its resident memory when idle, and how much it
//! grows while it exports every customer of the manager's scope, against the size on disk of the
//! part of the customers table that export reads. A fresh process per run, so memory an earlier
//! run left with the allocator does not hide the growth.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::Figure;
use crate::db::DbConnection;
use crate::state::AppState;

const MIB: f64 = 1024.0 * 1024.0;

fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(settings: &crate::config::Settings, client: &awc::Client) -> Result<Server, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .arg("serve")
        .env("GUANXI_DATA_DIR", &settings.data_dir)
        .env("GUANXI_DATABASE_URL", &settings.database_url)
        .env("GUANXI_BIND", format!("127.0.0.1:{port}"))
        .env("GUANXI_LOG", "error")
        .env("GUANXI_STATIC_DIR", settings.data_dir.join("none"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start a second server: {e}"))?;
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    for _ in 0..400 {
        if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await {
            if r.status().is_success() {
                return Ok(server);
            }
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    Err("the second server did not become ready".into())
}

#[derive(QueryableByName)]
struct Bytes {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// A table's size on disk, without its indexes (`name` is one of ours, never input).
fn table_bytes(state: &AppState, name: &str) -> Result<f64, String> {
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let bytes = match &mut **conn {
        DbConnection::Postgres(c) => {
            diesel::sql_query(format!("SELECT pg_table_size('{name}') AS bytes")).get_result::<Bytes>(c)
        }
        DbConnection::Sqlite(c) => {
            diesel::sql_query(format!("SELECT CAST(SUM(pgsize) AS BIGINT) AS bytes FROM dbstat WHERE name = '{name}'"))
                .get_result::<Bytes>(c)
        }
    }
    .map_err(|e| format!("table size: {e}"))?;
    Ok(bytes.bytes as f64)
}

/// The customers table's size on disk (without its indexes) and its row count.
fn table(state: &AppState) -> Result<(f64, i64), String> {
    let bytes = table_bytes(state, "customers")?;
    let mut conn = state.db.get().map_err(|e| e.to_string())?;
    let rows: i64 = crate::db::schema::customers::table.count().get_result(&mut **conn).map_err(|e| e.to_string())?;
    Ok((bytes, rows))
}

async fn job_status(client: &awc::Client, url: &str, auth: &str) -> Result<serde_json::Value, String> {
    let mut res = client.get(url).insert_header(("Authorization", auth)).send().await.map_err(|e| e.to_string())?;
    res.json().await.map_err(|e| e.to_string())
}

/// One export: (idle RSS, peak growth, rows exported).
async fn run_once(state: &AppState, client: &awc::Client, auth: &str) -> Result<(f64, f64, i64), String> {
    let body = serde_json::json!({"format": "csv"});
    let (idle, grew, result) = job_once(state, client, auth, "/api/v1/customers/exports", &body).await?;
    Ok((idle, grew, result["rows"].as_i64().unwrap_or(0)))
}

/// One job in a fresh server: (idle RSS, peak growth while it ran, its result).
async fn job_once(
    state: &AppState,
    client: &awc::Client,
    auth: &str,
    path: &str,
    body: &serde_json::Value,
) -> Result<(f64, f64, serde_json::Value), String> {
    let server = start(&state.settings, client).await?;
    let pid = server.child.id();
    actix_web::rt::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_bytes(pid).ok_or("no /proc/PID/status (B6 needs Linux)")? as f64;
    let peak = Arc::new(AtomicU64::new(idle as u64));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(r) = rss_bytes(pid) {
                    peak.fetch_max(r, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let started =
        client.post(format!("{}{path}", server.base)).insert_header(("Authorization", auth)).send_json(body).await;
    let job: serde_json::Value = match started {
        Ok(mut r) => r.json().await.map_err(|e| e.to_string())?,
        Err(e) => return Err(e.to_string()),
    };
    let url = format!("{}/api/v1/jobs/{}", server.base, job["id"].as_str().unwrap_or_default());
    let finished = loop {
        let j = job_status(client, &url, auth).await?;
        if j["status"] == "succeeded" || j["status"] == "failed" {
            break j;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    if finished["status"] != "succeeded" {
        return Err(format!("the job of {path} failed: {}", finished["error"]));
    }
    Ok((idle, peak.load(Ordering::Relaxed) as f64 - idle, finished["result"].clone()))
}

/// B6t: memory growth of a fresh server while it runs and applies a tiering over every customer,
/// against the size on disk of the scores it writes (`tier_scores`, one run's worth after it).
pub async fn tiering(state: &AppState, client: &awc::Client, token: &str, runs: usize) -> Result<Figure, String> {
    let auth = format!("Bearer {token}");
    let mut growth = Figure::new(
        "B6t",
        "server memory growth during a tiering run ÷ size on disk of the scores it writes",
        (1.0, false),
    );
    let mut last = (0.0, 0.0, 0);
    for _ in 0..runs.max(1) {
        let body = serde_json::json!({"dry_run": false});
        let (_, grew, result) = job_once(state, client, &auth, "/api/v1/tiers/runs", &body).await?;
        let scores = table_bytes(state, "tier_scores")?;
        growth.ratios.push(grew / scores.max(1.0));
        last = (grew, scores, result["scored"].as_i64().unwrap_or(0));
    }
    growth.detail = format!(
        "last run: +{:.1} MiB scoring {} customers into {:.1} MiB of scores",
        last.0 / MIB,
        last.2,
        last.1 / MIB
    );
    Ok(growth)
}

/// B6 (growth ÷ the table share the export read) and B6i (idle RSS in MiB).
pub async fn figures(state: &AppState, client: &awc::Client, token: &str, runs: usize) -> Result<Vec<Figure>, String> {
    let auth = format!("Bearer {token}");
    let (table_bytes, total_rows) = table(state)?;
    let mut growth =
        Figure::new("B6", "server memory growth during a CSV export ÷ size on disk of the rows it reads", (1.0, false));
    let mut idle =
        Figure::new("B6i", "idle resident memory of a server on the seeded database (MiB; floor 50)", (50.0, false));
    let mut last = (0.0, 0.0, 0);
    for _ in 0..runs.max(1) {
        let (rss, grew, rows) = run_once(state, client, &auth).await?;
        let share = table_bytes * rows as f64 / total_rows.max(1) as f64;
        growth.ratios.push(grew / share.max(1.0));
        idle.ratios.push(rss / MIB);
        last = (grew, share, rows);
    }
    growth.detail = format!(
        "last run: +{:.1} MiB exporting {} rows, whose share of the table is {:.1} MiB",
        last.0 / MIB,
        last.2,
        last.1 / MIB
    );
    idle.detail = format!("table {:.1} MiB, {} customers", table_bytes / MIB, total_rows);
    Ok(vec![growth, idle])
}
