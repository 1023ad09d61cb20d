//! PBKDF2-HMAC-SHA256 password hashes (ring), stored as `pbkdf2-sha256$ITER$SALT$HASH` so the
//! parameters travel with the hash and can be raised later.

use std::num::NonZeroU32;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use ring::pbkdf2;

/// OWASP's floor for PBKDF2-HMAC-SHA256.
pub const ITERATIONS: u32 = 600_000;
const ALG: pbkdf2::Algorithm = pbkdf2::PBKDF2_HMAC_SHA256;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

pub fn hash(password: &str) -> String {
    hash_with(password, ITERATIONS)
}

fn hash_with(password: &str, iterations: u32) -> String {
    let salt = crate::crypto::random_bytes::<16>();
    let mut out = [0u8; 32];
    let n = NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN);
    pbkdf2::derive(ALG, n, &salt, password.as_bytes(), &mut out);
    format!("pbkdf2-sha256${iterations}${}${}", STANDARD_NO_PAD.encode(salt), STANDARD_NO_PAD.encode(out))
}

/// Constant-time check. A stored value we cannot parse never verifies.
pub fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(iter), Some(salt), Some(hash), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(iter), Ok(salt), Ok(hash)) = (
        iter.parse::<u32>().ok().and_then(NonZeroU32::new),
        STANDARD_NO_PAD.decode(salt),
        STANDARD_NO_PAD.decode(hash),
    ) else {
        return false;
    };
    pbkdf2::verify(ALG, iter, &salt, password.as_bytes(), &hash).is_ok()
}

/// A hash made with weaker parameters than today's is re-hashed at the next successful login.
pub fn needs_upgrade(stored: &str) -> bool {
    stored.split('$').nth(1).and_then(|i| i.parse::<u32>().ok()).is_none_or(|i| i < ITERATIONS)
}

/// Burns the same time as a real check, so unknown usernames are not told apart by timing.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("dummy password, never valid"));
    let _ = verify(password, stored);
}

/// Length rules only (ASVS: no composition rules, long passphrases welcome).
pub fn check_policy(password: &str) -> Result<(), crate::error::ApiError> {
    let n = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&n) {
        return Err(crate::error::ApiError::field("password", "length")
            .with("min", MIN_LENGTH)
            .with("max", MAX_LENGTH));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let h = hash_with("correct horse battery", 1000);
        assert!(verify("correct horse battery", &h));
        assert!(!verify("Correct horse battery", &h));
        assert!(!verify("correct horse battery", "plain"));
        assert!(needs_upgrade(&h));
    }

    #[test]
    fn production_hashes_use_the_owasp_floor() {
        let h = hash("a long enough password");
        assert!(h.starts_with("pbkdf2-sha256$600000$"));
        assert!(!needs_upgrade(&h));
        assert_ne!(h, hash("a long enough password"), "salted");
    }

    #[test]
    fn policy_is_about_length() {
        assert!(check_policy("short").is_err());
        assert!(check_policy(&"x".repeat(64)).is_ok());
    }
}
