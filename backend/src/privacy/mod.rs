//! Privacy rights (PRV-8): data-subject requests with due dates, legal holds, and erasure by
//! anonymisation.

pub mod model;
pub mod retention;
pub mod retention_routes;
pub mod routes;
pub mod service;
pub mod store;
