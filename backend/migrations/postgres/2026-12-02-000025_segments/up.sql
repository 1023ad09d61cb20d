-- Saved segments (SEG-7): a rule tree (JSON) over customers, owned by the unit of the person who
-- made it and visible to those whose scope covers that unit. Members are evaluated when asked,
-- within the asker's own scope.
CREATE TABLE segments (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    description TEXT,
    rule TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX segments_unit ON segments(unit_id, id);
