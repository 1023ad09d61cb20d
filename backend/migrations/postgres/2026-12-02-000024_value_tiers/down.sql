DROP TABLE tier_history;
DROP TABLE customer_tiers;
DROP TABLE tier_scores;
DROP TABLE tier_runs;
DROP TABLE tier_configs;
DROP INDEX purchases_at;
ALTER TABLE purchases DROP COLUMN margin_fen;
