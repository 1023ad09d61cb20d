//! `guanxi bench`: performance as ratios against references measured in the same run
//! (shared/design/PERFORMANCE.md). Candidate and reference alternate, A B A B …; each figure is
//! the median of the per-pair ratios, with min and max. Exits non-zero when a floor is missed.

pub mod bare;
mod import;
mod load;
mod memory;
mod pgbench;
mod search;
mod segments;
mod tickets;
mod tiers;

use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::auth::password;
use crate::config::Settings;
use crate::startup::Application;
use crate::state::BenchMode;

pub struct Options {
    pub database_url: Option<String>,
    /// Kept afterwards when given (reused by a later run); else a fresh one, removed.
    pub data_dir: Option<std::path::PathBuf>,
    pub pairs: usize,
    pub seconds: f64,
    pub concurrency: usize,
    /// Synthetic customers to seed for the customer figures (0 skips them).
    pub customers: u64,
    /// Rows per import for B5 (0 skips it).
    pub import_rows: u64,
    /// Figure ids to measure (empty: all).
    pub only: Vec<String>,
}

impl Options {
    fn wants(&self, figure: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|f| f.eq_ignore_ascii_case(figure))
    }
}

struct Figure {
    id: &'static str,
    what: &'static str,
    ratios: Vec<f64>,
    /// (floor, true when the ratio must be at least the floor; false: at most)
    floor: (f64, bool),
    detail: String,
}

impl Figure {
    fn new(id: &'static str, what: &'static str, floor: (f64, bool)) -> Figure {
        Figure { id, what, ratios: vec![], floor, detail: String::new() }
    }

    fn median(&self) -> f64 {
        let mut r = self.ratios.clone();
        r.sort_by(f64::total_cmp);
        let n = r.len();
        if n % 2 == 1 {
            r[n / 2]
        } else {
            (r[n / 2 - 1] + r[n / 2]) / 2.0
        }
    }

    fn passes(&self) -> bool {
        let m = self.median();
        if self.floor.1 {
            m >= self.floor.0
        } else {
            m <= self.floor.0
        }
    }
}

const PASSWORD: &str = "bench-admin-password";

type Target = (Rc<Vec<String>>, Option<String>);

/// A throughput figure: candidate and reference alternate, A B then B A, for `pairs` pairs.
async fn throughput_figure(
    id: &'static str,
    what: &'static str,
    floor: f64,
    client: &awc::Client,
    opts: &Options,
    candidate: Target,
    reference: Target,
) -> Figure {
    let window = Duration::from_secs_f64(opts.seconds);
    let run = |t: &Target| load::throughput_over(client, t.0.clone(), t.1.clone(), opts.concurrency, window);
    // Warm both paths (connections, caches) before measuring.
    let _ = (run(&candidate).await, run(&reference).await);
    let (mut ratios, mut cand, mut refs) = (vec![], vec![], vec![]);
    for i in 0..opts.pairs {
        let (a, b) = if i % 2 == 0 {
            let a = run(&candidate).await;
            (a, run(&reference).await)
        } else {
            let b = run(&reference).await;
            (run(&candidate).await, b)
        };
        cand.push(a);
        refs.push(b);
        ratios.push(a / b);
    }
    let detail = format!("{:.0} vs {:.0} req/s", load::median(&cand), load::median(&refs));
    Figure { id, what, ratios, floor: (floor, true), detail }
}

/// Settings of an in-process bench server on its own data dir: no job runner, no web UI, no login
/// throttle.
fn server_env(dir: &std::path::Path) -> HashMap<String, String> {
    HashMap::from([
        ("GUANXI_DATA_DIR".to_owned(), dir.to_string_lossy().into_owned()),
        ("GUANXI_BIND".into(), "127.0.0.1:0".into()),
        ("GUANXI_ADMIN_PASSWORD".into(), PASSWORD.into()),
        ("GUANXI_LOGIN_PER_MINUTE".into(), "100000000".into()),
        // The per-principal check still runs on every request; only its allowance is out of reach.
        ("GUANXI_RATE_PER_MINUTE".into(), "4000000000".into()),
        ("GUANXI_JOBS".into(), "false".into()),
        ("GUANXI_STATIC_DIR".into(), dir.join("none").to_string_lossy().into_owned()),
    ])
}

pub fn run(opts: Options) -> Result<bool, String> {
    actix_web::rt::System::new().block_on(run_async(opts))
}

async fn run_async(opts: Options) -> Result<bool, String> {
    let keep = opts.data_dir.is_some();
    let dir = opts
        .data_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("guanxi-bench-{}", crate::db::new_id())));
    let mut env = server_env(&dir);
    if let Some(url) = &opts.database_url {
        env.insert("GUANXI_DATABASE_URL".into(), url.clone());
    }
    let settings = Settings::from_map(env)?;
    let backend = if settings.database_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    let app = Application::build_for(settings, BenchMode { routes: true, plaintext: false }).await?;
    let (port, state) = app.spawn();
    let base = format!("http://127.0.0.1:{port}");
    let client = load::client(opts.concurrency.max(16));

    let (token, _) = load::login(&client, &base, "admin", PASSWORD).await?;
    let claims = state.tokens.verify(&token).map_err(|e| e.to_string())?;
    let me_url = format!("{base}/api/v1/me");
    let bare_url = format!("{base}/bench/me/{}/{}", claims.sub, claims.sid);
    let auth = Some(format!("Bearer {token}"));
    let window = Duration::from_secs_f64(opts.seconds);

    let mut figures = Vec::new();

    // B1: authenticated GET /me (token check, session lookup, JSON) vs the same SQL bare.
    if opts.wants("B1") {
        figures.push(
            throughput_figure(
                "B1",
                "GET /api/v1/me vs bare endpoint, same SQL (throughput)",
                0.80,
                &client,
                &opts,
                (Rc::new(vec![me_url.clone()]), auth.clone()),
                (Rc::new(vec![bare_url.clone()]), None),
            )
            .await,
        );
    }
    if opts.customers > 0 {
        figures.extend(customer_figures(&state, &client, &base, &opts).await?);
    }

    if opts.wants("B7a") {
        figures.push(b7a(&client, &base, &opts).await?);
    }
    if opts.wants("B7b") {
        figures.push(b7b(&client, &base, &opts, &me_url, auth.clone(), window).await);
    }
    print_table(&figures, backend, &opts);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(figures.iter().all(Figure::passes))
}

/// B7a: login latency vs the bare password check it is built around.
async fn b7a(client: &awc::Client, base: &str, opts: &Options) -> Result<Figure, String> {
    let stored = password::hash(PASSWORD);
    let mut b7a = Figure::new("B7a", "POST /auth/login latency vs bare PBKDF2 check (p50)", (1.2, false));
    let (mut cand, mut refs) = (vec![], vec![]);
    for _ in 0..opts.pairs {
        let mut logins = vec![];
        let mut hashes = vec![];
        for _ in 0..5 {
            let t = Instant::now();
            load::login(client, base, "admin", PASSWORD).await?;
            logins.push(t.elapsed().as_secs_f64());
            let s = stored.clone();
            let t = Instant::now();
            actix_web::web::block(move || password::verify(PASSWORD, &s)).await.map_err(|e| e.to_string())?;
            hashes.push(t.elapsed().as_secs_f64());
        }
        let (a, b) = (load::median(&logins), load::median(&hashes));
        cand.push(a);
        refs.push(b);
        b7a.ratios.push(a / b);
    }
    b7a.detail = format!("{:.1} vs {:.1} ms", load::median(&cand) * 1e3, load::median(&refs) * 1e3);
    Ok(b7a)
}

/// B7b: GET throughput during a login storm vs without one.
async fn b7b(
    client: &awc::Client,
    base: &str,
    opts: &Options,
    me_url: &str,
    auth: Option<String>,
    window: Duration,
) -> Figure {
    let mut b7b = Figure::new("B7b", "GET /api/v1/me throughput during a login storm vs without", (0.4, true));
    let (mut cand, mut refs) = (vec![], vec![]);
    for _ in 0..opts.pairs {
        let quiet = load::throughput(client, me_url, auth.clone(), opts.concurrency, window).await;
        let storm = load::login_storm(client, base, "admin", PASSWORD, 8, window + Duration::from_millis(400));
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        let busy = load::throughput(client, me_url, auth.clone(), opts.concurrency, window).await;
        let logins = storm.await;
        cand.push(busy);
        refs.push(quiet);
        b7b.ratios.push(busy / quiet);
        b7b.detail = format!("{logins} logins in the last storm");
    }
    b7b.detail = format!("{:.0} vs {:.0} req/s; {}", load::median(&cand), load::median(&refs), b7b.detail);
    b7b
}

fn print_table(figures: &[Figure], backend: &str, opts: &Options) {
    let load_avg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\nGuanxi benchmark on {backend}: {} pairs, {:.1} s windows, {} clients; load average {}",
        opts.pairs,
        opts.seconds,
        opts.concurrency,
        load_avg.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    println!("| # | candidate vs reference | median | min | max | floor | | figures |");
    println!("|---|---|---|---|---|---|---|---|");
    for f in figures {
        let min = f.ratios.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = f.ratios.iter().cloned().fold(0.0, f64::max);
        let pass = f.passes();
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {} {:.2} | {} | {} |",
            f.id,
            f.what,
            f.median(),
            min,
            max,
            if f.floor.1 { "≥" } else { "≤" },
            f.floor.0,
            if pass { "pass" } else { "MISS" },
            f.detail
        );
    }
}

/// Seeds `n` demo customers and signs in as the Beijing demo manager; returns the token, the
/// ids of customers that manager sees, and the scope.
async fn seeded_manager(
    state: &actix_web::web::Data<crate::state::AppState>,
    client: &awc::Client,
    base: &str,
    n: u64,
) -> Result<(String, crate::auth::jwt::Claims, Vec<String>, String), String> {
    let (st, started) = (state.clone(), Instant::now());
    actix_web::web::block(move || crate::demo::seed(&st, n)).await.map_err(|e| e.to_string())??;
    println!("seeded {n} customers in {:.1} s", started.elapsed().as_secs_f64());
    let (token, _) = load::login(client, base, "bj.manager", crate::demo::DEMO_PASSWORD).await?;
    let claims = state.tokens.verify(&token).map_err(|e| e.to_string())?;
    let db = state.db.clone();
    let (sub, sid) = (claims.sub.clone(), claims.sid.clone());
    let (ids, scope) = actix_web::web::block(move || -> Result<(Vec<String>, String), String> {
        let mut c = db.get().map_err(|e| e.to_string())?;
        let staff = crate::auth::sessions::store::staff_for_session(&mut c, &sub, &sid).map_err(|e| e.to_string())?;
        let staff = staff.ok_or("no session")?;
        let scope = crate::auth::principal::scope_prefix(&staff.unit_path);
        let filter = crate::customers::store::Filter::default();
        let rows = crate::customers::store::list(
            &mut c,
            &crate::org::scope::Scope::from_prefix(scope.as_str()),
            &sub,
            &filter,
            crate::customers::store::Sort::NewestFirst,
            crate::customers::store::After::Start,
            5000,
        )
        .map_err(|e| e.to_string())?;
        Ok((rows.into_iter().map(|r| r.id).collect(), scope))
    })
    .await
    .map_err(|e| e.to_string())??;
    if ids.is_empty() {
        return Err("no seeded customer is visible to the demo manager".into());
    }
    Ok((token, claims, ids, scope))
}

/// B9, B11a–c over as many tickets as customers (issue 16).
async fn ticket_figures(
    state: &actix_web::web::Data<crate::state::AppState>,
    client: &awc::Client,
    opts: &Options,
    viewer: &search::Viewer<'_>,
    user: &str,
) -> Result<Vec<Figure>, String> {
    let at = tickets::prepare(state, opts.customers).await?;
    let mut figures = vec![];
    if opts.wants("B11a") {
        figures.extend(tickets::b11a(viewer, user, opts.pairs).await?);
    }
    if opts.wants("B11b") {
        let (api, bare) = tickets::b11b_targets(viewer, user);
        let auth = Some(viewer.auth.to_owned());
        let what = "GET /tickets?queue=unit (page of 50) vs bare, same SQL";
        figures.push(throughput_figure("B11b", what, 0.80, client, opts, (api, auth), (bare, None)).await);
    }
    if opts.wants("B9") {
        figures.push(tickets::b9(viewer, opts.pairs).await?);
    }
    if opts.wants("B9c") {
        figures.push(tickets::b9c(viewer, opts.pairs).await?);
    }
    if opts.wants("B11c") {
        figures.push(tickets::b11c(&state.db, at, opts.pairs).await?);
    }
    Ok(figures)
}

/// A spread of ids in a scrambled order, so the page cache sees realistic variety.
fn spread(ids: &[String]) -> Vec<&String> {
    let mut picked: Vec<&String> = ids.iter().step_by(7).collect();
    picked.sort_by_key(|id| crate::crypto::sha256_hex(id.as_bytes()));
    picked
}

/// B8: the same GET on a second server of this build that stores the same synthetic customers
/// with encryption off (SQLite only: it needs its own database).
async fn b8(api: Vec<String>, auth: Option<String>, client: &awc::Client, opts: &Options) -> Result<Figure, String> {
    let dir = std::env::temp_dir().join(format!("guanxi-bench-plain-{}", crate::db::new_id()));
    let env = server_env(&dir);
    let settings = Settings::from_map(env)?;
    let app = Application::build_for(settings, BenchMode { routes: false, plaintext: true }).await?;
    let (port, state) = app.spawn();
    let base = format!("http://127.0.0.1:{port}");
    let (token, _, ids, _) = seeded_manager(&state, client, &base, opts.customers).await?;
    let plain: Vec<String> = spread(&ids).iter().map(|id| format!("{base}/api/v1/customers/{id}")).collect();
    let figure = throughput_figure(
        "B8",
        "GET /api/v1/customers/{id} with field encryption vs the same build with it off",
        0.93,
        client,
        opts,
        (Rc::new(api), auth),
        (Rc::new(plain), Some(format!("Bearer {token}"))),
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(figure)
}

/// B2: p99 latency of `GET /customers/{id}` at half the bare endpoint's maximum rate, against the
/// bare endpoint's p99 at the same rate (open loop, so queueing counts).
async fn b2(client: &awc::Client, opts: &Options, candidate: Target, bare: Rc<Vec<String>>) -> Figure {
    let window = Duration::from_secs_f64(opts.seconds);
    let max = load::throughput_over(client, bare.clone(), None, opts.concurrency, window).await;
    let rate = max / 2.0;
    let mut figure = Figure::new(
        "B2",
        "p99 of GET /api/v1/customers/{id} at half the bare endpoint's max rate vs bare",
        (2.0, false),
    );
    let (mut cand, mut refs, mut failed) = (vec![], vec![], 0);
    for i in 0..opts.pairs {
        let run_c = || load::latencies_at(client, candidate.0.clone(), candidate.1.clone(), rate, window);
        let run_b = || load::latencies_at(client, bare.clone(), None, rate, window);
        let ((c, fc), (b, fb)) = if i % 2 == 0 {
            let c = run_c().await;
            (c, run_b().await)
        } else {
            let b = run_b().await;
            (run_c().await, b)
        };
        let (pc, pb) = (load::quantile(&c, 0.99), load::quantile(&b, 0.99));
        figure.ratios.push(pc / pb.max(1e-9));
        cand.push(pc);
        refs.push(pb);
        failed += fc + fb;
    }
    figure.detail = format!(
        "{:.1} vs {:.1} ms at {:.0} req/s (bare max {:.0}); {failed} failed",
        load::median(&cand) * 1e3,
        load::median(&refs) * 1e3,
        rate,
        max
    );
    figure
}

/// B1c, B3a, (SQLite) B8 and B5 over `opts.customers` seeded customers, as the Beijing demo manager.
async fn customer_figures(
    state: &actix_web::web::Data<crate::state::AppState>,
    client: &awc::Client,
    base: &str,
    opts: &Options,
) -> Result<Vec<Figure>, String> {
    let (token, claims, ids, scope) = seeded_manager(state, client, base, opts.customers).await?;
    let picked = spread(&ids);
    let auth = Some(format!("Bearer {token}"));
    let api: Vec<String> = picked.iter().map(|id| format!("{base}/api/v1/customers/{id}")).collect();
    let bare: Vec<String> = picked.iter().map(|id| format!("{base}/bench/customers/{id}")).collect();
    let bare_urls = bare.clone();
    let scope_segments = scope.trim_matches('/').replace('/', "~");
    let list_api = vec![format!("{base}/api/v1/customers?tag=vip&limit=50")];
    let list_bare = vec![format!("{base}/bench/customers-by-tag/{scope_segments}/{}/vip", claims.sub)];
    let mut figures = vec![];
    if opts.wants("B1c") {
        figures.push(
            throughput_figure(
                "B1c",
                "GET /api/v1/customers/{id} (decrypt 5 fields, mask) vs bare, same SQL",
                0.80,
                client,
                opts,
                (Rc::new(api.clone()), auth.clone()),
                (Rc::new(bare), None),
            )
            .await,
        );
    }
    if opts.wants("B3a") {
        figures.push(
            throughput_figure(
                "B3a",
                "GET /api/v1/customers?tag=vip (page of 50) vs bare, same SQL",
                0.80,
                client,
                opts,
                (Rc::new(list_api), auth.clone()),
                (Rc::new(list_bare), None),
            )
            .await,
        );
    }
    let bearer = format!("Bearer {token}");
    let viewer = search::Viewer { db: &state.db, client, base, auth: &bearer, scope: &scope, ids: &ids };
    if opts.wants("B3b") {
        figures.push(search::b3b(&viewer, opts.pairs).await?);
    }
    if opts.wants("B3c") {
        figures.extend(search::b3c(&viewer, opts.pairs).await?);
    }
    if opts.wants("B4b") {
        figures.push(segments::b4b(&viewer, opts.pairs).await?);
    }
    if opts.wants("B4c") {
        // As B3a: a page of the list filtered by tier, and by a saved segment, vs the same query
        // through a bare endpoint.
        let segment = segments::saved_segment(&viewer).await?;
        let bare = format!("{base}/bench/customers-filtered/{scope_segments}/{}", claims.sub);
        for (id, what, filter) in [
            ("B4c-tier", "GET /api/v1/customers?tier=B (page of 50) vs bare, same SQL", "tier=B".to_owned()),
            (
                "B4c-segment",
                "GET /api/v1/customers?segment_id=… (page of 50) vs bare, same SQL",
                format!("segment_id={segment}"),
            ),
        ] {
            let api = vec![format!("{base}/api/v1/customers?{filter}&limit=50")];
            let reference = vec![format!("{bare}?{filter}")];
            figures.push(
                throughput_figure(
                    id,
                    what,
                    0.80,
                    client,
                    opts,
                    (Rc::new(api), auth.clone()),
                    (Rc::new(reference), None),
                )
                .await,
            );
        }
    }
    if ["B9", "B9c", "B11a", "B11b", "B11c"].iter().any(|f| opts.wants(f)) {
        figures.extend(ticket_figures(state, client, opts, &viewer, &claims.sub).await?);
    }
    // After B4b and B4c: a tiering run at a million customers outlasts the bench's access token.
    if opts.wants("B4") {
        figures.push(tiers::b4(&state.db, opts.pairs).await?);
    }
    if opts.wants("B2") {
        figures.push(b2(client, opts, (Rc::new(api.clone()), auth.clone()), Rc::new(bare_urls)).await);
    }
    if state.settings.database_url.starts_with("postgres") && opts.wants("B1-pg") {
        let url = state.settings.database_url.clone();
        let single: Vec<String> = api.iter().map(|u| u.replace("/api/v1/customers/", "/bench/single/")).collect();
        let (candidate, reference) = ((Rc::new(api.clone()), auth.clone()), (Rc::new(single), None));
        figures.push(pgbench::figure(client, opts, &url, candidate, reference).await?);
    }
    if opts.wants("B6") {
        figures.extend(memory::figures(state, client, &token, opts.pairs.min(3)).await?);
    }
    if opts.wants("B6t") {
        // Tiers rank the whole group: the run is started by a manager of the whole group.
        let (head, _) = load::login(client, base, "group.manager", crate::demo::DEMO_PASSWORD).await?;
        figures.push(memory::tiering(state, client, &head, opts.pairs.min(3)).await?);
    }
    // B8 before B5: imports leave outbox work that would run during the next window.
    if !state.settings.database_url.starts_with("postgres") && opts.wants("B8") {
        figures.push(b8(api, auth, client, opts).await?);
    }
    if opts.import_rows > 0 && opts.wants("B5") {
        let scratch = std::path::PathBuf::from(&state.settings.data_dir);
        figures.push(import::figure(state, client, base, &token, opts.import_rows, opts.pairs, &scratch).await?);
    }
    Ok(figures)
}
