use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::{
    BulkResult, BulkUpdate, CreateCustomer, Customer, CustomerCount, CustomerQuery, DuplicateCandidate, HistoryEntry,
    MergedInto, RevealRequest, Revealed, UpdateCustomer,
};
use super::{service, store};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::etag::{etag, if_match};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

fn reply(status: StatusCode, c: &Customer) -> HttpResponse {
    HttpResponse::build(status).insert_header(("ETag", etag(c.version))).json(c)
}

/// The masked view of one row, in the caller's database call (no second trip after a write).
fn one_view(
    c: &mut crate::db::DbConnection,
    st: &AppState,
    p: &Principal,
    row: super::model::CustomerRow,
) -> Result<Customer, ApiError> {
    service::views(c, &st.cipher, p, vec![row])?.pop().ok_or(ApiError::NotFound)
}

/// Creates a customer in the caller's unit.
///
/// National id, mobile, email, address and birth date are validated, encrypted at rest and
/// returned masked for the caller's role. Birth date and gender follow from a national id.
#[utoipa::path(
    tag = "customers", operation_id = "create_customer", request_body = CreateCustomer, security(("bearer" = [])),
    responses((status = 201, body = Customer, headers(("ETag" = String), ("Location" = String, description = "The new resource"))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers")]
pub async fn create_customer(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<CreateCustomer>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let st = state.clone();
    let view = state
        .db
        .write_as(p.owed(), move |c| {
            service::create(c, &st.cipher, &p, input).and_then(|row| one_view(c, &st, &p, row))
        })
        .await?;
    let location = format!("/api/v1/customers/{}", view.id);
    let mut res = reply(StatusCode::CREATED, &view);
    res.headers_mut().insert(actix_web::http::header::LOCATION, location.parse().map_err(ApiError::internal)?);
    Ok(res)
}

/// One customer, masked for the caller's role. Another unit's customer is 404.
#[utoipa::path(
    tag = "customers", operation_id = "get_customer", params(("id" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = Customer, headers(("ETag" = String))),
        (status = 307, description = "The customer was merged into another one, which the caller may read: `Location` names it.",
            body = MergedInto, headers(("Location" = String))),
        (status = "4XX", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersRead)?;
    let (st, id) = (state.clone(), id.into_inner());
    let found = state
        .db
        .run_as(p.owed(), move |c| match super::access::readable_whole(c, &p, &id) {
            Ok(whole) => service::view(&st.cipher, &p, whole.row, whole.owners, whole.tags).map(Ok),
            // A merged record's id leads to the one it was merged into.
            Err(ApiError::NotFound) => super::merge::service::surviving(c, &p, &id)?.map(Err).ok_or(ApiError::NotFound),
            Err(e) => Err(e),
        })
        .await?;
    match found {
        Ok(view) => Ok(reply(StatusCode::OK, &view)),
        Err(successor) => Ok(HttpResponse::TemporaryRedirect()
            .insert_header(("Location", format!("/api/v1/customers/{successor}")))
            .json(MergedInto { merged_into: successor })),
    }
}

/// Changes a customer; absent fields stay. Needs `If-Match`.
#[utoipa::path(
    tag = "customers", operation_id = "update_customer", params(("id" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateCustomer, security(("bearer" = [])),
    responses((status = 200, body = Customer, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<UpdateCustomer>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let expected = if_match(&req)?;
    let (st, id) = (state.clone(), id.into_inner());
    let view = state
        .db
        .write_as(p.owed(), move |c| {
            service::update(c, &st.cipher, &p, &id, &expected, input).and_then(|row| one_view(c, &st, &p, row))
        })
        .await?;
    Ok(reply(StatusCode::OK, &view))
}

/// Deletes a customer (soft: the record leaves every list and read). Needs `If-Match`.
#[utoipa::path(
    tag = "customers", operation_id = "delete_customer", params(("id" = String, Path), ("If-Match" = String, Header)),
    security(("bearer" = [])),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/customers/{id}")]
pub async fn delete_customer(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let expected = if_match(&req)?;
    state.db.write_as(p.owed(), move |c| service::delete(c, &p, &id, &expected)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Shows full values of chosen fields for a stated purpose (managers, compliance).
///
/// At most 20 reveals per user per hour; each is audited with the fields and the purpose.
#[utoipa::path(
    tag = "customers", operation_id = "reveal_customer", params(("id" = String, Path)), request_body = RevealRequest,
    security(("bearer" = [])),
    responses((status = 200, body = Revealed), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/reveal")]
pub async fn reveal_customer(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<RevealRequest>,
) -> Result<web::Json<Revealed>, ApiError> {
    p.require(Permission::CustomersReveal)?;
    let Body(input) = body;
    let st = state.clone();
    let revealed = state.db.write_as(p.owed(), move |c| service::reveal(c, &st.cipher, &p, &id, input)).await?;
    Ok(web::Json(revealed))
}

/// Customers the caller may see, keyset-paginated.
///
/// Exact mobile, email and national id are matched through blind indexes, so they are searchable
/// without being stored in clear.
#[utoipa::path(
    tag = "customers", operation_id = "list_customers", params(CustomerQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Customer>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers")]
pub async fn list_customers(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<CustomerQuery>,
) -> Result<web::Json<Page<Customer>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let limit = page.limit()?;
    let sort = q.sort.unwrap_or_default();
    let after = sort.after(page.cursor()?)?;
    let mut filter = service::filter_of(&state.cipher, q)?;
    let st = state.clone();
    let (scope, viewer) = (Scope::of(&p), p.id.clone());
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            store::resolve_segment(c, &scope, &mut filter)?;
            let rows = store::list(c, &scope, &viewer, &filter, sort, after, limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| sort.key(r));
            Ok(Page { items: service::views(c, &st.cipher, &p, page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// One change to many customers: add tags, or give them account managers (managers, agents with
/// write access). All or nothing, in one transaction; each customer audited and announced as a
/// single change is. A customer out of the caller's reach is 404 and nothing changes.
#[utoipa::path(
    tag = "customers", operation_id = "bulk_update_customers", request_body = BulkUpdate, security(("bearer" = [])),
    responses((status = 200, body = BulkResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/bulk-updates")]
pub async fn bulk_update_customers(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<BulkUpdate>,
) -> Result<web::Json<BulkResult>, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let st = state.clone();
    let updated = state.db.write_as(p.owed(), move |c| service::bulk_update(c, &st.cipher, &p, input)).await?;
    Ok(web::Json(BulkResult { updated }))
}

/// Up to this many customers a list's count is exact; beyond it the count says "more than".
pub const COUNT_CAP: i64 = 10_000;

/// How many customers a list's filters select (the filters of `GET /customers`; `limit`,
/// `cursor` and `sort` do not matter): exact up to 10,000, beyond that `count` is 10,000 and
/// `exact` is false. At most 10,001 rows are read, however large the table.
#[utoipa::path(
    tag = "customers", operation_id = "count_customers", params(CustomerQuery), security(("bearer" = [])),
    responses((status = 200, body = CustomerCount), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/count")]
pub async fn count_customers(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<CustomerQuery>,
) -> Result<web::Json<CustomerCount>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let q = q.into_inner();
    // The list's paging parameters are accepted for a shared query string, and held to the same
    // rules, though they do not change the count.
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    page.limit()?;
    q.sort.unwrap_or_default().after(page.cursor()?)?;
    let mut filter = service::filter_of(&state.cipher, q)?;
    let (scope, viewer) = (Scope::of(&p), p.id.clone());
    let n = state
        .db
        .run_as(p.owed(), move |c| {
            store::resolve_segment(c, &scope, &mut filter)?;
            Ok(store::count_up_to(c, &scope, &viewer, &filter, COUNT_CAP)?)
        })
        .await?;
    Ok(web::Json(CustomerCount { count: n.min(COUNT_CAP), exact: n <= COUNT_CAP }))
}

/// Customers who may be the same person as this one (shared mobile, email or national id, or the
/// same name and birth date), for a person to review. Nothing is merged automatically.
#[utoipa::path(
    tag = "customers", operation_id = "list_duplicates", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<DuplicateCandidate>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/duplicates")]
pub async fn list_duplicates(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<DuplicateCandidate>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let st = state.clone();
    let found = state.db.run_as(p.owed(), move |c| service::duplicates(c, &st.cipher, &p, &id)).await?;
    Ok(web::Json(found))
}

/// One timeline of what was done to a customer, newest first, with who did it: creation, changes
/// (field names), reveals with their purpose, merges, consents given and withdrawn, purchases,
/// preferences, feedback and contacts recorded, privacy requests, shares, legal holds — from the
/// audit log, for anyone who may see the customer.
#[utoipa::path(
    tag = "customers", operation_id = "customer_history", params(("id" = String, Path), PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<HistoryEntry>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/history")]
pub async fn customer_history(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    p.require(Permission::CustomersRead)?;
    let limit = q.limit()?;
    let before = q.seq_cursor()?;
    let (rows, names) = state
        .db
        .run_as(p.owed(), move |c| {
            super::access::readable(c, &p, &id)?;
            let rows = store::history(c, &id, before, limit + 1)?;
            // Who did it, by name: one statement for the page's actors.
            let mut actors: Vec<String> = rows.iter().filter_map(|r| r.actor_id.clone()).collect();
            actors.sort_unstable();
            actors.dedup();
            Ok((rows, crate::org::store::display_names(c, &actors)?))
        })
        .await?;
    let name_of = |id: &Option<String>| names.iter().find(|(u, _)| Some(u) == id.as_ref()).map(|(_, n)| n.clone());
    Ok(web::Json(Page::from_rows(rows, limit, |r| r.seq.to_string()).map(|r| HistoryEntry {
        at: r.at.and_utc(),
        fields: serde_json::from_str(&r.fields).unwrap_or_default(),
        action: r.action,
        actor_name: name_of(&r.actor_id),
        actor_id: r.actor_id,
        actor_kind: r.actor_kind,
        actor_role: r.actor_role,
        purpose: r.purpose,
    })))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_customers)
        .service(count_customers)
        .service(bulk_update_customers)
        .service(create_customer)
        .service(get_customer)
        .service(update_customer)
        .service(delete_customer)
        .service(reveal_customer)
        .service(list_duplicates)
        .service(customer_history);
}
