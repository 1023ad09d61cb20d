//! Files belonging to a job, stored in the database: any server may run the job or serve them.
//! Small files are one row; large ones (exports) are written in parts as the job goes and read
//! back part by part, so neither side holds a whole export in memory. Every file holds personal
//! data (an upload, an export, an error report quoting rows), so each row is sealed with the
//! field keys, bound to its job, name and part: no clear byte reaches the database or its WAL.

use diesel::prelude::*;

use crate::crypto::field::FieldCipher;
use crate::db::schema::{job_file_parts, job_files, jobs};
use crate::db::{now, DbConnection};

fn context(job_id: &str, name: &str, seq: Option<i32>) -> String {
    format!("job_files|{job_id}|{name}|{}", seq.map_or("whole".to_owned(), |s| s.to_string()))
}

fn opened(cipher: &FieldCipher, ctx: &str, sealed: &[u8]) -> QueryResult<Vec<u8>> {
    cipher
        .open_bytes(ctx, sealed)
        .map_err(|e| diesel::result::Error::DeserializationError(format!("job file {ctx}: {e:?}").into()))
}

pub struct JobFile {
    pub content_type: String,
    pub content: Vec<u8>,
    /// How many parts follow (`content` is empty then).
    pub parts: i32,
}

pub fn put(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    job_id: &str,
    name: &str,
    content_type: &str,
    content: &[u8],
) -> QueryResult<()> {
    let sealed = cipher.seal_bytes(&context(job_id, name, None), content);
    header(conn, cipher, job_id, name, content_type, &sealed, 0)
}

fn header(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    job_id: &str,
    name: &str,
    content_type: &str,
    sealed: &[u8],
    parts: i32,
) -> QueryResult<()> {
    diesel::delete(job_files::table.find((job_id, name))).execute(conn)?;
    diesel::insert_into(job_files::table)
        .values((
            job_files::job_id.eq(job_id),
            job_files::name.eq(name),
            job_files::content_type.eq(content_type),
            job_files::content.eq(sealed),
            job_files::created_at.eq(now()),
            job_files::parts.eq(parts),
            job_files::key_id.eq(cipher.field_key_id()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Writes a file in parts: `part` as the content grows, `finish` once (in the job's last
/// transaction, so a file exists only when complete). A retried job starts the parts afresh.
pub struct PartWriter {
    job_id: String,
    name: String,
    next: i32,
}

impl PartWriter {
    pub fn start(conn: &mut DbConnection, job_id: &str, name: &str) -> QueryResult<PartWriter> {
        diesel::delete(
            job_file_parts::table.filter(job_file_parts::job_id.eq(job_id)).filter(job_file_parts::name.eq(name)),
        )
        .execute(conn)?;
        Ok(PartWriter { job_id: job_id.to_owned(), name: name.to_owned(), next: 0 })
    }

    /// Stores `buf` as the next part and empties it (nothing when it is empty).
    pub fn part(&mut self, conn: &mut DbConnection, cipher: &FieldCipher, buf: &mut Vec<u8>) -> QueryResult<()> {
        if buf.is_empty() {
            return Ok(());
        }
        let sealed = cipher.seal_bytes(&context(&self.job_id, &self.name, Some(self.next)), buf);
        diesel::insert_into(job_file_parts::table)
            .values((
                job_file_parts::job_id.eq(&self.job_id),
                job_file_parts::name.eq(&self.name),
                job_file_parts::seq.eq(self.next),
                job_file_parts::content.eq(sealed),
                job_file_parts::key_id.eq(cipher.field_key_id()),
            ))
            .execute(conn)?;
        self.next += 1;
        buf.clear();
        Ok(())
    }

    pub fn finish(self, conn: &mut DbConnection, cipher: &FieldCipher, content_type: &str) -> QueryResult<()> {
        header(conn, cipher, &self.job_id, &self.name, content_type, &[], self.next)
    }
}

pub fn get(conn: &mut DbConnection, cipher: &FieldCipher, job_id: &str, name: &str) -> QueryResult<Option<JobFile>> {
    let found = job_files::table
        .find((job_id, name))
        .select((job_files::content_type, job_files::content, job_files::parts))
        .first::<(String, Vec<u8>, i32)>(conn)
        .optional()?;
    let Some((content_type, sealed, parts)) = found else { return Ok(None) };
    let content = if parts == 0 { opened(cipher, &context(job_id, name, None), &sealed)? } else { Vec::new() };
    Ok(Some(JobFile { content_type, content, parts }))
}

pub fn part(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    job_id: &str,
    name: &str,
    seq: i32,
) -> QueryResult<Option<Vec<u8>>> {
    let sealed: Option<Vec<u8>> =
        job_file_parts::table.find((job_id, name, seq)).select(job_file_parts::content).first(conn).optional()?;
    sealed.map(|s| opened(cipher, &context(job_id, name, Some(seq)), &s)).transpose()
}

/// Files and parts still sealed with one of the `old` field keys.
pub fn sealed_with(conn: &mut DbConnection, old: &[String]) -> QueryResult<i64> {
    let files: i64 = job_files::table.filter(job_files::key_id.eq_any(old)).count().get_result(conn)?;
    let parts: i64 = job_file_parts::table.filter(job_file_parts::key_id.eq_any(old)).count().get_result(conn)?;
    Ok(files + parts)
}

/// Seals every file and part anew with the newest field key (key rotation), a few rows at a
/// time; returns how many rows it rewrote.
pub fn reseal_all(conn: &mut DbConnection, cipher: &FieldCipher) -> QueryResult<u64> {
    const BATCH: i64 = 20;
    let newest = cipher.field_key_id().to_owned();
    let mut n = 0;
    loop {
        let files: Vec<(String, String, Vec<u8>, i32)> = job_files::table
            .filter(job_files::key_id.ne(&newest))
            .select((job_files::job_id, job_files::name, job_files::content, job_files::parts))
            .limit(BATCH)
            .load(conn)?;
        let parts: Vec<(String, String, i32, Vec<u8>)> = job_file_parts::table
            .filter(job_file_parts::key_id.ne(&newest))
            .select((job_file_parts::job_id, job_file_parts::name, job_file_parts::seq, job_file_parts::content))
            .limit(BATCH)
            .load(conn)?;
        if files.is_empty() && parts.is_empty() {
            return Ok(n);
        }
        for (job_id, name, sealed, parts) in files {
            // A header of a file in parts holds no content of its own.
            let content = if parts == 0 {
                let ctx = context(&job_id, &name, None);
                cipher.seal_bytes(&ctx, &opened(cipher, &ctx, &sealed)?)
            } else {
                sealed
            };
            diesel::update(job_files::table.find((&job_id, &name)))
                .set((job_files::content.eq(content), job_files::key_id.eq(&newest)))
                .execute(conn)?;
            n += 1;
        }
        for (job_id, name, seq, sealed) in parts {
            let ctx = context(&job_id, &name, Some(seq));
            let content = cipher.seal_bytes(&ctx, &opened(cipher, &ctx, &sealed)?);
            diesel::update(job_file_parts::table.find((&job_id, &name, seq)))
                .set((job_file_parts::content.eq(content), job_file_parts::key_id.eq(&newest)))
                .execute(conn)?;
            n += 1;
        }
    }
}

pub const EXPIRE_KIND: &str = "jobs.expire_files";

/// Each night: the files of jobs finished more than `GUANXI_JOB_FILE_DAYS` ago go.
pub const EXPIRE_JOB: super::JobKind = super::JobKind {
    name: EXPIRE_KIND,
    schedule: Some(super::Schedule { name: "daily-job-files", next: super::schedule::next_night }),
    run: |conn, state, _, _| {
        let before = now() - chrono::Duration::days(state.settings.job_file_days);
        let (files, parts) = expire(conn, before)?;
        let runs = super::store::prune_scheduled_runs(conn, before)?;
        crate::db::checkpoint_after_purge(conn);
        Ok(
            serde_json::json!({ "files": files, "parts": parts, "scheduled_runs": runs, "finished_before": before.and_utc() }),
        )
    },
};

/// Deletes the files of jobs that finished before `before` (exports and uploads hold personal
/// data, clear values included; they are not kept for ever). Returns (files, parts) deleted.
pub fn expire(conn: &mut DbConnection, before: chrono::NaiveDateTime) -> QueryResult<(usize, usize)> {
    let old = || jobs::table.filter(jobs::finished_at.lt(before)).select(jobs::id);
    let parts = diesel::delete(job_file_parts::table.filter(job_file_parts::job_id.eq_any(old()))).execute(conn)?;
    let files = diesel::delete(job_files::table.filter(job_files::job_id.eq_any(old()))).execute(conn)?;
    Ok((files, parts))
}

pub fn remove(conn: &mut DbConnection, job_id: &str, name: &str) -> QueryResult<()> {
    diesel::delete(
        job_file_parts::table.filter(job_file_parts::job_id.eq(job_id)).filter(job_file_parts::name.eq(name)),
    )
    .execute(conn)?;
    diesel::delete(job_files::table.find((job_id, name))).execute(conn).map(|_| ())
}
