-- Blind index over name + birth date, so possible duplicates are found without clear birth dates.
ALTER TABLE customers ADD COLUMN identity_bidx TEXT;
CREATE INDEX customers_identity_bidx ON customers(identity_bidx);
