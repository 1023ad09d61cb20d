-- Retention (PRV-5): how long data kept for a purpose may stay once the purpose has lapsed.
-- `relationship` is the customer relationship itself (counted from the last activity); other
-- rows are consent purposes (counted from the latest grant or withdrawal).
CREATE TABLE retention_policies (
    purpose TEXT PRIMARY KEY NOT NULL,
    days INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Data incidents (PRV-7): what happened, to which fields and customers, what was done, who was
-- told. Affected customers and notifications are rows, so counts are SQL and a notification is
-- recorded once per customer.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    description TEXT NOT NULL,
    cause TEXT NOT NULL,
    harm TEXT NOT NULL,
    advice TEXT NOT NULL,
    contact TEXT NOT NULL,
    fields TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    detected_at TIMESTAMP NOT NULL,
    reported_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX incidents_unit ON incidents(unit_id, id);

CREATE TABLE incident_customers (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    customer_id TEXT NOT NULL REFERENCES customers(id),
    PRIMARY KEY (incident_id, customer_id)
);

CREATE TABLE incident_actions (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    taken_by TEXT NOT NULL,
    taken_at TIMESTAMP NOT NULL
);
CREATE INDEX incident_actions_incident ON incident_actions(incident_id, taken_at);

CREATE TABLE incident_notifications (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    customer_id TEXT NOT NULL REFERENCES customers(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (incident_id, customer_id)
);
