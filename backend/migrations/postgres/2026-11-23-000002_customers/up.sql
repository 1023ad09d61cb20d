-- Customers (CUS-1, CUS-5, CUS-6). Sensitive values (national id, mobile, email, address, birth
-- date) are stored only as AES-GCM ciphertexts bound to their row; *_bidx columns hold blind
-- indexes (HMAC) for exact lookup; address_region is the district-level part shown to frontline staff.
CREATE TABLE customers (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    gender TEXT,
    birth_date TEXT,
    national_id TEXT,
    national_id_bidx TEXT,
    mobile TEXT,
    mobile_bidx TEXT,
    email TEXT,
    email_bidx TEXT,
    address TEXT,
    address_region TEXT,
    occupation TEXT,
    income_band TEXT,
    customer_type TEXT NOT NULL,
    preferred_channel TEXT,
    source_channel TEXT NOT NULL,
    source_supplier TEXT,
    source_legal_basis TEXT,
    household_id TEXT,
    reachable BOOLEAN NOT NULL DEFAULT TRUE,
    last_contact_at TIMESTAMP,
    last_purchase_at TIMESTAMP,
    created_by TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX customers_unit ON customers(unit_id, id);
CREATE INDEX customers_name ON customers(name text_pattern_ops, id);
CREATE INDEX customers_mobile_bidx ON customers(mobile_bidx);
CREATE INDEX customers_email_bidx ON customers(email_bidx);
CREATE INDEX customers_national_id_bidx ON customers(national_id_bidx);
CREATE INDEX customers_household ON customers(household_id);

-- Responsible staff (ORG-4: key customers have two or more).
CREATE TABLE customer_owners (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_owners_user ON customer_owners(user_id, customer_id);

CREATE TABLE customer_tags (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags(tag, customer_id);

-- Change events (CUS-7), written in the same transaction as the change; delivered later.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    topic TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    unit_id TEXT,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX outbox_pending ON outbox(delivered_at, id);
