-- Data quality (CUS-8): which filled fields staff have verified with the customer (a change to a
-- field drops its verification), per-unit figures of each quality run, and recurring schedules.
CREATE TABLE customer_verifications (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    field TEXT NOT NULL,
    verified_by TEXT NOT NULL,
    verified_at TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, field)
);

CREATE TABLE quality_reports (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    customers BIGINT NOT NULL,
    filled BIGINT NOT NULL,
    verified BIGINT NOT NULL,
    unreachable BIGINT NOT NULL,
    inactive BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX quality_reports_unit ON quality_reports(unit_id, created_at);

CREATE TABLE schedules (
    name TEXT PRIMARY KEY NOT NULL,
    next_run_at TIMESTAMP NOT NULL
);
