use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{units, users};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = units)]
pub struct UnitRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub path: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UnitRow {
    /// A new unit under `parent` (None for the group), its path extending the parent's.
    pub fn new(parent: Option<&UnitRow>, kind: &str, code: &str, name: &str) -> UnitRow {
        let id = crate::db::new_id();
        let t = crate::db::now();
        UnitRow {
            path: format!("{}{id}/", parent.map_or("/", |p| p.path.as_str())),
            parent_id: parent.map(|p| p.id.clone()),
            id,
            kind: kind.to_owned(),
            code: code.to_owned(),
            name: name.to_owned(),
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub unit_id: String,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub unit_id: Option<String>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}
