DROP INDEX customers_name_trgm;
DROP INDEX customers_name;
ALTER TABLE customers ALTER COLUMN name TYPE TEXT COLLATE "default";
CREATE INDEX customers_name ON customers (name text_pattern_ops, id);
