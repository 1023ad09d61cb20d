//! Builds the application: keys, pool, migrations, first administrator, HTTP server and job
//! runner; and stops it gracefully.

use std::net::TcpListener;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::{from_fn, Condition};
use actix_web::{web, App, HttpServer};
use tokio::sync::watch;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::crypto::keys::Keyring;
use crate::db::{migrate, DbPool};
use crate::error::ApiError;
use crate::http::{extract, observe};
use crate::state::AppState;
use crate::{auth, customers, jobs, org, spa};

pub struct Application {
    server: actix_web::dev::Server,
    pub port: u16,
    pub state: web::Data<AppState>,
    stop_jobs: watch::Sender<bool>,
    runner: Option<tokio::task::JoinHandle<()>>,
}

/// Opens the database and applies migrations (the `migrate` command and server start).
pub fn open_database(settings: &Settings) -> Result<DbPool, String> {
    let size = settings.pool_size.unwrap_or(if settings.database_url.starts_with("postgres") { 16 } else { 8 });
    let pool = DbPool::connect(&settings.database_url, size)?;
    let mut conn = pool.get().map_err(|e| format!("cannot connect to the database: {e}"))?;
    let n = migrate::run(&mut conn)?;
    if n > 0 {
        tracing::info!(applied = n, "migrations applied");
    }
    if let Some(ctype) = migrate::unsuited_ctype(&mut conn) {
        tracing::warn!(
            ctype,
            "the database's LC_CTYPE makes Chinese names unsearchable by the trigram index; \
             create it with a UTF-8 locale such as C.UTF-8 (docs/OPERATIONS.md)"
        );
    }
    Ok(pool)
}

/// On the very first start (no users at all): the group unit and an `admin` account. Also run
/// by `seed-demo`, which would otherwise create the first users itself.
pub fn first_admin(db: &DbPool, settings: &Settings) -> Result<(), String> {
    let mut conn = db.get().map_err(|e| e.to_string())?;
    if org::store::count_users(&mut conn).map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let (password, generated) = match &settings.admin_password {
        Some(p) => (p.clone(), false),
        None => (crate::crypto::random_token()[..20].to_owned(), true),
    };
    auth::password::check_policy(&password).map_err(|_| "GUANXI_ADMIN_PASSWORD: 10 to 256 characters".to_owned())?;
    let hash = auth::password::hash(&password);
    crate::db::transaction(&mut conn, |c| org::bootstrap::create_user(c, "admin", auth::Role::Admin, None, hash))
        .map_err(|e: ApiError| e.to_string())?;
    if generated {
        println!(
            "\n==============================================================\n \
             First start: created the administrator account\n   username: admin\n   password: {password}\n \
             It is shown only this once; change it after signing in.\n\
             ==============================================================\n"
        );
    } else {
        println!("First start: created the administrator account `admin` (password from GUANXI_ADMIN_PASSWORD).");
    }
    Ok(())
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, String> {
        Application::build_for(settings, crate::state::BenchMode::default()).await
    }

    /// A server with the bench's switches (`guanxi bench` only).
    pub async fn build_for(settings: Settings, bench: crate::state::BenchMode) -> Result<Application, String> {
        let settings = Arc::new(settings);
        let keys = Arc::new(Keyring::load_or_create(&settings)?);
        crate::http::pagination::init_cursor_key(&keys.signing.pkcs8);
        let db = open_database(&settings)?;
        first_admin(&db, &settings)?;
        let listener =
            TcpListener::bind(&settings.bind).map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let state = web::Data::new(AppState::new(db.clone(), settings.clone(), keys, bench)?);
        let metrics = web::Data::new(crate::http::metrics::Metrics::default());
        let swagger_spec = crate::openapi::spec();
        let static_dir = settings.static_dir.clone();
        let spa_built = static_dir.join("index.html").exists();
        if !spa_built {
            tracing::warn!(dir = %static_dir.display(), "web UI not built; serving the API only");
        }
        let app_state = state.clone();
        let cors_origins = settings.cors_origins.clone();
        let bench_routes = bench.routes;
        let server = HttpServer::new(move || {
            let mut cors = actix_cors::Cors::default()
                .allowed_methods(["GET", "POST", "PATCH", "PUT", "DELETE"])
                .allowed_headers(["authorization", "content-type", "if-match", "idempotency-key", "x-request-id"])
                .expose_headers(["etag", "location", "x-request-id", "retry-after"])
                .max_age(3600);
            for origin in &cors_origins {
                cors = cors.allowed_origin(origin);
            }
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(app_state.clone())
                .app_data(metrics.clone())
                .app_data(extract::json_config())
                .app_data(extract::path_config())
                .app_data(web::PayloadConfig::new(customers::bulk::routes::MAX_UPLOAD))
                .configure(crate::routes::configure_routes)
                .split_for_parts();
            let app = app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", swagger_spec.clone()));
            let app = app.configure(|cfg| {
                if bench_routes {
                    crate::bench::bare::configure(cfg);
                }
            });
            let app = if spa_built {
                app.service(spa::service(static_dir.clone()))
            } else {
                app.default_service(web::to(spa::not_built))
            };
            // Security headers are set by `observe`, on every response (early refusals too).
            app.wrap(from_fn(crate::http::idempotency::idempotency))
                .wrap(Condition::new(!cors_origins.is_empty(), cors))
                .wrap(from_fn(observe::observe))
        })
        .workers(settings.workers)
        .shutdown_timeout(settings.shutdown_timeout_secs)
        .disable_signals()
        .listen(listener)
        .map_err(|e| e.to_string())?
        .run();
        let (stop_jobs, stop_rx) = watch::channel(false);
        if settings.run_jobs {
            crate::webhooks::delivery::spawn(state.clone(), stop_rx.clone());
        }
        let runner = settings.run_jobs.then(|| jobs::runner::spawn(state.clone(), crate::job_kinds::ALL, stop_rx));
        Ok(Application { server, port, state, stop_jobs, runner })
    }

    /// Serves until SIGTERM/SIGINT (actix finishes in-flight requests within the shutdown
    /// timeout), then lets the job runner stop between jobs.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let state = self.state.clone();
        let handle = self.server.handle();
        let server = self.server;
        // Flip readiness first so load balancers stop routing here while requests drain.
        tokio::spawn(async move {
            if wait_for_signal().await {
                state.accepting.store(false, Ordering::Relaxed);
                tracing::info!("shutting down: finishing in-flight requests");
                handle.stop(true).await;
            }
        });
        let result = server.await;
        let _ = self.stop_jobs.send(true);
        if let Some(runner) = self.runner {
            let _ = tokio::time::timeout(Duration::from_secs(30), runner).await;
        }
        result
    }

    /// For tests: serve in the background.
    pub fn spawn(self) -> (u16, web::Data<AppState>) {
        let (port, state) = (self.port, self.state.clone());
        actix_web::rt::spawn(self.run_until_stopped());
        (port, state)
    }
}

async fn wait_for_signal() -> bool {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
            return false;
        };
        tokio::select! {
            _ = term.recv() => true,
            _ = int.recv() => true,
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
