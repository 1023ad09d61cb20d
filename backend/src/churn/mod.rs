//! Churn warnings (MKT-6): an applied tiering run opens one for each customer it finds at risk —
//! spend or purchases down by more than the configured share against the months before — with
//! the drop in figures, and closes it when the customer is active again. Owners work the queue
//! and record each win-back action and how it went.

pub mod routes;
pub mod service;
pub mod store;
