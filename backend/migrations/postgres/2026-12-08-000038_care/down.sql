DROP INDEX campaigns_care_day;
ALTER TABLE campaigns DROP COLUMN care_rule_id;
DROP TABLE care_rules;
DROP INDEX purchases_ends;
ALTER TABLE purchases DROP COLUMN ends_at;
DROP INDEX customers_birthday;
ALTER TABLE customers DROP COLUMN birthday_bidx;
