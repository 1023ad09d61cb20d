-- A run's profile staging carries each customer's profit in the window too, so that the tier
-- scores are ranked from the staging instead of aggregating the purchases a second time.
ALTER TABLE profile_scores ADD COLUMN profit_fen BIGINT NOT NULL DEFAULT 0;
