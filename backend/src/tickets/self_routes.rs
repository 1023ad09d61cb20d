use actix_web::{get, post, web, HttpResponse};

use super::self_service::{self, CustomerRating, CustomerReply, CustomerTicket, CustomerTicketInput, LINK_TYP, PAGE};
use super::service::Ctx;
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::consent::link::{self, ConsentLink, IssueLink};
use crate::consent::link_routes::LinkCaller;
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::state::AppState;

/// A link for the customer's own ticket page (by SMS or email, or handed to their mobile app):
/// its own audience, so it opens no consent page and a consent link opens no tickets. Audited.
#[utoipa::path(
    tag = "tickets", operation_id = "issue_ticket_link", params(("id" = String, Path)), request_body = IssueLink,
    security(("bearer" = [])),
    responses((status = 201, body = ConsentLink), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/{id}/ticket-links")]
pub async fn issue_ticket_link(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<IssueLink>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TicketsWrite)?;
    let Body(input) = body;
    validator::Validate::validate(&input)?;
    let st = state.clone();
    let out = state
        .db
        .write_as(p.owed(), move |c| {
            let customer = crate::customers::access::readable(c, &p, &id)?;
            let out = link::issue_as(&st.tokens, LINK_TYP, PAGE, &customer.id, input.valid_days.unwrap_or(7))?;
            audit::append(c, &p.actor(), Event::new("ticket.link_issue", "customer", Some(&customer.id)))?;
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The customer's tickets through their link, newest first (`Authorization: Bearer <link>`).
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_tickets", security(("bearer" = [])),
    responses((status = 200, body = Vec<CustomerTicket>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/self-service/tickets")]
pub async fn self_service_tickets(
    state: web::Data<AppState>,
    caller: LinkCaller,
) -> Result<web::Json<Vec<CustomerTicket>>, ApiError> {
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let ctx = Ctx::load(c, &st)?;
            let filter = super::store::Filter { customer_id: Some(customer.id.clone()), ..Default::default() };
            let rows = super::store::list_unscoped(c, &filter, 100)?;
            let out = rows.into_iter().map(|t| self_service::view(c, &ctx, t, false)).collect::<Result<Vec<_>, _>>()?;
            audit::append(
                c,
                &link::actor(&customer, &caller.ip),
                Event::new("ticket.self_service_view", "customer", Some(&customer.id)),
            )?;
            Ok(out)
        })
        .await?;
    Ok(web::Json(out))
}

/// The customer opens an inquiry or a complaint through their link.
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_open_ticket", request_body = CustomerTicketInput, security(("bearer" = [])),
    responses((status = 201, body = CustomerTicket), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/self-service/tickets")]
pub async fn self_service_open_ticket(
    state: web::Data<AppState>,
    caller: LinkCaller,
    body: Body<CustomerTicketInput>,
) -> Result<HttpResponse, ApiError> {
    let Body(input) = body;
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let ctx = Ctx::load(c, &st)?;
            let row = self_service::open(c, &ctx, &link::actor(&customer, &caller.ip), &customer, input)?;
            self_service::view(c, &ctx, row, true)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// One of the customer's tickets with what they may see of its timeline (404 for another's).
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_ticket", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CustomerTicket), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/self-service/tickets/{id}")]
pub async fn self_service_ticket(
    state: web::Data<AppState>,
    caller: LinkCaller,
    id: web::Path<String>,
) -> Result<web::Json<CustomerTicket>, ApiError> {
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let row = self_service::own(c, &customer, &id)?;
            let ctx = Ctx::load(c, &st)?;
            audit::append(
                c,
                &link::actor(&customer, &caller.ip),
                Event::new("ticket.self_service_view", "customer", Some(&customer.id)),
            )?;
            self_service::view(c, &ctx, row, true)
        })
        .await?;
    Ok(web::Json(out))
}

/// The customer replies on their ticket.
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_reply", params(("id" = String, Path)), request_body = CustomerReply,
    security(("bearer" = [])),
    responses((status = 201, body = CustomerTicket), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/self-service/tickets/{id}/replies")]
pub async fn self_service_reply(
    state: web::Data<AppState>,
    caller: LinkCaller,
    id: web::Path<String>,
    body: Body<CustomerReply>,
) -> Result<HttpResponse, ApiError> {
    let Body(input) = body;
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let row = self_service::own(c, &customer, &id)?;
            let ctx = Ctx::load(c, &st)?;
            self_service::reply(c, &ctx, &link::actor(&customer, &caller.ip), &row, input)?;
            self_service::view(c, &ctx, row, true)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The customer rates the answer (1–5) once it was given; a complaint rated 1–2 is reopened.
/// Before the answer: 409 `rating_not_open`.
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_rate", params(("id" = String, Path)), request_body = CustomerRating,
    security(("bearer" = [])),
    responses((status = 200, body = CustomerTicket), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/self-service/tickets/{id}/rating")]
pub async fn self_service_rate(
    state: web::Data<AppState>,
    caller: LinkCaller,
    id: web::Path<String>,
    body: Body<CustomerRating>,
) -> Result<web::Json<CustomerTicket>, ApiError> {
    let Body(input) = body;
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let row = self_service::own(c, &customer, &id)?;
            let ctx = Ctx::load(c, &st)?;
            let row = self_service::rate(c, &ctx, &link::actor(&customer, &caller.ip), row, input)?;
            self_service::view(c, &ctx, row, true)
        })
        .await?;
    Ok(web::Json(out))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(issue_ticket_link)
        .service(self_service_tickets)
        .service(self_service_open_ticket)
        .service(self_service_ticket)
        .service(self_service_reply)
        .service(self_service_rate);
}
