//! One-click withdrawal from a campaign message: every email carries a signed link for its
//! channel. Following it opens the SPA's page, which posts the link here; the channel's marketing
//! consent is withdrawn at once as the customer's own (self-service) record, and the next send
//! leaves them out. A link of one channel cannot withdraw another's.

use actix_web::{post, web, HttpResponse};

use crate::consent::link::{self, SelfServiceChoice, SelfServiceResult};
use crate::consent::link_routes::LinkCaller;
use crate::consent::purpose::{MarketingChannel, Purpose};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// How long the link in a message works: long enough for an old email in an inbox.
const VALID_DAYS: i64 = 365;

fn typ(channel: MarketingChannel) -> String {
    format!("unsubscribe-{}+jwt", channel.as_str())
}

fn page(channel: MarketingChannel) -> String {
    format!("/self-service/unsubscribe/{}", channel.as_str())
}

/// The absolute link a message to `customer_id` carries.
pub fn link_for(state: &AppState, channel: MarketingChannel, customer_id: &str) -> Result<String, ApiError> {
    let issued = link::issue_as(&state.tokens, &typ(channel), &page(channel), customer_id, VALID_DAYS)?;
    Ok(format!("{}{}", state.settings.public_url, issued.url))
}

/// Withdraws the channel's marketing consent for the customer the link names (authorised by the
/// link from the message: `Authorization: Bearer <link token>`). The answer is the recorded
/// withdrawal with its signed receipt.
#[utoipa::path(
    tag = "campaigns", operation_id = "unsubscribe", params(("channel" = MarketingChannel, Path)), security(("bearer" = [])),
    responses((status = 201, body = SelfServiceResult), (status = "4XX", body = Problem, content_type = "application/problem+json"))
)]
#[post("/self-service/unsubscribe/{channel}")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    caller: LinkCaller,
    channel: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let channel = MarketingChannel::parse(&channel).ok_or(ApiError::NotFound)?;
    let LinkCaller { token, ip } = caller;
    let st = state.clone();
    let out = state
        .db
        .write(move |c| {
            let (customer, _) = link::open_as(c, &st.tokens, &typ(channel), &token)?;
            let actor = link::actor(&customer, &ip);
            let choice = SelfServiceChoice { purpose: Purpose::Marketing(channel), granted: false };
            link::choose(c, &st.tokens, &actor, &customer, choice)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(unsubscribe);
}
