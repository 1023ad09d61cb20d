-- Marketing campaigns (MKT-1/2): a campaign's plan, its frozen audience, and one delivery row per
-- audience member and campaign — sent, failed, or excluded with the reason — written by the send
-- job a batch at a time. The deliveries by customer and time answer the frequency cap across
-- campaigns; the settings hold the cap and the quiet hours.
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    goal TEXT,
    channel TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    budget_fen BIGINT,
    cost_per_message_fen BIGINT NOT NULL,
    state TEXT NOT NULL,
    send_cursor TEXT,
    -- A send job working on the campaign holds it until then (a run longer than a minute must
    -- not meet the next one on the same members).
    sending_until TIMESTAMP,
    author_id TEXT NOT NULL,
    reviewed_by TEXT,
    reviewed_at TIMESTAMP,
    review_note TEXT,
    audience BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_unit ON campaigns(unit_id, id);
CREATE INDEX campaigns_due ON campaigns(state, starts_at);

CREATE TABLE campaign_targets (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    segment_id TEXT NOT NULL REFERENCES segments(id),
    snapshot_id TEXT REFERENCES segment_snapshots(id),
    PRIMARY KEY (campaign_id, segment_id)
);

CREATE TABLE campaign_audience (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    customer_id TEXT NOT NULL,
    PRIMARY KEY (campaign_id, customer_id)
);

CREATE TABLE campaign_deliveries (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    customer_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX campaign_deliveries_customer ON campaign_deliveries(customer_id, created_at);
CREATE INDEX campaign_deliveries_status ON campaign_deliveries(campaign_id, status);

CREATE TABLE marketing_settings (
    id INTEGER PRIMARY KEY NOT NULL,
    cap_messages BIGINT NOT NULL,
    cap_days BIGINT NOT NULL,
    quiet_start_minute BIGINT NOT NULL,
    quiet_end_minute BIGINT NOT NULL,
    utc_offset_minutes BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO marketing_settings VALUES (1, 4, 30, 1260, 480, 480, 1, NULL, CURRENT_TIMESTAMP);
