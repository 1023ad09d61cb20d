//! One integration binary. Every scenario runs twice: on SQLite and on PostgreSQL
//! (`GUANXI_TEST_POSTGRES_URL`, which `scripts/test` provides by starting a throwaway server).

mod fixtures;
mod helpers;
mod idempotency;

mod audit;
mod auth;
mod backup;
mod campaign_gateway;
mod campaign_report;
mod campaigns;
mod care;
mod consent;
mod customer_export;
mod customer_import;
mod customer_merge;
mod customer_quality;
mod customers;
mod docs;
mod errors;
mod four_eyes;
mod incidents;
mod jobs;
mod jwt;
mod keys;
mod languages;
mod loyalty;
mod migrations;
mod openapi;
mod org;
mod partners;
mod privacy;
mod profiles;
mod retention;
mod segments;
mod self_service;
mod sharing;
mod ticket_attachments;
mod tickets;
mod tiers;
mod web_ui;
mod webhooks;
