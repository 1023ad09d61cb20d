//! Login sessions: each is a family of rotating refresh tokens (stored hashed). Using a spent
//! refresh token again means it was stolen or replayed: the whole family is revoked.

pub mod live;
pub mod service;
pub mod store;
