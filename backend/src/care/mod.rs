//! Customer care automations (MKT-5): rules — a birthday greeting, a holiday greeting, a renewal
//! reminder before a subscription ends, a usage tip after a purchase — that each morning become a
//! one-day campaign of the customers they concern, sent by the campaign send job under the same
//! live consent, frequency cap and quiet hours. A calendar shows what the coming days hold.

pub mod demo;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
