-- The queue counts at a million tickets: one pass over the open tickets of the caller's units,
-- read from this index alone (it holds every column the counts and their conditions name).
CREATE INDEX tickets_open_queue
    ON tickets(unit_id, assignee_id, resolution_due, sla_state, kind, paused_at, closed_at, status)
    WHERE closed_at IS NULL AND status <> 'cancelled';
-- The SLA job: each step finds the tickets due for it by their state and its clock, without
-- walking those that took the step already.
DROP INDEX tickets_open_warn;
CREATE INDEX tickets_sla_warn ON tickets(sla_state, warn_at)
    WHERE closed_at IS NULL AND status <> 'cancelled' AND paused_at IS NULL;
CREATE INDEX tickets_sla_breach ON tickets(sla_state, resolution_due)
    WHERE closed_at IS NULL AND status <> 'cancelled' AND paused_at IS NULL;
CREATE INDEX tickets_sla_escalate ON tickets(sla_state, escalate_at)
    WHERE closed_at IS NULL AND status <> 'cancelled' AND paused_at IS NULL;
