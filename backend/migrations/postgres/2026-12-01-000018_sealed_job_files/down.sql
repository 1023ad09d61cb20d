ALTER TABLE job_file_parts DROP COLUMN key_id;
ALTER TABLE job_files DROP COLUMN key_id;
