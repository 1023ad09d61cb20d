-- The default margin rate per unit (SEG-1: "a configurable default margin rate per unit"), for
-- purchases recorded without a margin; kept per settings version so that a run reads the rates of
-- the version it names. Units without a rate use the version's single default.
CREATE TABLE tier_margin_rates (
    config_version BIGINT NOT NULL,
    unit_id TEXT NOT NULL,
    percent BIGINT NOT NULL,
    PRIMARY KEY (config_version, unit_id)
);
