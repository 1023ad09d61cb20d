//! A small closed-loop load generator on awc: N clients each send the next request as soon as
//! the previous one answered.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use awc::Client;

pub fn client(connections: usize) -> Client {
    Client::builder().connector(awc::Connector::new().limit(connections)).timeout(Duration::from_secs(30)).finish()
}

pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Successful requests per second over `window`.
pub async fn throughput(client: &Client, url: &str, auth: Option<String>, clients: usize, window: Duration) -> f64 {
    throughput_over(client, Rc::new(vec![url.to_owned()]), auth, clients, window).await
}

/// The same, cycling through `urls` (e.g. random ids) so caches see realistic variety.
pub async fn throughput_over(
    client: &Client,
    urls: Rc<Vec<String>>,
    auth: Option<String>,
    clients: usize,
    window: Duration,
) -> f64 {
    let ok = Rc::new(Cell::new(0u64));
    let started = Instant::now();
    let deadline = started + window;
    let mut tasks = Vec::new();
    for t in 0..clients {
        let (client, urls, auth, ok) = (client.clone(), urls.clone(), auth.clone(), ok.clone());
        tasks.push(actix_web::rt::spawn(async move {
            let mut i = t * 7919;
            while Instant::now() < deadline {
                i += 1;
                let mut req = client.get(&urls[i % urls.len()]);
                if let Some(a) = &auth {
                    req = req.insert_header(("Authorization", a.as_str()));
                }
                if let Ok(mut res) = req.send().await {
                    if res.body().await.is_ok() && res.status().is_success() {
                        ok.set(ok.get() + 1);
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    ok.get() as f64 / started.elapsed().as_secs_f64()
}

pub async fn login(client: &Client, base: &str, username: &str, password: &str) -> Result<(String, String), String> {
    let mut res = client
        .post(format!("{base}/api/v1/auth/login"))
        .send_json(&serde_json::json!({"username": username, "password": password}))
        .await
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
    match (body["access_token"].as_str(), body["refresh_token"].as_str()) {
        (Some(a), Some(r)) => Ok((a.to_owned(), r.to_owned())),
        _ => Err(format!("login failed: {body}")),
    }
}

/// `clients` loops of logins for `window`; resolves to the number of logins served.
pub fn login_storm(
    client: &Client,
    base: &str,
    username: &str,
    password: &str,
    clients: usize,
    window: Duration,
) -> impl std::future::Future<Output = u64> {
    let deadline = Instant::now() + window;
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, base, u, p) = (client.clone(), base.to_owned(), username.to_owned(), password.to_owned());
            actix_web::rt::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    if login(&client, &base, &u, &p).await.is_ok() {
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    async move {
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap_or(0);
        }
        total
    }
}

/// Open-loop load: a request every `1 / rate` seconds for `window`, whether or not earlier ones
/// answered (so queueing shows in the latencies, unlike a closed loop). Returns the latency of
/// each answered request, in seconds, and how many failed.
pub async fn latencies_at(
    client: &Client,
    urls: Rc<Vec<String>>,
    auth: Option<String>,
    rate: f64,
    window: Duration,
) -> (Vec<f64>, usize) {
    let interval = Duration::from_secs_f64(1.0 / rate.max(1.0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    let mut i = 0usize;
    while started.elapsed() < window {
        let due = started + interval * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            actix_web::rt::time::sleep(wait).await;
        }
        let mut req = client.get(&urls[i % urls.len()]);
        if let Some(a) = &auth {
            req = req.insert_header(("Authorization", a.as_str()));
        }
        tasks.push(actix_web::rt::spawn(async move {
            let t = Instant::now();
            let mut res = req.send().await.ok()?;
            let ok = res.status().is_success() && res.body().await.is_ok();
            ok.then(|| t.elapsed().as_secs_f64())
        }));
        i += 1;
    }
    let (mut ok, mut failed) = (Vec::with_capacity(tasks.len()), 0);
    for t in tasks {
        match t.await {
            Ok(Some(l)) => ok.push(l),
            _ => failed += 1,
        }
    }
    (ok, failed)
}

/// The `q` quantile (0–1) of `values`.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * q).round() as usize]
}
