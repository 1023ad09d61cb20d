-- Merges of duplicate customers (CUS-8), kept so that a merge can be undone for 30 days: the
-- surviving record as it was before (sensitive values stay ciphertexts), and exactly what moved.
CREATE TABLE customer_merges (
    id TEXT PRIMARY KEY NOT NULL,
    target_id TEXT NOT NULL REFERENCES customers(id),
    source_id TEXT NOT NULL REFERENCES customers(id),
    target_before TEXT NOT NULL,
    target_version BIGINT NOT NULL,
    moved TEXT NOT NULL,
    fields TEXT NOT NULL,
    merged_by TEXT NOT NULL,
    merged_at TIMESTAMP NOT NULL,
    undone_at TIMESTAMP,
    undone_by TEXT
);
CREATE INDEX customer_merges_target ON customer_merges(target_id, id);
CREATE INDEX customer_merges_source ON customer_merges(source_id, id);
