//! The `guanxi` command: serve, migrate, create-user, seed-demo, openapi, bench, backup,
//! verify-backup, restore, rotate-keys.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::{password, Role};
use crate::config::Settings;
use crate::startup::{open_database, Application};

#[derive(Parser)]
#[command(name = "guanxi", version, about = "Customer management for group companies")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the server (the default): API, web UI and job runner.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a staff user. The password comes from GUANXI_PASSWORD, else it is asked for.
    CreateUser {
        #[arg(long)]
        username: String,
        /// admin, compliance, manager, agent, sales or auditor.
        #[arg(long)]
        role: String,
        /// The unit code (default: the group).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Load demonstration units and users (idempotent), and optionally synthetic customers.
    SeedDemo {
        /// Top up to this many customers with synthetic ones (with two years of purchases).
        #[arg(long, default_value_t = 0)]
        customers: u64,
    },
    /// Print the OpenAPI document (YAML).
    Openapi,
    /// Write a consistent copy of the SQLite database while the server runs (keys are separate).
    Backup {
        /// The new backup file.
        file: std::path::PathBuf,
    },
    /// Check a backup: file integrity and the audit hash chain, held against a signed audit
    /// checkpoint kept outside the database when given.
    VerifyBackup {
        file: std::path::PathBuf,
        /// A checkpoint's JWS (from the server log or `GET /api/v1/audit/checkpoints`), checked
        /// with this data directory's signing key.
        #[arg(long)]
        checkpoint: Option<String>,
    },
    /// Verify a backup and put it in place as this data directory's database (which must not exist).
    Restore { file: std::path::PathBuf },
    /// Add a new field-encryption key (new values use it once servers restart with it), or with
    /// --retire drop the older keys once the re-encryption run has moved everything off them.
    RotateKeys {
        /// Rotate the blind-index key instead.
        #[arg(long)]
        blind_index: bool,
        /// Remove the older keys (refused while a stored value still needs one).
        #[arg(long, conflicts_with = "blind_index")]
        retire: bool,
    },
    /// Measure performance ratios (docs/benchmarks.md); exits non-zero when a floor is missed.
    Bench {
        /// PostgreSQL URL to measure on (default: a fresh SQLite file).
        #[arg(long)]
        database_url: Option<String>,
        /// Candidate/reference pairs per figure.
        #[arg(long, default_value_t = 5)]
        pairs: usize,
        /// Seconds per throughput window.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Concurrent clients.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Seed this many synthetic customers and measure the customer endpoints (0: skip).
        #[arg(long, default_value_t = 100_000)]
        customers: u64,
        /// Rows per CSV import for B5 (0: skip).
        #[arg(long, default_value_t = 20_000)]
        import_rows: u64,
        /// Only these figures, comma-separated (e.g. `B5,B1-pg`; default: all).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Measure in this data directory (keys, SQLite file) and keep it, instead of a fresh
        /// one removed afterwards: a later run reuses what an earlier one seeded.
        #[arg(long)]
        data_dir: Option<std::path::PathBuf>,
    },
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// The (seq, hash) a checkpoint JWS vouches for, checked with this data directory's signing key.
fn checkpoint_claims(settings: &Settings, jws: Option<&str>) -> Result<Option<(i64, String)>, String> {
    let Some(jws) = jws else { return Ok(None) };
    if !settings.signing_key_file.is_file() {
        return Err(format!("no signing key at {} to check the checkpoint with", settings.signing_key_file.display()));
    }
    let keys = crate::crypto::keys::Keyring::load_or_create(settings)?;
    let tokens = crate::auth::jwt::TokenService::new(&keys, &settings.issuer, settings.access_ttl_secs);
    crate::audit::checkpoint::open(&tokens, jws)
        .map(Some)
        .map_err(|_| "the checkpoint's signature is not this service's".into())
}

pub fn main(cli: Cli) -> ExitCode {
    if let Some(Command::Openapi) = cli.command {
        print!("{}", crate::openapi::yaml());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => return fail(format!("configuration: {e}")),
    };
    // A benchmark's servers would log a line per request (hundreds of MB a minute, and slower
    // figures): `guanxi bench` logs warnings only unless GUANXI_LOG asks for more.
    let quiet = matches!(cli.command, Some(Command::Bench { .. })) && std::env::var_os("GUANXI_LOG").is_none();
    crate::telemetry::init(if quiet { "warn" } else { &settings.log_filter }, settings.log_json);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => open_database(&settings).map(|_| println!("database is up to date")),
        Command::CreateUser { username, role, unit } => create_user(&settings, &username, &role, unit.as_deref()),
        Command::SeedDemo { customers } => open_database(&settings).and_then(|db| {
            crate::startup::first_admin(&db, &settings)?;
            let keys = crate::crypto::keys::Keyring::load_or_create(&settings)?;
            let state = crate::state::AppState::new(
                db,
                std::sync::Arc::new(settings.clone()),
                std::sync::Arc::new(keys),
                Default::default(),
            )?;
            crate::demo::seed(&state, customers)
        }),
        Command::Openapi => Ok(()),
        Command::Backup { file } => crate::backup::backup(&settings.database_url, &file)
            .map(|_| println!("backup written to {}; back up {} as well", file.display(), key_dir(&settings))),
        Command::VerifyBackup { file, checkpoint } => checkpoint_claims(&settings, checkpoint.as_deref())
            .and_then(|c| crate::backup::verify(&file, c))
            .map(|r| {
            println!(
                "backup ok: integrity checked, audit chain of {} entries intact, {} customers",
                r.audit_entries, r.customers
            )
        }),
        Command::Restore { file } => crate::backup::restore(&settings.database_url, &file).map(|r| {
            println!(
                "restored {} customers ({} audit entries); start with the keys of the backed-up server",
                r.customers, r.audit_entries
            )
        }),
        Command::RotateKeys { retire: true, .. } => open_database(&settings)
            .and_then(|db| crate::keys::command::retire(&settings, &db))
            .map(|gone| match gone.as_slice() {
                [] => println!("nothing to retire: each key file holds one key"),
                ids => println!("retired {}; restart the servers to drop them from memory", ids.join(", ")),
            }),
        Command::RotateKeys { blind_index, .. } => crate::keys::command::add(&settings, blind_index).map(|kid| {
            println!(
                "added key {kid}. Next: 1) copy the key file to every server and restart them (they now write with {kid} and still read older values); 2) start the re-encryption: POST /api/v1/key-rotations (Settings → Keys in the web UI); 3) when it has finished: guanxi rotate-keys --retire"
            )
        }),
        Command::Bench { database_url, pairs, seconds, concurrency, customers, import_rows, only, data_dir } => {
            let opts = crate::bench::Options {
                database_url,
                data_dir,
                pairs: pairs.max(1),
                seconds,
                concurrency: concurrency.max(1),
                customers,
                import_rows,
                only,
            };
            match crate::bench::run(opts) {
                Ok(true) => Ok(()),
                Ok(false) => Err("a benchmark ratio missed its floor".into()),
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn key_dir(settings: &Settings) -> String {
    settings.field_key_file.parent().map(|d| d.display().to_string()).unwrap_or_default()
}

fn serve(settings: Settings) -> Result<(), String> {
    let bind = settings.bind.clone();
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        tracing::info!(address = %bind, port = app.port, "Guanxi is serving; open http://{bind}/");
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("GUANXI_PASSWORD") {
        return Ok(p);
    }
    eprint!("Password for the new user: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn create_user(settings: &Settings, username: &str, role: &str, unit: Option<&str>) -> Result<(), String> {
    let role = Role::parse(role).ok_or_else(|| format!("unknown role `{role}`"))?;
    let password = read_password()?;
    password::check_policy(&password)
        .map_err(|_| format!("a password has {} to {} characters", password::MIN_LENGTH, password::MAX_LENGTH))?;
    let db = open_database(settings)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let hash = password::hash(&password);
    let id = crate::db::transaction(&mut conn, |c| crate::org::bootstrap::create_user(c, username, role, unit, hash))
        .map_err(|e| e.to_string())?;
    println!("created user {username} ({}) with id {id}", role.as_str());
    Ok(())
}
