//! Organisation and people (ORG-1, ORG-2): units group → subsidiary → department, and staff
//! users with one role and one unit.

pub mod bootstrap;
pub mod dto;
pub mod grants;
pub mod model;
pub mod offboard;
pub mod routes;
pub mod scope;
pub mod service;
pub mod store;
