//! Request and response bodies. Requests reject unknown fields, so `id`, `version`, `path` and
//! audit fields can never be set by a client.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::{UnitRow, UserRow};
use crate::auth::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Group,
    Subsidiary,
    Department,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Group => "group",
            UnitKind::Subsidiary => "subsidiary",
            UnitKind::Department => "department",
        }
    }

    pub fn parse(s: &str) -> UnitKind {
        match s {
            "group" => UnitKind::Group,
            "subsidiary" => UnitKind::Subsidiary,
            _ => UnitKind::Department,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unit {
    pub id: String,
    pub parent_id: Option<String>,
    pub kind: UnitKind,
    pub code: String,
    pub name: String,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Unit {
            id: r.id,
            parent_id: r.parent_id,
            kind: UnitKind::parse(&r.kind),
            code: r.code,
            name: r.name,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

fn code_chars(code: &str) -> Result<(), validator::ValidationError> {
    if code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(())
    } else {
        let mut e = validator::ValidationError::new("format");
        e.add_param("allowed".into(), &"A-Z a-z 0-9 - _");
        Err(e)
    }
}

fn username_chars(name: &str) -> Result<(), validator::ValidationError> {
    if name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c)) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("format"))
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    /// The parent: the group for a subsidiary, a subsidiary for a department.
    pub parent_id: Option<String>,
    pub kind: UnitKind,
    #[validate(length(min = 1, max = 32), custom(function = "code_chars"))]
    #[schema(min_length = 1, max_length = 32, pattern = r"^[A-Za-z0-9_-]+$")]
    pub code: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnit {
    #[validate(length(min = 1, max = 32), custom(function = "code_chars"))]
    #[schema(min_length = 1, max_length = 32, pattern = r"^[A-Za-z0-9_-]+$")]
    pub code: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// Unknown roles read as null and may do nothing.
    pub role: Option<Role>,
    pub unit_id: String,
    pub active: bool,
    /// True while repeated failed logins from some address hold a lock on this account (sign-ins
    /// from other addresses still work; a successful sign-in clears the flag).
    pub locked: bool,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    /// A change waiting for a second person's approval (four eyes): its grant id.
    pub pending_grant: Option<String>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            locked: r.locked_until.is_some_and(|t| t > crate::db::now()),
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: Role::parse(&r.role),
            unit_id: r.unit_id,
            active: r.active,
            last_login_at: r.last_login_at.map(|t| t.and_utc()),
            pending_grant: None,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[validate(length(min = 2, max = 64), custom(function = "username_chars"))]
    #[schema(min_length = 2, max_length = 64, pattern = r"^[a-z0-9._-]+$")]
    pub username: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
    /// 10 to 256 characters.
    #[validate(length(min = 10, max = 256))]
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    pub role: Role,
    pub unit_id: String,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<String>,
    /// false disables the account and ends its sessions.
    pub active: Option<bool>,
    /// A new password; ends the user's sessions.
    #[validate(length(min = 10, max = 256))]
    #[schema(min_length = 10, max_length = 256)]
    pub password: Option<String>,
}
