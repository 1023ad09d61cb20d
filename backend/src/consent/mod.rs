//! Consent (PRV-1, PRV-2): versioned privacy notices, append-only consent records per purpose,
//! the one decision function every use of a customer asks, signed receipts, and self-service
//! links for customers.

pub mod decide;
pub mod demo;
pub mod link;
pub mod link_routes;
pub mod model;
pub mod purpose;
pub mod routes;
pub mod service;
pub mod store;
