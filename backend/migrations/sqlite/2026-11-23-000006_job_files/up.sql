-- Files a job reads or writes (an uploaded import, its error report, an export), kept in the
-- database so that any server behind the load balancer can run the job or serve the download.
CREATE TABLE job_files (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (job_id, name)
);
CREATE INDEX jobs_created_by ON jobs(created_by, id);
