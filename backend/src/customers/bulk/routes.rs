use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::export::{self, ExportRequest};
use super::import;
use crate::auth::{Permission, Principal};
use crate::customers::dto::{Source, SourceChannel};
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::jobs::model::Job;
use crate::jobs::owner::JobOwner;
use crate::state::AppState;

/// The largest CSV accepted in one upload.
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Shown in the job result and the import history.
    pub file_name: Option<String>,
    /// Source for rows whose `source_channel` cell is empty (CUS-5).
    pub source_channel: Option<SourceChannel>,
    pub source_supplier: Option<String>,
    pub source_legal_basis: Option<String>,
    /// The column each of the file's columns fills, in the file's order, separated by commas
    /// (`name,mobile,,tags`; an empty entry skips that column). Without it the header row names
    /// the columns.
    #[param(max_length = 1000)]
    pub columns: Option<String>,
}

/// Starts a CSV import job (managers).
///
/// The body is the CSV file itself (`text/csv` or `application/octet-stream`; UTF-8 with or
/// without BOM, or GB18030/GBK as Excel saves on Chinese Windows — other bytes are refused;
/// header row, each column by its code or its label in Chinese or English, coded values likewise
/// (`female` or 女); `GET /customers/imports/template` gives the headers, or `columns` says what
/// each column is); columns: name, gender, birth_date,
/// national_id, mobile, email, address, occupation, income_band, customer_type,
/// preferred_channel, source_channel, source_supplier, source_legal_basis, household_id, tags
/// separated by `|`). Poll `GET /jobs/{id}`; rejected rows are listed with their line in the
/// result and in the file `errors.csv` (`GET /jobs/{id}/files/errors.csv`). Rows of people already
/// in the caller's scope (same id number, mobile, email or name + birth date) are skipped, so
/// running a file twice creates nobody twice.
#[utoipa::path(
    tag = "customers", operation_id = "import_customers", params(ImportParams),
    request_body(content((crate::http::BinaryFile = "application/octet-stream"))), security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/imports")]
pub async fn import_customers(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    q: crate::http::extract::Query<ImportParams>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersImport)?;
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    // A CSV file as such, or as bytes (what generated clients send for a file upload).
    if !content_type.starts_with("text/csv") && !content_type.starts_with("application/octet-stream") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let q = q.into_inner();
    let mapping: Option<Vec<String>> = match q.columns.as_deref() {
        Some(c) if c.chars().count() > 1000 => return Err(ApiError::field("columns", "length")),
        Some(c) => Some(c.split(',').map(|s| s.trim().to_owned()).collect()),
        None => None,
    };
    import::check_file(&body, mapping.as_deref())?;
    let default_source = match q.source_channel {
        Some(channel) => Some(Source { channel, supplier: q.source_supplier, legal_basis: q.source_legal_basis }),
        None if q.source_supplier.is_some() || q.source_legal_basis.is_some() => {
            return Err(ApiError::field("source_channel", "required"))
        }
        None => None,
    };
    if q.file_name.as_ref().is_some_and(|n| n.chars().count() > 200 || n.contains('\0')) {
        return Err(ApiError::field("file_name", "length"));
    }
    let payload = import::Payload {
        owner: JobOwner::of(&p),
        file_name: q.file_name,
        default_source,
        lang: crate::i18n::current(),
        mapping,
    };
    let st = state.clone();
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            let job = crate::jobs::store::enqueue(
                c,
                import::KIND,
                &serde_json::to_value(&payload).map_err(ApiError::internal)?,
                Some(&p.id),
                Some(&p.unit_id),
            )?;
            crate::jobs::files::put(c, &st.cipher, &job.id, import::UPLOAD, "text/csv", &body)?;
            Ok(job)
        })
        .await?;
    Ok(accepted(job))
}

/// An empty import file with the column headers in the caller's language (`Accept-Language`),
/// UTF-8 with a byte-order mark so that Excel and WPS open it with the Chinese intact.
#[utoipa::path(
    tag = "customers", operation_id = "import_template", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/imports/template")]
pub async fn import_template(p: Principal) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersImport)?;
    let lang = crate::i18n::current();
    let headers: Vec<String> = import::columns().iter().map(|c| super::sheet::header(c, lang)).collect();
    let mut file = super::sheet::BOM.to_vec();
    let mut w = csv::Writer::from_writer(&mut file);
    w.write_record(&headers)?;
    w.flush().map_err(ApiError::internal)?;
    drop(w);
    let name =
        if lang == crate::i18n::Lang::En { "customer-import-template.csv" } else { "customer-import-template-zh.csv" };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .body(file))
}

/// A column an import file may have: its code (what `columns` names) and its header in each
/// language (what a file's header row may say).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportColumn {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    /// Every file needs a column for it.
    pub required: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportColumns {
    pub items: Vec<ImportColumn>,
}

/// The columns an import file may have, for a screen that lets the user say which of a file's
/// columns is which.
#[utoipa::path(
    tag = "customers", operation_id = "import_columns", security(("bearer" = [])),
    responses((status = 200, body = ImportColumns), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[get("/customers/imports/columns")]
pub async fn import_columns(p: Principal) -> Result<web::Json<ImportColumns>, ApiError> {
    use crate::i18n::Lang;
    p.require(Permission::CustomersImport)?;
    let items = import::columns()
        .into_iter()
        .map(|code| ImportColumn {
            code,
            zh: super::sheet::header(code, Lang::ZhCn),
            en: super::sheet::header(code, Lang::En),
            required: code == "name",
        })
        .collect();
    Ok(web::Json(ImportColumns { items }))
}

fn accepted(job: crate::jobs::model::JobRow) -> HttpResponse {
    HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/jobs/{}", job.id))).json(Job::from(job))
}

/// Starts an export job (managers, compliance officers): the customers the filters select among
/// those the caller may see (or only the rows chosen), as CSV (UTF-8 with a BOM), XLSX or JSON,
/// headers and coded values in the request's language, masked for the caller's role. When the job has
/// succeeded, its result names the file to fetch from `GET /jobs/{id}/files/{file}` (only the
/// caller may). Audited.
#[utoipa::path(
    tag = "customers", operation_id = "export_customers", request_body = ExportRequest, security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/customers/exports")]
pub async fn export_customers(
    state: web::Data<AppState>,
    p: Principal,
    body: Body<ExportRequest>,
) -> Result<HttpResponse, ApiError> {
    p.require(Permission::CustomersExport)?;
    let Body(input) = body;
    let format = input.format;
    let (query, ids) = input.into_query();
    let filter = crate::customers::service::filter_of(&state.cipher, query)?;
    let filter = crate::customers::store::Filter { ids, ..filter };
    let payload = export::Payload { owner: JobOwner::of(&p), format, filter, lang: crate::i18n::current() };
    let payload = serde_json::to_value(&payload).map_err(ApiError::internal)?;
    let job = state
        .db
        .write_as(p.owed(), move |c| {
            crate::jobs::store::enqueue_export(c, &EXPORT_KINDS, export::KIND, &payload, &p.id, &p.unit_id)
        })
        .await?;
    Ok(accepted(job))
}

/// The job kinds that count towards a user's exports at once.
pub const EXPORT_KINDS: [&str; 2] = [export::KIND, crate::partners::export::KIND];

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(import_template).service(import_columns).service(import_customers).service(export_customers);
}
