DROP TABLE rewards;
DROP TABLE points_ledger;
DROP TABLE points_accounts;
DROP TABLE loyalty_settings;
ALTER TABLE purchases DROP COLUMN refund_of;
