//! Webhooks (CUS-7): subscriptions per unit, fan-out of the outbox into deliveries, and signed
//! delivery with retries. Every server may fan out and deliver: rows are claimed with
//! `FOR UPDATE SKIP LOCKED` (PostgreSQL) or under SQLite's single writer, with a lease.
//!
//! Payloads carry ids, versions and the names of changed fields — never personal values — so a
//! subscriber fetches what it needs through the API, with its own rights and masking.

pub mod address;
pub mod delivery;
pub mod model;
pub mod partner;
pub mod routes;
pub mod service;
pub mod store;
