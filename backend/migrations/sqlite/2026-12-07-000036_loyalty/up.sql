-- Loyalty points (MKT-4): an append-only ledger per customer, and an account row holding the
-- balance the ledger sums to — updated in the same transaction as each entry and only while it
-- stays at or above zero, so concurrent redemptions cannot overdraw it. `debited` (every point
-- redeemed, reversed or expired) lets the expiry job find first-in-first-out what is due to
-- expire without tracking each lot. A rewards catalogue with stock.
CREATE TABLE loyalty_settings (
    id INTEGER PRIMARY KEY NOT NULL,
    points_per_yuan BIGINT NOT NULL,
    gold_percent BIGINT NOT NULL,
    silver_percent BIGINT NOT NULL,
    bronze_percent BIGINT NOT NULL,
    expiry_days BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO loyalty_settings VALUES (1, 1, 200, 150, 100, 730, 1, NULL, CURRENT_TIMESTAMP);

CREATE TABLE points_accounts (
    customer_id TEXT PRIMARY KEY NOT NULL,
    balance BIGINT NOT NULL CHECK (balance >= 0),
    debited BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE points_ledger (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    points BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    purchase_id TEXT,
    reward_id TEXT,
    expires_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX points_ledger_customer ON points_ledger(customer_id, id);
CREATE INDEX points_ledger_purchase ON points_ledger(purchase_id) WHERE purchase_id IS NOT NULL;
CREATE INDEX points_ledger_expiring ON points_ledger(expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE rewards (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    points BIGINT NOT NULL,
    stock BIGINT CHECK (stock >= 0),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX rewards_unit ON rewards(unit_id, id);

-- A refund is a purchase of a negative amount; naming the purchase it refunds reverses the
-- points that one earned, in proportion.
ALTER TABLE purchases ADD COLUMN refund_of TEXT;
