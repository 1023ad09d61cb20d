use actix_web::{get, post, web, HttpResponse};

use super::dto::*;
use super::store;
use crate::auth::{Permission, Principal};
use crate::db::{new_id, now, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::outbox::Topic;
use crate::state::AppState;

/// Loads up to `limit` records of a customer older than the cursor id.
type LoadPage<R> = fn(&mut DbConnection, &str, Option<&str>, i64) -> diesel::QueryResult<Vec<R>>;

/// One page of a customer's records of some kind, newest first.
async fn page<R, V>(
    state: &web::Data<AppState>,
    p: Principal,
    customer_id: String,
    q: PageParams,
    load: LoadPage<R>,
    id_of: fn(&R) -> String,
) -> Result<web::Json<Page<V>>, ApiError>
where
    R: Send + 'static,
    V: From<R> + Send + 'static,
{
    p.require(Permission::CustomersRead)?;
    let (limit, before) = (q.limit()?, q.cursor()?);
    let rows = state
        .db
        .run_as(p.owed(), move |c| {
            super::readable(c, &p, &customer_id)?;
            Ok(load(c, &customer_id, before.as_deref(), limit + 1)?)
        })
        .await?;
    let page = Page::from_rows(rows, limit, id_of);
    Ok(web::Json(Page { items: page.items.into_iter().map(V::from).collect(), next_cursor: page.next_cursor }))
}

/// A customer's purchases and consumption (CUS-2), newest first.
#[utoipa::path(
    tag = "customers", operation_id = "list_purchases", params(("id" = String, Path), PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Purchase>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/purchases")]
pub async fn list_purchases(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Purchase>>, ApiError> {
    page(&state, p, id.into_inner(), q.into_inner(), store::purchases, |r: &PurchaseRow| r.id.clone()).await
}

/// A customer's preferences (CUS-3), newest first.
#[utoipa::path(
    tag = "customers", operation_id = "list_preferences", params(("id" = String, Path), PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Preference>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/preferences")]
pub async fn list_preferences(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Preference>>, ApiError> {
    page(&state, p, id.into_inner(), q.into_inner(), store::preferences, |r: &PreferenceRow| r.id.clone()).await
}

/// Records a preference: an interest, habit, brand, product or way to be contacted.
#[utoipa::path(
    tag = "customers", operation_id = "create_preference", params(("id" = String, Path)), request_body = CreatePreference,
    security(("bearer" = [])),
    responses((status = 201, body = Preference), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/preferences")]
pub async fn create_preference(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreatePreference>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            super::write(c, &p, &id, "preference", Topic::PreferenceCreated, |c, customer| {
                let row = PreferenceRow {
                    id: new_id(),
                    customer_id: customer.id.clone(),
                    category: input.category.as_str().into(),
                    value: input.value.trim().to_owned(),
                    created_by: Some(p.id.clone()),
                    created_at: now(),
                };
                store::insert_preference(c, &row)?;
                Ok((row.id.clone(), row))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(Preference::from(row)))
}

/// A customer's opinions, suggestions and complaints (CUS-4), newest first.
#[utoipa::path(
    tag = "customers", operation_id = "list_feedback", params(("id" = String, Path), PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Feedback>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/feedback")]
pub async fn list_feedback(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Feedback>>, ApiError> {
    page(&state, p, id.into_inner(), q.into_inner(), store::feedback, |r: &FeedbackRow| r.id.clone()).await
}

/// Records feedback from the customer.
#[utoipa::path(
    tag = "customers", operation_id = "create_feedback", params(("id" = String, Path)), request_body = CreateFeedback,
    security(("bearer" = [])),
    responses((status = 201, body = Feedback), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/feedback")]
pub async fn create_feedback(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreateFeedback>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            super::write(c, &p, &id, "feedback", Topic::FeedbackCreated, |c, customer| {
                let row = FeedbackRow {
                    id: new_id(),
                    customer_id: customer.id.clone(),
                    kind: input.kind.as_str().into(),
                    content: input.content,
                    channel: input.channel.as_str().into(),
                    ticket_id: None,
                    created_by: Some(p.id.clone()),
                    created_at: now(),
                };
                store::insert_feedback(c, &row)?;
                Ok((row.id.clone(), row))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(Feedback::from(row)))
}

/// The contact log: calls, visits, messages and emails with the customer, newest first.
#[utoipa::path(
    tag = "customers", operation_id = "list_contacts", params(("id" = String, Path), PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<Contact>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/{id}/contacts")]
pub async fn list_contacts(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<Page<Contact>>, ApiError> {
    page(&state, p, id.into_inner(), q.into_inner(), store::contacts, |r: &ContactRow| r.id.clone()).await
}

/// Logs a contact. A reached customer's last contact moves on; a failed outbound contact marks
/// the customer unreachable.
#[utoipa::path(
    tag = "customers", operation_id = "create_contact", params(("id" = String, Path)), request_body = CreateContact,
    security(("bearer" = [])),
    responses((status = 201, body = Contact), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/contacts")]
pub async fn create_contact(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<CreateContact>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersWrite)?;
    let Body(input) = body;
    let row = state
        .db
        .write_as(p.owed(), move |c| {
            super::write(c, &p, &id, "contact", Topic::ContactCreated, |c, customer| {
                let row = ContactRow {
                    id: new_id(),
                    customer_id: customer.id.clone(),
                    kind: input.kind.as_str().into(),
                    direction: input.direction.as_str().into(),
                    reached: input.reached,
                    summary: input.summary,
                    occurred_at: store::time(input.occurred_at),
                    staff_id: Some(p.id.clone()),
                    created_at: now(),
                };
                store::insert_contact(c, &row)?;
                Ok((row.id.clone(), row))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(Contact::from(row)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_purchases)
        .service(list_preferences)
        .service(create_preference)
        .service(list_feedback)
        .service(create_feedback)
        .service(list_contacts)
        .service(create_contact);
}
