//! Guanxi: customer management for the personal customers of group companies.

pub mod audit;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod config;
pub mod consent;
pub mod crypto;
pub mod customers;
pub mod db;
pub mod demo;
pub mod demo_customers;
pub mod error;
pub mod health;
pub mod http;
pub mod jobs;
pub mod macros;
pub mod openapi;
pub mod org;
pub mod outbox;
pub mod partners;
pub mod privacy;
pub mod spa;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod webhooks;
