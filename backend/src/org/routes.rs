use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::{CreateUnit, CreateUser, Unit, UpdateUnit, UpdateUser, User};
use super::grants::{self, Grant};
use super::model::UserRow;
use super::{service, store};
use crate::auth::{password, Permission, Principal, Role};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

fn with_etag<T: serde::Serialize>(status: actix_web::http::StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status).insert_header(("ETag", etag(version))).json(body)
}

/// Units the caller can see (their subsidiary's subtree; the whole group for group staff).
#[utoipa::path(
    tag = "org", operation_id = "list_units", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Unit>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Unit>>, ApiError> {
    p.require(Permission::OrgRead)?;
    let (limit, after) = (q.limit()?, q.cursor()?);
    let scope = Scope::of(&p);
    let rows =
        state.db.run_as(p.owed(), move |c| Ok(store::list_units(c, &scope, after.as_deref(), limit + 1)?)).await?;
    let page = Page::from_rows(rows, limit, |u| u.path.clone());
    Ok(web::Json(Page { items: page.items.into_iter().map(Unit::from).collect(), next_cursor: page.next_cursor }))
}

/// One unit.
#[utoipa::path(
    tag = "org", operation_id = "get_unit", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Unit, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/units/{id}")]
pub async fn get_unit(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::OrgRead)?;
    let unit = state.db.run_as(p.owed(), move |c| service::visible_unit(c, &p, &id)).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, unit.version, &Unit::from(unit)))
}

/// Creates a subsidiary or department (admins).
#[utoipa::path(
    tag = "org", operation_id = "create_unit", request_body = CreateUnit, security(("bearer" = [])),
    responses((status = 201, body = Unit, headers(("ETag" = String), ("Location" = String, description = "The new resource"))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/units")]
pub async fn create_unit(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateUnit>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::OrgWrite)?;
    let Body(input) = body;
    let unit = state.db.write_as(p.owed(), move |c| service::create_unit(c, &p, input)).await?;
    let location = format!("/api/v1/units/{}", unit.id);
    let mut res = with_etag(actix_web::http::StatusCode::CREATED, unit.version, &Unit::from(unit));
    res.headers_mut().insert(actix_web::http::header::LOCATION, location.parse().map_err(ApiError::internal)?);
    Ok(res)
}

/// Renames a unit or changes its code. Needs `If-Match`.
#[utoipa::path(
    tag = "org", operation_id = "update_unit", params(("id" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateUnit, security(("bearer" = [])),
    responses((status = 200, body = Unit, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[patch("/units/{id}")]
pub async fn update_unit(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<UpdateUnit>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::OrgWrite)?;
    let Body(input) = body;
    let expected = if_match(&req)?;
    let unit = state.db.write_as(p.owed(), move |c| service::update_unit(c, &p, &id, &expected, input)).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, unit.version, &Unit::from(unit)))
}

/// Deletes an empty unit (no sub-units, users, customers or keys). Needs `If-Match`.
#[utoipa::path(
    tag = "org", operation_id = "delete_unit", params(("id" = String, Path), ("If-Match" = String, Header)),
    security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/units/{id}")]
pub async fn delete_unit(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::OrgWrite)?;
    let expected = if_match(&req)?;
    state.db.write_as(p.owed(), move |c| service::delete_unit(c, &p, &id, &expected)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub unit_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Staff users in the caller's scope.
#[utoipa::path(
    tag = "org", operation_id = "list_users", params(UserQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<User>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<UserQuery>,
) -> Result<web::Json<Page<User>>, ApiError> {
    p.require(Permission::UsersRead)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor };
    let (limit, after) = (page.limit()?, page.cursor()?);
    let filter =
        store::UserFilter { unit_id: q.unit_id, role: q.role.map(|r| r.as_str().to_owned()), active: q.active };
    let scope = Scope::of(&p);
    let (page, grants) = state
        .db
        .run_as(p.owed(), move |c| {
            let rows = store::list_users(c, &scope, &filter, after.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |u| u.id.clone());
            let ids: Vec<String> = page.items.iter().map(|u| u.id.clone()).collect();
            Ok((page, store::pending_grant_ids(c, &ids)?))
        })
        .await?;
    let items = page.items.into_iter().map(|u| with_grant(u, &grants)).collect();
    Ok(web::Json(Page { items, next_cursor: page.next_cursor }))
}

/// The user as shown, with its pending grant if it has one.
fn with_grant(u: UserRow, grants: &[(String, String)]) -> User {
    let pending = grants.iter().find(|(user, _)| *user == u.id).map(|(_, g)| g.clone());
    User { pending_grant: pending, ..User::from(u) }
}

/// A user and its pending grant, read after a change.
fn shown(c: &mut crate::db::DbConnection, u: UserRow) -> Result<User, ApiError> {
    let grants = store::pending_grant_ids(c, std::slice::from_ref(&u.id))?;
    Ok(with_grant(u, &grants))
}

/// One staff user.
#[utoipa::path(
    tag = "org", operation_id = "get_user", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = User, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::UsersRead)?;
    let user = state.db.run_as(p.owed(), move |c| service::visible_user(c, &p, &id).and_then(|u| shown(c, u))).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, user.version, &user))
}

/// Creates a staff user (admins).
#[utoipa::path(
    tag = "org", operation_id = "create_user", request_body = CreateUser, security(("bearer" = [])),
    responses((status = 201, body = User, headers(("ETag" = String), ("Location" = String, description = "The new resource"))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::UsersWrite)?;
    let Body(input) = body;
    password::check_policy(&input.password)?;
    let pw = input.password.clone();
    let hash = state.login.hash_off_executor(move || password::hash(&pw)).await?;
    let user = state
        .db
        .write_as(p.owed(), move |c| service::create_user(c, &p, input, hash).and_then(|u| shown(c, u)))
        .await?;
    let location = format!("/api/v1/users/{}", user.id);
    let mut res = with_etag(actix_web::http::StatusCode::CREATED, user.version, &user);
    res.headers_mut().insert(actix_web::http::header::LOCATION, location.parse().map_err(ApiError::internal)?);
    Ok(res)
}

/// Changes a user: name, role, unit, active, password. Needs `If-Match`.
///
/// Disabling an account or setting its password ends all its sessions.
#[utoipa::path(
    tag = "org", operation_id = "update_user", params(("id" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateUser, security(("bearer" = [])),
    responses((status = 200, body = User, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::UsersWrite)?;
    let Body(input) = body;
    let expected = if_match(&req)?;
    let hash = match input.password.clone() {
        Some(pw) => {
            password::check_policy(&pw)?;
            Some(state.login.hash_off_executor(move || password::hash(&pw)).await?)
        }
        None => None,
    };
    let user = state
        .db
        .write_as(p.owed(), move |c| service::update_user(c, &p, &id, &expected, input, hash).and_then(|u| shown(c, u)))
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, user.version, &user))
}

/// A staff member leaves: their customers go to the successors (in turn), each affected customer
/// is owed a notification of the new contact, and the account and its sessions end.
#[utoipa::path(
    tag = "org", operation_id = "offboard_user", params(("id" = String, Path)), request_body = super::offboard::OffboardRequest,
    security(("bearer" = [])),
    responses((status = 200, body = super::offboard::OffboardResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/users/{id}/offboard")]
pub async fn offboard_user(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<super::offboard::OffboardRequest>,
) -> Result<web::Json<super::offboard::OffboardResult>, ApiError> {
    p.require(Permission::UsersWrite)?;
    let Body(input) = body;
    let result = state.db.write_as(p.owed(), move |c| super::offboard::offboard(c, &p, &id, input)).await?;
    Ok(web::Json(result))
}

/// Changes waiting for approval (four eyes) of users in the caller's scope, oldest first: for
/// administrators to follow and for compliance officers and managers to decide.
#[utoipa::path(
    tag = "org", operation_id = "list_user_grants", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Grant>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/user-grants")]
pub async fn list_user_grants(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Grant>>, ApiError> {
    p.require_any(&[Permission::UsersRead, Permission::GrantsApprove])?;
    let (limit, after) = (q.limit()?, q.cursor()?);
    let scope = Scope::of(&p);
    let rows =
        state.db.run_as(p.owed(), move |c| Ok(store::pending_grants(c, &scope, after.as_deref(), limit + 1)?)).await?;
    Ok(web::Json(Page::from_rows(rows, limit, |(g, _)| g.id.clone()).map(Grant::from)))
}

/// Approves a waiting change: it applies now (a second person of a role that reads clear data,
/// not the requester and not the user).
#[utoipa::path(
    tag = "org", operation_id = "approve_user_grant", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = User), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/user-grants/{id}/approve")]
pub async fn approve_user_grant(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::GrantsApprove)?;
    let user = state.db.write_as(p.owed(), move |c| grants::approve(c, &p, &id).and_then(|u| shown(c, u))).await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, user.version, &user))
}

/// Rejects a waiting change: it never applies.
#[utoipa::path(
    tag = "org", operation_id = "reject_user_grant", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/user-grants/{id}/reject")]
pub async fn reject_user_grant(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::GrantsApprove)?;
    state.db.write_as(p.owed(), move |c| grants::reject(c, &p, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_units)
        .service(get_unit)
        .service(create_unit)
        .service(update_unit)
        .service(delete_unit)
        .service(list_users)
        .service(get_user)
        .service(create_user)
        .service(update_user)
        .service(offboard_user)
        .service(list_user_grants)
        .service(approve_user_grant)
        .service(reject_user_grant);
}
