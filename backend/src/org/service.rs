//! Rules for units and users: scope (another subsidiary's records do not exist for you), unit
//! hierarchy, optimistic concurrency, and an audit entry with every change.

use super::dto::{CreateUnit, CreateUser, UnitKind, UpdateUnit, UpdateUser};
use super::model::{UnitRow, UserChanges, UserRow};
use super::store;
use crate::audit::{self, Event};
use crate::auth::{sessions, Principal, Role};
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::http::etag::IfMatch;

/// A unit the principal may see, or 404.
pub fn visible_unit(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<UnitRow, ApiError> {
    store::unit(conn, id)?.filter(|u| p.sees_unit_path(&u.path)).ok_or(ApiError::NotFound)
}

pub fn create_unit(conn: &mut DbConnection, p: &Principal, input: CreateUnit) -> Result<UnitRow, ApiError> {
    let parent = match &input.parent_id {
        Some(pid) => Some(
            store::unit(conn, pid)?
                .filter(|u| p.sees_unit_path(&u.path))
                .ok_or_else(|| ApiError::field("parent_id", "not_found"))?,
        ),
        None => None,
    };
    let expected_parent = match input.kind {
        UnitKind::Group => None,
        UnitKind::Subsidiary => Some(UnitKind::Group),
        UnitKind::Department => Some(UnitKind::Subsidiary),
    };
    let parent_kind = parent.as_ref().map(|u| UnitKind::parse(&u.kind));
    if parent_kind != expected_parent {
        return Err(ApiError::field("parent_id", "hierarchy"));
    }
    if input.kind == UnitKind::Group && store::group_unit(conn)?.is_some() {
        return Err(ApiError::conflict("group_exists"));
    }
    let row = UnitRow::new(parent.as_ref(), input.kind.as_str(), &input.code, &input.name);
    store::insert_unit(conn, &row)?;
    audit::append(
        conn,
        &p.actor(),
        Event::new("unit.create", "unit", Some(&row.id)).fields(&["kind", "code", "name"]),
    )?;
    Ok(row)
}

pub fn update_unit(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    expected: &IfMatch,
    input: UpdateUnit,
) -> Result<UnitRow, ApiError> {
    let current = visible_unit(conn, p, id)?;
    let version = expected.check(current.version)?;
    if !store::update_unit(conn, id, version, input.code.as_deref(), input.name.as_deref(), now())? {
        return Err(ApiError::PreconditionFailed);
    }
    let mut fields = Vec::new();
    if input.code.is_some() {
        fields.push("code");
    }
    if input.name.is_some() {
        fields.push("name");
    }
    audit::append(conn, &p.actor(), Event::new("unit.update", "unit", Some(id)).fields(&fields))?;
    store::unit(conn, id)?.ok_or(ApiError::NotFound)
}

/// Deletes an empty unit. A unit with sub-units, people, customers or keys is kept (409): its
/// history must stay attributable; move or offboard them first.
pub fn delete_unit(conn: &mut DbConnection, p: &Principal, id: &str, expected: &IfMatch) -> Result<(), ApiError> {
    let unit = visible_unit(conn, p, id)?;
    if unit.kind == "group" {
        return Err(ApiError::conflict("group_undeletable"));
    }
    let version = expected.check(unit.version)?;
    let [children, people, customers, keys] = store::unit_dependants(conn, id)?;
    if children + people + customers + keys > 0 {
        return Err(ApiError::conflict("unit_not_empty")
            .with("children", children)
            .with("people", people)
            .with("customers", customers)
            .with("keys", keys));
    }
    if !store::delete_unit(conn, id, version)? {
        return Err(ApiError::PreconditionFailed);
    }
    audit::append(conn, &p.actor(), Event::new("unit.delete", "unit", Some(id)))
}

/// A user the principal may see, or 404.
pub fn visible_user(conn: &mut DbConnection, p: &Principal, id: &str) -> Result<UserRow, ApiError> {
    match store::user_with_path(conn, id)? {
        Some((user, path)) if p.sees_unit_path(&path) => Ok(user),
        _ => Err(ApiError::NotFound),
    }
}

fn check_role(role: Role) -> Result<(), ApiError> {
    if role == Role::Integration {
        return Err(ApiError::field("role", "invalid"));
    }
    Ok(())
}

fn unit_in_scope(conn: &mut DbConnection, p: &Principal, unit_id: &str) -> Result<(), ApiError> {
    match store::unit_path(conn, unit_id)? {
        Some(path) if p.sees_unit_path(&path) => Ok(()),
        _ => Err(ApiError::field("unit_id", "not_found")),
    }
}

/// Inserts a user; `password_hash` is computed by the caller, off the async executor.
pub fn create_user(
    conn: &mut DbConnection,
    p: &Principal,
    input: CreateUser,
    password_hash: String,
) -> Result<UserRow, ApiError> {
    check_role(input.role)?;
    unit_in_scope(conn, p, &input.unit_id)?;
    if store::user_by_username(conn, &input.username)?.is_some() {
        return Err(ApiError::conflict("username_taken").with("username", input.username.clone()));
    }
    let mut row = new_user(&input.username, &input.display_name, password_hash, input.role, &input.unit_id);
    let mut asked =
        UserChanges { role: Some(input.role.as_str().to_owned()), active: Some(true), ..Default::default() };
    let held = super::grants::split(None, &mut asked);
    row.active = asked.active.unwrap_or(false);
    store::insert_user(conn, &row)?;
    audit::append(
        conn,
        &p.actor(),
        Event::new("user.create", "user", Some(&row.id)).fields(&["username", "display_name", "role", "unit_id"]),
    )?;
    if !held.is_empty() {
        super::grants::hold(conn, p, &row.id, held)?;
    }
    Ok(row)
}

pub fn new_user(username: &str, display_name: &str, password_hash: String, role: Role, unit_id: &str) -> UserRow {
    let t = now();
    UserRow {
        id: crate::db::new_id(),
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        password_hash,
        role: role.as_str().to_owned(),
        unit_id: unit_id.to_owned(),
        active: true,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
        version: 1,
        created_at: t,
        updated_at: t,
    }
}

pub fn update_user(
    conn: &mut DbConnection,
    p: &Principal,
    id: &str,
    expected: &IfMatch,
    input: UpdateUser,
    password_hash: Option<String>,
) -> Result<UserRow, ApiError> {
    let current = visible_user(conn, p, id)?;
    let version = expected.check(current.version)?;
    if let Some(role) = input.role {
        check_role(role)?;
    }
    if let Some(unit) = &input.unit_id {
        unit_in_scope(conn, p, unit)?;
    }
    let self_demotion = input.role.is_some_and(|r| Some(r) != p.role) || input.active == Some(false);
    if id == p.id && self_demotion {
        return Err(ApiError::conflict("own_account"));
    }
    let mut changes = UserChanges {
        display_name: input.display_name,
        role: input.role.map(|r| r.as_str().to_owned()),
        unit_id: input.unit_id,
        active: input.active,
        password_hash,
    };
    let held = super::grants::split(Some(&current), &mut changes);
    let mut fields = Vec::new();
    for (set, name) in [
        (changes.display_name.is_some(), "display_name"),
        (changes.role.is_some(), "role"),
        (changes.unit_id.is_some(), "unit_id"),
        (changes.active.is_some(), "active"),
        (changes.password_hash.is_some(), "password"),
    ] {
        if set {
            fields.push(name);
        }
    }
    let ends_sessions = changes.active == Some(false) || changes.password_hash.is_some();
    if !store::update_user(conn, id, version, &changes, now())? {
        return Err(ApiError::PreconditionFailed);
    }
    if ends_sessions {
        sessions::store::revoke_all_for_user(conn, id, "account changed")?;
    }
    audit::append(conn, &p.actor(), Event::new("user.update", "user", Some(id)).fields(&fields))?;
    if !held.is_empty() {
        super::grants::hold(conn, p, id, held)?;
    }
    store::user(conn, id)?.ok_or(ApiError::NotFound)
}
