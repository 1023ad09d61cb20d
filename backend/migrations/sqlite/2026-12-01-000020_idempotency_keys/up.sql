-- Idempotency-Key: the first response to a creating POST, replayed to a retry with the same key
-- and body from the same caller, on any server, for 24 hours. The body is sealed with the field
-- keys (a response may carry personal data).
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
