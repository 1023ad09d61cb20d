DROP INDEX tickets_sla_escalate;
DROP INDEX tickets_sla_breach;
DROP INDEX tickets_sla_warn;
CREATE INDEX tickets_open_warn ON tickets(warn_at) WHERE sla_state = 'on_track' AND closed_at IS NULL AND status <> 'cancelled';
DROP INDEX tickets_open_queue;
