//! Sends due deliveries: a POST of the event with an HMAC-SHA256 signature, retried with
//! exponential backoff (base `GUANXI_WEBHOOK_RETRY_SECS`, doubling, at most an hour apart) and
//! given up after eight attempts. Runs in every server that runs jobs.

use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::watch;

use super::address::{checked, Unreachable};
use super::{service, store};
use crate::db::now;
use crate::error::ApiError;
use crate::state::AppState;

const MAX_ATTEMPTS: i32 = 8;
const BATCH: i64 = 20;
const LEASE: TimeDelta = TimeDelta::seconds(60);
const IDLE: Duration = Duration::from_millis(500);
const TIMEOUT: Duration = Duration::from_secs(10);

fn backoff(base_secs: u64, attempts: i32) -> TimeDelta {
    let secs = base_secs.saturating_mul(1u64 << attempts.clamp(0, 16)).min(3600);
    TimeDelta::seconds(secs as i64)
}

/// The checked address a hook's URL is delivered to (see `address`).
async fn target(url: &str, allow_internal: bool) -> Result<std::net::SocketAddr, Unreachable> {
    let uri: actix_web::http::Uri = url.parse().map_err(|_| Unreachable::Failed)?;
    let host = uri.host().ok_or(Unreachable::Failed)?;
    let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
    checked(host, port, allow_internal).await
}

pub fn spawn(state: actix_web::web::Data<AppState>, mut stop: watch::Receiver<bool>) {
    actix_web::rt::spawn(async move {
        let client = awc::Client::builder().timeout(TIMEOUT).disable_redirects().finish();
        loop {
            if *stop.borrow() {
                break;
            }
            let busy = match round(&state, &client).await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "webhook delivery");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    });
}

/// Fans out new events, then sends what is due; returns how much work it found.
async fn round(state: &AppState, client: &awc::Client) -> Result<usize, ApiError> {
    if !state.db.run(|c| Ok(store::has_work(c)?)).await? {
        return Ok(0);
    }
    let fanned = state.db.run(|c| service::fan_out(c, 500)).await?;
    let due = state.db.write(|c| Ok(store::claim_due(c, BATCH, now() + LEASE)?)).await?;
    let found = fanned + due.len();
    for (d, hook) in due {
        let secret = state
            .cipher
            .decrypt("webhooks", "secret", &hook.id, &hook.secret)
            .map_err(|e| ApiError::internal(format!("webhook {} secret: {e:?}", hook.id)))?;
        let t = chrono::Utc::now().timestamp();
        let sent = match target(&hook.url, state.settings.webhook_allow_private).await {
            Ok(addr) => client
                .post(&hook.url)
                .address(addr)
                .insert_header(("Content-Type", "application/json"))
                .insert_header(("User-Agent", "Guanxi-Webhooks/1"))
                .insert_header(("X-Guanxi-Event", d.topic.as_str()))
                .insert_header(("X-Guanxi-Delivery", d.id.as_str()))
                .insert_header(("X-Guanxi-Signature", crate::crypto::signature::sign(&secret, t, &d.payload)))
                .send_body(d.payload.clone())
                .await
                .map_err(|_| Unreachable::Failed),
            Err(why) => Err(why),
        };
        let (ok, status, error) = match sent {
            Ok(res) if res.status().is_success() => (true, Some(i32::from(res.status().as_u16())), None),
            Ok(res) => (false, Some(i32::from(res.status().as_u16())), Some(format!("HTTP {}", res.status().as_u16()))),
            Err(why) => (false, None, Some(why.as_str().to_owned())),
        };
        let attempts = d.attempts + 1;
        let (state_name, next) = if ok {
            ("delivered", now())
        } else if attempts >= MAX_ATTEMPTS {
            ("failed", now())
        } else {
            ("pending", now() + backoff(state.settings.webhook_retry_secs, attempts - 1))
        };
        let id = d.id.clone();
        let payload = d.payload.clone();
        state
            .db
            .write(move |c| {
                store::record_attempt(c, &id, state_name, attempts, next, status, error)?;
                if ok {
                    super::partner::share(c, &hook, &payload)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(30, 0), TimeDelta::seconds(30));
        assert_eq!(backoff(30, 3), TimeDelta::seconds(240));
        assert_eq!(backoff(30, 20), TimeDelta::seconds(3600));
    }
}
