//! A per-server memory of session checks that passed, kept for a second (by default). Every staff
//! request must prove its session is live (not revoked, user active, same role and unit); asking
//! the database on every request halved customer reads on SQLite (benchmark B1c). A check that
//! passed is trusted for `GUANXI_SESSION_CHECK_SECS`; any revocation on this server forgets every
//! remembered check at once, so locally a logout or a disabled account stops the next request,
//! and on other servers within that many seconds. 0 asks the database every time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Bumped by every revocation in this process.
static EPOCH: AtomicU64 = AtomicU64::new(0);
/// Beyond this many remembered sessions the memory starts afresh (bounded, no eviction policy).
const MAX_ENTRIES: usize = 10_000;

/// Forgets every remembered check (called by each revocation).
pub fn invalidate() {
    EPOCH.fetch_add(1, Ordering::SeqCst);
}

pub struct LiveSessions {
    ttl: Duration,
    checked: Mutex<HashMap<String, (Instant, u64)>>,
}

impl LiveSessions {
    pub fn new(ttl: Duration) -> LiveSessions {
        LiveSessions { ttl, checked: Mutex::new(HashMap::new()) }
    }

    /// True when a check of exactly these claims passed within the ttl and since the last
    /// revocation.
    pub fn fresh(&self, key: &str) -> bool {
        if self.ttl.is_zero() {
            return false;
        }
        let epoch = EPOCH.load(Ordering::SeqCst);
        let map = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).is_some_and(|(at, e)| *e == epoch && at.elapsed() < self.ttl)
    }

    /// Remembers a passed check. `epoch` is the value read before the check ran, so a revocation
    /// that raced with it is not papered over.
    pub fn remember(&self, key: String, epoch: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (Instant::now(), epoch));
    }

    pub fn epoch() -> u64 {
        EPOCH.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_for_the_ttl_and_forgets_on_revocation() {
        let live = LiveSessions::new(Duration::from_millis(200));
        assert!(!live.fresh("a"));
        live.remember("a".into(), LiveSessions::epoch());
        assert!(live.fresh("a"));
        assert!(!live.fresh("b"), "other claims are not covered");
        invalidate();
        assert!(!live.fresh("a"), "a revocation forgets everything");
        live.remember("a".into(), LiveSessions::epoch());
        std::thread::sleep(Duration::from_millis(250));
        assert!(!live.fresh("a"), "expired");
        let off = LiveSessions::new(Duration::ZERO);
        off.remember("a".into(), LiveSessions::epoch());
        assert!(!off.fresh("a"), "0 checks every time");
    }

    #[test]
    fn a_check_that_raced_a_revocation_is_not_remembered_as_fresh() {
        let live = LiveSessions::new(Duration::from_secs(5));
        let before = LiveSessions::epoch();
        invalidate();
        live.remember("k".into(), before);
        assert!(!live.fresh("k"));
    }
}
