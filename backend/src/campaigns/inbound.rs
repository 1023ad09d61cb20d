//! Replies to campaign text messages (MKT-2): every SMS carries "回T退订", so the SMS gateway
//! forwards the replies it receives here. A reply that is one of the opt-out keywords (T, TD,
//! 退订) withdraws SMS marketing consent at once for every customer with that number, recorded
//! as the customer's own (self-service) choice; any other reply is acknowledged and ignored. The
//! gateway signs each callback as we sign our requests to it; an unsigned or stale one is 401.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::store;
use crate::consent::model::{ConsentChannel, RecordConsent};
use crate::consent::purpose::{MarketingChannel, Purpose};
use crate::customers::domain::parse_mobile;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The replies that mean "stop" (compared trimmed, Latin letters in any case).
const KEYWORDS: [&str; 3] = ["T", "TD", "退订"];
/// How old a signed callback may be (replays of older ones are refused).
const TOLERANCE_SECS: i64 = 300;

/// One reply the gateway received. Other fields a gateway adds are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InboundSms {
    /// The sender's number, as the gateway has it (`+8613…` or `13…`).
    pub from: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboundResult {
    /// Whether the reply was an opt-out keyword.
    pub opt_out: bool,
    /// Customers whose SMS marketing consent it withdrew.
    pub withdrawn: usize,
}

fn is_opt_out(text: &str) -> bool {
    let t = text.trim().to_ascii_uppercase();
    KEYWORDS.contains(&t.as_str())
}

/// A reply forwarded by the SMS gateway (`X-Guanxi-Signature` as on our requests to it): 401
/// `signature_missing` / `signature_invalid`; 404 while no gateway is configured.
#[utoipa::path(
    tag = "campaigns", operation_id = "sms_inbound", request_body = InboundSms, security(()),
    params(("X-Guanxi-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>")),
    responses((status = 200, body = InboundResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/gateway/inbound")]
pub async fn sms_inbound(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // An unsigned callback is refused before anything else is said about this server.
    let header = req
        .headers()
        .get("X-Guanxi-Signature")
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Unauthorized("signature_missing"))?;
    let secret = match (&state.settings.sms_gateway_url, &state.settings.gateway_secret) {
        (Some(_), Some(secret)) => secret.clone(),
        _ => return Err(ApiError::NotFound),
    };
    if !crate::crypto::signature::verify(&secret, header, &body, chrono::Utc::now().timestamp(), TOLERANCE_SECS) {
        return Err(ApiError::Unauthorized("signature_invalid"));
    }
    let reply: InboundSms = crate::http::extract::parse_body(&body)?;
    if !is_opt_out(&reply.text) {
        return Ok(HttpResponse::Ok().json(InboundResult { opt_out: false, withdrawn: 0 }));
    }
    // An unknown or malformed number withdraws nothing (and says no more than that).
    let Ok(mobile) = parse_mobile(&reply.from) else {
        return Ok(HttpResponse::Ok().json(InboundResult { opt_out: true, withdrawn: 0 }));
    };
    let indexes = state.cipher.blind_indexes("mobile", &mobile);
    let ip = crate::http::extract::client_ip(&req, state.settings.trust_proxy);
    let withdrawn = state
        .db
        .write(move |c| {
            let mut n = 0;
            for id in store::customers_by_mobile(c, &indexes)? {
                let Some((customer, _)) = crate::customers::store::get_with_path(c, &id)? else { continue };
                let actor = crate::consent::link::actor(&customer, &ip);
                let input = RecordConsent {
                    purpose: Purpose::Marketing(MarketingChannel::Sms),
                    granted: false,
                    channel: ConsentChannel::SelfService,
                    evidence: Some("sms_reply".into()),
                    notice_id: None,
                    scope: None,
                };
                crate::consent::service::append(c, &actor, &customer, input, None)?;
                n += 1;
            }
            Ok(n)
        })
        .await?;
    Ok(HttpResponse::Ok().json(InboundResult { opt_out: true, withdrawn }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(sms_inbound);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_keywords() {
        for yes in ["T", " td ", "TD", "退订", "t"] {
            assert!(is_opt_out(yes), "{yes}");
        }
        for no in ["", "TDD", "谢谢", "T D", "退订了"] {
            assert!(!is_opt_out(no), "{no}");
        }
    }
}
