//! Marketing campaigns (MKT-1/2): a plan a second manager approves, an audience frozen from
//! segment snapshots at approval, and a send job that decides every member against live consent,
//! the frequency cap and quiet hours at the moment of sending, then hands the messages to a
//! channel adapter. Every member ends as one delivery row: sent, failed or excluded with why.

pub mod adapter;
pub mod channels;
pub mod demo;
pub mod file_adapter;
pub mod gateway_adapter;
pub mod holdout;
pub mod inbound;
pub mod model;
pub mod routes;
pub mod send;
pub mod service;
pub mod settings;
pub mod settings_routes;
pub mod smtp_adapter;
pub mod store;
pub mod template;
pub mod track;
pub mod unsubscribe;
