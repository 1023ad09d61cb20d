//! Key rotation (PRV-4). `guanxi rotate-keys` adds a key to a key file; servers restarted with it
//! encrypt (or index) new values with it and still read the old ones; the re-encryption job then
//! moves every stored value to the newest keys, with progress; `guanxi rotate-keys --retire`
//! removes the old keys only once nothing needs them.

pub mod command;
pub mod reencrypt;
pub mod routes;
pub mod store;
