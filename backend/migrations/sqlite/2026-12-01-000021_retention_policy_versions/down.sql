ALTER TABLE retention_policies DROP COLUMN version;
