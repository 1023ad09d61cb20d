//! Login throttling per client address (in memory, per server) and bounded password hashing.
//! Lockout per name and address lives in the database so it holds across servers (`lockout`).

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// At most N requests a minute per key (in memory, per server), refused with 429 and the wait.
pub struct PerKey(DefaultKeyedRateLimiter<String>);

impl PerKey {
    pub fn per_minute(n: u32) -> PerKey {
        PerKey(RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))))
    }

    pub fn check(&self, key: &str) -> Result<(), ApiError> {
        self.0.check_key(&key.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyRequests { retry_after_secs: wait.as_secs().max(1) }
        })
    }
}

/// Requests per minute for each principal (staff session or API key), with what is left, for
/// the `RateLimit-*` headers (IETF draft) on every answer. In memory per server: behind a load
/// balancer each server allows this much, so an operator sets it per server.
pub struct PrincipalLimit {
    limiter: RateLimiter<
        String,
        governor::state::keyed::DefaultKeyedStateStore<String>,
        DefaultClock,
        governor::middleware::StateInformationMiddleware,
    >,
    per_minute: u32,
}

/// (limit, remaining, seconds until the allowance is whole again)
pub type RateState = (u32, u32, u64);

/// The caller's allowance, left on the request for the `RateLimit-*` headers of its response.
#[derive(Debug, Clone, Copy)]
pub struct RateNote(pub RateState);

impl PrincipalLimit {
    pub fn per_minute(n: u32) -> PrincipalLimit {
        let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        PrincipalLimit {
            limiter: RateLimiter::keyed(Quota::per_minute(n))
                .with_middleware::<governor::middleware::StateInformationMiddleware>(),
            per_minute: n.get(),
        }
    }

    /// Counts one request of `principal`: what is left, or 429 with the wait.
    pub fn check(&self, principal: &str) -> Result<RateState, (ApiError, RateState)> {
        let limit = self.per_minute;
        let refill = |used: u32| (u64::from(used) * 60).div_ceil(u64::from(limit));
        match self.limiter.check_key(&principal.to_owned()) {
            Ok(snapshot) => {
                let left = snapshot.remaining_burst_capacity();
                Ok((limit, left, refill(limit - left)))
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
                Err((ApiError::TooManyRequests { retry_after_secs: wait }, (limit, 0, refill(limit))))
            }
        }
    }
}

pub struct LoginGuard {
    per_ip: PerKey,
    hashing: Arc<Semaphore>,
}

impl LoginGuard {
    pub fn new(per_minute: u32, hashing_threads: usize) -> LoginGuard {
        LoginGuard { per_ip: PerKey::per_minute(per_minute), hashing: Arc::new(Semaphore::new(hashing_threads.max(1))) }
    }

    pub fn check_ip(&self, ip: &str) -> Result<(), ApiError> {
        self.per_ip.check(&super::lockout::address_key(ip))
    }

    /// Runs a password hash or check on the blocking pool, at most N at a time, so a login storm
    /// cannot starve the rest of the API of CPU.
    pub async fn hash_off_executor<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self.hashing.clone().acquire_owned().await.map_err(ApiError::internal)?;
        actix_web::web::block(f).await.map_err(ApiError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_n_plus_first_attempt_waits() {
        let g = LoginGuard::new(3, 1);
        for _ in 0..3 {
            g.check_ip("10.0.0.1").unwrap();
        }
        match g.check_ip("10.0.0.1") {
            Err(ApiError::TooManyRequests { retry_after_secs }) => assert!(retry_after_secs >= 1),
            other => panic!("expected 429, got {other:?}"),
        }
        g.check_ip("10.0.0.2").unwrap();
        g.check_ip("2001:db8::1").unwrap();
        g.check_ip("2001:db8::2").unwrap();
        g.check_ip("2001:db8::3").unwrap();
        assert!(g.check_ip("2001:db8::4").is_err(), "same /64");
    }
}
