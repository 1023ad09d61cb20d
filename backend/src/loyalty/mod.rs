//! Loyalty points (MKT-4): earned by spend (multiplied by member level), redeemed against a
//! rewards catalogue with stock, expiring first-in-first-out after a set period, and reversed
//! when a purchase is refunded. The ledger is append-only; the account's balance is the ledger's
//! sum, kept in the same transaction and never below zero.

pub mod demo;
pub mod model;
pub mod reward_routes;
pub mod routes;
pub mod service;
pub mod store;
