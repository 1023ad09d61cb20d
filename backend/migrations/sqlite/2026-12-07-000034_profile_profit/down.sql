ALTER TABLE profile_scores DROP COLUMN profit_fen;
