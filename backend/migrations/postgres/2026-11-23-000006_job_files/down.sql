DROP INDEX jobs_created_by;
DROP TABLE job_files;
