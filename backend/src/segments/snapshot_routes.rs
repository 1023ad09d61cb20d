use actix_web::{get, post, web, HttpResponse};

use super::snapshots::{self, Snapshot};
use super::store;
use crate::auth::{Permission, Principal};
use crate::customers::summary::{summaries, CustomerRef};
use crate::error::{ApiError, Problem};
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

/// Freezes the segment's members as the caller sees them now (managers): a campaign can target
/// the snapshot and reach exactly these customers. Customers who withdrew profiling are left out.
#[utoipa::path(
    tag = "segments", operation_id = "create_segment_snapshot", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 201, body = Snapshot), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/segments/{id}/snapshots")]
pub async fn create_segment_snapshot(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::SegmentsManage)?;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let segment = store::get(c, &Scope::of(&p), &id)?.ok_or(ApiError::NotFound)?;
            snapshots::take(c, &p, &segment)
        })
        .await?;
    Ok(HttpResponse::Created().json(Snapshot::from(row)))
}

/// The segment's snapshots, newest first.
#[utoipa::path(
    tag = "segments", operation_id = "list_segment_snapshots", params(("id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<Snapshot>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/segments/{id}/snapshots")]
pub async fn list_segment_snapshots(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Snapshot>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let limit = q.limit()?;
    let before = q.cursor()?;
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            let segment = store::get(c, &Scope::of(&p), &id)?.ok_or(ApiError::NotFound)?;
            Ok(snapshots::list(c, &segment.id, before.as_deref(), limit + 1)?)
        })
        .await?;
    let page = Page::from_rows(rows, limit, |r| r.id.clone());
    Ok(web::Json(Page { items: page.items.into_iter().map(Snapshot::from).collect(), next_cursor: page.next_cursor }))
}

/// A snapshot's members, masked for the caller; members the caller can no longer reach are left
/// out of the page.
#[utoipa::path(
    tag = "segments", operation_id = "list_snapshot_members", params(("id" = String, Path), ("snapshot_id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<CustomerRef>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/segments/{id}/snapshots/{snapshot_id}/members")]
pub async fn list_snapshot_members(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(String, String)>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<CustomerRef>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let limit = q.limit()?;
    let after = q.cursor()?;
    let (id, snapshot_id) = path.into_inner();
    let st = state.clone();
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let segment = store::get(c, &Scope::of(&p), &id)?.ok_or(ApiError::NotFound)?;
            let snapshot = snapshots::get(c, &segment.id, &snapshot_id)?.ok_or(ApiError::NotFound)?;
            let ids = snapshots::member_ids(c, &snapshot.id, after.as_deref(), limit + 1)?;
            let page = Page::from_rows(ids, limit, |id| id.clone());
            Ok(Page { items: summaries(c, &st.cipher, &p, &page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_segment_snapshot).service(list_segment_snapshots).service(list_snapshot_members);
}
