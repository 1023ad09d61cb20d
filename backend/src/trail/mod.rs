//! The audit trail as a reviewer reads it: who did it (by name), to whom (the customer, masked
//! for the reader), why (the purpose), what (the fields) and from where — filtered by person,
//! customer, action and date. Apart from `audit`, which every domain writes to, so that reading
//! names and customers does not make `audit` depend on the domains that depend on it.

pub mod routes;
