//! The only way to reach SQL: one `DbConnection` over SQLite or PostgreSQL, an r2d2 pool, and
//! `run`/`write` helpers that keep blocking diesel calls off the async workers.

pub mod migrate;
pub mod prepared;
pub mod schema;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection};

use crate::error::ApiError;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(conn: &DbConnection) -> Backend {
        match conn {
            DbConnection::Postgres(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Turns the configured URL into the backend and the URL diesel expects.
/// `postgres://` / `postgresql://` select PostgreSQL; `sqlite://PATH` or a bare path select SQLite.
pub fn parse_url(url: &str) -> (Backend, String) {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        (Backend::Postgres, url.to_owned())
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        (Backend::Sqlite, path.to_owned())
    } else {
        (Backend::Sqlite, url.strip_prefix("sqlite:").unwrap_or(url).to_owned())
    }
}

pub type Conn = PooledConnection<Manager>;

/// A pooled connection, when it last went back to the pool, and how many statements it has sent
/// (every query and every transaction command: the round trips a request pays).
pub struct Pooled {
    conn: DbConnection,
    returned: std::time::Instant,
    sent: std::sync::Arc<std::sync::atomic::AtomicU64>,
    sent_at_return: u64,
}

impl Pooled {
    /// Statements sent since the connection last went back to the pool (its test query included).
    fn sent_this_checkout(&self) -> u64 {
        self.sent.load(std::sync::atomic::Ordering::Relaxed) - self.sent_at_return
    }
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// A connection that went back to the pool this recently is handed out without a test query.
/// Testing every checkout (r2d2's default) costs a round trip per request; a connection idle
/// longer is tested first, as HikariCP does (its `aliveBypassWindowMs`). One that broke in the
/// window fails its request and is dropped, not reused (`has_broken`).
const TRUSTED_FOR: Duration = Duration::from_millis(500);

/// diesel's manager, testing a connection on checkout only after it was idle for a while.
#[derive(Debug)]
pub struct Manager(ConnectionManager<DbConnection>);

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Pooled, Self::Error> {
        use diesel::connection::InstrumentationEvent as E;
        let mut conn = self.0.connect()?;
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sent.clone();
        conn.set_instrumentation(move |event: E<'_>| {
            if matches!(
                event,
                E::StartQuery { .. }
                    | E::BeginTransaction { .. }
                    | E::CommitTransaction { .. }
                    | E::RollbackTransaction { .. }
            ) {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        Ok(Pooled { conn, returned: std::time::Instant::now(), sent, sent_at_return: 0 })
    }

    fn is_valid(&self, c: &mut Pooled) -> Result<(), Self::Error> {
        if c.returned.elapsed() < TRUSTED_FOR {
            return Ok(());
        }
        self.0.is_valid(&mut c.conn)
    }

    /// Called as the connection goes back: stamps the time, drops it if it broke.
    fn has_broken(&self, c: &mut Pooled) -> bool {
        c.returned = std::time::Instant::now();
        c.sent_at_return = c.sent.load(std::sync::atomic::Ordering::Relaxed);
        self.0.has_broken(&mut c.conn)
    }
}

/// A check a caller owes before it may touch data (the live-session check of an access token).
/// Its holder hands it to `run_as`/`write_as`, which run it inside the same blocking call as the
/// work — one trip to the pool instead of two — and only once: clones share it, the first use
/// takes it. If nothing took it (a handler that never reached the database), the request
/// middleware runs it after the handler.
#[derive(Clone, Default)]
pub struct Owed(std::sync::Arc<std::sync::Mutex<Option<Check>>>);

type Check = Box<dyn FnOnce(&mut DbConnection) -> Result<(), ApiError> + Send>;

impl Owed {
    pub fn new(check: impl FnOnce(&mut DbConnection) -> Result<(), ApiError> + Send + 'static) -> Owed {
        Owed(std::sync::Arc::new(std::sync::Mutex::new(Some(Box::new(check)))))
    }

    /// Nothing owed (an API key, a session checked a moment ago).
    pub fn nothing() -> Owed {
        Owed::default()
    }

    /// Runs the check if it is still owed.
    pub fn settle(&self, conn: &mut DbConnection) -> Result<(), ApiError> {
        let check = self.0.lock().map_err(|_| ApiError::internal("owed check poisoned"))?.take();
        check.map_or(Ok(()), |check| check(conn))
    }

    pub fn is_owed(&self) -> bool {
        self.0.lock().map(|c| c.is_some()).unwrap_or(true)
    }
}

impl std::fmt::Debug for Owed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_owed() { "Owed(check)" } else { "Owed(nothing)" })
    }
}

/// Page cache per SQLite connection, in KiB.
const SQLITE_CACHE_KIB: i64 = 8192;

#[derive(Debug)]
struct SessionSettings {
    backend: Backend,
}

impl CustomizeConnection<Pooled, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut Pooled) -> Result<(), diesel::r2d2::Error> {
        let sql = match self.backend {
            // FULL: an acknowledged write survives power loss (SECURITY.md, durability).
            // WAL itself is a property of the file, set once in `connect`.
            Backend::Sqlite => {
                "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
                 PRAGMA temp_store = MEMORY;"
            }
            Backend::Postgres => &format!("SET statement_timeout = {REQUEST_TIMEOUT}; SET TIME ZONE 'UTC';"),
        };
        conn.batch_execute(sql).map_err(diesel::r2d2::Error::QueryError)?;
        if self.backend == Backend::Sqlite {
            conn.batch_execute(&format!("PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

#[derive(Clone)]
pub struct DbPool {
    pool: Pool<Manager>,
    pub backend: Backend,
}

impl DbPool {
    pub fn connect(url: &str, max_size: u32) -> Result<DbPool, String> {
        let (backend, url) = parse_url(url);
        if backend == Backend::Sqlite {
            if let Some(dir) = std::path::Path::new(&url).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
            }
            owner_only(std::path::Path::new(&url))?;
            // Switch the file to WAL once, before the pool opens connections concurrently (the
            // switch needs the file to itself and would otherwise race). WAL persists in the file.
            let mut first = diesel::SqliteConnection::establish(&url).map_err(|e| format!("cannot open {url}: {e}"))?;
            first
                .batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
                .map_err(|e| format!("cannot switch {url} to WAL: {e}"))?;
        }
        let pool = Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(SessionSettings { backend }))
            .build(Manager(ConnectionManager::<DbConnection>::new(url)))
            .map_err(|e| format!("cannot open the database: {e}"))?;
        Ok(DbPool { pool, backend })
    }

    pub fn get(&self) -> Result<Conn, ApiError> {
        self.pool.get().map_err(ApiError::from)
    }

    /// A read (or a self-contained statement) on a blocking thread, for work no caller's session
    /// governs (sign-in, public links, jobs, startup). A signed-in caller's work uses `run_as`.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run_as(Owed::nothing(), f).await
    }

    /// A read on a blocking thread for a caller who owes `owed` (`Principal::owed`): the check
    /// runs first, on the same connection; if it fails, `f` does not run.
    pub async fn run_as<T, F>(&self, owed: Owed, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.clone();
        let span = tracing::Span::current();
        let list = crate::request::list();
        let lang = crate::i18n::current();
        let (out, sent) = actix_web::web::block(move || {
            let _guard = span.enter();
            let mut conn = pool.get()?;
            let out = owed
                .settle(&mut conn)
                .and_then(|()| crate::i18n::sync_with_lang(lang, || crate::request::on_thread(list, || f(&mut conn))));
            Ok::<_, ApiError>((out, conn.sent_this_checkout()))
        })
        .await
        .map_err(|_| ApiError::internal("blocking pool closed"))??;
        crate::request::count_statements(sent);
        out
    }

    /// A write use case: one transaction on a blocking thread; everything in `f` commits together.
    /// For work no caller's session governs; a signed-in caller's write uses `write_as`.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.write_as(Owed::nothing(), f).await
    }

    /// A write for a caller who owes `owed`: the check runs before the transaction opens.
    pub async fn write_as<T, F>(&self, owed: Owed, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run_as(owed, move |conn| transaction(conn, f)).await
    }
}

/// The SQLite file (created if need be) and the WAL and shared-memory files beside it readable by
/// this user only; SQLite gives new `-wal` / `-shm` files the database file's mode.
fn owner_only(db: &std::path::Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let created = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(db);
        created.map_err(|e| format!("cannot create {}: {e}", db.display()))?;
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
            if file.exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| format!("cannot restrict {}: {e}", file.display()))?;
            }
        }
    }
    Ok(())
}

/// After personal data was purged (an upload read, files expired, a customer anonymised): on
/// SQLite, copy the WAL into the database file and truncate it, so the purged pages do not stay
/// readable in the `-wal` file (secure_delete already zeroes them in the database file).
pub fn checkpoint_after_purge(conn: &mut DbConnection) {
    if let DbConnection::Sqlite(c) = conn {
        // A reader holding an old snapshot can make it partial; the next purge or SQLite's own
        // checkpoint finishes it. Failing here must not fail the purge itself.
        if let Err(e) = c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)") {
            tracing::warn!(error = %e, "WAL checkpoint after a purge");
        }
    }
}

/// Runs `f` with a SQLite setting changed, then set back (`PRAGMA name = during`, then `after`).
/// A failure only costs speed or memory, so it is not an error. Nothing on PostgreSQL.
fn with_pragma<T>(
    conn: &mut DbConnection,
    name: &str,
    (during, after): (&str, &str),
    f: impl FnOnce(&mut DbConnection) -> T,
) -> T {
    let set = |conn: &mut DbConnection, value: &str| {
        if let DbConnection::Sqlite(c) = conn {
            let _ = c.batch_execute(&format!("PRAGMA {name} = {value}"));
        }
    };
    set(conn, during);
    let value = f(conn);
    set(conn, after);
    value
}

/// Runs `f` with a PostgreSQL setting changed for the session, then set back (`SET name = during`,
/// then `after`) before the connection is reused. A failure is logged, not an error. Nothing on
/// SQLite.
fn with_pg_setting<T>(
    conn: &mut DbConnection,
    name: &str,
    (during, after): (&str, &str),
    f: impl FnOnce(&mut DbConnection) -> T,
) -> T {
    let set = |conn: &mut DbConnection, value: &str| {
        if let DbConnection::Postgres(c) = conn {
            if let Err(e) = c.batch_execute(&format!("SET {name} = {value}")) {
                tracing::warn!(error = %e, setting = name, "PostgreSQL setting not changed");
            }
        }
    };
    set(conn, during);
    let value = f(conn);
    set(conn, after);
    value
}

/// PostgreSQL's statement timeout for a request's statements.
const REQUEST_TIMEOUT: &str = "'30s'";

/// Runs `f` without PostgreSQL's statement timeout of 30 s, which guards requests: for
/// background work over every customer (a job, the demo seed), whose set-based statements take
/// minutes at a million. The timeout is back when `f` returns, before the connection is reused.
pub fn without_statement_timeout<T>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> T) -> T {
    with_pg_setting(conn, "statement_timeout", ("0", REQUEST_TIMEOUT), f)
}

/// Refreshes PostgreSQL's statistics of tables a statement has just filled, inside the running
/// transaction: a staging table holding a whole run's rows still looks empty to the planner until
/// autovacuum comes round, and the statements joining it would be planned as nested loops.
/// SQLite plans these joins by index without statistics; nothing there.
pub fn refresh_statistics(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        c.batch_execute(&format!("ANALYZE {}", tables.join(", ")))?;
    }
    Ok(())
}

/// Runs `f` set up for statements that sort or rank every customer (a tiering run). SQLite keeps
/// its temporary tables and sorters in files rather than in memory, which would otherwise grow
/// this server by hundreds of MiB at a million customers (benchmark B6t). PostgreSQL gets 64 MiB
/// of work memory per sort instead of its default 4 MiB, so that the ranking of a hundred thousand
/// customers' measures sorts in the database server's memory rather than in temporary files; the
/// memory is the database server's, held while a statement sorts.
pub fn for_sorting_every_customer<T>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> T) -> T {
    with_pragma(conn, "temp_store", ("FILE", "MEMORY"), |conn| {
        with_pg_setting(conn, "work_mem", ("'64MB'", "DEFAULT"), f)
    })
}

/// Runs `f` with a larger SQLite page cache (64 MiB instead of 8), for bulk writes: an import's
/// chunk touches pages all over the blind-index B-trees, and with the small cache SQLite spills
/// and re-reads them mid-transaction. The cache shrinks back afterwards, so memory is not kept.
pub fn with_bulk_cache<T>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> T) -> T {
    let (during, after) = ("-65536".to_owned(), format!("-{SQLITE_CACHE_KIB}"));
    with_pragma(conn, "cache_size", (&during, &after), f)
}

/// Runs `f` in one transaction. On SQLite it starts with `BEGIN IMMEDIATE` so that a writer takes
/// the write lock up front and waits on `busy_timeout`, instead of failing with SQLITE_BUSY when a
/// read snapshot must be upgraded.
pub fn transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    type Manager = <DbConnection as Connection>::TransactionManager;
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConnection::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            Manager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Now, in UTC, truncated to microseconds: both backends store that precision, and the audit
/// chain hashes what is stored.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{DurationRound, TimeDelta};
    let t = chrono::Utc::now().naive_utc();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// True when the error is a unique-constraint violation (mapped to 409 by callers).
pub use crate::error::is_unique_violation;
