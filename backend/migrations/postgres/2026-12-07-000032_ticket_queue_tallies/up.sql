-- The queue counts at a million tickets (decision 0024): every change to an open ticket's queue
-- key appends -1 for the old key and +1 for the new one here, in the same transaction (triggers,
-- so that the SLA job's set-based updates count too); the SLA job folds the rows into one per key
-- every minute. A count sums the few rows of the caller's units instead of walking their tickets.
-- Append-only between folds: concurrent writers never wait on a shared counter row.
CREATE TABLE ticket_queue_tallies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id TEXT NOT NULL,
    -- '' when unassigned.
    assignee_id TEXT NOT NULL,
    revisit INTEGER NOT NULL,
    sla_state TEXT NOT NULL,
    paused INTEGER NOT NULL,
    n BIGINT NOT NULL
);
-- Each fold leaves as many dead rows as it folded: vacuumed after a thousand, not after a fifth
-- of the table (the default), so that a count reads a few live pages.
ALTER TABLE ticket_queue_tallies SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
CREATE INDEX ticket_queue_tallies_unit ON ticket_queue_tallies(unit_id);
CREATE INDEX ticket_queue_tallies_assignee ON ticket_queue_tallies(assignee_id);

INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
SELECT unit_id, COALESCE(assignee_id, ''), (kind = 'revisit')::int, sla_state, (paused_at IS NOT NULL)::int, COUNT(*)
FROM tickets WHERE closed_at IS NULL AND status <> 'cancelled'
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION tickets_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.closed_at IS NULL AND OLD.status <> 'cancelled' THEN
        INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
        VALUES (OLD.unit_id, COALESCE(OLD.assignee_id, ''), (OLD.kind = 'revisit')::int, OLD.sla_state,
                (OLD.paused_at IS NOT NULL)::int, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.closed_at IS NULL AND NEW.status <> 'cancelled' THEN
        INSERT INTO ticket_queue_tallies (unit_id, assignee_id, revisit, sla_state, paused, n)
        VALUES (NEW.unit_id, COALESCE(NEW.assignee_id, ''), (NEW.kind = 'revisit')::int, NEW.sla_state,
                (NEW.paused_at IS NOT NULL)::int, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_tally_insert AFTER INSERT OR DELETE ON tickets
FOR EACH ROW EXECUTE FUNCTION tickets_tally();
CREATE TRIGGER tickets_tally_update AFTER UPDATE ON tickets
FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
  OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.sla_state IS DISTINCT FROM NEW.sla_state
  OR (OLD.paused_at IS NULL) <> (NEW.paused_at IS NULL)
  OR (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL) OR OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION tickets_tally();

-- The counts no longer walk the open tickets; the list queues have their own indexes.
DROP INDEX tickets_open_queue;
