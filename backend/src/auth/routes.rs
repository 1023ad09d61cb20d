use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::principal::PrincipalKind;
use super::sessions::service::{self as sessions, Attempt, Refreshed};
use super::{password, Principal, Role};
use crate::audit::Actor;
use crate::error::{ApiError, Problem};
use crate::http::extract::client_ip;
use crate::http::extract::Body;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub username: String,
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one. Presenting a spent one ends the session.
    pub refresh_token: String,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: String,
}

fn tokens(state: &AppState, issued: sessions::Issued) -> Result<TokenResponse, ApiError> {
    Ok(TokenResponse {
        access_token: state.tokens.issue(&issued.session_id, &issued.staff)?,
        token_type: "Bearer".into(),
        expires_in: state.tokens.ttl_secs,
        refresh_token: issued.refresh_token,
    })
}

/// Signs in with username and password.
///
/// Throttled per client address, and per name and address: after repeated failures the name is
/// locked at that address for a while (429 with `Retry-After`), whatever password is sent, and
/// the same for names that do not exist. Further locks last longer; other addresses are not
/// affected.
#[utoipa::path(
    tag = "auth", operation_id = "login", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let Body(input) = body;
    let ip = client_ip(&req, state.settings.trust_proxy);
    state.login.check_ip(&ip)?;
    let actor = Actor::anonymous(&ip, crate::request::id());
    let max = state.settings.login_max_failures;
    let username = input.username.clone();
    let address = ip.clone();
    let attempt = state.db.run(move |c| sessions::begin_login(c, &username, &address)).await?;
    let name = input.username.clone();
    let user = match attempt {
        Attempt::Unknown => {
            let pw = input.password;
            state.login.hash_off_executor(move || password::verify_dummy(&pw)).await?;
            state.db.write(move |c| sessions::fail_login(c, &actor, &name, None, max, "failure")).await?;
            return Err(sessions::bad_credentials());
        }
        Attempt::Locked { retry_after_secs, user } => {
            state.db.write(move |c| sessions::fail_login(c, &actor, &name, user.as_ref(), max, "locked")).await?;
            return Err(ApiError::TooManyRequests { retry_after_secs });
        }
        Attempt::Check(user) => user,
    };
    let (pw, stored) = (input.password.clone(), user.password_hash.clone());
    let ok = state.login.hash_off_executor(move || password::verify(&pw, &stored)).await?;
    if !ok || !user.active {
        let outcome = if ok { "disabled" } else { "failure" };
        state.db.write(move |c| sessions::fail_login(c, &actor, &name, Some(&user), max, outcome)).await?;
        return Err(sessions::bad_credentials());
    }
    let upgraded = if sessions::wants_upgrade(&user) {
        let pw = input.password;
        Some(state.login.hash_off_executor(move || password::hash(&pw)).await?)
    } else {
        None
    };
    let ttl = state.settings.refresh_ttl_secs;
    let (name, address) = (input.username.clone(), ip.clone());
    let issued = state
        .db
        .write(move |c| {
            crate::auth::lockout::succeeded(c, &name, &address)?;
            sessions::succeed_login(c, &actor, &user, ttl, upgraded)
        })
        .await?;
    Ok(web::Json(tokens(&state, issued)?))
}

/// Trades a refresh token for a new access token and a new refresh token.
#[utoipa::path(
    tag = "auth", operation_id = "refresh", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let Body(input) = body;
    let ip = client_ip(&req, state.settings.trust_proxy);
    let actor = Actor::anonymous(&ip, crate::request::id());
    let outcome = state.db.write(move |c| sessions::refresh(c, &actor, &input.refresh_token)).await?;
    match outcome {
        Refreshed::Rotated(issued) => Ok(web::Json(tokens(&state, issued)?)),
        Refreshed::Reused => Err(ApiError::Unauthorized("refresh_reused")),
        Refreshed::Invalid => Err(ApiError::Unauthorized("refresh_invalid")),
    }
}

/// Ends the caller's session: its refresh tokens and access tokens stop working.
#[utoipa::path(
    tag = "auth", operation_id = "logout", security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, p: Principal) -> Result<HttpResponse, ApiError> {
    let session = p.session_id.clone().ok_or(ApiError::bad_request("api_key_no_session"))?;
    let actor = p.actor();
    state.db.write_as(p.owed(), move |c| sessions::logout(c, &actor, &session)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub kind: PrincipalKind,
    /// Username, or the API key's name.
    pub name: String,
    pub role: Option<Role>,
    pub unit_id: String,
    pub scopes: Vec<String>,
    /// What the UI may offer; the API checks again on every call.
    pub permissions: Vec<String>,
}

/// Who the caller is, with role, unit and permissions.
#[utoipa::path(
    tag = "auth", operation_id = "get_me", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/me")]
pub async fn me(p: Principal) -> web::Json<Me> {
    // Tier settings and runs span the group: offered only to someone who sees all of it.
    let whole_group = crate::org::scope::Scope::of(&p).is_whole_group();
    let permissions = super::Permission::ALL
        .into_iter()
        .filter(|perm| p.allows(*perm) && (*perm != super::Permission::TiersManage || whole_group))
        .map(|perm| perm.scope().to_owned())
        .collect();
    web::Json(Me {
        id: p.id,
        kind: p.kind,
        name: p.name,
        role: p.role,
        unit_id: p.unit_id,
        scopes: p.scopes,
        permissions,
    })
}

/// The public key(s) that verify access tokens (RFC 7517).
#[utoipa::path(
    tag = "auth", operation_id = "jwks",
    responses((status = 200, body = Object, description = "JWK set"))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> web::Json<serde_json::Value> {
    web::Json(state.keys.jwks())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me);
}
