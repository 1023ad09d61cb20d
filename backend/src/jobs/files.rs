//! Files belonging to a job, stored in the database: any server may run the job or serve them.

use diesel::prelude::*;

use crate::db::schema::job_files;
use crate::db::{now, DbConnection};

pub struct JobFile {
    pub content_type: String,
    pub content: Vec<u8>,
}

pub fn put(conn: &mut DbConnection, job_id: &str, name: &str, content_type: &str, content: &[u8]) -> QueryResult<()> {
    diesel::delete(job_files::table.find((job_id, name))).execute(conn)?;
    diesel::insert_into(job_files::table)
        .values((
            job_files::job_id.eq(job_id),
            job_files::name.eq(name),
            job_files::content_type.eq(content_type),
            job_files::content.eq(content),
            job_files::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConnection, job_id: &str, name: &str) -> QueryResult<Option<JobFile>> {
    job_files::table
        .find((job_id, name))
        .select((job_files::content_type, job_files::content))
        .first::<(String, Vec<u8>)>(conn)
        .optional()
        .map(|f| f.map(|(content_type, content)| JobFile { content_type, content }))
}

pub fn remove(conn: &mut DbConnection, job_id: &str, name: &str) -> QueryResult<()> {
    diesel::delete(job_files::table.find((job_id, name))).execute(conn).map(|_| ())
}
