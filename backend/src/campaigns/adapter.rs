//! The one seam between a send and the world: a channel adapter takes a batch of messages and
//! answers, per message, whether it was handed over. SMTP, an HTTP gateway and the development
//! file adapter implement it; the send job knows no transport.

use crate::consent::purpose::MarketingChannel;

/// One message, addressed and rendered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Message {
    pub campaign_id: String,
    pub customer_id: String,
    pub channel: MarketingChannel,
    /// The clear address: an email address or an E.164 number.
    pub to: String,
    pub subject: Option<String>,
    pub body: String,
    /// Where the customer withdraws this channel's consent with one click (emails).
    pub unsubscribe: Option<String>,
}

/// A message the adapter could not hand over, as a stable code (`smtp_rejected`, …).
pub type Refusal = String;

pub trait Adapter: Send + Sync {
    /// Hands each message over; the answer has one entry per message, in order.
    fn send(&self, batch: &[Message]) -> Vec<Result<(), Refusal>>;
}
