-- Privacy notices (PRV-1): versioned texts per unit and language; a consent names the version
-- the customer was shown.
CREATE TABLE privacy_notices (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    language TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    purposes TEXT NOT NULL,
    method TEXT NOT NULL,
    scope TEXT NOT NULL,
    retention TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX privacy_notices_version ON privacy_notices(unit_id, language, version);

-- Consent records (PRV-2): append-only; granting and withdrawing are both rows, the newest row
-- per (customer, purpose) is the current state.
CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    purpose TEXT NOT NULL,
    granted BOOLEAN NOT NULL,
    scope TEXT,
    notice_id TEXT REFERENCES privacy_notices(id),
    channel TEXT NOT NULL,
    evidence TEXT,
    recorded_by TEXT,
    self_service BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_current ON consents(customer_id, purpose, id);

-- Partners (PRV-3): third parties under a confidentiality agreement; a sharing agreement names
-- the fields, purposes and home units whose customers the partner may receive.
CREATE TABLE partners (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    nda_reference TEXT NOT NULL,
    nda_signed_on TEXT NOT NULL,
    nda_expires_on TEXT,
    contact TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE sharing_agreements (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    fields TEXT NOT NULL,
    purposes TEXT NOT NULL,
    unit_ids TEXT NOT NULL,
    document_reference TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sharing_agreements_partner ON sharing_agreements(partner_id, id);
ALTER TABLE api_keys ADD COLUMN partner_id TEXT REFERENCES partners(id);

-- Every disclosure to a partner (API read, export, webhook): who received which fields of whom,
-- why, how many.
CREATE TABLE shares (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    agreement_id TEXT NOT NULL REFERENCES sharing_agreements(id),
    customer_id TEXT REFERENCES customers(id),
    channel TEXT NOT NULL,
    fields TEXT NOT NULL,
    purpose TEXT NOT NULL,
    count BIGINT NOT NULL,
    shared_at TIMESTAMP NOT NULL
);
CREATE INDEX shares_partner ON shares(partner_id, id);
CREATE INDEX shares_customer ON shares(customer_id, id);

-- Legal holds block deletion and retention anonymisation until released.
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    released_at TIMESTAMP,
    released_by TEXT
);
CREATE INDEX legal_holds_customer ON legal_holds(customer_id, released_at);

-- Data-subject requests (PRV-8) with their due date and outcome.
CREATE TABLE privacy_requests (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    details TEXT,
    outcome TEXT,
    due_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    completed_by TEXT,
    completed_at TIMESTAMP
);
CREATE INDEX privacy_requests_due ON privacy_requests(status, due_at);
CREATE INDEX privacy_requests_unit ON privacy_requests(unit_id, id);
CREATE INDEX privacy_requests_customer ON privacy_requests(customer_id, id);

ALTER TABLE customers ADD COLUMN anonymised_at TIMESTAMP;
