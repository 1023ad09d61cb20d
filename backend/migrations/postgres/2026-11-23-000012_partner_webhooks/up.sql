-- A webhook can belong to a partner: it then carries events of the customers its sharing
-- agreement covers and who consented to that partner (ids only), and each delivery is a share.
ALTER TABLE webhooks ADD COLUMN agreement_id TEXT;
ALTER TABLE webhooks ADD COLUMN purpose TEXT;
