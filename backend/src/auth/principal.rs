//! The one `Principal` extractor: resolves `Authorization: Bearer …` (an access JWT or an API
//! key) into who is calling, with role, unit and scopes loaded fresh from the database so that a
//! disabled user, a revoked session or a revoked key stops working at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::Serialize;
use utoipa::ToSchema;

use super::permissions::{role_allows, Permission, Role};
use crate::audit::Actor;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    Staff,
    Integration,
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub id: String,
    pub kind: PrincipalKind,
    pub name: String,
    /// None when the stored role is unknown to this build: such a principal may do nothing.
    pub role: Option<Role>,
    pub unit_id: String,
    pub unit_path: String,
    pub scopes: Vec<String>,
    pub session_id: Option<String>,
    /// A partner's API key: such a principal reaches the partner API only.
    pub partner_id: Option<String>,
    pub ip: String,
    pub request_id: Option<String>,
    /// The live-session check this caller owes before its first use of data.
    pub owed: crate::db::Owed,
}

impl Principal {
    /// What this caller owes the database before its work runs: hand it to `DbPool::run_as` /
    /// `write_as` (`state.db.run_as(p.owed(), move |c| …)`).
    pub fn owed(&self) -> crate::db::Owed {
        self.owed.clone()
    }

    pub fn allows(&self, p: Permission) -> bool {
        match (self.kind, self.role) {
            (PrincipalKind::Integration, _) => self.scopes.iter().any(|s| s == p.scope()),
            (PrincipalKind::Staff, Some(role)) => role_allows(role, p),
            (PrincipalKind::Staff, None) => false,
        }
    }

    /// One of `any` suffices.
    pub fn require_any(&self, any: &[Permission]) -> Result<(), ApiError> {
        if any.iter().any(|p| self.allows(*p)) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The one authorization rule: handlers (and job entry points) require, services trust the
    /// principal they are handed.
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.allows(p) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The subtree this principal's data scope covers: its subsidiary (or the whole group for
    /// group-level staff). Units are paths `/group/subsidiary/department/`.
    pub fn scope_prefix(&self) -> String {
        scope_prefix(&self.unit_path)
    }

    pub fn sees_unit_path(&self, path: &str) -> bool {
        path.starts_with(&self.scope_prefix())
    }

    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.id.clone()),
            kind: match self.kind {
                PrincipalKind::Staff => "staff",
                PrincipalKind::Integration => "integration",
            }
            .to_owned(),
            role: self.role.map(|r| r.as_str().to_owned()),
            unit_id: Some(self.unit_id.clone()),
            ip: Some(self.ip.clone()),
            request_id: self.request_id.clone(),
        }
    }
}

pub fn scope_prefix(unit_path: &str) -> String {
    let segments: Vec<&str> = unit_path.split('/').filter(|s| !s.is_empty()).take(2).collect();
    format!("/{}/", segments.join("/"))
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("token_missing"))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("authorization_malformed"))?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::Unauthorized("authorization_malformed"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized("authorization_malformed"));
    }
    Ok(token.trim().to_owned())
}

async fn resolve(req: HttpRequest) -> Result<Principal, ApiError> {
    let p = identify(req.clone()).await?;
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::internal("state missing"))?;
    // Counted once the caller is known: a bad token costs the caller nothing here (login and
    // link throttles guard the anonymous doors).
    let (checked, rate) = match state.per_principal.check(&p.id) {
        Ok(rate) => (Ok(p), rate),
        Err((refused, rate)) => (Err(refused), rate),
    };
    req.extensions_mut().insert(super::throttle::RateNote(rate));
    checked
}

async fn identify(req: HttpRequest) -> Result<Principal, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("state missing"))?;
    let token = bearer(&req)?;
    let ip = crate::http::extract::client_ip(&req, state.settings.trust_proxy);
    let request_id = crate::request::id();
    if token.starts_with(super::api_keys::store::API_KEY_PREFIX) {
        let hash = crate::crypto::sha256_hex(token.as_bytes());
        let key = state.db.run(move |conn| super::api_keys::store::authenticate(conn, &hash)).await?;
        let key = key.ok_or(ApiError::Unauthorized("api_key_invalid"))?;
        return Ok(Principal {
            id: key.id,
            kind: PrincipalKind::Integration,
            name: key.name,
            role: Some(Role::Integration),
            unit_id: key.unit_id,
            unit_path: key.unit_path,
            scopes: key.scopes,
            session_id: None,
            partner_id: key.partner_id,
            ip,
            request_id,
            owed: crate::db::Owed::nothing(),
        });
    }
    let claims = state.tokens.verify(&token)?;
    // The session check is owed by the principal and runs in its first database trip
    // (`run_as`), so a revoked session, a disabled user or a changed role or unit stops this
    // token at once without a trip of its own. A check of the same claims that passed within
    // the last second on this server stands (sessions::live).
    let key = format!("{}|{}|{}|{}|{}", claims.sid, claims.sub, claims.role, claims.unit, claims.path);
    let live = state.live_sessions.clone();
    let owed = if live.fresh(&key) {
        crate::db::Owed::nothing()
    } else {
        let check = claims.clone();
        let epoch = super::sessions::live::LiveSessions::epoch();
        crate::db::Owed::new(move |conn| {
            let staff = super::sessions::store::staff_for_session(conn, &check.sub, &check.sid)?;
            match staff {
                Some(s) if s.live() && s.role == check.role && s.unit_id == check.unit && s.unit_path == check.path => {
                    live.remember(key, epoch);
                    Ok(())
                }
                _ => Err(ApiError::Unauthorized("session_ended")),
            }
        })
    };
    // Whatever the handler does, the middleware settles what is still owed after it.
    req.extensions_mut().insert(owed.clone());
    Ok(Principal {
        id: claims.sub,
        kind: PrincipalKind::Staff,
        name: claims.name,
        role: Role::parse(&claims.role),
        unit_id: claims.unit,
        unit_path: claims.path,
        scopes: Vec::new(),
        session_id: Some(claims.sid),
        partner_id: None,
        ip,
        request_id,
        owed,
    })
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        Box::pin(resolve(req.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_the_subsidiary_subtree() {
        assert_eq!(scope_prefix("/g/s1/d1/"), "/g/s1/");
        assert_eq!(scope_prefix("/g/s1/"), "/g/s1/");
        assert_eq!(scope_prefix("/g/"), "/g/");
    }

    #[test]
    fn unknown_roles_may_do_nothing() {
        let p = Principal {
            id: "u".into(),
            kind: PrincipalKind::Staff,
            name: "x".into(),
            role: None,
            unit_id: "g".into(),
            unit_path: "/g/".into(),
            scopes: vec![],
            session_id: None,
            partner_id: None,
            ip: "127.0.0.1".into(),
            request_id: None,
            owed: crate::db::Owed::nothing(),
        };
        assert!(!p.allows(Permission::OrgRead));
        let key = Principal { kind: PrincipalKind::Integration, scopes: vec!["org:read".into()], ..p };
        assert!(key.allows(Permission::OrgRead));
        assert!(!key.allows(Permission::JobsRead));
    }

    fn sources() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let path = e.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        out
    }

    /// The bodies of the async functions that take a principal (the handlers), by name.
    fn handlers(text: &str) -> Vec<(&str, &str)> {
        text.split("async fn ")
            .skip(1)
            .map(|item| item.split("\n}\n").next().unwrap_or(item))
            .filter(|body| {
                let signature = body.split(") ->").next().unwrap_or(body);
                signature.contains(": Principal,") || signature.contains(": Principal)")
            })
            .map(|body| (body.split(['(', '<']).next().unwrap_or(""), body))
            .collect()
    }

    /// Two rules a reviewer could miss, checked on the source:
    /// - a handler that takes a principal reaches the database with `run_as`/`write_as`: with
    ///   `run`/`write` its work would run before the session check (then left to the middleware);
    /// - handlers (and job entry points) authorize; services trust the principal they receive.
    #[test]
    fn handlers_settle_the_session_check_and_authorize() {
        // Any signed-in caller may read itself and sign out.
        const OPEN_TO_ANY_CALLER: [&str; 2] = ["me", "logout"];
        // Jobs act for the principal that started them and check it again when they run.
        const JOB_ENTRY_POINTS: [&str; 3] = ["jobs/owner.rs", "quality/job.rs", "privacy/retention.rs"];
        let (mut count, mut problems) = (0, Vec::new());
        for (file, text) in sources() {
            let found = handlers(&text);
            let own = |body: &str| body.contains(".require(") || body.contains(".require_any(");
            // A handler may delegate to a helper of its file that takes the principal and requires.
            let helpers: Vec<&str> = found.iter().filter(|(_, b)| own(b)).map(|(n, _)| *n).collect();
            for (name, body) in &found {
                count += 1;
                if body.contains(".run(") || body.contains(".write(") {
                    problems.push(format!("{file}: {name} uses the database without its session check"));
                }
                let delegates = helpers.iter().any(|h| h != name && body.contains(&format!("{h}(&state, p")));
                if !own(body) && !delegates && !OPEN_TO_ANY_CALLER.contains(name) {
                    problems.push(format!("{file}: {name} does not require a permission"));
                }
            }
            let entry = file.ends_with("routes.rs") || JOB_ENTRY_POINTS.iter().any(|j| file.ends_with(j));
            if !entry && !file.ends_with("principal.rs") && text.contains(".require(") {
                problems.push(format!("{file}: a service authorizes (handlers require, services trust)"));
            }
        }
        assert!(count > 60, "found only {count} handlers");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
