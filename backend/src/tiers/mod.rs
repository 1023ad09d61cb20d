//! Value tiers A/B/C/D (SEG-1, SEG-5): each customer's spend, profit contribution and purchase
//! frequency over a window, ranked as percentiles across the group, weighted into a score, and
//! cut into tiers by share — computed in the database by a run (a job), explained per customer,
//! with a history row only where a tier changed. Method and tie rule: docs/decisions/0021.

pub mod config;
pub mod overrides;
pub mod profile_store;
pub mod routes;
pub mod run;
pub mod service;
pub mod store;
pub mod summary;
