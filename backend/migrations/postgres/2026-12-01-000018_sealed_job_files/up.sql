-- Job files (uploads, exports, partner exports, error reports) are sealed with the field keys
-- from now on; key_id names the key so a key is retired only once no file needs it. Files
-- written before held personal data in clear: they are removed (exports can be run again).
DELETE FROM job_file_parts;
DELETE FROM job_files;
ALTER TABLE job_files ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE job_file_parts ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
