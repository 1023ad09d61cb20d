//! Small macros shared by the domains.

/// A closed set of snake_case strings: a serde + OpenAPI enum with `as_str` and `parse`, for
/// values stored as TEXT.
#[macro_export]
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, as stored.
            #[allow(dead_code)]
            pub const ALL_TEXT: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

/// Multi-row INSERTs of `rows` in chunks of `size`, on the concrete connection (diesel's
/// MultiConnection has no batch insert). Evaluates to `QueryResult<()>`.
#[macro_export]
macro_rules! insert_chunks {
    ($conn:expr, $table:expr, $rows:expr, $size:expr) => {{
        use diesel::RunQueryDsl as _;
        let mut run = || -> diesel::QueryResult<()> {
            match $conn {
                $crate::db::DbConnection::Postgres(c) => {
                    for chunk in $rows.chunks($size) {
                        diesel::insert_into($table).values(chunk).execute(c)?;
                    }
                }
                $crate::db::DbConnection::Sqlite(c) => {
                    for chunk in $rows.chunks($size) {
                        diesel::insert_into($table).values(chunk).execute(c)?;
                    }
                }
            }
            Ok(())
        };
        run()
    }};
}
