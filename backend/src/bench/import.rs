//! B5: a CSV import through the API and the job (parse, validate, dedupe, encrypt, insert, audit,
//! events) vs the database's own bulk loader reading the same file into a table of its columns:
//! `sqlite3 .import` or `psql \copy`.

use std::process::Command;
use std::time::Instant;

use super::{load, Figure};
use crate::demo_customers::{csv_file, CSV_HEADER};
use crate::state::AppState;

/// Runs the loader on `file`; seconds (process start included, as a user would run it).
fn reference(database_url: &str, file: &std::path::Path, scratch: &std::path::Path) -> Result<f64, String> {
    let columns: Vec<String> = CSV_HEADER.split(',').map(|c| format!("{c} TEXT")).collect();
    // The same indexes the customers table keeps for these values (name; mobile, email and
    // national id through their blind indexes). SQLite's .import fills columns in file order, so
    // its row id is the implicit rowid.
    let pg = database_url.starts_with("postgres");
    let create = format!(
        "CREATE TABLE b5_import ({}{}); CREATE INDEX b5_name ON b5_import(name); \
         CREATE INDEX b5_mobile ON b5_import(mobile); CREATE INDEX b5_email ON b5_import(email); \
         CREATE INDEX b5_nid ON b5_import(national_id);",
        if pg { "id BIGSERIAL PRIMARY KEY, " } else { "" },
        columns.join(", ")
    );
    let t = Instant::now();
    let status = if pg {
        Command::new("psql")
            .args([database_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", "DROP TABLE IF EXISTS b5_import", "-c", &create])
            .arg("-c")
            .arg(format!("\\copy b5_import ({}) FROM '{}' CSV HEADER", CSV_HEADER, file.display()))
            .status()
    } else {
        let db = scratch.join(format!("b5-{}.db", crate::db::new_id()));
        Command::new("sqlite3")
            .arg(&db)
            .arg(&create)
            .arg(".mode csv")
            .arg(format!(".import --skip 1 {} b5_import", file.display()))
            .status()
    };
    let secs = t.elapsed().as_secs_f64();
    match status {
        Ok(s) if s.success() => Ok(secs),
        Ok(s) => Err(format!("reference loader failed: {s}")),
        Err(e) => Err(format!("reference loader not found ({e}); install sqlite3 / psql")),
    }
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
    while crate::jobs::runner::run_one(state.clone(), "bench".into()).await.map_err(|e| e.to_string())? {}
    Ok(t.elapsed().as_secs_f64())
}

pub async fn figure(
    state: &actix_web::web::Data<AppState>,
    client: &awc::Client,
    base: &str,
    token: &str,
    rows: u64,
    pairs: usize,
    scratch: &std::path::Path,
) -> Result<Figure, String> {
    let url = state.settings.database_url.clone();
    let pg = url.starts_with("postgres");
    let (mut ratios, mut cand, mut refs) = (vec![], vec![], vec![]);
    for pair in 0..pairs {
        // New people each time: a file already imported would be skipped as existing, cheaply.
        let csv = csv_file(rows, 50_000_000 + pair as u64 * rows);
        let file = scratch.join(format!("b5-{pair}.csv"));
        std::fs::write(&file, &csv).map_err(|e| e.to_string())?;
        let (a, b) = if pair % 2 == 0 {
            let a = candidate(state, client, base, token, csv).await?;
            (a, reference(&url, &file, scratch)?)
        } else {
            let b = reference(&url, &file, scratch)?;
            (candidate(state, client, base, token, csv).await?, b)
        };
        cand.push(a);
        refs.push(b);
        ratios.push(a / b);
    }
    Ok(Figure {
        id: "B5",
        what: if pg {
            "CSV import via API + job vs psql \\copy (time)"
        } else {
            "CSV import via API + job vs sqlite3 .import (time)"
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
