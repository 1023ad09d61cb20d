//! Campaign email over SMTP (lettre) to the organisation's relay, one pooled connection reused
//! across a batch. Each email is plain text with the unsubscribe link in its body and in a
//! `List-Unsubscribe` header, which mail clients show as their own "unsubscribe" button.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{SmtpTransport, Transport};

use super::adapter::{Adapter, Message, Refusal};

pub struct SmtpAdapter {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpAdapter {
    /// `url`: `smtp://host:port`; `from`: `Name <address>`.
    pub fn new(url: &str, from: &str) -> Result<SmtpAdapter, String> {
        let address = url
            .strip_prefix("smtp://")
            .filter(|a| !a.is_empty() && !a.contains(['/', '@', '?']))
            .ok_or_else(|| format!("GUANXI_SMTP_URL: `{url}` is not smtp://host[:port]"))?;
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| format!("GUANXI_SMTP_URL: bad port `{port}`"))?),
            None => (address, 25),
        };
        // Plain SMTP to the relay named by the operator ("dangerous" in lettre's words: no TLS).
        let transport = SmtpTransport::builder_dangerous(host).port(port).build();
        let from = from.parse().map_err(|e| format!("GUANXI_SMTP_FROM: {e}"))?;
        Ok(SmtpAdapter { transport, from })
    }

    fn one(&self, m: &Message) -> Result<(), Refusal> {
        let to: Mailbox = m.to.parse().map_err(|_| "address_invalid".to_owned())?;
        let mut body = m.body.clone();
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone().unwrap_or_default())
            .header(ContentType::TEXT_PLAIN);
        if let Some(link) = &m.unsubscribe {
            body.push_str(&format!("\n\n退订 / Unsubscribe: {link}\n"));
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{link}>")));
        }
        let email = builder.body(body).map_err(|_| "message_invalid".to_owned())?;
        self.transport.send(&email).map(|_| ()).map_err(|e| {
            let code = if e.is_permanent() { "smtp_rejected" } else { "smtp_unavailable" };
            tracing::warn!(code, "an email was not accepted by the relay");
            code.to_owned()
        })
    }
}

impl Adapter for SmtpAdapter {
    fn send(&self, batch: &[Message]) -> Vec<Result<(), Refusal>> {
        batch.iter().map(|m| self.one(m)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::SmtpAdapter;

    #[test]
    fn reads_only_plain_relay_addresses() {
        assert!(SmtpAdapter::new("smtp://127.0.0.1:2525", "Guanxi <no-reply@example.com>").is_ok());
        assert!(SmtpAdapter::new("smtp://relay.internal", "no-reply@example.com").is_ok());
        for bad in ["http://relay", "smtp://", "smtp://user@relay:25", "smtp://relay:port"] {
            assert!(SmtpAdapter::new(bad, "no-reply@example.com").is_err(), "{bad}");
        }
        assert!(SmtpAdapter::new("smtp://relay", "not an address").is_err());
    }
}
