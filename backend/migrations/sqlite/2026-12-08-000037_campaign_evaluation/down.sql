DROP INDEX purchases_refunds;
DROP INDEX purchases_customer_at;
ALTER TABLE campaign_deliveries DROP COLUMN responded_at;
ALTER TABLE campaign_deliveries DROP COLUMN attributed_until;
ALTER TABLE campaigns DROP COLUMN attribution_days;
ALTER TABLE campaigns DROP COLUMN holdout_percent;
ALTER TABLE campaigns DROP COLUMN link_url;
