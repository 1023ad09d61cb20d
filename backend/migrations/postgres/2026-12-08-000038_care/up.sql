-- Care automations (MKT-5): rules that, each day, turn the customers they concern into a one-day
-- campaign sent under the same consent, caps and quiet hours. Birthdays are found by a blind index
-- of the birth date's month and day (birth dates stay encrypted; decision 0030); renewals by the
-- new end date of a subscription or contract purchase.
ALTER TABLE customers ADD COLUMN birthday_bidx TEXT;
CREATE INDEX customers_birthday ON customers(birthday_bidx);
ALTER TABLE purchases ADD COLUMN ends_at TIMESTAMP;
CREATE INDEX purchases_ends ON purchases(ends_at);

CREATE TABLE care_rules (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    -- renewal: days before the end; tip: days after the purchase.
    days BIGINT NOT NULL DEFAULT 0,
    -- holiday: the day as MM-DD.
    month_day TEXT,
    active BOOLEAN NOT NULL,
    author_id TEXT NOT NULL,
    approved_by TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX care_rules_unit ON care_rules(unit_id, id);

ALTER TABLE campaigns ADD COLUMN care_rule_id TEXT REFERENCES care_rules(id);
-- One campaign per rule and day: a second run of the day's care job adds nothing.
CREATE UNIQUE INDEX campaigns_care_day ON campaigns(care_rule_id, starts_at);
