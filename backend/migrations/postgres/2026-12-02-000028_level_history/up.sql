-- Every change of member level (SEG-5: upgrades and downgrades kept with their reason): the
-- window's spend and purchases that decided it. A run stages them with the classes.
ALTER TABLE profile_scores ADD COLUMN spend_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE profile_scores ADD COLUMN frequency BIGINT NOT NULL DEFAULT 0;
CREATE TABLE level_history (
    customer_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    from_level TEXT NOT NULL,
    to_level TEXT NOT NULL,
    spend_fen BIGINT NOT NULL,
    frequency BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, run_id)
);
