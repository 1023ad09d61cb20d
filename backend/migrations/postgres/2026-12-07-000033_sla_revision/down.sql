DROP TRIGGER sla_policies_revision ON sla_policies;
DROP TRIGGER sla_settings_revision ON sla_settings;
DROP TRIGGER calendar_days_revision ON calendar_days;
DROP FUNCTION sla_revision_bump();
DROP TABLE sla_revision;
