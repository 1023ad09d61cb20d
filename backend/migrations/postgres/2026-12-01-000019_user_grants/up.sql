-- Four eyes on access to clear personal data: what an administrator asks for a user that would
-- let that account read clear values (a compliance or manager role, re-enabling such an account,
-- a new password for one) waits here until a second person of such a role approves it.
CREATE TABLE user_grants (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT,
    activate BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    requested_by TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP
);
CREATE INDEX user_grants_pending ON user_grants (status, user_id);
