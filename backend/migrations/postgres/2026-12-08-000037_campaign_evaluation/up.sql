-- Campaign evaluation (MKT-3): a tracked landing link, a hold-out control group and an attribution
-- window per campaign; each delivery remembers until when a purchase counts as its conversion and
-- when the customer first followed the link. The purchases by customer and time answer the
-- conversions of a campaign in one join.
ALTER TABLE campaigns ADD COLUMN link_url TEXT;
ALTER TABLE campaigns ADD COLUMN holdout_percent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN attribution_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE campaign_deliveries ADD COLUMN attributed_until TIMESTAMP;
ALTER TABLE campaign_deliveries ADD COLUMN responded_at TIMESTAMP;
CREATE INDEX purchases_customer_at ON purchases(customer_id, purchased_at);
CREATE INDEX purchases_refunds ON purchases(refund_of) WHERE refund_of IS NOT NULL;
