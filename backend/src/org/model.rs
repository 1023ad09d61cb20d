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

pub const PENDING: &str = "pending";

/// Changes to a user that would let the account read clear personal data, held until a second
/// person of such a role approves them (see `grants`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::db::schema::user_grants)]
pub struct GrantRow {
    pub id: String,
    pub user_id: String,
    /// The role to give, if the grant gives one.
    pub role: Option<String>,
    /// The account is to be enabled.
    pub activate: bool,
    /// The password to set (its hash), if the grant sets one.
    pub password_hash: Option<String>,
    pub requested_by: String,
    pub requested_at: chrono::NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::NaiveDateTime>,
}
