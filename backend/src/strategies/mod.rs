//! The service strategy of each customer class (SEG-6): for every tier, member level and
//! lifecycle stage, the service priority, SLA class, green channel, dedicated account manager
//! and campaign eligibility. Stored and edited here; tickets and campaigns read a customer's
//! strategy through `resolve`, which combines the classes the customer is in.

pub mod model;
pub mod routes;
pub mod service;
pub mod store;

pub use model::Strategy;
pub use service::resolve;
