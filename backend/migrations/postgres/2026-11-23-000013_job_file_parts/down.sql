DROP TABLE job_file_parts;
ALTER TABLE job_files DROP COLUMN parts;
