use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::auth::jwt::TokenService;
use crate::auth::throttle::LoginGuard;
use crate::config::Settings;
use crate::crypto::field::FieldCipher;
use crate::crypto::keys::Keyring;
use crate::db::DbPool;

/// Everything a handler may need, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: DbPool,
    pub settings: Arc<Settings>,
    pub keys: Arc<Keyring>,
    pub tokens: TokenService,
    pub cipher: FieldCipher,
    pub login: LoginGuard,
    pub live_sessions: Arc<crate::auth::sessions::live::LiveSessions>,
    /// Cleared on shutdown so /readyz tells the load balancer to stop sending traffic.
    pub accepting: AtomicBool,
}

impl AppState {
    pub fn new(db: DbPool, settings: Arc<Settings>, keys: Arc<Keyring>) -> AppState {
        // Hash at most on half the cores: the other half keeps serving during a login storm.
        let hashers = (settings.workers / 2).max(1);
        AppState {
            tokens: TokenService::new(&keys, &settings.issuer, settings.access_ttl_secs),
            cipher: if settings.bench_plaintext {
                FieldCipher::without_encryption_for_bench(&keys)
            } else {
                FieldCipher::new(&keys)
            },
            login: LoginGuard::new(settings.login_per_minute, hashers),
            live_sessions: Arc::new(crate::auth::sessions::live::LiveSessions::new(std::time::Duration::from_secs(
                settings.session_check_secs,
            ))),
            accepting: AtomicBool::new(true),
            db,
            settings,
            keys,
        }
    }
}
