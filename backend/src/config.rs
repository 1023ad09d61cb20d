//! Settings, read once from the environment. Every variable, its default and its meaning:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `GUANXI_DATA_DIR` | `./data` | where the SQLite file and generated keys live |
//! | `GUANXI_DATABASE_URL` | `$GUANXI_DATA_DIR/guanxi.db` | a file path, `sqlite://PATH` or `postgres://…` |
//! | `GUANXI_BIND` | `127.0.0.1:8080` | listen address |
//! | `GUANXI_DB_POOL_SIZE` | 8 (SQLite) / 16 (PostgreSQL) | connections per server |
//! | `GUANXI_CORS_ORIGINS` | empty | comma-separated origins allowed to call the API from a browser |
//! | `GUANXI_ACCESS_TOKEN_TTL` | `900` | access-token lifetime, seconds |
//! | `GUANXI_REFRESH_TOKEN_TTL` | `2592000` | refresh-session lifetime, seconds (30 days) |
//! | `GUANXI_ISSUER` | `guanxi` | `iss` and `aud` of issued tokens |
//! | `GUANXI_SIGNING_KEY_FILE` | `$DATA/keys/signing.key` | Ed25519 PKCS#8 (base64) for JWTs |
//! | `GUANXI_FIELD_KEY_FILE` | `$DATA/keys/field.key` | AES-256 field keys, `kid base64` per line, last is active |
//! | `GUANXI_BLIND_INDEX_KEY_FILE` | `$DATA/keys/blind-index.key` | HMAC key (base64, 32 bytes) |
//! | `GUANXI_STATIC_DIR` | `frontend/dist` | the built SPA served at `/` |
//! | `GUANXI_TRUST_PROXY` | `false` | believe `X-Forwarded-For` (only behind your own proxy) |
//! | `GUANXI_LOGIN_PER_MINUTE` | `30` | login attempts per client address per minute |
//! | `GUANXI_LOGIN_MAX_FAILURES` | `5` | failed logins before an account is locked for a while |
//! | `GUANXI_WORKERS` | CPU count | HTTP worker threads |
//! | `GUANXI_JOBS` | `true` | run the background job runner in this server |
//! | `GUANXI_SHUTDOWN_TIMEOUT` | `25` | seconds in-flight requests get after SIGTERM |
//! | `GUANXI_ADMIN_PASSWORD` | generated | password of the `admin` created on first start (printed once when generated) |
//! | `GUANXI_SESSION_CHECK_SECS` | `1` | how long a server trusts a passed session check (0: every request) |
//! | `GUANXI_RATE_PER_MINUTE` | `1200` | requests per principal per minute, on each server |
//! | `GUANXI_QUALITY_INACTIVE_DAYS` | `730` | days without activity before the quality run tags a customer inactive |
//! | `GUANXI_PRIVACY_DUE_DAYS` | `15` | days to answer a data-subject request |
//! | `GUANXI_JOB_FILE_DAYS` | `7` | days a finished job's files are kept |
//! | `GUANXI_WEBHOOK_RETRY_SECS` | `30` | first webhook retry delay (doubles, at most an hour) |
//! | `GUANXI_WEBHOOK_ALLOW_PRIVATE` | `false` | allow webhook URLs on loopback/private addresses |
//! | `GUANXI_PUBLIC_URL` | `http://$GUANXI_BIND` | the address customers reach this service at (links in emails) |
//! | `GUANXI_SMTP_URL` | unset | campaign email relay, `smtp://host:port` (unset: emails go to the message files) |
//! | `GUANXI_SMTP_FROM` | `Guanxi <no-reply@localhost>` | the sender of campaign emails |
//! | `GUANXI_SMS_GATEWAY_URL` | unset | campaign text messages: the SMS gateway's `http://` endpoint (unset: message files) |
//! | `GUANXI_PUSH_GATEWAY_URL` | unset | campaign app pushes: the push gateway's `http://` endpoint (unset: message files) |
//! | `GUANXI_GATEWAY_SECRET` | unset | signs requests to the gateways and checks their inbound callbacks (required with a gateway) |
//! | `GUANXI_METRICS_TOKEN` | unset | bearer token for `/metrics` (unset: `/metrics` answers 404) |
//! | `GUANXI_LOG` | `info` | log filter (tracing `EnvFilter` syntax) |
//! | `GUANXI_LOG_FORMAT` | `text` | `text` or `json` |

use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: String,
    pub pool_size: Option<u32>,
    pub cors_origins: Vec<String>,
    pub access_ttl_secs: i64,
    /// How long a passed session check is trusted on this server (0: check every request).
    pub session_check_secs: u64,
    pub refresh_ttl_secs: i64,
    pub issuer: String,
    pub signing_key_file: PathBuf,
    pub field_key_file: PathBuf,
    pub blind_index_key_file: PathBuf,
    pub static_dir: PathBuf,
    pub trust_proxy: bool,
    pub login_per_minute: u32,
    pub login_max_failures: i32,
    /// Requests a minute each principal (user session or API key) may make, per server.
    pub rate_per_minute: u32,
    pub workers: usize,
    pub run_jobs: bool,
    /// Days without purchase or contact after which the quality job tags a customer `inactive`.
    pub quality_inactive_days: i64,
    /// Days to answer a data-subject request (PRV-8).
    pub privacy_due_days: i64,
    /// Days a finished job's files (exports, uploads, error reports) are kept.
    pub job_file_days: i64,
    /// Seconds before the first webhook retry (doubling after each failure).
    pub webhook_retry_secs: u64,
    /// Allow webhook URLs on loopback/private addresses (off: such URLs are refused).
    pub webhook_allow_private: bool,
    pub shutdown_timeout_secs: u64,
    /// The bearer token `/metrics` asks for; without one `/metrics` is not served (route counts
    /// and latencies tell an outsider what the service does and how busy it is).
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    pub sms_gateway_url: Option<String>,
    pub push_gateway_url: Option<String>,
    pub gateway_secret: Option<String>,
    pub metrics_token: Option<String>,
    pub admin_password: Option<String>,
    pub log_filter: String,
    pub log_json: bool,
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        Settings::from_map(std::env::vars().filter(|(k, _)| k.starts_with("GUANXI_")).collect())
    }

    pub fn from_map(env: HashMap<String, String>) -> Result<Settings, String> {
        let get = |k: &str| env.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let data_dir = PathBuf::from(get("GUANXI_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let keys = data_dir.join("keys");
        let path = |k: &str, default: PathBuf| get(k).map(PathBuf::from).unwrap_or(default);
        fn num<T: std::str::FromStr>(k: &str, v: Option<String>, default: T) -> Result<T, String> {
            match v {
                None => Ok(default),
                Some(v) => v.parse().map_err(|_| format!("{k}: `{v}` is not a valid number")),
            }
        }
        let flag = |k: &str, default: bool| -> Result<bool, String> {
            match get(k).as_deref() {
                None => Ok(default),
                Some("1" | "true" | "yes" | "on") => Ok(true),
                Some("0" | "false" | "no" | "off") => Ok(false),
                Some(v) => Err(format!("{k}: `{v}` is not true/false")),
            }
        };
        let settings = Settings {
            database_url: get("GUANXI_DATABASE_URL")
                .unwrap_or_else(|| data_dir.join("guanxi.db").to_string_lossy().into_owned()),
            bind: get("GUANXI_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            pool_size: get("GUANXI_DB_POOL_SIZE").map(|v| num("GUANXI_DB_POOL_SIZE", Some(v), 8)).transpose()?,
            cors_origins: get("GUANXI_CORS_ORIGINS")
                .map(|v| v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
            access_ttl_secs: num("GUANXI_ACCESS_TOKEN_TTL", get("GUANXI_ACCESS_TOKEN_TTL"), 900)?,
            session_check_secs: num("GUANXI_SESSION_CHECK_SECS", get("GUANXI_SESSION_CHECK_SECS"), 1)?,
            refresh_ttl_secs: num("GUANXI_REFRESH_TOKEN_TTL", get("GUANXI_REFRESH_TOKEN_TTL"), 2_592_000)?,
            issuer: get("GUANXI_ISSUER").unwrap_or_else(|| "guanxi".into()),
            signing_key_file: path("GUANXI_SIGNING_KEY_FILE", keys.join("signing.key")),
            field_key_file: path("GUANXI_FIELD_KEY_FILE", keys.join("field.key")),
            blind_index_key_file: path("GUANXI_BLIND_INDEX_KEY_FILE", keys.join("blind-index.key")),
            static_dir: path("GUANXI_STATIC_DIR", PathBuf::from("frontend/dist")),
            trust_proxy: flag("GUANXI_TRUST_PROXY", false)?,
            login_per_minute: num("GUANXI_LOGIN_PER_MINUTE", get("GUANXI_LOGIN_PER_MINUTE"), 30)?,
            login_max_failures: num("GUANXI_LOGIN_MAX_FAILURES", get("GUANXI_LOGIN_MAX_FAILURES"), 5)?,
            rate_per_minute: num("GUANXI_RATE_PER_MINUTE", get("GUANXI_RATE_PER_MINUTE"), 1200)?,
            workers: num(
                "GUANXI_WORKERS",
                get("GUANXI_WORKERS"),
                std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            )?,
            run_jobs: flag("GUANXI_JOBS", true)?,
            quality_inactive_days: num("GUANXI_QUALITY_INACTIVE_DAYS", get("GUANXI_QUALITY_INACTIVE_DAYS"), 730)?,
            privacy_due_days: num("GUANXI_PRIVACY_DUE_DAYS", get("GUANXI_PRIVACY_DUE_DAYS"), 15)?,
            job_file_days: num("GUANXI_JOB_FILE_DAYS", get("GUANXI_JOB_FILE_DAYS"), 7)?,
            webhook_retry_secs: num("GUANXI_WEBHOOK_RETRY_SECS", get("GUANXI_WEBHOOK_RETRY_SECS"), 30)?,
            webhook_allow_private: flag("GUANXI_WEBHOOK_ALLOW_PRIVATE", false)?,
            shutdown_timeout_secs: num("GUANXI_SHUTDOWN_TIMEOUT", get("GUANXI_SHUTDOWN_TIMEOUT"), 25)?,
            public_url: get("GUANXI_PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{}", get("GUANXI_BIND").unwrap_or_else(|| "127.0.0.1:8080".into())))
                .trim_end_matches('/')
                .to_owned(),
            smtp_url: get("GUANXI_SMTP_URL"),
            smtp_from: get("GUANXI_SMTP_FROM").unwrap_or_else(|| "Guanxi <no-reply@localhost>".into()),
            sms_gateway_url: get("GUANXI_SMS_GATEWAY_URL"),
            push_gateway_url: get("GUANXI_PUSH_GATEWAY_URL"),
            gateway_secret: get("GUANXI_GATEWAY_SECRET"),
            metrics_token: get("GUANXI_METRICS_TOKEN"),
            admin_password: get("GUANXI_ADMIN_PASSWORD"),
            log_filter: get("GUANXI_LOG").unwrap_or_else(|| "info".into()),
            log_json: get("GUANXI_LOG_FORMAT").as_deref() == Some("json"),
            data_dir,
        };
        if settings.access_ttl_secs < 60 || settings.refresh_ttl_secs < settings.access_ttl_secs {
            return Err("token lifetimes: access ≥ 60 s and refresh ≥ access".into());
        }
        let gateway = settings.sms_gateway_url.is_some() || settings.push_gateway_url.is_some();
        if gateway && settings.gateway_secret.as_deref().is_none_or(|s| s.len() < 16) {
            return Err("GUANXI_GATEWAY_SECRET of at least 16 characters is required with a gateway URL".into());
        }
        if settings.login_per_minute == 0 || settings.login_max_failures < 1 {
            return Err("GUANXI_LOGIN_PER_MINUTE and GUANXI_LOGIN_MAX_FAILURES must be ≥ 1".into());
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Every variable the code reads is in the table above and in OPERATIONS.md.
    #[test]
    fn every_variable_is_documented() {
        let code = include_str!("config.rs");
        let operations = include_str!("../../docs/OPERATIONS.md");
        let (table, body) = code.split_once("\nuse ").unwrap();
        let mut read: Vec<&str> = body
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.len() > 7 && s.starts_with("GUANXI_") && s.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            })
            .collect();
        read.sort_unstable();
        read.dedup();
        assert!(read.len() >= 25, "{read:?}");
        for var in read {
            let row = format!("| `{var}` |");
            assert!(table.contains(&row), "{var} is missing from config.rs's table");
            assert!(operations.contains(&row), "{var} is missing from docs/OPERATIONS.md");
        }
    }

    #[test]
    fn defaults_work_on_a_laptop() {
        let s = Settings::from_map(HashMap::new()).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert!(s.database_url.ends_with("guanxi.db"));
        assert_eq!(s.access_ttl_secs, 900);
        assert!(s.signing_key_file.starts_with("./data/keys"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = Settings::from_map(env(&[("GUANXI_ACCESS_TOKEN_TTL", "soon")])).unwrap_err();
        assert!(e.contains("GUANXI_ACCESS_TOKEN_TTL"));
        let e = Settings::from_map(env(&[("GUANXI_TRUST_PROXY", "maybe")])).unwrap_err();
        assert!(e.contains("GUANXI_TRUST_PROXY"));
    }

    #[test]
    fn cors_origins_are_a_list() {
        let s = Settings::from_map(env(&[("GUANXI_CORS_ORIGINS", "https://a.example, https://b.example")])).unwrap();
        assert_eq!(s.cors_origins, vec!["https://a.example", "https://b.example"]);
    }
}
