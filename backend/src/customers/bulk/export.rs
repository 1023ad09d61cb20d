//! Export as a job (CUS-10): the customers a filter (or a selection) picks among those the caller
//! may see, as CSV, XLSX or JSON, masked for the caller's role exactly like the list, walked in keyset pages, and
//! audited with the fields it contains. The file is the caller's alone to download.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit::{self, Event};
use crate::auth::Permission;
use crate::crypto::field::FieldCipher;
use crate::customers::bulk::sheet;
use crate::customers::dto::{Customer, CustomerQuery, SourceChannel};
use crate::customers::{fields, service, store};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::jobs::files;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::xlsx::{self, XlsxWriter};
use crate::jobs::Progress;
use crate::org::scope::Scope;

/// On demand, by the exporting user.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: None,
    run: |conn, state, job, progress| run(conn, &state.cipher, job, progress),
};

pub const KIND: &str = "customers.export";
const PAGE: i64 = 1000;

crate::text_enum!(ExportFormat { Csv => "csv", Xlsx => "xlsx", Json => "json" });

impl ExportFormat {
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "customers.csv",
            ExportFormat::Xlsx => "customers.xlsx",
            ExportFormat::Json => "customers.json",
        }
    }
}

/// What to export: the list filters (all optional) and the format.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// The list's search term (see `q` of the customer list).
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub q: Option<String>,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub name: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub national_id: Option<String>,
    #[validate(length(max = 32))]
    #[schema(max_length = 32)]
    pub tag: Option<String>,
    pub owner_id: Option<String>,
    pub unit_id: Option<String>,
    pub channel: Option<SourceChannel>,
    pub tier: Option<crate::customers::dto::TierLetter>,
    pub level: Option<crate::customers::codes::MemberLevel>,
    pub band: Option<crate::customers::codes::ValueBand>,
    pub lifecycle: Option<crate::customers::codes::Lifecycle>,
    pub reachable: Option<bool>,
    pub created_from: Option<chrono::DateTime<chrono::Utc>>,
    pub created_to: Option<chrono::DateTime<chrono::Utc>>,
    /// Only these customers (rows chosen in the list), within the filters; one the caller may
    /// not see is simply not exported.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_items = 1, max_items = 200)]
    pub ids: Option<Vec<String>>,
}

impl ExportRequest {
    /// The selection, apart from the list filters it narrows.
    pub fn into_query(mut self) -> (CustomerQuery, Option<Vec<String>>) {
        let ids = self.ids.take();
        (self.query(), ids)
    }

    fn query(self) -> CustomerQuery {
        CustomerQuery {
            q: self.q,
            name: self.name,
            mobile: self.mobile,
            email: self.email,
            national_id: self.national_id,
            tag: self.tag,
            owner_id: self.owner_id,
            unit_id: self.unit_id,
            household_id: None,
            channel: self.channel,
            tier: self.tier,
            level: self.level,
            band: self.band,
            lifecycle: self.lifecycle,
            segment_id: None,
            reachable: self.reachable,
            created_from: self.created_from,
            created_to: self.created_to,
            sort: None,
            limit: None,
            cursor: None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub owner: JobOwner,
    pub format: ExportFormat,
    pub filter: store::Filter,
    /// The language of the request that asked for it: a CSV's headers and coded values speak it.
    #[serde(default)]
    pub lang: crate::i18n::Lang,
}

/// The file's columns: the customer's fields as files carry them (`fields::FILE`), between the
/// record's identity and what the system keeps about it.
fn columns() -> Vec<&'static str> {
    let record = ["tags", "owner_ids", "reachable", "last_contact_at", "last_purchase_at", "created_at", "updated_at"];
    let fields = fields::with(fields::FILE).map(|f| f.name);
    ["id", "unit_id"].into_iter().chain(fields).chain(record).collect()
}

/// A spreadsheet would run a cell starting with = + - @ as a formula: such cells get a leading
/// apostrophe (OWASP "CSV injection").
fn cell(v: impl ToString) -> String {
    let s = v.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

/// A value of the customer's JSON view as a cell: lists joined by `|`, absent values empty.
fn text(v: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().map(|i| text(Some(i))).collect::<Vec<_>>().join("|"),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Records as CSV lines (quoting as the csv crate does).
fn csv_rows(records: &[Vec<String>]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    for r in records {
        w.write_record(r)?;
    }
    Ok(w.into_inner()?)
}

/// One line in the order of `columns` (the view the role would get: masked as it masks), coded
/// values in the reader's words. A CSV's cells are neutralised as formulas; an XLSX's are text.
fn record(columns: &[&str], c: &Customer, lang: crate::i18n::Lang, csv: bool) -> Result<Vec<String>, ApiError> {
    let view = serde_json::to_value(c)?;
    let value = |col: &str| match col.strip_prefix("source_") {
        Some(part) => view["source"].get(part),
        None => view.get(col),
    };
    let words = |col: &str| sheet::value_words(col, &text(value(col)), lang);
    Ok(columns.iter().map(|col| if csv { cell(words(col)) } else { words(col) }).collect())
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub format: ExportFormat,
    pub file: &'static str,
    pub rows: i64,
    pub bytes: usize,
}

pub fn run(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    job: &JobRow,
    progress: &mut Progress<'_>,
) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let p = payload.owner.acting(conn, Permission::CustomersExport)?;
    let (scope, viewer) = (Scope::of(&p), p.id.clone());
    let total = store::count(conn, &scope, &viewer, &payload.filter)?;
    progress(0, Some(total))?;
    let file = payload.format.file_name();
    let columns = columns();
    // Each page of the file is stored as it is made: memory holds one page, not the export.
    let mut out = files::PartWriter::start(conn, &job.id, file)?;
    let mut sheet = match payload.format {
        ExportFormat::Xlsx if total > xlsx::MAX_ROWS => {
            return Err(ApiError::conflict("export_too_many_rows").with("max", xlsx::MAX_ROWS))
        }
        ExportFormat::Xlsx => Some(XlsxWriter::start(
            crate::i18n::words("export.sheet_name", payload.lang).unwrap_or("customers"),
            &columns.iter().map(|c| sheet::header(c, payload.lang)).collect::<Vec<_>>(),
        )?),
        _ => None,
    };
    let mut buf: Vec<u8> = match payload.format {
        ExportFormat::Csv => {
            let headers = columns.iter().map(|c| sheet::header(c, payload.lang)).collect();
            [sheet::BOM, &csv_rows(&[headers])?].concat()
        }
        ExportFormat::Xlsx => Vec::new(),
        ExportFormat::Json => b"[".to_vec(),
    };
    let (mut after, mut rows, mut bytes) = (store::After::Start, 0i64, 0usize);
    loop {
        let page = store::list(conn, &scope, &viewer, &payload.filter, store::Sort::NewestFirst, after, PAGE)?;
        let Some(last) = page.last().map(|r| r.id.clone()) else { break };
        let n = page.len() as i64;
        let views = service::views(conn, cipher, &p, page)?;
        match (payload.format, sheet.as_mut()) {
            (ExportFormat::Xlsx, Some(x)) => {
                for c in &views {
                    x.row(&record(&columns, c, payload.lang, false)?)?;
                }
                buf.extend(x.take());
            }
            (ExportFormat::Csv, _) | (ExportFormat::Xlsx, None) => {
                let lines =
                    views.iter().map(|c| record(&columns, c, payload.lang, true)).collect::<Result<Vec<_>, _>>()?;
                buf.extend(csv_rows(&lines)?)
            }
            (ExportFormat::Json, _) => {
                for c in &views {
                    if rows > 0 || buf.len() > 1 {
                        buf.push(b',');
                    }
                    serde_json::to_writer(&mut buf, c)?;
                }
            }
        }
        rows += n;
        bytes += buf.len();
        out.part(conn, cipher, &mut buf)?;
        progress(rows, Some(total.max(rows)))?;
        if n < PAGE {
            break;
        }
        after = store::After::Id(last);
    }
    let content_type = match payload.format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Xlsx => {
            if let Some(x) = sheet {
                buf.extend(x.finish()?);
            }
            xlsx::CONTENT_TYPE
        }
        ExportFormat::Json => {
            buf.push(b']');
            "application/json"
        }
    };
    bytes += buf.len();
    crate::db::transaction(conn, |c| {
        out.part(c, cipher, &mut buf)?;
        out.finish(c, cipher, content_type)?;
        // The name and every sensitive field leave in the file (masked as the role sees them).
        let shown: Vec<&str> =
            fields::ALL.iter().filter(|f| f.sensitive() || f.name == "name").map(|f| f.name).collect();
        audit::append(c, &p.actor(), Event::new("customer.export", "job", Some(&job.id)).fields(&shown))
    })?;
    Ok(serde_json::to_value(Summary { format: payload.format, file, rows, bytes })?)
}
