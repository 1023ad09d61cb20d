-- Messages owed to customers (e.g. "your account manager changed", ORG-4). Recorded in the
-- transaction of the change; sending is the campaigns/notification channel's job.
CREATE TABLE customer_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX customer_notifications_customer ON customer_notifications(customer_id, id);
CREATE INDEX customer_notifications_pending ON customer_notifications(sent_at, id);
