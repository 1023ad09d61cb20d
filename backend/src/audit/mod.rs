//! The hash-chained audit log (SECURITY.md, Audit). Append-only: no API updates or deletes it.

pub mod checkpoint;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;

pub use model::{Actor, Event};
pub use service::append;
