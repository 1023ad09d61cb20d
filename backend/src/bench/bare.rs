//! Reference endpoints for `guanxi bench`: the same SQL on the same pool as a real endpoint, with
//! none of the product around it (no token check, no permissions). Mounted only by the bench.

use actix_web::{web, HttpResponse};

use crate::auth::sessions::store;
use crate::customers;
use crate::error::ApiError;
use crate::state::AppState;

async fn bare_me(state: web::Data<AppState>, ids: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let (sub, sid) = ids.into_inner();
    let row = state.db.run(move |c| Ok(store::staff_for_session(c, &sub, &sid)?)).await?;
    Ok(HttpResponse::Ok().json(row))
}

/// The same query as GET /customers/{id} (row with unit path, owners, tags in one statement),
/// returning the stored row as it is: no token, no scope rule, no decryption, no masking.
async fn bare_customer(state: web::Data<AppState>, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let whole = state.db.run(move |c| customers::store::whole(c, &id)?.ok_or(ApiError::NotFound)).await?;
    let row = RawCustomer::from(&whole.row);
    Ok(HttpResponse::Ok().json(serde_json::json!({ "row": row, "owners": whole.owners, "tags": whole.tags })))
}

/// TechEmpower's "single query": one prepared single-row `SELECT` by key, as JSON — the floor of
/// any read through this stack and pool (B1-pg's reference).
async fn bare_single(state: web::Data<AppState>, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let name = state.db.run(move |c| customers::store::name(c, &id)?.ok_or(ApiError::NotFound)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "name": name })))
}

/// The list filters the bare list takes (GET /customers's own, after their checks).
#[derive(serde::Deserialize)]
struct BareFilter {
    tag: Option<String>,
    tier: Option<String>,
    segment_id: Option<String>,
}

/// The same list query as GET /customers?tag=… for a viewer, rows returned as stored.
async fn bare_customers_by_tag(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (scope, viewer, tag) = path.into_inner();
    let filter = BareFilter { tag: Some(tag), tier: None, segment_id: None };
    bare_list(state, scope, viewer, filter).await
}

/// The same list query as GET /customers?tier=… or ?segment_id=… (the segment's rule looked up
/// and compiled as the API does), rows returned as stored.
async fn bare_customers_filtered(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<BareFilter>,
) -> Result<HttpResponse, ApiError> {
    let (scope, viewer) = path.into_inner();
    bare_list(state, scope, viewer, q.into_inner()).await
}

async fn bare_list(
    state: web::Data<AppState>,
    scope: String,
    viewer: String,
    f: BareFilter,
) -> Result<HttpResponse, ApiError> {
    let rows = state
        .db
        .run(move |c| {
            let mut filter =
                customers::store::Filter { tag: f.tag, tier: f.tier, segment_id: f.segment_id, ..Default::default() };
            let scope = crate::org::scope::Scope::from_prefix(format!("/{}/", scope.replace('~', "/")));
            customers::store::resolve_segment(c, &scope, &mut filter)?;
            let rows = customers::store::list(
                c,
                &scope,
                &viewer,
                &filter,
                customers::store::Sort::NewestFirst,
                customers::store::After::Start,
                51,
            )?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let (owners, tags) = customers::store::owners_and_tags(c, &ids)?;
            Ok((rows.iter().map(RawCustomer::from).collect::<Vec<_>>(), owners, tags))
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": rows.0, "owners": rows.1, "tags": rows.2 })))
}

/// The queue counts of GET /tickets/counts for a viewer, the same SQL, no principal around it.
async fn bare_ticket_counts(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (scope, viewer) = path.into_inner();
    let counts = state
        .db
        .run(move |c| {
            let scope = crate::org::scope::Scope::from_prefix(format!("/{}/", scope.replace('~', "/")));
            Ok(crate::tickets::store::queue_counts(c, &scope, &viewer)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(counts))
}

/// The same SQL as GET /tickets?queue=unit: the page (51 rows, newest first) and its customers'
/// references, rows as stored.
async fn bare_ticket_page(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    use crate::tickets::routes::{queue_filter, Queue};
    let (scope, viewer) = path.into_inner();
    let page = state
        .db
        .run(move |c| {
            let scope = crate::org::scope::Scope::from_prefix(format!("/{}/", scope.replace('~', "/")));
            let filter = queue_filter(Queue::Unit, &viewer);
            let rows = crate::tickets::store::list(c, &scope, &viewer, &filter, None, 51)?;
            let ids: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
            let refs = customers::store::reachable_refs(c, &scope, &viewer, &ids)?;
            Ok(serde_json::json!({ "items": rows, "customers": refs }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A stored row, serialised as is (ciphertexts included).
#[derive(serde::Serialize)]
struct RawCustomer {
    id: String,
    unit_id: String,
    name: String,
    national_id: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    address: Option<String>,
    birth_date: Option<String>,
    source_channel: String,
    version: i64,
    created_at: chrono::NaiveDateTime,
}

impl From<&crate::customers::model::CustomerRow> for RawCustomer {
    fn from(r: &crate::customers::model::CustomerRow) -> Self {
        RawCustomer {
            id: r.id.clone(),
            unit_id: r.unit_id.clone(),
            name: r.name.clone(),
            national_id: r.national_id.clone(),
            mobile: r.mobile.clone(),
            email: r.email.clone(),
            address: r.address.clone(),
            birth_date: r.birth_date.clone(),
            source_channel: r.source_channel.clone(),
            version: r.version,
            created_at: r.created_at,
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bench/me/{sub}/{sid}", web::get().to(bare_me))
        .route("/bench/customers/{id}", web::get().to(bare_customer))
        .route("/bench/single/{id}", web::get().to(bare_single))
        .route("/bench/customers-by-tag/{scope}/{viewer}/{tag}", web::get().to(bare_customers_by_tag))
        .route("/bench/customers-filtered/{scope}/{viewer}", web::get().to(bare_customers_filtered))
        .route("/bench/ticket-counts/{scope}/{viewer}", web::get().to(bare_ticket_counts))
        .route("/bench/tickets/{scope}/{viewer}", web::get().to(bare_ticket_page));
}
