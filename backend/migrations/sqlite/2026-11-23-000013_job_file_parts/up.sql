-- Large job files (exports) are written in parts as the job goes, so neither the job nor a
-- download holds a whole export in memory. A file with parts keeps an empty `content`.
ALTER TABLE job_files ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;
CREATE TABLE job_file_parts (
    job_id TEXT NOT NULL,
    name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (job_id, name, seq)
);
