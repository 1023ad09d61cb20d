use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::flow::{TicketKind, TicketStatus};
use super::model::{Channel, NewComment, NewTicket, Priority, QueueCounts, Ticket, TicketDetail, Transition};
use super::service::{self, Ctx};
use super::store::{self, Filter};
use super::views;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::org::scope::Scope;
use crate::state::AppState;

crate::text_enum!(
    /// mine: assigned to me; unit: my scope's; unassigned; breaching: warned by the SLA job (the
    /// warning share of the target used) and not breached yet; overdue: marked breached by the
    /// SLA job; revisits: follow-up calls and visits planned for me. All but `all` are open
    /// tickets of my units or assigned to me (`all`: every ticket I may see, my customers'
    /// elsewhere included); breaching and overdue leave out those waiting on the customer.
    Queue {
        All => "all",
        Mine => "mine",
        Unit => "unit",
        Unassigned => "unassigned",
        Breaching => "breaching",
        Overdue => "overdue",
        Revisits => "revisits",
    }
);

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    /// Default all.
    pub queue: Option<Queue>,
    pub status: Option<TicketStatus>,
    pub kind: Option<TicketKind>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    pub customer_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub fn queue_filter(queue: Queue, me: &str) -> Filter {
    let open = Filter { open: true, ..Filter::default() };
    match queue {
        Queue::All => Filter::default(),
        Queue::Mine => Filter { assignee_id: Some(me.to_owned()), ..open },
        Queue::Unit => open,
        Queue::Unassigned => Filter { unassigned: true, ..open },
        Queue::Breaching => Filter { breaching: true, ..open },
        Queue::Overdue => Filter { overdue: true, ..open },
        Queue::Revisits => Filter { kind: Some("revisit".into()), assignee_id: Some(me.to_owned()), ..open },
    }
}

/// Opens a ticket (an inquiry, complaint, after-sales job, revisit) for a customer the caller
/// may read. A key customer's class strategy raises the priority and tightens the SLA (the
/// green channel). Audited; `ticket.created` goes to the outbox.
#[utoipa::path(
    tag = "tickets", operation_id = "create_ticket", request_body = NewTicket, security(("bearer" = [])),
    responses((status = 201, body = TicketDetail), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/tickets")]
pub async fn create_ticket(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<NewTicket>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TicketsWrite)?;
    let Body(input) = body;
    let st = state.clone();
    let detail = state
        .db
        .write_as(p.owed(), move |c| {
            let ctx = Ctx::load(c, &st)?;
            let (opened, customer) = service::create(c, &ctx, &p, input)?;
            views::detail_of_new(&st.cipher, &p, (opened.ticket, opened.entries), customer)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/tickets/{}", detail.ticket.id)))
        .json(detail))
}

/// A queue of tickets the caller sees (their unit's, their customers', assigned to them), newest
/// first, customers masked.
#[utoipa::path(
    tag = "tickets", operation_id = "list_tickets", params(TicketQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Ticket>), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tickets")]
pub async fn list_tickets(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<TicketQuery>,
) -> Result<web::Json<Page<Ticket>>, ApiError> {
    p.require(Permission::TicketsRead)?;
    let q = q.into_inner();
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, before) = (page.limit()?, page.cursor()?);
    let mut f = queue_filter(q.queue.unwrap_or(Queue::All), &p.id);
    f.status = q.status.map(|s| s.as_str().to_owned());
    f.kind = q.kind.map(|s| s.as_str().to_owned()).or(f.kind);
    f.priority = q.priority.map(|s| s.as_str().to_owned());
    f.channel = q.channel.map(|s| s.as_str().to_owned());
    f.customer_id = q.customer_id;
    let st = state.clone();
    let page = state
        .db
        .run_as(p.owed(), move |c| {
            let rows = store::list(c, &Scope::of(&p), &p.id, &f, before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            Ok(Page { items: views::tickets(c, &st.cipher, &p, page.items)?, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// The size of each queue, cheap enough to poll every few seconds.
#[utoipa::path(
    tag = "tickets", operation_id = "count_ticket_queues", security(("bearer" = [])),
    responses((status = 200, body = QueueCounts), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tickets/counts")]
pub async fn count_ticket_queues(state: web::Data<AppState>, p: Principal) -> Result<web::Json<QueueCounts>, ApiError> {
    p.require(Permission::TicketsRead)?;
    let counts = state
        .db
        .run_as(p.owed(), move |c| {
            let n = store::queue_counts(c, &Scope::of(&p), &p.id)?;
            Ok(QueueCounts {
                mine: n.mine,
                unit: n.unit,
                unassigned: n.unassigned,
                breaching_soon: n.breaching_soon,
                overdue: n.overdue,
                revisits: n.revisits,
            })
        })
        .await?;
    Ok(web::Json(counts))
}

/// A ticket with its timeline (404 for a ticket the caller does not see). Reading it is audited:
/// a complaint is personal data.
#[utoipa::path(
    tag = "tickets", operation_id = "get_ticket", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = TicketDetail), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tickets/{id}")]
pub async fn get_ticket(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
) -> Result<web::Json<TicketDetail>, ApiError> {
    p.require(Permission::TicketsRead)?;
    let st = state.clone();
    let detail = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            let event = crate::audit::Event::new("ticket.read", "customer", Some(&row.customer_id));
            crate::audit::append(c, &p.actor(), event)?;
            views::detail(c, &st.cipher, &p, row)
        })
        .await?;
    Ok(web::Json(detail))
}

/// Moves a ticket on its workflow with what the step needs. A step the workflow does not allow
/// from the ticket's status is 409 with the allowed ones (`params.allowed`). Closing a complaint
/// with a satisfaction of 1–2 reopens it.
#[utoipa::path(
    tag = "tickets", operation_id = "transition_ticket", params(("id" = String, Path)), request_body = Transition,
    security(("bearer" = [])),
    responses((status = 200, body = TicketDetail), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/tickets/{id}/transitions")]
pub async fn transition_ticket(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<Transition>,
) -> Result<web::Json<TicketDetail>, ApiError> {
    p.require(Permission::TicketsWrite)?;
    let Body(input) = body;
    let st = state.clone();
    let detail = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            let ctx = Ctx::load(c, &st)?;
            let row = service::transition(c, &ctx, &p, row, input)?;
            views::detail(c, &st.cipher, &p, row)
        })
        .await?;
    Ok(web::Json(detail))
}

/// Adds a comment to the timeline: internal, or shown to the customer (`public`); the first
/// public answer is the first response.
#[utoipa::path(
    tag = "tickets", operation_id = "comment_ticket", params(("id" = String, Path)), request_body = NewComment,
    security(("bearer" = [])),
    responses((status = 201, body = TicketDetail), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/tickets/{id}/comments")]
pub async fn comment_ticket(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    body: Body<NewComment>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TicketsWrite)?;
    let Body(input) = body;
    let st = state.clone();
    let detail = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            let ctx = Ctx::load(c, &st)?;
            let row = service::comment(c, &ctx, &p, row, input)?;
            views::detail(c, &st.cipher, &p, row)
        })
        .await?;
    Ok(HttpResponse::Created().json(detail))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // /tickets/counts before /tickets/{id}.
    cfg.service(create_ticket)
        .service(list_tickets)
        .service(count_ticket_queues)
        .service(get_ticket)
        .service(transition_ticket)
        .service(comment_ticket);
}
