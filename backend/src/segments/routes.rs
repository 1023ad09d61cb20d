use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::schema::SegmentRule;
use super::store::{self, SegmentRow};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::customers::dto::{Customer, CustomerCount};
use crate::customers::{rule, service as customers, store as customer_store};
use crate::db::{new_id, now};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub description: Option<String>,
    #[schema(value_type = SegmentRule)]
    pub rule: serde_json::Value,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    #[schema(value_type = SegmentRule)]
    pub rule: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Segment {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub description: Option<String>,
    #[schema(value_type = SegmentRule)]
    pub rule: serde_json::Value,
    /// Also the `ETag`; a change sends it as `If-Match`.
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<SegmentRow> for Segment {
    type Error = ApiError;
    fn try_from(r: SegmentRow) -> Result<Self, ApiError> {
        Ok(Segment {
            rule: serde_json::from_str(&r.rule)?,
            id: r.id,
            unit_id: r.unit_id,
            name: r.name,
            description: r.description,
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        })
    }
}

/// The customer-list filter of a rule (checked here: 422 with the path of a bad node).
pub(super) fn filter_of(tree: &serde_json::Value) -> Result<customer_store::Filter, ApiError> {
    rule::parse(tree)?;
    Ok(customer_store::Filter { rule: Some(tree.clone()), ..Default::default() })
}

/// How many customers the caller may see match a rule, without saving it — the live count of
/// a segment being edited. Customers who withdrew profiling are not counted.
#[utoipa::path(
    tag = "segments", operation_id = "preview_segment", request_body = RuleInput, security(("bearer" = [])),
    responses((status = 200, body = CustomerCount), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/segments/preview")]
pub async fn preview_segment(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<RuleInput>,
) -> Result<web::Json<CustomerCount>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let filter = filter_of(&body.0.rule)?;
    let (scope, viewer) = (Scope::of(&p), p.id.clone());
    let n = state.db.run_as(p.owed(), move |c| Ok(customer_store::count(c, &scope, &viewer, &filter)?)).await?;
    Ok(web::Json(CustomerCount { count: n, exact: true }))
}

/// Saves a segment for the caller's unit (managers).
#[utoipa::path(
    tag = "segments", operation_id = "create_segment", request_body = SegmentInput, security(("bearer" = [])),
    responses((status = 201, body = Segment, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/segments")]
pub async fn create_segment(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<SegmentInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::SegmentsManage)?;
    let Body(input) = body;
    rule::parse(&input.rule)?;
    let t = now();
    let row = SegmentRow {
        id: new_id(),
        unit_id: p.unit_id.clone(),
        name: input.name.trim().to_owned(),
        description: input.description,
        rule: serde_json::to_string(&input.rule)?,
        version: 1,
        created_by: Some(p.id.clone()),
        created_at: t,
        updated_at: t,
    };
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            store::insert(c, &row)?;
            audit::append(c, &p.actor(), Event::new("segment.create", "segment", Some(&row.id)))?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(("ETag", etag(row.version))).json(Segment::try_from(row)?))
}

/// The segments of the units the caller sees.
#[utoipa::path(
    tag = "segments", operation_id = "list_segments", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Segment>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/segments")]
pub async fn list_segments(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Segment>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let (limit, after) = (q.limit()?, q.cursor()?);
    let scope = Scope::of(&p);
    let rows = state.db.run_as(p.owed(), move |c| Ok(store::list(c, &scope, after.as_deref(), limit + 1)?)).await?;
    let page = Page::from_rows(rows, limit, |r| r.id.clone());
    Ok(web::Json(Page {
        items: page.items.into_iter().map(Segment::try_from).collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "segments", operation_id = "get_segment", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Segment, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
/// One segment (another unit's is not found).
#[get("/segments/{id}")]
pub async fn get_segment(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersRead)?;
    let scope = Scope::of(&p);
    let row = state.db.run_as(p.owed(), move |c| store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(row.version))).json(Segment::try_from(row)?))
}

/// Changes a segment's name, description and rule (managers; `If-Match`).
#[utoipa::path(
    tag = "segments", operation_id = "update_segment", request_body = SegmentInput,
    params(("id" = String, Path), ("If-Match" = String, Header)), security(("bearer" = [])),
    responses((status = 200, body = Segment, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/segments/{id}")]
pub async fn update_segment(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<SegmentInput>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::SegmentsManage)?;
    let expected = if_match(&req)?;
    let Body(input) = body;
    rule::parse(&input.rule)?;
    let text = serde_json::to_string(&input.rule)?;
    let scope = Scope::of(&p);
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            let row = store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            let version = expected.check(row.version)?;
            let fields = (input.name.trim(), input.description.as_deref(), text.as_str());
            if !store::update(c, &row.id, version, fields, now())? {
                return Err(ApiError::PreconditionFailed);
            }
            audit::append(c, &p.actor(), Event::new("segment.update", "segment", Some(&row.id)))?;
            store::get(c, &scope, &row.id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(row.version))).json(Segment::try_from(row)?))
}

/// Deletes a segment (managers).
#[utoipa::path(
    tag = "segments", operation_id = "delete_segment", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/segments/{id}")]
pub async fn delete_segment(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::SegmentsManage)?;
    let scope = Scope::of(&p);
    state
        .db
        .write_as(p.owed(), move |c| {
            let row = store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            store::delete(c, &row.id)?;
            audit::append(c, &p.actor(), Event::new("segment.delete", "segment", Some(&row.id)))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The segment's members among the customers the caller sees, evaluated now: paged, sorted and
/// masked exactly like the customer list.
#[utoipa::path(
    tag = "segments", operation_id = "list_segment_members", params(("id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Page<Customer>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/segments/{id}/members")]
pub async fn list_segment_members(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Customer>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let limit = q.limit()?;
    let sort = customer_store::Sort::NewestFirst;
    let after = sort.after(q.cursor()?)?;
    let st = state.clone();
    let (scope, viewer) = (Scope::of(&p), p.id.clone());
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let segment = store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            let filter = filter_of(&serde_json::from_str(&segment.rule)?)?;
            let rows = customer_store::list(c, &scope, &viewer, &filter, sort, after, limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| sort.key(r));
            Ok(Page { items: customers::views(c, &st.cipher, &p, page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentExport {
    pub format: crate::customers::bulk::export::ExportFormat,
}

/// Exports the segment's members as the caller sees them now — a customer export job (CSV, XLSX
/// or JSON; masked for the caller's role, audited, the file the caller's alone), with the
/// segment's rule as its filter.
#[utoipa::path(
    tag = "segments", operation_id = "export_segment", params(("id" = String, Path)), request_body = SegmentExport,
    security(("bearer" = [])),
    responses((status = 202, body = crate::jobs::model::Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/segments/{id}/exports")]
pub async fn export_segment(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<SegmentExport>,
) -> Result<HttpResponse, ApiError> {
    use crate::customers::bulk::{export, routes::EXPORT_KINDS};
    p.require(Permission::CustomersExport)?;
    let format = body.0.format;
    let scope = Scope::of(&p);
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            let segment = store::get(c, &scope, &id)?.ok_or(ApiError::NotFound)?;
            let filter = filter_of(&serde_json::from_str(&segment.rule)?)?;
            let owner = crate::jobs::owner::JobOwner::of(&p);
            let payload = export::Payload { owner, format, filter, lang: crate::i18n::current() };
            let payload = serde_json::to_value(&payload)?;
            crate::jobs::store::enqueue_export(c, &EXPORT_KINDS, export::KIND, &payload, &p.id, &p.unit_id)
        })
        .await?;
    let location = format!("/api/v1/jobs/{}", job.id);
    Ok(HttpResponse::Accepted().insert_header(("Location", location)).json(crate::jobs::model::Job::from(job)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(preview_segment)
        .service(create_segment)
        .service(list_segments)
        .service(get_segment)
        .service(update_segment)
        .service(delete_segment)
        .service(list_segment_members)
        .service(export_segment);
}
