//! Sharing by file (PRV-3): the customers an agreement covers who consented to the partner, with
//! the agreed fields in clear, as a job whose file only its starter downloads. Every customer in
//! the file gets a share-log row (channel `export`), so it shows in their disclosure history;
//! the rows and the file are written in one transaction.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use validator::Validate;

use super::model::{AgreementRow, ShareRow};
use super::store;
use crate::audit::{self, Event};
use crate::crypto::field::FieldCipher;
use crate::customers::bulk::export::ExportFormat;
use crate::customers::model::CustomerRow;
use crate::db::{new_id, now, DbConnection};
use crate::error::ApiError;
use crate::jobs::files;
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::xlsx::{self, XlsxWriter};
use crate::jobs::Progress;
use crate::org::scope::Scope;

pub const KIND: &str = "partners.export";

pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: None,
    run: |conn, state, job, progress| run(conn, &state.cipher, job, progress),
};
const BATCH: i64 = 500;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerExportRequest {
    pub agreement_id: String,
    /// One of the agreement's purposes; recorded in the share log.
    #[validate(length(min = 1, max = 60))]
    #[schema(min_length = 1, max_length = 60)]
    pub purpose: String,
    pub format: ExportFormat,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub owner: JobOwner,
    pub partner_id: String,
    pub agreement_id: String,
    pub purpose: String,
    pub format: ExportFormat,
}

#[derive(Debug, Serialize)]
struct Summary {
    file: String,
    customers: i64,
    /// Covered by the agreement but without the partner consent (left out).
    without_consent: i64,
}

/// The agreement, if it belongs to the partner, is in force today, covers the purpose and
/// covers units in the caller's scope; with the unit subtrees it reaches there.
pub fn agreement_for(
    conn: &mut DbConnection,
    scope: &Scope,
    partner_id: &str,
    agreement_id: &str,
    purpose: &str,
) -> Result<(AgreementRow, Vec<String>), ApiError> {
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let agreement = store::agreements(conn, partner_id)?
        .into_iter()
        .find(|a| a.id == agreement_id)
        .ok_or_else(|| ApiError::field("agreement_id", "unknown"))?;
    if !agreement.in_force(&today) {
        return Err(ApiError::field("agreement_id", "not_in_force"));
    }
    if !AgreementRow::list(&agreement.purposes).iter().any(|p| p == purpose) {
        return Err(ApiError::field("purpose", "not_agreed"));
    }
    let mut paths = Vec::new();
    for unit in AgreementRow::list(&agreement.unit_ids) {
        paths.extend(crate::org::store::unit_path(conn, &unit)?);
    }
    let reach = scope.within(paths.iter().map(String::as_str));
    if reach.is_empty() {
        // An agreement for other units is not the caller's to use: as if it did not exist.
        return Err(ApiError::field("agreement_id", "unknown"));
    }
    Ok((agreement, reach))
}

pub fn run(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    job: &JobRow,
    progress: &mut Progress<'_>,
) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let p = payload.owner.acting(conn, crate::auth::Permission::PrivacyManage)?;
    let partner = store::get(conn, &payload.partner_id)?.ok_or_else(|| ApiError::conflict("partner_gone"))?;
    let scope = Scope::of(&p);
    let (agreement, reach) = agreement_for(conn, &scope, &partner.id, &payload.agreement_id, &payload.purpose)?;
    let fields = AgreementRow::list(&agreement.fields);
    let consent = crate::consent::purpose::Purpose::PartnerSharing(partner.code.clone());
    let mut csv_out = csv::Writer::from_writer(Vec::new());
    let mut json_rows: Vec<Value> = Vec::new();
    let header: Vec<&str> = std::iter::once("id").chain(fields.iter().map(String::as_str)).collect();
    let mut sheet = None;
    match payload.format {
        ExportFormat::Csv => csv_out.write_record(&header)?,
        ExportFormat::Xlsx => sheet = Some(XlsxWriter::start(&partner.code, &header)?),
        ExportFormat::Json => {}
    }
    let mut without = 0i64;
    // Logged with the file in one transaction: a run that fails half-way disclosed nothing.
    let mut shares: Vec<ShareRow> = Vec::new();
    let t = now();
    for path in reach {
        let mut before: Option<String> = None;
        loop {
            let filter = crate::customers::store::Filter::default();
            let ids = crate::customers::store::ids(
                conn,
                &Scope::from_prefix(path.as_str()),
                "",
                &filter,
                before.as_deref(),
                BATCH,
            )?;
            let Some(last) = ids.last() else { break };
            before = Some(last.clone());
            let allowed = crate::consent::decide::allowed_among(conn, &ids, &consent)?;
            without += (ids.len() - allowed.len()) as i64;
            let rows: Vec<CustomerRow> = crate::customers::store::rows_by_ids(conn, &allowed)?;
            for row in &rows {
                let mut values = Vec::with_capacity(fields.len());
                for f in &fields {
                    values.push(crate::customers::service::clear_value(cipher, row, f)?);
                }
                let cells =
                    || std::iter::once(row.id.clone()).chain(values.clone().into_iter().map(Option::unwrap_or_default));
                match payload.format {
                    ExportFormat::Csv => csv_out.write_record(cells())?,
                    ExportFormat::Xlsx => {
                        if let Some(x) = sheet.as_mut() {
                            x.row(&cells().collect::<Vec<_>>())?
                        }
                    }
                    ExportFormat::Json => {
                        let mut obj = serde_json::Map::new();
                        obj.insert("id".into(), Value::String(row.id.clone()));
                        for (f, v) in fields.iter().zip(values) {
                            obj.insert(f.clone(), v.map_or(Value::Null, Value::String));
                        }
                        json_rows.push(Value::Object(obj));
                    }
                }
                shares.push(ShareRow {
                    id: new_id(),
                    partner_id: partner.id.clone(),
                    agreement_id: agreement.id.clone(),
                    customer_id: Some(row.id.clone()),
                    channel: "export".into(),
                    fields: agreement.fields.clone(),
                    purpose: payload.purpose.clone(),
                    count: 1,
                    shared_at: t,
                });
            }
            progress(shares.len() as i64 + without, None)?;
        }
    }
    let (content, content_type, ext) = match payload.format {
        ExportFormat::Csv => (csv_out.into_inner()?, "text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => {
            (sheet.map(XlsxWriter::finish).transpose()?.unwrap_or_default(), xlsx::CONTENT_TYPE, "xlsx")
        }
        ExportFormat::Json => (serde_json::to_vec(&json_rows)?, "application/json", "json"),
    };
    let file = format!("partner-{}.{ext}", partner.code);
    let shared = shares.len() as i64;
    crate::db::transaction(conn, |c| {
        store::insert_shares(c, &shares)?;
        files::put(c, cipher, &job.id, &file, content_type, &content)?;
        let names: Vec<&str> = fields.iter().map(String::as_str).collect();
        let mut ev = Event::new("partner.export", "partner", Some(&partner.id)).fields(&names);
        ev.purpose = Some(&payload.purpose);
        audit::append(c, &p.actor(), ev)
    })?;
    Ok(serde_json::to_value(Summary { file, customers: shared, without_consent: without })?)
}
