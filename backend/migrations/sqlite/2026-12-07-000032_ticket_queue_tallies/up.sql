-- The queue counts at a million tickets (decision 0024): every change to an open ticket's queue
-- key appends -1 for the old key and +1 for the new one here, in the same transaction (triggers,
-- so that the SLA job's set-based updates count too); the SLA job folds the rows into one per key
-- every minute. A count sums the few rows of the caller's units instead of walking their tickets.
-- Append-only between folds: concurrent writers never wait on a shared counter row.
CREATE TABLE ticket_queue_tallies (
    id INTEGER PRIMARY KEY,
    unit_id TEXT NOT NULL,
    -- '' when unassigned.
    assignee_id TEXT NOT NULL,
    revisit INTEGER NOT NULL,
    sla_state TEXT NOT NULL,
    paused INTEGER NOT NULL,
    n BIGINT NOT NULL
);
CREATE INDEX ticket_queue_tallies_unit ON ticket_queue_tallies(unit_id);
CREATE INDEX ticket_queue_tallies_assignee ON ticket_queue_tallies(assignee_id);

INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
SELECT unit_id, COALESCE(assignee_id, ''), kind = 'revisit', sla_state, paused_at IS NOT NULL, COUNT(*)
FROM tickets WHERE closed_at IS NULL AND status <> 'cancelled'
GROUP BY unit_id, COALESCE(assignee_id, ''), kind = 'revisit', sla_state, paused_at IS NOT NULL;

CREATE TRIGGER tickets_tally_insert AFTER INSERT ON tickets
WHEN NEW.closed_at IS NULL AND NEW.status <> 'cancelled'
BEGIN
    INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
    VALUES (NEW.unit_id, COALESCE(NEW.assignee_id, ''), NEW.kind = 'revisit', NEW.sla_state,
            NEW.paused_at IS NOT NULL, 1);
END;

CREATE TRIGGER tickets_tally_update AFTER UPDATE ON tickets
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.assignee_id IS NOT NEW.assignee_id
  OR OLD.kind IS NOT NEW.kind OR OLD.sla_state IS NOT NEW.sla_state
  OR (OLD.paused_at IS NULL) IS NOT (NEW.paused_at IS NULL)
  OR (OLD.closed_at IS NULL) IS NOT (NEW.closed_at IS NULL) OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
    SELECT OLD.unit_id, COALESCE(OLD.assignee_id, ''), OLD.kind = 'revisit', OLD.sla_state,
           OLD.paused_at IS NOT NULL, -1
    WHERE OLD.closed_at IS NULL AND OLD.status <> 'cancelled';
    INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
    SELECT NEW.unit_id, COALESCE(NEW.assignee_id, ''), NEW.kind = 'revisit', NEW.sla_state,
           NEW.paused_at IS NOT NULL, 1
    WHERE NEW.closed_at IS NULL AND NEW.status <> 'cancelled';
END;

CREATE TRIGGER tickets_tally_delete AFTER DELETE ON tickets
WHEN OLD.closed_at IS NULL AND OLD.status <> 'cancelled'
BEGIN
    INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
    VALUES (OLD.unit_id, COALESCE(OLD.assignee_id, ''), OLD.kind = 'revisit', OLD.sla_state,
            OLD.paused_at IS NOT NULL, -1);
END;

-- The counts no longer walk the open tickets; the list queues have their own indexes.
DROP INDEX tickets_open_queue;
