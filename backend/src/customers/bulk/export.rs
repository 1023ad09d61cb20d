//! Export as a job (CUS-10): the customers a filter selects among those the caller may see, as
//! CSV or JSON, masked for the caller's role exactly like the list, walked in keyset pages, and
//! audited with the fields it contains. The file is the caller's alone to download.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit::{self, Event};
use crate::auth::Permission;
use crate::crypto::field::FieldCipher;
use crate::customers::dto::{Customer, CustomerQuery, SourceChannel};
use crate::customers::{service, store};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::jobs::files;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
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

crate::text_enum!(ExportFormat { Csv => "csv", Json => "json" });

impl ExportFormat {
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "customers.csv",
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
    pub reachable: Option<bool>,
    pub created_from: Option<chrono::DateTime<chrono::Utc>>,
    pub created_to: Option<chrono::DateTime<chrono::Utc>>,
}

impl ExportRequest {
    pub fn into_query(self) -> CustomerQuery {
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
}

const COLUMNS: [&str; 24] = [
    "id",
    "unit_id",
    "name",
    "gender",
    "birth_date",
    "national_id",
    "mobile",
    "email",
    "address",
    "occupation",
    "income_band",
    "customer_type",
    "preferred_channel",
    "source_channel",
    "source_supplier",
    "source_legal_basis",
    "household_id",
    "tags",
    "owner_ids",
    "reachable",
    "last_contact_at",
    "last_purchase_at",
    "created_at",
    "updated_at",
];

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

fn text<T: Serialize>(v: &Option<T>) -> String {
    match v.as_ref().map(serde_json::to_value) {
        Some(Ok(serde_json::Value::String(s))) => s,
        Some(Ok(other)) => other.to_string(),
        _ => String::new(),
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

fn csv_record(c: &Customer) -> Vec<String> {
    let time = |t: &Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    [
        c.id.clone(),
        c.unit_id.clone(),
        c.name.clone(),
        text(&c.gender),
        text(&c.birth_date),
        text(&c.national_id),
        text(&c.mobile),
        text(&c.email),
        text(&c.address),
        text(&c.occupation),
        text(&c.income_band),
        text(&Some(c.customer_type)),
        text(&c.preferred_channel),
        c.source.channel.as_str().to_owned(),
        text(&c.source.supplier),
        text(&c.source.legal_basis),
        text(&c.household_id),
        c.tags.join("|"),
        c.owner_ids.join("|"),
        c.reachable.to_string(),
        time(&c.last_contact_at),
        time(&c.last_purchase_at),
        c.created_at.to_rfc3339(),
        c.updated_at.to_rfc3339(),
    ]
    .into_iter()
    .map(cell)
    .collect()
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
    // Each page of the file is stored as it is made: memory holds one page, not the export.
    let mut out = files::PartWriter::start(conn, &job.id, file)?;
    let mut buf: Vec<u8> = match payload.format {
        ExportFormat::Csv => csv_rows(&[COLUMNS.map(str::to_owned).to_vec()])?,
        ExportFormat::Json => b"[".to_vec(),
    };
    let (mut after, mut rows, mut bytes) = (store::After::Start, 0i64, 0usize);
    loop {
        let page = store::list(conn, &scope, &viewer, &payload.filter, store::Sort::NewestFirst, after, PAGE)?;
        let Some(last) = page.last().map(|r| r.id.clone()) else { break };
        let n = page.len() as i64;
        let views = service::views(conn, cipher, &p, page)?;
        match payload.format {
            ExportFormat::Csv => buf.extend(csv_rows(&views.iter().map(csv_record).collect::<Vec<_>>())?),
            ExportFormat::Json => {
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
        ExportFormat::Json => {
            buf.push(b']');
            "application/json"
        }
    };
    bytes += buf.len();
    crate::db::transaction(conn, |c| {
        out.part(c, cipher, &mut buf)?;
        out.finish(c, cipher, content_type)?;
        let fields = ["name", "birth_date", "national_id", "mobile", "email", "address"];
        audit::append(c, &p.actor(), Event::new("customer.export", "job", Some(&job.id)).fields(&fields))
    })?;
    Ok(serde_json::to_value(Summary { format: payload.format, file, rows, bytes })?)
}
