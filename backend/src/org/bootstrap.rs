//! First-run set-up: the group unit and the first administrator.

use super::model::UnitRow;
use super::{service, store};
use crate::audit::{self, Actor, Event};
use crate::auth::Role;
use crate::db::DbConnection;
use crate::error::ApiError;

pub const GROUP_CODE: &str = "GROUP";

/// The group unit, created on first use.
pub fn ensure_group(conn: &mut DbConnection) -> Result<UnitRow, ApiError> {
    if let Some(g) = store::group_unit(conn)? {
        return Ok(g);
    }
    let row = UnitRow::new(None, "group", GROUP_CODE, "集团 Group");
    store::insert_unit(conn, &row)?;
    audit::append(
        conn,
        &Actor::system(),
        Event::new("unit.create", "unit", Some(&row.id)).fields(&["kind", "code", "name"]),
    )?;
    Ok(row)
}

/// Creates a user from the command line (no principal: the operator at the console).
pub fn create_user(
    conn: &mut DbConnection,
    username: &str,
    role: Role,
    unit_code: Option<&str>,
    password_hash: String,
) -> Result<String, ApiError> {
    if role == Role::Integration {
        return Err(ApiError::bad_request("integration_user"));
    }
    let unit = match unit_code {
        Some(code) => store::unit_by_code(conn, code)?
            .ok_or_else(|| ApiError::bad_request("unit_code_unknown").with("code", code))?,
        None => ensure_group(conn)?,
    };
    if store::user_by_username(conn, username)?.is_some() {
        return Err(ApiError::conflict("username_taken").with("username", username));
    }
    let row = service::new_user(username, username, password_hash, role, &unit.id);
    store::insert_user(conn, &row)?;
    audit::append(
        conn,
        &Actor::system(),
        Event::new("user.create", "user", Some(&row.id)).fields(&["username", "role", "unit_id"]),
    )?;
    Ok(row.id)
}
