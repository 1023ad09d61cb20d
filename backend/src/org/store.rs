use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{GrantRow, UnitRow, UserChanges, UserRow, PENDING};
use crate::db::schema::{units, user_grants, users};
use crate::db::DbConnection;
use crate::org::scope::Scope;

pub fn unit(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UnitRow>> {
    units::table.find(id).select(UnitRow::as_select()).first(conn).optional()
}

pub fn unit_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    units::table.find(id).select(units::path).first(conn).optional()
}

pub fn unit_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<UnitRow>> {
    units::table.filter(units::code.eq(code)).select(UnitRow::as_select()).first(conn).optional()
}

pub fn group_unit(conn: &mut DbConnection) -> QueryResult<Option<UnitRow>> {
    units::table.filter(units::kind.eq("group")).select(UnitRow::as_select()).first(conn).optional()
}

pub fn insert_unit(conn: &mut DbConnection, row: &UnitRow) -> QueryResult<()> {
    diesel::insert_into(units::table).values(row).execute(conn).map(|_| ())
}

/// Ends an account (offboarding): inactive, next version.
pub fn deactivate_user(conn: &mut DbConnection, id: &str, version: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::active.eq(false), users::version.eq(version + 1), users::updated_at.eq(at)))
        .execute(conn)
        .map(|_| ())
}

/// How many of `ids` are units.
pub fn count_units(conn: &mut DbConnection, ids: &[String]) -> QueryResult<i64> {
    units::table.filter(units::id.eq_any(ids)).count().get_result(conn)
}

/// Units in the scope, ordered by path (parents before children), keyset on path.
pub fn list_units(
    conn: &mut DbConnection,
    scope: &Scope,
    after_path: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UnitRow>> {
    let mut q = units::table.filter(scope.holds_unit()).select(UnitRow::as_select()).into_boxed();
    if let Some(p) = after_path {
        q = q.filter(units::path.gt(p.to_owned()));
    }
    q.order(units::path.asc()).limit(limit).load(conn)
}

/// Compare-and-set on `version`: false when the row changed since it was read.
pub fn update_unit(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    code: Option<&str>,
    name: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let target = units::table.filter(units::id.eq(id)).filter(units::version.eq(version));
    let n = diesel::update(target)
        .set((
            code.map(|c| units::code.eq(c.to_owned())),
            name.map(|n| units::name.eq(n.to_owned())),
            units::version.eq(version + 1),
            units::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn count_users(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Display names of these users (one statement for a page of references).
pub fn display_names(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    users::table.filter(users::id.eq_any(ids)).select((users::id, users::display_name)).load(conn)
}

pub fn user(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

pub fn user_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()
}

/// A user together with the path of their unit (for scope checks).
pub fn user_with_path(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(UserRow, String)>> {
    users::table
        .inner_join(units::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), units::path))
        .first(conn)
        .optional()
}

pub fn insert_user(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table).values(row).execute(conn).map(|_| ())
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub unit_id: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
}

/// Users whose unit lies in the scope, keyset on id (UUIDv7: creation order).
pub fn list_users(
    conn: &mut DbConnection,
    scope: &Scope,
    f: &UserFilter,
    after_id: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let in_scope = scope.unit_ids();
    let mut q = users::table.filter(users::unit_id.eq_any(in_scope)).select(UserRow::as_select()).into_boxed();
    if let Some(u) = &f.unit_id {
        q = q.filter(users::unit_id.eq(u.clone()));
    }
    if let Some(r) = &f.role {
        q = q.filter(users::role.eq(r.clone()));
    }
    if let Some(a) = f.active {
        q = q.filter(users::active.eq(a));
    }
    if let Some(id) = after_id {
        q = q.filter(users::id.gt(id.to_owned()));
    }
    q.order(users::id.asc()).limit(limit).load(conn)
}

pub fn update_user(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    changes: &UserChanges,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    // Role, unit and active travel in tokens: remembered session checks must be made again.
    crate::auth::sessions::live::invalidate();
    let target = users::table.filter(users::id.eq(id)).filter(users::version.eq(version));
    let n = diesel::update(target)
        .set((changes, users::version.eq(version + 1), users::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn record_failed_login(conn: &mut DbConnection, id: &str, lock_until: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::failed_logins.eq(users::failed_logins + 1), users::locked_until.eq(lock_until)))
        .execute(conn)
        .map(|_| ())
}

pub fn record_login(conn: &mut DbConnection, id: &str, at: NaiveDateTime, new_hash: Option<&str>) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::last_login_at.eq(Some(at)),
            new_hash.map(|h| users::password_hash.eq(h.to_owned())),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What still hangs off a unit: child units, users, customers, API keys (in that order).
pub fn unit_dependants(conn: &mut DbConnection, id: &str) -> QueryResult<[i64; 4]> {
    use crate::db::schema::{api_keys, customers};
    Ok([
        units::table.filter(units::parent_id.eq(id)).count().get_result(conn)?,
        users::table.filter(users::unit_id.eq(id)).count().get_result(conn)?,
        customers::table.filter(customers::unit_id.eq(id)).count().get_result(conn)?,
        api_keys::table.filter(api_keys::unit_id.eq(id)).count().get_result(conn)?,
    ])
}

pub fn delete_unit(conn: &mut DbConnection, id: &str, version: i64) -> QueryResult<bool> {
    let n = diesel::delete(units::table.filter(units::id.eq(id)).filter(units::version.eq(version))).execute(conn)?;
    Ok(n == 1)
}

/// Holds a grant: any older pending grant of the same user is superseded by it.
pub fn hold_grant(conn: &mut DbConnection, row: &GrantRow) -> QueryResult<()> {
    diesel::update(
        user_grants::table.filter(user_grants::user_id.eq(&row.user_id)).filter(user_grants::status.eq(PENDING)),
    )
    .set(user_grants::status.eq("superseded"))
    .execute(conn)?;
    diesel::insert_into(user_grants::table).values(row).execute(conn).map(|_| ())
}

/// A pending grant and the path of its user's unit.
pub fn pending_grant(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(GrantRow, String)>> {
    user_grants::table
        .inner_join(users::table.inner_join(units::table))
        .filter(user_grants::id.eq(id))
        .filter(user_grants::status.eq(PENDING))
        .select((GrantRow::as_select(), units::path))
        .first(conn)
        .optional()
}

pub fn decide_grant(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(user_grants::table.find(id).filter(user_grants::status.eq(PENDING)))
        .set((user_grants::status.eq(status), user_grants::decided_by.eq(by), user_grants::decided_at.eq(at)))
        .execute(conn)
}

/// Pending grants of users in the scope, oldest first.
pub fn pending_grants(
    conn: &mut DbConnection,
    scope: &Scope,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(GrantRow, String)>> {
    let mut q = user_grants::table
        .inner_join(users::table.inner_join(units::table))
        .filter(user_grants::status.eq(PENDING))
        .filter(scope.holds_unit())
        .select((GrantRow::as_select(), users::username))
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(user_grants::id.gt(a.to_owned()));
    }
    q.order(user_grants::id.asc()).limit(limit).load(conn)
}

/// The pending grant of each of these users that has one.
pub fn pending_grant_ids(conn: &mut DbConnection, user_ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    user_grants::table
        .filter(user_grants::user_id.eq_any(user_ids))
        .filter(user_grants::status.eq(PENDING))
        .select((user_grants::user_id, user_grants::id))
        .load(conn)
}
