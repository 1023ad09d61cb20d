-- A retention period is changed with If-Match like every other versioned resource.
ALTER TABLE retention_policies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
