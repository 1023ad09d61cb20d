-- Value tiers (SEG-1, SEG-5). Profit needs a margin the purchase record lacked: optional, with a
-- configured default rate where it is absent.
ALTER TABLE purchases ADD COLUMN margin_fen BIGINT;
-- A run aggregates one window of purchases.
CREATE INDEX purchases_at ON purchases(purchased_at);

-- Versioned settings (JSON): a run names the version it used; an old version stays readable.
CREATE TABLE tier_configs (
    version BIGINT PRIMARY KEY NOT NULL,
    settings TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE tier_runs (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT,
    -- 0: the seed's defaults, before any version was saved.
    config_version BIGINT NOT NULL,
    dry_run BOOLEAN NOT NULL,
    -- The end of the window (exclusive).
    as_of TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    scored BIGINT NOT NULL DEFAULT 0,
    changed BIGINT NOT NULL DEFAULT 0,
    -- JSON: distribution, movement matrix and cut-off scores.
    summary TEXT,
    created_by TEXT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX tier_runs_started ON tier_runs(started_at);

-- One run's measures, percentiles (basis points), score and tier per customer: the staging a run
-- writes before it applies, and afterwards the "why" of the tiers it applied.
CREATE TABLE tier_scores (
    run_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    spend_fen BIGINT NOT NULL,
    profit_fen BIGINT NOT NULL,
    frequency BIGINT NOT NULL,
    pct_spend BIGINT NOT NULL,
    pct_profit BIGINT NOT NULL,
    pct_frequency BIGINT NOT NULL,
    score BIGINT NOT NULL,
    tier TEXT NOT NULL,
    PRIMARY KEY (run_id, customer_id)
);

-- Each customer's tier now: narrow, so a run rewrites it without touching the customers table.
CREATE TABLE customer_tiers (
    customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customers(id),
    tier TEXT NOT NULL,
    score BIGINT NOT NULL,
    run_id TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_tiers_tier ON customer_tiers(tier, customer_id);

-- Only changes: from (NULL: no tier before) and to (NULL: no tier any more), with what decided it.
CREATE TABLE tier_history (
    customer_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    from_tier TEXT,
    to_tier TEXT,
    score BIGINT,
    spend_fen BIGINT,
    profit_fen BIGINT,
    frequency BIGINT,
    config_version BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, run_id)
);
