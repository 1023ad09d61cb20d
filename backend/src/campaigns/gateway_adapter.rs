//! Text messages and app pushes through an HTTP gateway (the operator's SMS aggregator, the app's
//! push service): a batch is POSTed as JSON in chunks, signed like our webhooks (HMAC-SHA256 of
//! `"<t>.<body>"` with the gateway secret, header `X-Guanxi-Signature: t=…,v1=…`), and retried
//! with backoff when the gateway is down or busy (5xx, 429, no answer). Decision 0029 gives the
//! wire format. The gateway may answer per message; a message it does not name in its answer
//! failed, a bare 2xx accepts the whole chunk.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::adapter::{Adapter, Message, Refusal};
use crate::crypto::signature::sign;

/// Messages per request.
const CHUNK: usize = 100;
const ATTEMPTS: u32 = 3;
/// The first retry's wait; each further one doubles it.
const RETRY: Duration = Duration::from_millis(300);
const TIMEOUT: Duration = Duration::from_secs(15);

pub struct GatewayAdapter {
    url: String,
    secret: String,
}

#[derive(Serialize)]
struct Outgoing<'a> {
    messages: Vec<Outbound<'a>>,
}

#[derive(Serialize)]
struct Outbound<'a> {
    /// `<campaign>:<customer>`: unique per message, so a gateway can drop a retried duplicate.
    id: String,
    channel: &'a str,
    to: &'a str,
    body: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    results: Vec<Outcome>,
}

#[derive(Deserialize)]
struct Outcome {
    id: String,
    accepted: bool,
    code: Option<String>,
}

impl GatewayAdapter {
    pub fn new(name: &str, url: &str, secret: &str) -> Result<GatewayAdapter, String> {
        let uri: actix_web::http::Uri = url.parse().map_err(|_| format!("{name}: `{url}` is not a URL"))?;
        if uri.scheme_str() != Some("http") || uri.host().is_none() {
            return Err(format!("{name}: `{url}` is not http://host[:port]/path"));
        }
        Ok(GatewayAdapter { url: url.to_owned(), secret: secret.to_owned() })
    }

    /// One chunk's outcomes, in order.
    fn chunk(&self, chunk: &[Message]) -> Vec<Result<(), Refusal>> {
        let ids: Vec<String> = chunk.iter().map(|m| format!("{}:{}", m.campaign_id, m.customer_id)).collect();
        let messages = chunk
            .iter()
            .zip(&ids)
            .map(|(m, id)| Outbound { id: id.clone(), channel: m.channel.as_str(), to: &m.to, body: &m.body })
            .collect();
        let body = serde_json::to_string(&Outgoing { messages }).unwrap_or_default();
        match self.post(body) {
            Err(code) => vec![Err(code.to_owned()); chunk.len()],
            Ok(None) => vec![Ok(()); chunk.len()],
            Ok(Some(answer)) => {
                let by_id: HashMap<&str, &Outcome> = answer.results.iter().map(|o| (o.id.as_str(), o)).collect();
                ids.iter()
                    .map(|id| match by_id.get(id.as_str()) {
                        Some(o) if o.accepted => Ok(()),
                        Some(o) => Err(refusal(o.code.as_deref())),
                        None => Err("gateway_unanswered".to_owned()),
                    })
                    .collect()
            }
        }
    }

    /// The request with its retries, on a runtime of its own: the send job is synchronous and
    /// the HTTP client needs one (a scoped thread, so any caller may block here).
    fn post(&self, body: String) -> Result<Option<Answer>, &'static str> {
        std::thread::scope(|s| {
            s.spawn(|| actix_web::rt::System::new().block_on(attempts(&self.url, &self.secret, body)))
                .join()
                .unwrap_or(Err("gateway_unavailable"))
        })
    }
}

async fn attempts(url: &str, secret: &str, body: String) -> Result<Option<Answer>, &'static str> {
    let client = awc::Client::builder().timeout(TIMEOUT).disable_redirects().finish();
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            actix_web::rt::time::sleep(RETRY * 2u32.pow(attempt - 1)).await;
        }
        let signed = sign(secret, chrono::Utc::now().timestamp(), &body);
        let sent = client
            .post(url)
            .insert_header(("content-type", "application/json"))
            .insert_header(("X-Guanxi-Signature", signed))
            .send_body(body.clone())
            .await;
        match sent {
            Ok(mut res) if res.status().is_success() => {
                let answer = res.body().limit(1 << 20).await.ok();
                return Ok(answer.and_then(|b| serde_json::from_slice::<Answer>(&b).ok()));
            }
            Ok(res) if res.status().is_server_error() || res.status().as_u16() == 429 => {}
            Ok(res) => {
                tracing::warn!(status = res.status().as_u16(), "the message gateway refused a batch");
                return Err("gateway_rejected");
            }
            Err(e) => tracing::warn!(error = %e, attempt, "the message gateway did not answer"),
        }
    }
    Err("gateway_unavailable")
}

/// The gateway's own code when it is one (short, lower-case words), else `gateway_rejected`:
/// what is stored must be a code, never a sentence from elsewhere.
fn refusal(code: Option<&str>) -> Refusal {
    match code {
        Some(c) if (1..=40).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
            format!("gateway_{c}")
        }
        _ => "gateway_rejected".to_owned(),
    }
}

impl Adapter for GatewayAdapter {
    fn send(&self, batch: &[Message]) -> Vec<Result<(), Refusal>> {
        batch.chunks(CHUNK).flat_map(|chunk| self.chunk(chunk)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_plain_http_endpoints_and_keeps_only_code_like_refusals() {
        assert!(GatewayAdapter::new("X", "http://127.0.0.1:9000/sms", "s").is_ok());
        for bad in ["https://gw.example.com/sms", "gw.example.com", "http://"] {
            assert!(GatewayAdapter::new("X", bad, "s").is_err(), "{bad}");
        }
        assert_eq!(refusal(Some("number_blocked")), "gateway_number_blocked");
        assert_eq!(refusal(Some("Number is blocked!")), "gateway_rejected");
        assert_eq!(refusal(None), "gateway_rejected");
    }
}
