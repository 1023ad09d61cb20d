ALTER TABLE webhooks DROP COLUMN purpose;
ALTER TABLE webhooks DROP COLUMN agreement_id;
