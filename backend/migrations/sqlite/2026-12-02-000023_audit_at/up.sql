-- The audit trail filtered by date ("what happened last Tuesday") without reading it from the
-- newest entry back.
CREATE INDEX audit_log_at ON audit_log(at);
