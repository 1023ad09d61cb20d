DROP TABLE level_history;
ALTER TABLE profile_scores DROP COLUMN frequency;
ALTER TABLE profile_scores DROP COLUMN spend_fen;
