use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns how many ran.
pub fn run(conn: &mut DbConnection) -> Result<usize, String> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
    };
    applied.map_err(|e| format!("migration failed: {e}"))
}

/// True when the schema is at the version this binary embeds (used by /readyz).
pub fn is_current(conn: &mut DbConnection) -> bool {
    let pending = match conn {
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE),
        DbConnection::Postgres(c) => c.has_pending_migration(POSTGRES),
    };
    matches!(pending, Ok(false))
}

/// The PostgreSQL database's character classification when it is `C`/`POSIX`: pg_trgm then makes
/// no trigrams of Chinese characters, and name search falls back to scanning the index.
pub fn unsuited_ctype(conn: &mut DbConnection) -> Option<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Ctype {
        #[diesel(sql_type = diesel::sql_types::Text)]
        ctype: String,
    }
    let DbConnection::Postgres(c) = conn else { return None };
    let sql = "SELECT datctype AS ctype FROM pg_database WHERE datname = current_database()";
    let ctype = diesel::sql_query(sql).get_result::<Ctype>(c).ok()?.ctype;
    matches!(ctype.as_str(), "C" | "POSIX").then_some(ctype)
}
