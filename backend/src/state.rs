use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::auth::jwt::TokenService;
use crate::auth::throttle::{LoginGuard, PerKey, PrincipalLimit};
use crate::config::Settings;
use crate::crypto::field::FieldCipher;
use crate::crypto::keys::Keyring;
use crate::db::DbPool;

/// Requests a minute one self-service link may make (its page loads, a few choices); an address
/// may make three times as many (a household sharing a connection).
const LINK_PER_MINUTE: u32 = 10;

/// Everything a handler may need, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: DbPool,
    pub settings: Arc<Settings>,
    pub keys: Arc<Keyring>,
    pub tokens: TokenService,
    pub cipher: FieldCipher,
    pub login: LoginGuard,
    /// Self-service link requests, per link and per client address (each view is an audit write).
    pub link_views: (PerKey, PerKey),
    pub per_principal: PrincipalLimit,
    pub live_sessions: Arc<crate::auth::sessions::live::LiveSessions>,
    /// Cleared on shutdown so /readyz tells the load balancer to stop sending traffic.
    pub accepting: AtomicBool,
    /// What SLA deadlines are measured against (tests move it).
    pub clock: Arc<crate::clock::Clock>,
    /// The SLA setup as last read, kept while its stored revision stands.
    pub sla_setup: crate::revisioned::Revisioned<crate::tickets::sla::Setup>,
    /// Where campaign messages go: SMTP for email when a relay is set, else the message files.
    pub channels: Arc<dyn crate::campaigns::adapter::Adapter>,
}

/// What only `guanxi bench` turns on for its in-process servers; never configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct BenchMode {
    /// Mounts the bare reference endpoints under /bench.
    pub routes: bool,
    /// Stores sensitive fields in clear (the encryption-off side of B8).
    pub plaintext: bool,
}

impl AppState {
    /// Fails only on a message transport that cannot be set up from the settings.
    pub fn new(db: DbPool, settings: Arc<Settings>, keys: Arc<Keyring>, bench: BenchMode) -> Result<AppState, String> {
        // Hash at most on half the cores: the other half keeps serving during a login storm.
        let hashers = (settings.workers / 2).max(1);
        let channels = crate::campaigns::channels::Channels::from_settings(&settings, FieldCipher::new(&keys))?;
        Ok(AppState {
            tokens: TokenService::new(&keys, &settings.issuer, settings.access_ttl_secs),
            cipher: if bench.plaintext {
                FieldCipher::without_encryption_for_bench(&keys)
            } else {
                FieldCipher::new(&keys)
            },
            login: LoginGuard::new(settings.login_per_minute, hashers),
            link_views: (PerKey::per_minute(LINK_PER_MINUTE), PerKey::per_minute(LINK_PER_MINUTE * 3)),
            per_principal: PrincipalLimit::per_minute(settings.rate_per_minute),
            live_sessions: Arc::new(crate::auth::sessions::live::LiveSessions::new(std::time::Duration::from_secs(
                settings.session_check_secs,
            ))),
            accepting: AtomicBool::new(true),
            clock: Arc::default(),
            sla_setup: Default::default(),
            channels: Arc::new(channels),
            db,
            settings,
            keys,
        })
    }
}
