//! Partners and sharing (PRV-3): confidentiality and sharing agreements, partner API keys, the
//! partner API, and the share log every disclosure is appended to.

pub mod export;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
