use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::store::{self, ApiKey, ApiKeyRow};
use crate::audit::{self, Event};
use crate::auth::permissions::GrantableScope;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::{ended_version, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub scopes: Vec<GrantableScope>,
    /// The unit the key acts for (default: the caller's).
    pub unit_id: Option<String>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The new key. `key` is shown this once and cannot be recovered.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    pub key: String,
    #[serde(flatten)]
    pub api_key: ApiKey,
}

/// API keys of the caller's scope.
#[utoipa::path(
    tag = "api_keys", operation_id = "list_api_keys", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<ApiKey>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<ApiKey>>, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let (limit, after) = (q.limit()?, q.cursor()?);
    let scope = Scope::of(&p);
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::list(c, &scope, after.as_deref(), limit + 1)?)).await?;
    let page = Page::from_rows(rows, limit, |k| k.id.clone());
    Ok(web::Json(Page { items: page.items.into_iter().map(ApiKey::from).collect(), next_cursor: page.next_cursor }))
}

/// Creates an API key for an integration; the response holds the key, once.
#[utoipa::path(
    tag = "api_keys", operation_id = "create_api_key", request_body = CreateApiKey, security(("bearer" = [])),
    responses((status = 201, body = CreatedApiKey), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateApiKey>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let Body(input) = body;
    if input.expires_at.is_some_and(|e| e <= chrono::Utc::now()) {
        return Err(ApiError::field("expires_at", "past"));
    }
    let mut scopes: Vec<&str> = input.scopes.iter().map(|s| s.as_str()).collect();
    scopes.sort();
    scopes.dedup();
    let (row, key) = ApiKeyRow::issue(
        input.name,
        scopes.join(" "),
        input.unit_id.unwrap_or_else(|| p.unit_id.clone()),
        p.id.clone(),
        input.expires_at.map(|e| e.naive_utc()),
        None,
    );
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            match crate::org::store::unit_path(c, &row.unit_id)? {
                Some(path) if p.sees_unit_path(&path) => {}
                _ => return Err(ApiError::field("unit_id", "not_found")),
            }
            store::insert(c, &row)?;
            audit::append(
                c,
                &p.actor(),
                Event::new("api_key.create", "api_key", Some(&row.id)).fields(&["name", "scopes", "unit_id"]),
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedApiKey { key, api_key: row.into() }))
}

/// Revokes an API key at once.
#[utoipa::path(
    tag = "api_keys", operation_id = "revoke_api_key", params(("id" = String, Path), ("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::ApiKeysManage)?;
    let expected = if_match(&req)?;
    state
        .db
        .write_as(p.owed(), move |c| {
            match store::get_with_path(c, &id)? {
                Some((key, path)) if p.sees_unit_path(&path) => {
                    expected.check(ended_version(key.revoked_at.is_some()))?;
                }
                _ => return Err(ApiError::NotFound),
            }
            store::revoke(c, &id)?;
            audit::append(c, &p.actor(), Event::new("api_key.revoke", "api_key", Some(&id)))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_keys).service(create_api_key).service(revoke_api_key);
}
