-- Service tickets and complaints (SVC-1..5): the ticket with its SLA clocks, its append-only
-- timeline, the SLA policies and the working-time calendar, and staff notifications.

-- Targets by type × channel × priority × SLA class; NULL matches any, the most specific row wins.
CREATE TABLE sla_policies (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT,
    channel TEXT,
    priority TEXT,
    sla_class TEXT,
    first_response_minutes BIGINT NOT NULL,
    resolution_minutes BIGINT NOT NULL,
    -- always (every minute counts) or business (business hours on working days)
    clock TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Business hours and the warning share; one row ('default'), absent until first edited.
CREATE TABLE sla_settings (
    id TEXT PRIMARY KEY NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    warn_percent INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The holiday schedule by local date ('YYYY-MM-DD'): holiday (a weekday off) or workday (a
-- weekend day worked, 调休). A year with no row here uses the built-in schedule, if any.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    name TEXT
);

CREATE TABLE tickets (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    -- The responsible unit: who sees the ticket (with the customer's owners and the assignee).
    unit_id TEXT NOT NULL REFERENCES units(id),
    assignee_id TEXT REFERENCES users(id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    priority TEXT NOT NULL,
    sla_class TEXT NOT NULL,
    green_channel BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    -- Subject and description are the customer's words: encrypted, never logged.
    subject TEXT NOT NULL,
    description TEXT,
    purchase_id TEXT,
    -- A revisit's ticket.
    parent_id TEXT,
    reopen_count INTEGER NOT NULL DEFAULT 0,
    cause TEXT,
    clock TEXT NOT NULL,
    first_response_due TIMESTAMP NOT NULL,
    resolution_due TIMESTAMP NOT NULL,
    -- When the warning fires (a share of the resolution target) and the second escalation.
    warn_at TIMESTAMP NOT NULL,
    escalate_at TIMESTAMP NOT NULL,
    first_responded_at TIMESTAMP,
    resolved_at TIMESTAMP,
    paused_at TIMESTAMP,
    -- on_track, warned, breached (escalated to the unit's manager), escalated (to the group); each
    -- step's time is on the timeline.
    sla_state TEXT NOT NULL DEFAULT 'on_track',
    satisfaction INTEGER,
    -- A revisit planned: due this day.
    revisit_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX tickets_customer ON tickets(customer_id, id);
CREATE INDEX tickets_unit_status ON tickets(unit_id, status, id);
CREATE INDEX tickets_assignee_status ON tickets(assignee_id, status, id);
CREATE INDEX tickets_open_due ON tickets(resolution_due) WHERE closed_at IS NULL AND status <> 'cancelled';
CREATE INDEX tickets_open_warn ON tickets(warn_at) WHERE sla_state = 'on_track' AND closed_at IS NULL AND status <> 'cancelled';

-- The timeline (SVC-5): appended, never edited. Bodies are encrypted; `data` holds codes and
-- parameters (JSON), never UI sentences.
CREATE TABLE ticket_events (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    -- comment, status, assignment, sla_warning, sla_breach, escalation, attachment, rating
    kind TEXT NOT NULL,
    -- Shown to the customer (self-service) or staff only.
    public BOOLEAN NOT NULL,
    body TEXT,
    data TEXT NOT NULL,
    actor_id TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

-- Staff notifications (created, assigned, warning, breached, reopened, closed): the bell.
CREATE TABLE staff_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    topic TEXT NOT NULL,
    ticket_id TEXT,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX staff_notifications_user ON staff_notifications(user_id, id);
CREATE INDEX staff_notifications_unread ON staff_notifications(user_id) WHERE read_at IS NULL;
