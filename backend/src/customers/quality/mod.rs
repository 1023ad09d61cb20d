//! Data quality (CUS-8): staff verify fields with the customer; a quarterly job (runnable on
//! demand) marks customers without any contact channel unreachable, tags long-inactive ones, and
//! measures per unit how many filled fields are verified (the information-accuracy rate).

pub mod dto;
pub mod job;
pub mod routes;
pub mod store;
