//! API keys for integrations: `gx_…`, shown once, stored as a SHA-256 hash (the key is 256 random
//! bits, so a fast hash is enough), scoped, optionally expiring, revocable.

pub mod routes;
pub mod store;
