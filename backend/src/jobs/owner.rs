//! Who a job acts for. A job carries a snapshot of the principal that started it and runs with
//! exactly those rights, re-checked when it starts: a user disabled (or moved) since, or a key
//! revoked since, stops the job rather than lending it their old rights.

use serde::{Deserialize, Serialize};

use crate::auth::{Principal, PrincipalKind, Role};
use crate::db::{now, DbConnection};
use crate::error::ApiError;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobOwner {
    pub id: String,
    pub integration: bool,
    pub name: String,
    pub role: String,
    pub unit_id: String,
    pub unit_path: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl JobOwner {
    pub fn of(p: &Principal) -> JobOwner {
        JobOwner {
            id: p.id.clone(),
            integration: p.kind == PrincipalKind::Integration,
            name: p.name.clone(),
            role: p.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            unit_id: p.unit_id.clone(),
            unit_path: p.unit_path.clone(),
            scopes: p.scopes.clone(),
        }
    }

    /// The principal, if it may still act as it did when the job was started and holds `perm`.
    pub fn acting(&self, conn: &mut DbConnection, perm: crate::auth::Permission) -> Result<Principal, ApiError> {
        let p = self.principal(conn)?;
        p.require(perm)?;
        Ok(p)
    }

    /// The principal, if it may still act as it did when the job was started.
    pub fn principal(&self, conn: &mut DbConnection) -> Result<Principal, ApiError> {
        let still = if self.integration {
            crate::auth::api_keys::store::get_with_path(conn, &self.id)?.is_some_and(|(k, path)| {
                k.revoked_at.is_none() && k.expires_at.is_none_or(|t| t > now()) && path == self.unit_path
            })
        } else {
            crate::org::store::user_with_path(conn, &self.id)?.is_some_and(|(u, path)| {
                u.active && u.role == self.role && u.unit_id == self.unit_id && path == self.unit_path
            })
        };
        if !still {
            return Err(ApiError::conflict("job_owner_inactive"));
        }
        Ok(Principal {
            id: self.id.clone(),
            kind: if self.integration { PrincipalKind::Integration } else { PrincipalKind::Staff },
            name: self.name.clone(),
            role: Role::parse(&self.role),
            unit_id: self.unit_id.clone(),
            unit_path: self.unit_path.clone(),
            scopes: self.scopes.clone(),
            session_id: None,
            partner_id: None,
            ip: "job".into(),
            request_id: None,
            owed: crate::db::Owed::nothing(),
        })
    }
}
