-- Failed logins per (username as typed, client address): unknown names are counted exactly like
-- real ones (no existence oracle), and a lock holds one address only, so an attacker elsewhere
-- cannot lock the owner out. users.failed_logins / users.locked_until are no longer used.
CREATE TABLE login_locks (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locks INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    last_failure_at TIMESTAMP NOT NULL,
    PRIMARY KEY (username, address)
);
CREATE INDEX login_locks_by_age ON login_locks (last_failure_at);
