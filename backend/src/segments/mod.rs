//! Saved segments (SEG-7): named rule trees over customers (`customers::rule`), compiled to one
//! parameterised condition on the customer list (`customers::store::rule_sql`), so that members
//! come scoped, paged and masked exactly like the list. Customers who withdrew profiling are in
//! no segment, decided at each evaluation.

pub mod routes;
pub mod schema;
pub mod snapshot_routes;
pub mod snapshots;
pub mod store;
