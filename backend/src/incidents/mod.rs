//! The incident register (PRV-7): a data incident (what, when, which fields, which customers),
//! the actions taken, the notifications to the people affected, and the report a regulator asks
//! for (PIPL art. 57: kinds of information, cause, possible harm, remedial measures, what
//! individuals can do, contact).

pub mod model;
pub mod routes;
pub mod service;
pub mod store;
