//! Service tickets and complaints (SVC-1..5): the workflows as a pure table (`flow`), working
//! time and SLA arithmetic as pure functions (`calendar`, `sla`) with published vectors, the
//! ticket and its append-only timeline with its attachments (sealed files, `files`), the SLA
//! job, staff notifications.

pub mod attachment_routes;
pub mod attachments;
pub mod calendar;
pub mod demo;
pub mod files;
pub mod flow;
pub mod handover;
pub mod holidays;
pub mod model;
pub mod notify;
pub mod reseal;
pub mod routes;
pub mod self_routes;
pub mod self_service;
pub mod service;
pub mod sla;
pub mod sla_config;
pub mod sla_routes;
pub mod sla_store;
pub mod store;
pub mod sweep;
pub mod views;
