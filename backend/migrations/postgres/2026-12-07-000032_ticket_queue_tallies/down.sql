DROP TRIGGER tickets_tally_update ON tickets;
DROP TRIGGER tickets_tally_insert ON tickets;
DROP FUNCTION tickets_tally();
DROP TABLE ticket_queue_tallies;
CREATE INDEX tickets_open_queue
    ON tickets(unit_id, assignee_id, resolution_due, sla_state, kind, paused_at, closed_at, status)
    WHERE closed_at IS NULL AND status <> 'cancelled';
