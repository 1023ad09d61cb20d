//! The database the migrations build is the one `schema.rs` describes, on both databases: every
//! table, every column, and which columns may be NULL. (diesel trusts `schema.rs`; a column
//! added to one migration tree and not the other, or to the migrations and not `schema.rs`,
//! would otherwise surface as a runtime error on one database only.)

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::both;
use crate::helpers::TestApp;

/// table → column → nullable, read from `schema.rs`. (SQLite's name-search index — the FTS5
/// virtual table, its shadow tables and `customer_search`, which its triggers keep — is read
/// through raw SQL and is not in it.)
fn declared() -> BTreeMap<String, BTreeMap<String, bool>> {
    let text = include_str!("../../../backend/src/db/schema.rs");
    let mut tables = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(head) = line.strip_suffix('{').filter(|h| h.contains('(')) {
            current = Some(head.split('(').next().unwrap().trim().to_owned());
            tables.insert(current.clone().unwrap(), BTreeMap::new());
        } else if let (Some(t), Some((col, ty))) = (&current, line.split_once(" -> ")) {
            let col = col.trim().trim_start_matches("r#").to_owned();
            tables.get_mut(t).unwrap().insert(col, ty.starts_with("Nullable<"));
        } else if line == "}" {
            current = None;
        }
    }
    tables
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
    #[diesel(sql_type = Bool)]
    primary_key: bool,
}

fn built(app: &TestApp) -> BTreeMap<String, BTreeMap<String, bool>> {
    let sql = match app.state.db.backend {
        guanxi::db::Backend::Sqlite => {
            "SELECT m.name AS table_name, c.name AS column_name, c.\"notnull\" = 0 AS nullable, c.pk > 0 AS primary_key \
             FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
             AND m.name <> 'customer_search' \
             AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' \
               AND (m.name = v.name OR substr(m.name, 1, length(v.name) + 1) = v.name || '_'))"
        }
        guanxi::db::Backend::Postgres => {
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.is_nullable = 'YES' AS nullable, \
             EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints t \
               ON t.constraint_name = k.constraint_name AND t.constraint_type = 'PRIMARY KEY' \
               WHERE k.table_name = c.table_name AND k.column_name = c.column_name) AS primary_key \
             FROM information_schema.columns c \
             WHERE c.table_schema = current_schema() AND c.table_name <> '__diesel_schema_migrations'"
        }
    };
    let mut conn = app.state.db.get().unwrap();
    let columns: Vec<Column> = diesel::sql_query(sql).load(&mut **conn).unwrap();
    let mut tables: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for c in columns {
        // SQLite lets a TEXT primary key hold NULL unless told otherwise; diesel reads it as
        // NOT NULL and so does every insert here.
        let nullable = c.nullable && !c.primary_key;
        tables.entry(c.table_name).or_default().insert(c.column_name, nullable);
    }
    tables
}

async fn schema_matches_the_migrations(app: TestApp) {
    let (declared, built) = (declared(), built(&app));
    assert!(declared.len() >= 30, "schema.rs parsed: {} tables", declared.len());
    let names = |m: &BTreeMap<String, BTreeMap<String, bool>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&declared), names(&built), "tables");
    for (table, columns) in &declared {
        assert_eq!(columns, &built[table], "columns of {table} (name → nullable)");
    }
}
both!(schema_matches_the_migrations, schema_matches_the_migrations);

/// Each change exists for both databases, under the same name, in the same order.
#[test]
fn migration_trees_are_paired() {
    let tree = |db: &str| {
        let dir = format!("{}/../../backend/migrations/{db}", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| {
                for file in ["up.sql", "down.sql"] {
                    assert!(e.path().join(file).is_file(), "{}/{file} is missing", e.path().display());
                }
                e.file_name().to_string_lossy().into_owned()
            })
            .collect();
        names.sort();
        names
    };
    let (sqlite, postgres) = (tree("sqlite"), tree("postgres"));
    assert!(sqlite.len() >= 21);
    assert_eq!(sqlite, postgres);
}
