//! HTTP plumbing shared by every domain: request ids and metrics, body parsing, pagination,
//! ETags, client addresses.

pub mod etag;
pub mod extract;
pub mod idempotency;
pub mod methods;
pub mod metrics;
pub mod observe;
pub mod pagination;
pub mod patch;
pub mod strict_json;
