//! Statements written as SQL that each connection still prepares only once.
//!
//! diesel caches a prepared statement per query *type*; SQL given as text (`sql`, `sql_query`)
//! it prepares and plans again on every run. For a statement on a hot path that the typed DSL
//! cannot spell (aggregates that differ per backend, FTS5, a planner fence), `prepared!` declares
//! a type with its SQL for each backend and its binds: the SQL's `?` marks each bind in field
//! order (PostgreSQL's `$n` are numbered for it). Rows come back as `QueryableByName`.

/// `prepared! { /// doc  pub struct Name { field: RustType => SqlType, … } pg = "…"; sqlite = "…"; }`,
/// or `sql = "…";` for a statement both databases read alike.
#[macro_export]
macro_rules! prepared {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($field:ident : $rust:ty => $sql:ty),* $(,)? }
        sql = $text:expr;
    ) => {
        $crate::prepared! {
            $(#[$meta])*
            $vis struct $name { $($field : $rust => $sql),* }
            pg = $text;
            sqlite = $text;
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($field:ident : $rust:ty => $sql:ty),* $(,)? }
        pg = $pg:expr;
        sqlite = $sqlite:expr;
    ) => {
        $(#[$meta])*
        #[derive(diesel::query_builder::QueryId)]
        $vis struct $name { $(pub $field: $rust),* }

        impl diesel::query_builder::Query for $name {
            type SqlType = diesel::sql_types::Untyped;
        }

        impl<C> diesel::RunQueryDsl<C> for $name {}

        $crate::prepared!(@fragment $name, diesel::pg::Pg, $pg, $($field : $sql),*);
        $crate::prepared!(@fragment $name, diesel::sqlite::Sqlite, $sqlite, $($field : $sql),*);
    };
    // The statement for one backend: its SQL with each `?` replaced by the next field's bind.
    (@fragment $name:ident, $backend:ty, $text:expr, $($field:ident : $sql:ty),*) => {
        impl diesel::query_builder::QueryFragment<$backend> for $name {
            fn walk_ast<'b>(
                &'b self,
                #[allow(unused_mut)] mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
            ) -> diesel::QueryResult<()> {
                #[allow(unused_mut)]
                let mut parts = $text.split('?');
                out.push_sql(parts.next().unwrap_or(""));
                $(
                    out.push_bind_param::<$sql, _>(&self.$field)?;
                    out.push_sql(parts.next().unwrap_or(""));
                )*
                Ok(())
            }
        }
    };
}

/// Runs `$body` with `$c` bound to the backend's own connection (a `prepared!` statement is
/// written for each backend, not for the multi-backend connection).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};

    crate::prepared! {
        struct Echo { word: String => Text, times: i64 => BigInt }
        pg = "SELECT ? || '/' || CAST(? AS TEXT) AS said";
        sqlite = "SELECT ? || '/' || CAST(? AS TEXT) AS said";
    }

    #[derive(QueryableByName)]
    struct Said {
        #[diesel(sql_type = Text)]
        said: String,
    }

    #[test]
    fn binds_go_where_the_marks_are_and_the_statement_is_cached() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        let cached = Arc::new(AtomicUsize::new(0));
        let seen = cached.clone();
        c.set_instrumentation(move |e: diesel::connection::InstrumentationEvent<'_>| {
            if matches!(e, diesel::connection::InstrumentationEvent::CacheQuery { .. }) {
                seen.fetch_add(1, Ordering::Relaxed);
            }
        });
        for n in 0..3 {
            let said: Said = Echo { word: "再见".into(), times: n }.get_result(&mut c).unwrap();
            assert_eq!(said.said, format!("再见/{n}"));
        }
        assert_eq!(cached.load(Ordering::Relaxed), 1, "prepared once, run three times");
        // The same SQL as text is prepared anew each time and never enters the cache.
        for _ in 0..3 {
            diesel::sql_query("SELECT 'x' AS said").get_result::<Said>(&mut c).unwrap();
        }
        assert_eq!(cached.load(Ordering::Relaxed), 1);
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&Echo { word: "a".into(), times: 2 }).to_string();
        assert!(sql.starts_with("SELECT $1 || '/' || CAST($2 AS TEXT) AS said"), "{sql}");
    }
}
