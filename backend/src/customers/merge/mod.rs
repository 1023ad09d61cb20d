//! Merging duplicate customers (CUS-8), by a person and never automatically: a dry run shows the
//! merged record field by field; the merge moves related records in one transaction and keeps
//! what it needs to be undone (unmerge) for 30 days.

pub mod consents;
pub mod dto;
pub mod routes;
pub mod service;
pub mod store;
