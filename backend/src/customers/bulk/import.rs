//! Bulk import from CSV (CUS-10) as a job: every row is validated exactly like a single create;
//! valid rows land in chunks (one transaction each, with the owners, tags, change events and an
//! audit entry), invalid rows are reported with their line number and reason.
//!
//! Re-running a file creates no duplicates: a row whose national id, mobile, email or name +
//! birth date (by blind index) already belongs to a customer in the importer's scope is counted as
//! existing and skipped. That is also why a row needs at least one of those.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::audit::{self, Event};
use crate::auth::Permission;
use crate::crypto::field::FieldCipher;
use crate::customers::bulk::sheet;
use crate::customers::dto::*;
use crate::customers::model::CustomerRow;
use crate::customers::{fields, service, store};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::jobs::model::JobRow;
use crate::jobs::owner::JobOwner;
use crate::jobs::Progress;
use crate::jobs::{files, store as jobs};
use crate::org::scope::Scope;

pub const KIND: &str = "customers.import";

/// On demand; the upload is purged from the database file once read.
pub const JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: KIND,
    schedule: None,
    run: |conn, state, job, progress| {
        let out = run(conn, &state.cipher, job, progress);
        crate::db::checkpoint_after_purge(conn);
        out
    },
};
pub const UPLOAD: &str = "upload.csv";
pub const ERRORS: &str = "errors.csv";
/// Rows per transaction: large enough that a chunk's commit and checkpoint are paid rarely, small
/// enough that other writers wait at most about half a second for the write lock (SQLite).
pub const CHUNK: usize = 10_000;
/// Errors kept in the job result for the screen; the full list is in `errors.csv`.
const ERRORS_SHOWN: usize = 100;

/// The columns a file may have, in any order; `name` is required.
pub fn columns() -> Vec<&'static str> {
    fields::with(fields::FILE).map(|f| f.name).chain(["tags"]).collect()
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub owner: JobOwner,
    pub file_name: Option<String>,
    /// Used for rows whose own source columns are empty.
    pub default_source: Option<Source>,
    /// The language of the request that started the import: the error file speaks it.
    #[serde(default)]
    pub lang: crate::i18n::Lang,
    /// The column each of the file's columns fills, chosen in the preview (empty: skipped);
    /// without it the header row names them.
    #[serde(default)]
    pub mapping: Option<Vec<String>>,
}

/// One rejected row.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "crate::error::Params::is_empty")]
    #[schema(value_type = Object)]
    pub params: crate::error::Params,
    /// In the language of the request that started the import (the error file is written once).
    pub message: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub file_name: Option<String>,
    pub rows: i64,
    pub created: i64,
    pub existing: i64,
    pub rejected: i64,
    pub errors: Vec<RowError>,
}

/// Checks a file before it is queued: UTF-8 or GB18030, every column known (by the header, by
/// code or by label in either language, or by the `mapping` chosen for it) and a `name` column.
pub fn check_file(bytes: &[u8], mapping: Option<&[String]>) -> Result<(), ApiError> {
    let text = sheet::decode(bytes)?;
    let bytes = text.as_bytes();
    if bytes.contains(&0) {
        return Err(ApiError::field("file", "nul"));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader.headers().map_err(|e| ApiError::field("file", "csv").with("cause", e.to_string()))?;
    resolve(header, mapping).map(|_| ())
}

/// Which column each of the file's columns fills (`None`: skipped, only by a mapping's choice).
fn resolve(header: &csv::StringRecord, mapping: Option<&[String]>) -> Result<Vec<Option<&'static str>>, ApiError> {
    let known = columns();
    let names: Vec<Option<&'static str>> = match mapping {
        None => {
            let names: Vec<_> = header.iter().map(|h| sheet::column(h, &known)).collect();
            if let Some(bad) = header.iter().zip(&names).find_map(|(h, n)| n.is_none().then_some(h)) {
                let error = ApiError::field("file", "column").with("value", bad.trim());
                return Err(error.with("known", known.join(", ")));
            }
            names
        }
        Some(m) if m.len() != header.len() => {
            return Err(ApiError::field("columns", "count").with("expected", header.len()).with("actual", m.len()))
        }
        Some(m) => {
            let mut names = Vec::with_capacity(m.len());
            for code in m {
                let name = match code.trim() {
                    "" => None,
                    c => Some(known.iter().copied().find(|k| *k == c).ok_or_else(|| {
                        ApiError::field("columns", "column").with("value", c).with("known", known.join(", "))
                    })?),
                };
                if name.is_some() && names.contains(&name) {
                    return Err(ApiError::field("columns", "repeated").with("value", code.trim()));
                }
                names.push(name);
            }
            names
        }
    };
    if !names.contains(&Some("name")) {
        return Err(ApiError::field(if mapping.is_some() { "columns" } else { "file" }, "name_column"));
    }
    Ok(names)
}

struct Header(HashMap<String, usize>);

impl Header {
    fn cell(&self, rec: &csv::StringRecord, col: &str) -> Option<String> {
        let v = rec.get(*self.0.get(col)?)?.trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

fn parse_enum<T>(
    value: Option<String>,
    col: &str,
    parse: fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let v = value?;
    let parsed = parse(&sheet::value_code(col, &v));
    if parsed.is_none() {
        errors.push(FieldError::new(col, "enum").with("value", v.as_str()));
    }
    parsed
}

/// A row as the same input a single create takes.
fn to_input(h: &Header, rec: &csv::StringRecord, default: Option<&Source>) -> Result<CreateCustomer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let c = |col: &str| h.cell(rec, col);
    let source = match parse_enum(c("source_channel"), "source_channel", SourceChannel::parse, &mut errors) {
        Some(channel) => Some(Source { channel, supplier: c("source_supplier"), legal_basis: c("source_legal_basis") }),
        None => default.cloned(),
    };
    let input = CreateCustomer {
        name: c("name").unwrap_or_default(),
        gender: parse_enum(c("gender"), "gender", Gender::parse, &mut errors),
        birth_date: c("birth_date"),
        national_id: c("national_id"),
        mobile: c("mobile"),
        email: c("email"),
        address: c("address"),
        occupation: c("occupation"),
        income_band: parse_enum(c("income_band"), "income_band", IncomeBand::parse, &mut errors),
        customer_type: parse_enum(c("customer_type"), "customer_type", CustomerType::parse, &mut errors)
            .unwrap_or(CustomerType::Individual),
        preferred_channel: parse_enum(c("preferred_channel"), "preferred_channel", ContactChannel::parse, &mut errors),
        source: source.clone().unwrap_or(Source { channel: SourceChannel::Service, supplier: None, legal_basis: None }),
        household_id: c("household_id"),
        tags: c("tags").map(|t| t.split(['|', ';']).map(str::to_owned).collect()).unwrap_or_default(),
        owner_ids: Vec::new(),
    };
    if source.is_none() && !errors.iter().any(|e| e.field == "source_channel") {
        errors.push(FieldError::new("source_channel", "row_required"));
    }
    if let Err(e) = validator::Validate::validate(&input) {
        if let ApiError::Validation(list) = ApiError::from(e) {
            errors.extend(list);
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// The blind indexes a row is recognised by on a re-import.
fn keys(row: &CustomerRow) -> [(store::Key, &Option<String>); 4] {
    [
        (store::Key::NationalId, &row.national_id_bidx),
        (store::Key::Mobile, &row.mobile_bidx),
        (store::Key::Email, &row.email_bidx),
        (store::Key::Identity, &row.identity_bidx),
    ]
}

struct Prepared {
    row: CustomerRow,
    tags: Vec<String>,
}

pub fn run(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    job: &JobRow,
    progress: &mut Progress<'_>,
) -> Result<serde_json::Value, ApiError> {
    let payload: Payload = serde_json::from_str(&job.payload)?;
    let p = payload.owner.acting(conn, Permission::CustomersWrite)?;
    let file = files::get(conn, cipher, &job.id, UPLOAD)?.ok_or_else(|| ApiError::conflict("upload_gone"))?;
    let text = sheet::decode(&file.content)?;
    let bytes = text.as_bytes();
    let total = csv::ReaderBuilder::new().flexible(true).from_reader(bytes).records().count() as i64;
    let scope: HashSet<String> = store::scope_unit_ids(conn, &Scope::of(&p))?.into_iter().collect();
    let mut summary = Summary { file_name: payload.file_name.clone(), rows: total, ..Summary::default() };
    progress(0, Some(total))?;
    // Two stages on two threads: one reads, validates and encrypts the next chunk while this one
    // writes the last (each is about half of the work). At most one chunk waits between them.
    let (to_writer, chunks) = std::sync::mpsc::sync_channel::<Chunk>(1);
    let (landed, read_errors) = std::thread::scope(|s| {
        let reader = s.spawn(|| prepare(bytes, cipher, &p, &payload, to_writer));
        let landed = crate::db::with_bulk_cache(conn, |conn| -> Result<(), ApiError> {
            let mut done = 0;
            for chunk in chunks {
                let (created, existing) = crate::db::transaction(conn, |c| land(c, &p, &scope, &job.id, chunk.rows))?;
                summary.created += created;
                summary.existing += existing;
                done += chunk.read;
                summary.rejected = chunk.rejected_so_far;
                jobs::record_errors(conn, &job.id, summary.rejected)?;
                progress(done, Some(total))?;
            }
            Ok(())
        });
        // On an error `chunks` is gone by now, so the reader stops at its next chunk.
        (landed, reader.join().map_err(|_| ApiError::internal("the import reader failed")))
    });
    landed?;
    let errors = read_errors??;
    files::put(conn, cipher, &job.id, ERRORS, "text/csv; charset=utf-8", &error_report(&errors)?)?;
    // The upload holds personal data in clear: it goes as soon as it has been read.
    files::remove(conn, &job.id, UPLOAD)?;
    summary.errors = errors.into_iter().take(ERRORS_SHOWN).collect();
    Ok(serde_json::to_value(summary)?)
}

/// Valid rows of up to CHUNK lines, ready to insert.
struct Chunk {
    rows: Vec<Prepared>,
    /// Lines read for this chunk, valid or not.
    read: i64,
    /// Rejected lines from the start of the file to the end of this chunk.
    rejected_so_far: i64,
}

/// Reads the file in chunks, validating and encrypting each row like a single create, and sends
/// the valid rows on; returns every rejected row. Stops early when the writer has gone.
fn prepare(
    bytes: &[u8],
    cipher: &FieldCipher,
    p: &crate::auth::Principal,
    payload: &Payload,
    to_writer: std::sync::mpsc::SyncSender<Chunk>,
) -> Result<Vec<RowError>, ApiError> {
    let (default_source, lang) = (payload.default_source.as_ref(), payload.lang);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let names = resolve(rdr.headers()?, payload.mapping.as_deref())?;
    let header = Header(names.into_iter().enumerate().filter_map(|(i, n)| Some((n?.to_owned(), i))).collect());
    let mut errors: Vec<RowError> = Vec::new();
    let mut rejected_lines = 0;
    // Keys already taken by an earlier row of this file, with that row's line.
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut records = rdr.records();
    loop {
        let mut rows: Vec<Prepared> = Vec::with_capacity(CHUNK);
        let mut read = 0;
        for rec in records.by_ref().take(CHUNK) {
            read += 1;
            let mut reject = |line: u64, list: Vec<FieldError>| {
                rejected_lines += 1;
                errors.extend(list.into_iter().map(|e| {
                    let e = e.localised(lang);
                    RowError { line, field: e.field, code: e.code, params: e.params, message: e.message }
                }));
            };
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    reject(line, vec![FieldError::new("row", "csv").with("cause", e.to_string())]);
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let prepared = to_input(&header, &rec, default_source)
                .and_then(|input| service::new_row(cipher, &p.unit_id, &p.id, input));
            match prepared {
                Err(list) => reject(line, list),
                Ok((row, tags)) => {
                    let ks: Vec<String> = keys(&row).iter().filter_map(|(_, k)| (*k).clone()).collect();
                    if ks.is_empty() {
                        reject(line, vec![FieldError::new("row", "unidentifiable")]);
                    } else if let Some(first) = ks.iter().find_map(|k| seen.get(k)) {
                        reject(line, vec![FieldError::new("row", "duplicate").with("first", *first)]);
                    } else {
                        ks.into_iter().for_each(|k| {
                            seen.insert(k, line);
                        });
                        rows.push(Prepared { row, tags });
                    }
                }
            }
        }
        if read == 0 {
            return Ok(errors);
        }
        if to_writer.send(Chunk { rows, read, rejected_so_far: rejected_lines }).is_err() {
            return Ok(errors);
        }
    }
}

/// Inserts the rows of a chunk that are not in the scope yet; returns (created, existing).
fn land(
    conn: &mut DbConnection,
    p: &crate::auth::Principal,
    scope: &HashSet<String>,
    job_id: &str,
    batch: Vec<Prepared>,
) -> Result<(i64, i64), ApiError> {
    let mut taken: HashSet<String> = HashSet::new();
    for kind in [store::Key::NationalId, store::Key::Mobile, store::Key::Email, store::Key::Identity] {
        let wanted: Vec<String> = batch
            .iter()
            .filter_map(|b| keys(&b.row).into_iter().find(|(k, _)| *k == kind).and_then(|(_, v)| v.clone()))
            .collect();
        if !wanted.is_empty() {
            let found = store::existing_keys(conn, kind, &wanted)?;
            taken.extend(found.into_iter().filter(|(_, unit)| scope.contains(unit)).map(|(k, _)| k));
        }
    }
    let total = batch.len() as i64;
    let fresh: Vec<Prepared> = batch
        .into_iter()
        .filter(|b| !keys(&b.row).iter().any(|(_, k)| k.as_ref().is_some_and(|k| taken.contains(k))))
        .collect();
    if fresh.is_empty() {
        return Ok((0, total));
    }
    let owners: Vec<(String, String)> = fresh.iter().map(|b| (b.row.id.clone(), p.id.clone())).collect();
    let tags: Vec<(String, String)> =
        fresh.iter().flat_map(|b| b.tags.iter().map(|t| (b.row.id.clone(), t.clone()))).collect();
    let events: Vec<(String, Option<String>, String)> = fresh
        .iter()
        .map(|b| {
            let fields = service::filled_fields(&b.row);
            let payload = serde_json::json!({
                "customer_id": b.row.id, "unit_id": b.row.unit_id, "version": 1, "fields": fields, "import_job": job_id,
            });
            (b.row.id.clone(), Some(b.row.unit_id.clone()), payload.to_string())
        })
        .collect();
    let mut written: Vec<&str> = fresh.iter().flat_map(|b| service::filled_fields(&b.row)).collect();
    written.sort_unstable();
    written.dedup();
    let rows: Vec<CustomerRow> = fresh.into_iter().map(|b| b.row).collect();
    let created = rows.len() as i64;
    store::insert_many(conn, &rows, &owners, &tags)?;
    crate::outbox::enqueue_many(conn, crate::outbox::Topic::CustomerCreated, &events)?;
    // One entry per chunk: the job names the file and counts; the events name each customer.
    audit::append(conn, &p.actor(), Event::new("customer.import", "job", Some(job_id)).fields(&written))?;
    Ok((created, total - created))
}

fn error_report(errors: &[RowError]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["line", "field", "code", "message"])?;
    for e in errors {
        w.write_record([e.line.to_string().as_str(), &e.field, &e.code, &e.message])?;
    }
    Ok(w.into_inner()?)
}
