-- What a customer bought (CUS-2), likes (CUS-3), said (CUS-4), and each contact with them.
-- Money is integer fen; every list is keyset on (customer_id, id).
CREATE TABLE purchases (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    product TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    currency TEXT NOT NULL,
    channel TEXT NOT NULL,
    purchased_at TIMESTAMP NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX purchases_customer ON purchases(customer_id, id);

CREATE TABLE preferences (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    category TEXT NOT NULL,
    value TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX preferences_customer ON preferences(customer_id, id);

CREATE TABLE feedback (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    channel TEXT NOT NULL,
    ticket_id TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX feedback_customer ON feedback(customer_id, id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    direction TEXT NOT NULL,
    reached BOOLEAN NOT NULL,
    summary TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    staff_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX contacts_customer ON contacts(customer_id, id);
