//! Keys and the primitives built on them: field encryption (AES-256-GCM), blind indexes
//! (HMAC-SHA256), token hashing and randomness. All from `ring`.

pub mod field;
pub mod keys;
pub mod signature;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS generator failing is not recoverable; ring reports it only on broken systems.
    SystemRandom::new().fill(&mut buf).expect("OS random generator unavailable");
    buf
}

/// A random, URL-safe secret of 32 bytes.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
