use actix_web::{get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::notify::{self, Notification};
use super::sla_config::{self, CalendarYear, CalendarYearView, SlaPolicies, SlaPolicyTable, SlaSettings};
use crate::audit::{self, Event};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::pagination::{Page, PageParams};
use crate::state::AppState;

/// The SLA targets by ticket type, channel, priority and SLA class (the seed's until saved).
#[utoipa::path(
    tag = "sla", operation_id = "get_sla_policies", security(("bearer" = [])),
    responses((status = 200, body = SlaPolicyTable), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/sla/policies")]
pub async fn get_sla_policies(state: web::Data<AppState>, p: Principal) -> Result<web::Json<SlaPolicyTable>, ApiError> {
    p.require(Permission::TicketsRead)?;
    Ok(web::Json(state.db.run_as(p.owed(), sla_config::policies).await?))
}

/// Replaces the SLA table (managers; audited). New tickets take it; open ones keep their clocks.
#[utoipa::path(
    tag = "sla", operation_id = "put_sla_policies", request_body = SlaPolicies, security(("bearer" = [])),
    responses((status = 200, body = SlaPolicyTable), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/sla/policies")]
pub async fn put_sla_policies(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<SlaPolicies>,
) -> Result<web::Json<SlaPolicyTable>, ApiError> {
    p.require(Permission::SlaManage)?;
    let Body(input) = body;
    let table = state
        .db
        .write_as(p.owed(), move |c| {
            sla_config::put_policies(c, &input)?;
            audit::append(c, &p.actor(), Event::new("sla.policies", "sla", None))?;
            sla_config::policies(c)
        })
        .await?;
    Ok(web::Json(table))
}

/// Business hours and the warning share.
#[utoipa::path(
    tag = "sla", operation_id = "get_sla_settings", security(("bearer" = [])),
    responses((status = 200, body = SlaSettings), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/sla/settings")]
pub async fn get_sla_settings(state: web::Data<AppState>, p: Principal) -> Result<web::Json<SlaSettings>, ApiError> {
    p.require(Permission::TicketsRead)?;
    Ok(web::Json(state.db.run_as(p.owed(), sla_config::settings).await?))
}

/// Sets business hours and the warning share (managers; audited). `end_minute` must follow
/// `start_minute` (422 `after_start`).
#[utoipa::path(
    tag = "sla", operation_id = "put_sla_settings", request_body = SlaSettings, security(("bearer" = [])),
    responses((status = 200, body = SlaSettings), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/sla/settings")]
pub async fn put_sla_settings(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<SlaSettings>,
) -> Result<web::Json<SlaSettings>, ApiError> {
    p.require(Permission::SlaManage)?;
    let Body(input) = body;
    let saved = state
        .db
        .write_as(p.owed(), move |c| {
            sla_config::put_settings(c, &input)?;
            audit::append(c, &p.actor(), Event::new("sla.settings", "sla", None))?;
            sla_config::settings(c)
        })
        .await?;
    Ok(web::Json(saved))
}

fn year_of(path: &str) -> Result<i32, ApiError> {
    path.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or(ApiError::NotFound)
}

/// A year's holidays and make-up working days (the built-in schedule until one is saved).
#[utoipa::path(
    tag = "sla", operation_id = "get_sla_calendar", params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    security(("bearer" = [])),
    responses((status = 200, body = CalendarYearView), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/sla/calendar/{year}")]
pub async fn get_sla_calendar(
    state: web::Data<AppState>,
    p: Principal,
    year: web::Path<String>,
) -> Result<web::Json<CalendarYearView>, ApiError> {
    p.require(Permission::TicketsRead)?;
    let year = year_of(&year)?;
    Ok(web::Json(state.db.run_as(p.owed(), move |c| sla_config::year(c, year)).await?))
}

/// Replaces a year's holiday schedule as the State Council publishes it (managers; audited).
/// Days of another year are 422 (`other_year`), a day twice 422 (`duplicate`).
#[utoipa::path(
    tag = "sla", operation_id = "put_sla_calendar", params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    request_body = CalendarYear, security(("bearer" = [])),
    responses((status = 200, body = CalendarYearView), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[put("/sla/calendar/{year}")]
pub async fn put_sla_calendar(
    state: web::Data<AppState>,
    p: Principal,
    year: web::Path<String>,
    body: Body<CalendarYear>,
) -> Result<web::Json<CalendarYearView>, ApiError> {
    p.require(Permission::SlaManage)?;
    let year = year_of(&year)?;
    let Body(input) = body;
    let view = state
        .db
        .write_as(p.owed(), move |c| {
            sla_config::put_year(c, year, &input)?;
            let id = year.to_string();
            audit::append(c, &p.actor(), Event::new("sla.calendar", "sla_calendar", Some(&id)))?;
            sla_config::year(c, year)
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    #[serde(flatten)]
    pub page: Page<Notification>,
    pub unread: i64,
}

/// My notifications (the bell), newest first, with the unread count.
#[utoipa::path(
    tag = "tickets", operation_id = "list_notifications", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = NotificationPage), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    p: Principal,
    q: crate::http::extract::Query<PageParams>,
) -> Result<web::Json<NotificationPage>, ApiError> {
    p.require(Permission::TicketsRead)?;
    let q = q.into_inner();
    let (limit, before) = (q.limit()?, q.cursor()?);
    let out = state
        .db
        .run_as(p.owed(), move |c| {
            let rows = notify::list(c, &p.id, before.as_deref(), limit + 1)?;
            let page = Page::from_rows(rows, limit, |r| r.id.clone());
            let page =
                Page { items: page.items.into_iter().map(Notification::from).collect(), next_cursor: page.next_cursor };
            Ok(NotificationPage { page, unread: notify::unread(c, &p.id)? })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Debug, Serialize, Deserialize, validator::Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// Marks this one and every older one read; all when absent.
    pub up_to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unread {
    pub unread: i64,
}

/// Marks my notifications read.
#[utoipa::path(
    tag = "tickets", operation_id = "mark_notifications_read", request_body = MarkRead, security(("bearer" = [])),
    responses((status = 200, body = Unread), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/notifications/read")]
pub async fn mark_notifications_read(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<MarkRead>,
) -> Result<web::Json<Unread>, ApiError> {
    p.require(Permission::TicketsRead)?;
    let Body(input) = body;
    let at = crate::db::now();
    let unread = state
        .db
        .write_as(p.owed(), move |c| {
            notify::mark_read(c, &p.id, input.up_to.as_deref(), at)?;
            Ok(notify::unread(c, &p.id)?)
        })
        .await?;
    Ok(web::Json(Unread { unread }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_sla_policies)
        .service(put_sla_policies)
        .service(get_sla_settings)
        .service(put_sla_settings)
        .service(get_sla_calendar)
        .service(put_sla_calendar)
        .service(list_notifications)
        .service(mark_notifications_read);
}
