-- Member levels, value bands, RFM and lifecycle (SEG-2, SEG-3): a run stages them per customer
-- beside the tier scores, and applying makes them each customer's narrow profile row.
CREATE TABLE profile_scores (
    run_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    -- potential, dormant, churn_risk, active
    lifecycle TEXT NOT NULL,
    -- high, medium, low
    band TEXT NOT NULL,
    -- What the measures reach now (gold, silver, bronze); the grace decides the level kept.
    level TEXT NOT NULL,
    -- Quintiles 1..5 among customers who bought in the window; NULL for the others.
    r BIGINT,
    f BIGINT,
    m BIGINT,
    recent_spend_fen BIGINT NOT NULL,
    previous_spend_fen BIGINT NOT NULL,
    recent_frequency BIGINT NOT NULL,
    previous_frequency BIGINT NOT NULL,
    last_purchase_at TIMESTAMP,
    PRIMARY KEY (run_id, customer_id)
);

CREATE TABLE customer_profiles (
    customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customers(id),
    run_id TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    band TEXT NOT NULL,
    level TEXT NOT NULL,
    -- Since when the measures are below the level kept; it drops once the grace has passed.
    below_since TIMESTAMP,
    -- '111'..'555' (recency, frequency, monetary), NULL without a purchase in the window.
    rfm TEXT,
    recent_spend_fen BIGINT NOT NULL,
    previous_spend_fen BIGINT NOT NULL,
    recent_frequency BIGINT NOT NULL,
    previous_frequency BIGINT NOT NULL,
    last_purchase_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_profiles_lifecycle ON customer_profiles(lifecycle, customer_id);
CREATE INDEX customer_profiles_level ON customer_profiles(level, customer_id);
CREATE INDEX customer_profiles_band ON customer_profiles(band, customer_id);
CREATE INDEX customer_profiles_rfm ON customer_profiles(rfm, customer_id);

-- Churn warnings (MKT-6): opened by an applied run for a customer turned churn-risk, with the
-- drop in figures; closed by the run that finds the customer active again.
CREATE TABLE churn_warnings (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    run_id TEXT NOT NULL,
    -- The measure that fell most: spend or frequency.
    measure TEXT NOT NULL CHECK (measure IN ('spend', 'frequency')),
    recent BIGINT NOT NULL,
    previous BIGINT NOT NULL,
    drop_percent BIGINT NOT NULL,
    months BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    -- recovered, not_profiled, deleted
    closed_reason TEXT
);
CREATE UNIQUE INDEX churn_warnings_open ON churn_warnings(customer_id) WHERE status = 'open';
CREATE INDEX churn_warnings_status ON churn_warnings(status, id);

CREATE TABLE winback_actions (
    id TEXT PRIMARY KEY NOT NULL,
    warning_id TEXT NOT NULL REFERENCES churn_warnings(id),
    -- call, visit, message, offer, other
    action TEXT NOT NULL,
    -- planned, reached, won_back, declined, unreachable
    outcome TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX winback_actions_warning ON winback_actions(warning_id, id);

-- A manager's tier for one customer, with a reason and an expiry (SEG-1 "overridable"). Runs
-- keep computing the customer's score; the override is the tier shown while it lasts.
CREATE TABLE tier_overrides (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    tier TEXT NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
    reason TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX tier_overrides_customer ON tier_overrides(customer_id, id);

-- The service strategy of each class (SEG-6): tier:A, level:gold, lifecycle:dormant, ...
CREATE TABLE service_strategies (
    class TEXT PRIMARY KEY NOT NULL,
    priority BIGINT NOT NULL,
    sla_class TEXT NOT NULL,
    green_channel BOOLEAN NOT NULL,
    dedicated_manager BOOLEAN NOT NULL,
    campaign_eligible BOOLEAN NOT NULL,
    updated_by TEXT,
    updated_at TIMESTAMP NOT NULL
);

-- A segment's members frozen at one moment (for a campaign's target).
CREATE TABLE segment_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    segment_id TEXT NOT NULL REFERENCES segments(id),
    segment_version BIGINT NOT NULL,
    members BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX segment_snapshots_segment ON segment_snapshots(segment_id, id);
CREATE TABLE segment_snapshot_members (
    snapshot_id TEXT NOT NULL REFERENCES segment_snapshots(id),
    customer_id TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, customer_id)
);
