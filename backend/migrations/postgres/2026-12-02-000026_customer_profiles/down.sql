DROP TABLE segment_snapshot_members;
DROP TABLE segment_snapshots;
DROP TABLE service_strategies;
DROP TABLE tier_overrides;
DROP TABLE winback_actions;
DROP TABLE churn_warnings;
DROP TABLE customer_profiles;
DROP TABLE profile_scores;
