-- A counter that every change to the SLA configuration (policies, business hours, calendar days)
-- moves, by triggers so that no write path can forget it. Each server keeps the setup a ticket
-- write needs in memory and reads it again only when the counter has moved (one small read per
-- write instead of three tables).
CREATE TABLE sla_revision (
    id INTEGER PRIMARY KEY NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO sla_revision (id, n) VALUES (1, 0);

CREATE TRIGGER sla_policies_revision_insert AFTER INSERT ON sla_policies BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sla_policies_revision_update AFTER UPDATE ON sla_policies BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sla_policies_revision_delete AFTER DELETE ON sla_policies BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sla_settings_revision_insert AFTER INSERT ON sla_settings BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sla_settings_revision_update AFTER UPDATE ON sla_settings BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sla_settings_revision_delete AFTER DELETE ON sla_settings BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_days_revision_insert AFTER INSERT ON calendar_days BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_days_revision_update AFTER UPDATE ON calendar_days BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_days_revision_delete AFTER DELETE ON calendar_days BEGIN UPDATE sla_revision SET n = n + 1 WHERE id = 1; END;
