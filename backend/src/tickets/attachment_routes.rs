use actix_web::http::header::{Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::attachments::{self, Download, Upload};
use super::files::Files;
use super::model::TicketDetail;
use super::self_service::{self, CustomerTicket, LINK_TYP};
use super::service::{self, Ctx};
use super::views;
use crate::auth::{Permission, Principal};
use crate::consent::link;
use crate::consent::link_routes::LinkCaller;
use crate::error::{ApiError, Problem};
use crate::http::BinaryFile;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AttachParams {
    /// The name shown on the timeline (the path is dropped); default the digest's head.
    #[param(max_length = 200)]
    pub file_name: Option<String>,
    /// Shown to the customer on their self-service page; default internal.
    pub public: Option<bool>,
}

fn files(state: &AppState) -> Files {
    Files::new(&state.settings.data_dir)
}

/// The file as a download: its type as stored, its name (UTF-8, RFC 6266), never sniffed by the
/// browser as something else.
fn served(d: Download) -> HttpResponse {
    let name = DispositionParam::FilenameExt(ExtendedValue {
        charset: Charset::Ext("UTF-8".into()),
        language_tag: None,
        value: d.file_name.into_bytes(),
    });
    HttpResponse::Ok()
        .content_type(d.content_type)
        .insert_header(ContentDisposition { disposition: DispositionType::Attachment, parameters: vec![name] })
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(d.bytes)
}

/// Attaches a file to a ticket (the request body is the file itself). Accepted: JPEG, PNG, WebP
/// and GIF images, PDF, MP3, WAV, M4A and AMR recordings, MP4 video, up to 20 MiB — the type is
/// read from the content (422 `file_type` otherwise; 413 above the size). Stored once per
/// content, sealed, under the data directory; listed on the timeline as an `attachment` entry
/// (`data.content_type`, `data.size_bytes`; its id downloads it). Audited.
#[utoipa::path(
    tag = "tickets", operation_id = "attach_to_ticket", params(("id" = String, Path), AttachParams),
    request_body(content((BinaryFile = "application/octet-stream"))), security(("bearer" = [])),
    responses((status = 201, body = TicketDetail), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/tickets/{id}/attachments")]
pub async fn attach_to_ticket(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<String>,
    q: crate::http::extract::Query<AttachParams>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TicketsWrite)?;
    let q = q.into_inner();
    let st = state.clone();
    let detail = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            let ctx = Ctx::load(c, &st)?;
            let upload = Upload { bytes: &body, file_name: q.file_name, public: q.public.unwrap_or(false) };
            attachments::attach(c, &ctx, &files(&st), &p.actor(), &row, upload)?;
            views::detail(c, &st.cipher, &p, row)
        })
        .await?;
    Ok(HttpResponse::Created().json(detail))
}

/// Downloads an attachment of a ticket the caller sees (404 otherwise). Audited.
#[utoipa::path(
    tag = "tickets", operation_id = "ticket_attachment",
    params(("id" = String, Path), ("attachment_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream", body = BinaryFile), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/tickets/{id}/attachments/{attachment_id}")]
pub async fn ticket_attachment(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::TicketsRead)?;
    let (id, attachment_id) = path.into_inner();
    let st = state.clone();
    let file = state
        .db
        .write_as(p.owed(), move |c| {
            let row = service::visible(c, &p, &id)?;
            attachments::download(c, &st.cipher, &files(&st), &p.actor(), &row, &attachment_id, false)
        })
        .await?;
    Ok(served(file))
}

/// The customer attaches a file (a photo of the faulty device) to their ticket through their link;
/// the same types and size as staff uploads. Shown to both sides.
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_attach", params(("id" = String, Path), AttachParams),
    request_body(content((BinaryFile = "application/octet-stream"))), security(("bearer" = [])),
    responses((status = 201, body = CustomerTicket), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/self-service/tickets/{id}/attachments")]
pub async fn self_service_attach(
    state: web::Data<AppState>,
    caller: LinkCaller,
    id: web::Path<String>,
    q: crate::http::extract::Query<AttachParams>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let row = self_service::own(c, &customer, &id)?;
            let ctx = Ctx::load(c, &st)?;
            let upload = Upload { bytes: &body, file_name: q.file_name, public: true };
            attachments::attach(c, &ctx, &files(&st), &link::actor(&customer, &caller.ip), &row, upload)?;
            self_service::view(c, &ctx, row, true)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The customer downloads an attachment shown to them on their ticket (404 for an internal one).
#[utoipa::path(
    tag = "tickets", operation_id = "self_service_attachment",
    params(("id" = String, Path), ("attachment_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream", body = BinaryFile), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/self-service/tickets/{id}/attachments/{attachment_id}")]
pub async fn self_service_attachment(
    state: web::Data<AppState>,
    caller: LinkCaller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment_id) = path.into_inner();
    let st = state.clone();
    let file = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, LINK_TYP, &caller.token)?;
            let row = self_service::own(c, &customer, &id)?;
            let actor = link::actor(&customer, &caller.ip);
            attachments::download(c, &st.cipher, &files(&st), &actor, &row, &attachment_id, true)
        })
        .await?;
    Ok(served(file))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(attach_to_ticket)
        .service(ticket_attachment)
        .service(self_service_attach)
        .service(self_service_attachment);
}
