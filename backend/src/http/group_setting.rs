//! A settings row that holds for the whole group (the marketing rules, the loyalty rules): anyone
//! the handler lets read it reads it with its version as `ETag`; only someone who sees the whole
//! group replaces it, under `If-Match`, audited. The handler requires the permission first.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;
use validator::Validate;

use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::db::{now, DbConnection};
use crate::error::ApiError;
use crate::http::etag::{etag, if_match};
use crate::org::scope::Scope;
use crate::state::AppState;

pub trait GroupSetting: Serialize + Validate + Send + Sized + 'static {
    /// The audit action and entity of a change, e.g. `marketing.rules` on `marketing_rules`.
    const ACTION: &'static str;
    const ENTITY: &'static str;
    /// The setting and its version.
    fn load(conn: &mut DbConnection) -> QueryResult<(Self, i64)>;
    /// Saves it as `version + 1` if it is still at `version`; false when it is not.
    fn store(&self, conn: &mut DbConnection, version: i64, by: &str, at: NaiveDateTime) -> QueryResult<bool>;
}

// The principal is borrowed: the handler that calls these has already required the permission.
pub async fn read<S: GroupSetting>(state: &web::Data<AppState>, p: &Principal) -> Result<HttpResponse, ApiError> {
    let (value, version) = state.db.run_as(p.owed(), |c| Ok(S::load(c)?)).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(version))).json(value))
}

pub async fn replace<S: GroupSetting>(
    state: &web::Data<AppState>,
    p: &Principal,
    req: &HttpRequest,
    value: S,
) -> Result<HttpResponse, ApiError> {
    if !Scope::of(p).is_whole_group() {
        return Err(ApiError::Forbidden);
    }
    let expected = if_match(req)?;
    value.validate()?;
    let p = p.clone();
    let (value, version) = state
        .db
        .write_as(p.owed(), move |c| {
            let (_, current) = S::load(c)?;
            let version = expected.check(current)?;
            if !value.store(c, version, &p.id, now())? {
                return Err(ApiError::PreconditionFailed);
            }
            audit::append(c, &p.actor(), Event::new(S::ACTION, S::ENTITY, None))?;
            Ok(S::load(c)?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(version))).json(value))
}
