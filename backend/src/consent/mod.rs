//! Consent (PRV-1, PRV-2): versioned privacy notices, append-only consent records per purpose,
//! the one decision function every use of a customer asks, and signed receipts.

pub mod decide;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
