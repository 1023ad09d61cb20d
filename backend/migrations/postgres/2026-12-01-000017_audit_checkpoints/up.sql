-- Signed checkpoints of the audit chain (length and head hash, signed with the service key),
-- as Certificate Transparency's signed tree heads. Each is also written to the server log; a
-- copy kept outside the database lets verify detect a truncated tail with a rewritten head.
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL,
    jws TEXT NOT NULL
);
