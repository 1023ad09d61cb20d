-- Substring search on customer names (B3c): a pg_trgm GIN index serves ILIKE '%term%'.
-- pg_trgm only makes trigrams of letters the database's LC_CTYPE calls alphanumeric: under the
-- C locale Chinese names get none, so the server warns at start (docs/OPERATIONS.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);

-- Names sort and compare by code point, as in SQLite (BINARY), so one index serves the name
-- order, its keyset cursor and prefix search (text_pattern_ops served only the prefix search and
-- left every page by name to a sort of the whole scope).
DROP INDEX customers_name;
ALTER TABLE customers ALTER COLUMN name TYPE TEXT COLLATE "C";
CREATE INDEX customers_name ON customers (name, id);
