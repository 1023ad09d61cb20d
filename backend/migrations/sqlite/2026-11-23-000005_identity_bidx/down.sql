DROP INDEX customers_identity_bidx;
ALTER TABLE customers DROP COLUMN identity_bidx;
