//! Files belonging to a job, stored in the database: any server may run the job or serve them.
//! Small files are one row; large ones (exports) are written in parts as the job goes and read
//! back part by part, so neither side holds a whole export in memory.

use diesel::prelude::*;

use crate::db::schema::{job_file_parts, job_files, jobs};
use crate::db::{now, DbConnection};

pub struct JobFile {
    pub content_type: String,
    pub content: Vec<u8>,
    /// How many parts follow (`content` is empty then).
    pub parts: i32,
}

pub fn put(conn: &mut DbConnection, job_id: &str, name: &str, content_type: &str, content: &[u8]) -> QueryResult<()> {
    header(conn, job_id, name, content_type, content, 0)
}

fn header(
    conn: &mut DbConnection,
    job_id: &str,
    name: &str,
    content_type: &str,
    content: &[u8],
    parts: i32,
) -> QueryResult<()> {
    diesel::delete(job_files::table.find((job_id, name))).execute(conn)?;
    diesel::insert_into(job_files::table)
        .values((
            job_files::job_id.eq(job_id),
            job_files::name.eq(name),
            job_files::content_type.eq(content_type),
            job_files::content.eq(content),
            job_files::created_at.eq(now()),
            job_files::parts.eq(parts),
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
    pub fn part(&mut self, conn: &mut DbConnection, buf: &mut Vec<u8>) -> QueryResult<()> {
        if buf.is_empty() {
            return Ok(());
        }
        diesel::insert_into(job_file_parts::table)
            .values((
                job_file_parts::job_id.eq(&self.job_id),
                job_file_parts::name.eq(&self.name),
                job_file_parts::seq.eq(self.next),
                job_file_parts::content.eq(buf.as_slice()),
            ))
            .execute(conn)?;
        self.next += 1;
        buf.clear();
        Ok(())
    }

    pub fn finish(self, conn: &mut DbConnection, content_type: &str) -> QueryResult<()> {
        header(conn, &self.job_id, &self.name, content_type, &[], self.next)
    }
}

pub fn get(conn: &mut DbConnection, job_id: &str, name: &str) -> QueryResult<Option<JobFile>> {
    job_files::table
        .find((job_id, name))
        .select((job_files::content_type, job_files::content, job_files::parts))
        .first::<(String, Vec<u8>, i32)>(conn)
        .optional()
        .map(|f| f.map(|(content_type, content, parts)| JobFile { content_type, content, parts }))
}

pub fn part(conn: &mut DbConnection, job_id: &str, name: &str, seq: i32) -> QueryResult<Option<Vec<u8>>> {
    job_file_parts::table.find((job_id, name, seq)).select(job_file_parts::content).first(conn).optional()
}

pub const EXPIRE_KIND: &str = "jobs.expire_files";

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
