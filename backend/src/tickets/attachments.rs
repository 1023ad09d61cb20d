//! Attachments (SVC-5): a photo of a faulty set-top box, a call recording, a scanned receipt.
//! Each is a timeline entry (the file name, encrypted, is its text) and a row naming the stored
//! file (`files`): its SHA-256, type and size. The type is read from the bytes, never taken from
//! the caller. Erasure deletes the rows; the hourly sweep deletes files no row holds any more.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::files::Files;
use super::service::{event, Ctx, Entry};
use super::store::TicketRow;
use crate::audit::{self, Actor, Event};
use crate::crypto::field::FieldCipher;
use crate::db::schema::{ticket_attachments, ticket_events};
use crate::db::{now, DbConnection};
use crate::error::ApiError;

/// The largest file accepted (a minute of recording, a phone photo at full size).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// What may be attached, as read from the file's first bytes.
pub const TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "application/pdf",
    "audio/mpeg",
    "audio/x-wav",
    "audio/m4a",
    "audio/amr",
    "video/mp4",
];

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ticket_attachments)]
pub struct AttachmentRow {
    pub id: String,
    pub ticket_id: String,
    pub sha256: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub key_id: String,
    pub created_at: chrono::NaiveDateTime,
}

/// One upload: the bytes, what the sender called the file, and whether the customer sees it.
pub struct Upload<'a> {
    pub bytes: &'a [u8],
    pub file_name: Option<String>,
    pub public: bool,
}

/// The type of `bytes` if it is one that may be attached; 422 on `file` otherwise.
pub fn sniff(bytes: &[u8]) -> Result<&'static str, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::field("file", "required"));
    }
    match infer::get(bytes).map(|t| t.mime_type()) {
        Some(found) => TYPES.iter().find(|t| **t == found).copied(),
        None => None,
    }
    .ok_or_else(|| ApiError::field("file", "file_type").with("allowed", TYPES.join(", ")))
}

/// A name to show: the sender's, trimmed to its last path part, or the digest's head.
fn shown_name(given: Option<String>, sha256: &str) -> Result<String, ApiError> {
    let name = given.map(|n| n.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned()).unwrap_or_default();
    if name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::field("file_name", "length").with("max", 200));
    }
    Ok(if name.is_empty() { sha256[..12].to_owned() } else { name })
}

/// Stores the file (once per content) and puts it on the ticket's timeline. Returns the entry's id.
pub fn attach(
    conn: &mut DbConnection,
    ctx: &Ctx<'_>,
    files: &Files,
    actor: &Actor,
    t: &TicketRow,
    upload: Upload<'_>,
) -> Result<String, ApiError> {
    if upload.bytes.len() > MAX_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let content_type = sniff(upload.bytes)?;
    let sha256 = crate::crypto::sha256_hex(upload.bytes);
    let name = shown_name(upload.file_name, &sha256)?;
    let key_id = files.put(ctx.cipher, &sha256, upload.bytes)?;
    let size = upload.bytes.len() as i64;
    let data = serde_json::json!({ "content_type": content_type, "size_bytes": size });
    let entry = Entry { kind: "attachment", public: upload.public, body: Some(&name), data };
    let id = event(conn, ctx.cipher, &t.id, actor.id.as_deref(), entry)?.id;
    let row = AttachmentRow {
        id: id.clone(),
        ticket_id: t.id.clone(),
        sha256,
        content_type: content_type.to_owned(),
        size_bytes: size,
        key_id,
        created_at: now(),
    };
    diesel::insert_into(ticket_attachments::table).values(&row).execute(conn)?;
    audit::append(conn, actor, Event::new("ticket.attachment", "customer", Some(&t.customer_id)))?;
    Ok(id)
}

/// An attachment to download.
pub struct Download {
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The attachment `id` of ticket `t` (only those shown to the customer when `public_only`), opened,
/// and its reading audited; 404 when there is none (or it was erased).
pub fn download(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    files: &Files,
    actor: &Actor,
    t: &TicketRow,
    id: &str,
    public_only: bool,
) -> Result<Download, ApiError> {
    let mut q = ticket_attachments::table
        .inner_join(ticket_events::table.on(ticket_events::id.eq(ticket_attachments::id)))
        .filter(ticket_attachments::id.eq(id))
        .filter(ticket_attachments::ticket_id.eq(&t.id))
        .select((AttachmentRow::as_select(), ticket_events::body))
        .into_boxed();
    if public_only {
        q = q.filter(ticket_events::public.eq(true));
    }
    let (row, name): (AttachmentRow, Option<String>) = q.first(conn).optional()?.ok_or(ApiError::NotFound)?;
    let file_name = match name {
        Some(n) => super::views::open(cipher, "ticket_events", "body", &row.id, &n)?,
        None => row.sha256[..12].to_owned(),
    };
    let bytes = files.get(cipher, &row.sha256)?.ok_or(ApiError::NotFound)?;
    audit::append(conn, actor, Event::new("ticket.attachment.read", "customer", Some(&t.customer_id)))?;
    Ok(Download { content_type: row.content_type, file_name, bytes })
}

/// Deletes the attachment rows of a customer's tickets (erasure); the sweep removes the files.
pub fn forget_customer(conn: &mut DbConnection, customer_id: &str) -> QueryResult<usize> {
    use crate::db::schema::tickets;
    diesel::delete(
        ticket_attachments::table.filter(
            ticket_attachments::ticket_id
                .eq_any(tickets::table.filter(tickets::customer_id.eq(customer_id)).select(tickets::id)),
        ),
    )
    .execute(conn)
}

/// Files younger than this are left alone by the job's sweep: their row may not be committed yet.
pub const GRACE: std::time::Duration = std::time::Duration::from_secs(3600);

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Swept {
    pub files_seen: u64,
    pub files_removed: u64,
}

/// Removes the files older than `grace` that no attachment row holds (erased customers, uploads
/// whose transaction failed).
pub fn sweep(conn: &mut DbConnection, files: &Files, grace: std::time::Duration) -> Result<Swept, ApiError> {
    let mut out = Swept::default();
    files.each_dir(|found| {
        out.files_seen += found.len() as u64;
        let old: Vec<String> = found.into_iter().filter(|(_, age)| *age >= grace).map(|(s, _)| s).collect();
        for chunk in old.chunks(500) {
            let held: Vec<String> = ticket_attachments::table
                .filter(ticket_attachments::sha256.eq_any(chunk))
                .select(ticket_attachments::sha256)
                .distinct()
                .load(conn)?;
            for sha in chunk.iter().filter(|s| !held.contains(s)) {
                files.remove(sha)?;
                out.files_removed += 1;
            }
        }
        Ok(())
    })?;
    Ok(out)
}

pub const SWEEP_KIND: &str = "tickets.attachments";

/// Every hour.
pub const SWEEP_JOB: crate::jobs::JobKind = crate::jobs::JobKind {
    name: SWEEP_KIND,
    schedule: Some(crate::jobs::Schedule { name: "hourly-attachments", next: crate::jobs::schedule::next_hour }),
    run: |conn, state, _, _| Ok(serde_json::to_value(sweep(conn, &Files::new(&state.settings.data_dir), GRACE)?)?),
};

/// Attachment files still sealed with one of the `old` field keys (the retirement check).
pub fn sealed_with(conn: &mut DbConnection, old: &[String]) -> QueryResult<i64> {
    ticket_attachments::table.filter(ticket_attachments::key_id.eq_any(old)).count().get_result(conn)
}

/// Seals every attachment file anew with the newest field key; returns how many files it rewrote.
pub fn reseal_all(conn: &mut DbConnection, cipher: &FieldCipher, files: &Files) -> Result<u64, ApiError> {
    let newest = cipher.field_key_id().to_owned();
    let mut n = 0;
    loop {
        let stale: Vec<String> = ticket_attachments::table
            .filter(ticket_attachments::key_id.ne(&newest))
            .select(ticket_attachments::sha256)
            .distinct()
            .limit(500)
            .load(conn)?;
        if stale.is_empty() {
            return Ok(n);
        }
        for sha in &stale {
            n += u64::from(files.reseal(cipher, sha)?);
        }
        diesel::update(ticket_attachments::table.filter(ticket_attachments::sha256.eq_any(&stale)))
            .set(ticket_attachments::key_id.eq(&newest))
            .execute(conn)?;
    }
}
