//! B1-pg: the authenticated customer read on PostgreSQL against a bare handler running one
//! prepared single-row `SELECT` on the same pool (TechEmpower's "single query" shape), same
//! clients, windows alternating. `pgbench -S -M prepared` (PostgreSQL's own select-by-key
//! benchmark, no HTTP at all) is printed beside it as the database's ceiling; its tables live in
//! the bench database only while this figure runs.

use std::process::Command;
use std::rc::Rc;
use std::time::Duration;

use super::{load, Figure, Options, Target};

fn pgbench(args: &[&str], url: &str) -> Result<String, String> {
    let out = Command::new("pgbench")
        .args(args)
        .arg(url)
        .output()
        .map_err(|e| format!("pgbench is needed for B1-pg (Debian: postgresql-client): {e}"))?;
    if !out.status.success() {
        return Err(format!("pgbench {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Transactions per second of one select-only run.
async fn select_only(url: String, clients: usize, seconds: u64) -> Result<f64, String> {
    let (c, t) = (clients.to_string(), seconds.to_string());
    let out =
        actix_web::web::block(move || pgbench(&["-S", "-M", "prepared", "-n", "-c", &c, "-j", "2", "-T", &t], &url))
            .await
            .map_err(|e| e.to_string())??;
    out.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no tps in pgbench output: {out}"))
}

pub async fn figure(
    client: &awc::Client,
    opts: &Options,
    url: &str,
    candidate: Target,
    single_query: Target,
) -> Result<Figure, String> {
    let init = url.to_owned();
    actix_web::web::block(move || pgbench(&["-i", "-q", "-s", "1"], &init)).await.map_err(|e| e.to_string())??;
    let seconds = opts.seconds.ceil().max(1.0) as u64;
    let window = Duration::from_secs(seconds);
    let run = |t: &Target| load::throughput_over(client, Rc::clone(&t.0), t.1.clone(), opts.concurrency, window);
    let mut figure = Figure::new(
        "B1-pg",
        "GET /api/v1/customers/{id} vs a bare single-query handler on the same pool, same clients (throughput)",
        (0.45, true),
    );
    let _ = (run(&candidate).await, run(&single_query).await);
    let (mut cand, mut refs) = (vec![], vec![]);
    for i in 0..opts.pairs {
        let (a, b) = if i % 2 == 0 {
            let a = run(&candidate).await;
            (a, run(&single_query).await)
        } else {
            let b = run(&single_query).await;
            (run(&candidate).await, b)
        };
        figure.ratios.push(a / b.max(1.0));
        cand.push(a);
        refs.push(b);
    }
    let ceiling = select_only(url.to_owned(), opts.concurrency, seconds).await?;
    let drop = url.to_owned();
    actix_web::web::block(move || pgbench(&["-i", "-I", "d"], &drop)).await.map_err(|e| e.to_string())??;
    figure.detail = format!(
        "{:.0} vs {:.0} req/s; pgbench -S -M prepared {ceiling:.0} tps",
        load::median(&cand),
        load::median(&refs)
    );
    Ok(figure)
}
