//! Bulk work on customers as jobs: CSV import, CSV/JSON export.

pub mod export;
pub mod import;
pub mod routes;
pub mod sheet;
