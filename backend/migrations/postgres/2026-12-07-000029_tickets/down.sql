DROP TABLE staff_notifications;
DROP TABLE ticket_events;
DROP TABLE tickets;
DROP TABLE calendar_days;
DROP TABLE sla_settings;
DROP TABLE sla_policies;
