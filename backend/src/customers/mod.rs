//! Customer information (CUS-1..10): records with encrypted sensitive fields, blind-index lookup,
//! masking by role, purposeful reveals, unit scoping.

pub mod access;
pub mod bulk;
pub mod codes;
pub mod domain;
pub mod dto;
pub mod fields;
pub mod mask;
pub mod merge;
pub mod model;
pub mod quality;
pub mod records;
pub mod routes;
pub mod rule;
pub mod service;
pub mod store;
pub mod summary;
