//! Background work as a queue in the database, safe with several servers: PostgreSQL claims with
//! `FOR UPDATE SKIP LOCKED`; SQLite has one writer, so its `BEGIN IMMEDIATE` claim is exclusive.
//! A claim is a lease: a server that dies mid-job leaves it to be claimed again when it expires.

pub mod files;
pub mod kind;
pub mod model;
pub mod owner;
pub mod routes;
pub mod runner;
pub mod schedule;
pub mod store;
pub mod xlsx;

pub use kind::{JobKind, Progress, Schedule};
