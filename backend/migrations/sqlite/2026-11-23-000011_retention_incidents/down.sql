DROP TABLE incident_notifications;
DROP TABLE incident_actions;
DROP TABLE incident_customers;
DROP TABLE incidents;
DROP TABLE retention_policies;
