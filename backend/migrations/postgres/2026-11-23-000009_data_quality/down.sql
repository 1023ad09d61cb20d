DROP TABLE schedules;
DROP TABLE quality_reports;
DROP TABLE customer_verifications;
