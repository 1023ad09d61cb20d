-- A counter that every change to the SLA configuration (policies, business hours, calendar days)
-- moves, by triggers so that no write path can forget it. Each server keeps the setup a ticket
-- write needs in memory and reads it again only when the counter has moved (one small read per
-- write instead of three tables).
CREATE TABLE sla_revision (
    id INTEGER PRIMARY KEY NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO sla_revision (id, n) VALUES (1, 0);

CREATE FUNCTION sla_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sla_revision SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sla_policies_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sla_policies
    FOR EACH STATEMENT EXECUTE FUNCTION sla_revision_bump();
CREATE TRIGGER sla_settings_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sla_settings
    FOR EACH STATEMENT EXECUTE FUNCTION sla_revision_bump();
CREATE TRIGGER calendar_days_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION sla_revision_bump();
